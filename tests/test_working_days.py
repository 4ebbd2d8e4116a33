"""Working days in England and Wales: weekends and bank holidays (2026), calendar months."""

from datetime import date, timedelta

from clearinghouse.working_days import (
    add_months,
    add_working_days,
    bank_holidays,
    is_working_day,
    working_days_between,
)


def test_2026_bank_holidays_in_england_and_wales():
    holidays_2026 = bank_holidays(2026)
    assert date(2026, 4, 3) in holidays_2026  # Good Friday
    assert date(2026, 4, 6) in holidays_2026  # Easter Monday
    assert date(2026, 12, 25) in holidays_2026
    assert date(2026, 12, 28) in holidays_2026  # Boxing Day falls on a Saturday: substitute day
    assert date(2026, 3, 17) not in holidays_2026  # St Patrick's Day is Northern Ireland only
    assert not is_working_day(date(2026, 12, 26))  # a Saturday
    assert is_working_day(date(2026, 12, 29))


def test_weekends_are_skipped():
    friday = date(2026, 3, 6)
    assert add_working_days(friday, 1) == date(2026, 3, 9)  # Monday
    assert add_working_days(friday, 5) == date(2026, 3, 13)
    assert add_working_days(friday, 0) == friday
    assert working_days_between(friday, date(2026, 3, 9)) == 1
    assert working_days_between(friday, date(2026, 3, 8)) == 0  # Saturday and Sunday
    assert working_days_between(friday, friday) == 0


def test_easter_2026():
    thursday = date(2026, 4, 2)
    assert add_working_days(thursday, 1) == date(2026, 4, 7)  # over Good Friday to Easter Monday
    assert working_days_between(thursday, date(2026, 4, 7)) == 1
    assert add_working_days(date(2026, 4, 7), -1) == thursday


def test_christmas_2026():
    wednesday = date(2026, 12, 23)
    # Thu 24, (Fri 25, Sat 26, Sun 27, Mon 28 substitute for Boxing Day), Tue 29, Wed 30
    assert add_working_days(wednesday, 3) == date(2026, 12, 30)
    assert working_days_between(wednesday, date(2027, 1, 4)) == 5  # Fri 1 January is a holiday
    assert add_working_days(date(2027, 1, 4), -5) == wednesday


def test_between_counts_after_a_up_to_and_including_b_and_agrees_with_add():
    start = date(2025, 12, 1)
    for n in range(0, 80, 7):
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
        assert working_days_between(end, start) == -n
    day_by_day = sum(
        1 for offset in range(1, 400) if is_working_day(start + timedelta(days=offset))
    )
    assert working_days_between(start, start + timedelta(days=399)) == day_by_day


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 2) == date(2027, 1, 30)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
