"""Working days and calendar months for statutory timescales in England and Wales.

A working day is Monday to Friday and not a bank holiday in England and Wales (Wales shares
England's bank holidays). Bank holidays come from the maintained ``holidays`` library, which
includes substitute days ("observed") and one-off holidays such as coronations. Pure functions:
the holiday set for each year is cached.
"""

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

COUNTRY, SUBDIVISION = "GB", "ENG"
SATURDAY = 5


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """Return the bank holidays in England and Wales in a year."""
    return frozenset(holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=year))


def is_working_day(day: date) -> bool:
    """Return whether a date is a working day (a weekday that is not a bank holiday)."""
    return day.weekday() < SATURDAY and day not in bank_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """Return the date n working days after a date (before it when n is negative)."""
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """Return the working days after a up to and including b (negative when b is before a)."""
    if b < a:
        return -working_days_between(b, a)
    weeks, rest = divmod((b - a).days, 7)
    weekdays = 5 * weeks + sum(
        1 for i in range(1, rest + 1) if (a + timedelta(i)).weekday() < SATURDAY
    )
    closed = sum(
        1
        for year in range(a.year, b.year + 1)
        for holiday in bank_holidays(year)
        if a < holiday <= b and holiday.weekday() < SATURDAY
    )
    return weekdays - closed


def add_months(day: date, n: int) -> date:
    """Return the date n calendar months after a date, clamped to the end of a shorter month."""
    months = day.year * 12 + day.month - 1 + n
    year, month = divmod(months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
