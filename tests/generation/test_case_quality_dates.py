"""Quality checks on dates and people: meetings, reports, timescales, seeing children, interpreters.

The base case (test_case_quality.py) has a strategy discussion on Mon 5 January 2026, the initial
conference on Tue 20 January (report shared Wed 14), the first core group on Tue 27 January and
the first review on Wed 15 April (report shared Tue 7 April), referral on Fri 2 January and the
assessment completed on Fri 20 February; the document speaks from Mon 2 March 2026.
"""

from .test_case_quality import case, codes, of


def _meeting(data, meeting_id):
    return next(m for m in data["meetings"] if m["id"] == meeting_id)


def test_record_dated_before_its_meeting():
    data = case()
    data["document"] = {"date": "2026-01-19", "meeting_id": "I1"}
    [found] = of("record_before_meeting", data, records_meeting=True)
    assert found["path"] == "/document/date"
    assert of("record_before_meeting", data, records_meeting=False) == []  # it announces it
    data["document"]["date"] = "2026-01-20"
    assert of("record_before_meeting", data, records_meeting=True) == []


def test_a_record_that_names_none_of_the_meetings_is_warned():
    data = case()
    data["document"] = {"date": "2026-03-02"}
    [found] = of("record_meeting_not_chosen", data, records_meeting=True)
    assert found["path"] == "/document/meeting_id"
    data["document"]["meeting_id"] = "NOT-THERE"
    assert len(of("record_meeting_not_chosen", data, records_meeting=True)) == 1
    assert of("record_meeting_not_chosen", data, records_meeting=False) == []
    data["document"]["meeting_id"] = "I1"
    assert of("record_meeting_not_chosen", data, records_meeting=True) == []
    data["meetings"] = []  # no meetings to choose from: the missing meetings are warned elsewhere
    data["document"].pop("meeting_id")
    assert of("record_meeting_not_chosen", data, records_meeting=True) == []


def test_report_shared_fewer_working_days_before_the_conference_than_the_setting():
    data = case()
    _meeting(data, "I1")["report_shared"] = "2026-01-16"  # Fri: Mon 19 and Tue 20 are 2 days
    [found] = of("report_not_shared_in_time", data)
    assert found["path"] == "/meetings/1" and "3 working days" in found["message"]
    assert of("report_not_shared_in_time", data, report_days_initial=2) == []
    _meeting(data, "I1")["report_shared"] = "2026-01-15"
    assert of("report_not_shared_in_time", data) == []
    _meeting(data, "R1")["report_shared"] = "2026-04-09"  # 4 working days before the review
    [found] = of("report_not_shared_in_time", data)
    assert found["path"] == "/meetings/3" and "5 working days" in found["message"]
    assert of("report_not_shared_in_time", data, report_days_review=4) == []
    # Over Easter: Thu 2 April to Wed 15 April is 7 working days, not 9.
    _meeting(data, "R1")["report_shared"] = "2026-04-02"
    assert of("report_not_shared_in_time", data, report_days_review=7) == []
    assert len(of("report_not_shared_in_time", data, report_days_review=8)) == 1


def test_report_shared_missing_when_the_document_is_the_conference_report():
    data = case()
    del _meeting(data, "R1")["report_shared"]
    data["document"]["meeting_id"] = "R1"
    assert of("report_not_shared_in_time", data) == []
    [found] = of("report_not_shared_in_time", data, conference_report=True)
    assert found["path"] == "/meetings/3" and "Report shared with the parents" in found["message"]


def _timescales(data) -> list[tuple[str, str]]:
    return [(w["path"], w["message"]) for w in of("timescale_missed", data)]


def test_initial_conference_within_15_working_days_of_the_strategy_discussion():
    data = case()
    _meeting(data, "I1")["date"] = "2026-01-27"  # 16 working days after Mon 5 January
    [(path, message)] = _timescales(data)
    assert path == "/meetings/1"
    assert "15 working days" in message and "Working Together 2023" in message
    _meeting(data, "I1")["date"] = "2026-01-26"
    assert _timescales(data) == []


def test_the_clock_starts_at_the_last_strategy_discussion_and_counts_easter():
    data = case()
    data["meetings"] = [
        {"id": "S1", "type": "strategy", "date": "2026-02-02"},
        {"id": "S2", "type": "strategy", "date": "2026-03-20"},
        {"id": "I1", "type": "initial_conference", "date": "2026-04-14"},
    ]
    assert _timescales(data) == []  # 15 working days over Good Friday and Easter Monday
    data["meetings"][2]["date"] = "2026-04-15"
    assert [path for path, _m in _timescales(data)] == ["/meetings/2"]
    data["meetings"] = [data["meetings"][2]]
    data["key_dates"]["strategy_discussion"] = "2026-03-20"
    assert [path for path, _m in _timescales(data)] == ["/meetings/0"]


def test_assessment_within_45_working_days_of_referral():
    data = case()
    data["key_dates"]["assessment_completed"] = "2026-03-06"  # the 45th working day
    assert _timescales(data) == []
    data["key_dates"]["assessment_completed"] = "2026-03-09"
    [(path, message)] = _timescales(data)
    assert path == "/key_dates/assessment_completed" and "45 working days" in message
    assert "Working Together 2023" in message and "Record the reasons" in message
    data["assessment"] = {"reason_for_delay": "Mum was in hospital."}
    [(path, message)] = _timescales(data)
    assert "reasons for the delay are recorded" in message and "hospital" not in message


def test_first_core_group_within_10_working_days_of_the_initial_conference():
    data = case()
    _meeting(data, "CG1")["date"] = "2026-02-04"
    [(path, message)] = _timescales(data)
    assert path == "/meetings/2" and "10 working days" in message
    _meeting(data, "CG1")["date"] = "2026-02-03"
    assert _timescales(data) == []


def test_first_review_within_3_months_then_every_6_months():
    data = case()
    _meeting(data, "R1")["date"] = "2026-04-21"
    [(path, message)] = _timescales(data)
    assert path == "/meetings/3" and "3 months" in message and "Working Together 2023" in message
    _meeting(data, "R1")["date"] = "2026-04-20"
    data["meetings"].append({"id": "R2", "type": "review_conference", "date": "2026-10-20"})
    assert _timescales(data) == []
    data["meetings"][-1]["date"] = "2026-10-21"
    [(path, message)] = _timescales(data)
    assert path == "/meetings/4" and "6 months" in message


def test_a_new_initial_conference_starts_a_new_episode():
    data = case()
    data["meetings"] += [
        {"id": "S9", "type": "strategy", "date": "2027-01-04"},
        {"id": "I9", "type": "initial_conference", "date": "2027-01-11"},
        {"id": "R9", "type": "review_conference", "date": "2027-04-01"},
    ]
    assert _timescales(data) == []  # R1 to R9 is not "review to review"


def test_child_not_seen_alone():
    data = case()
    data["children"] += [
        {"id": "C2", "name": "Ali", "date_of_birth": "2020-01-01"},
        {"id": "C3", "name": "Bo", "date_of_birth": "2021-01-01", "seen": [{"date": "2026-02-01"}]},
        {"id": "C4", "name": "Baby", "expected_date_of_delivery": "2026-06-01"},
        {
            "id": "C5",
            "name": "Cy",
            "date_of_birth": "2019-01-01",
            "seen": [
                {"date": "2026-02-01", "seen_alone": False},
                {"date": "2026-04-01", "seen_alone": True},  # after the document's date
            ],
        },
    ]
    found = of("child_not_seen_alone", data)
    assert [w["path"] for w in found] == ["/children/1", "/children/2", "/children/4"]
    assert "no record of being seen" in found[0]["message"]
    assert all("Ali" not in w["message"] and "Bo" not in w["message"] for w in found)


def test_interpreter_for_the_recipient_or_each_parent_in_a_family_document():
    data = case()
    data["family_members"][1].update(needs_interpreter=True, interpreter_language="Polish")
    data["family_members"].append(
        {"id": "N1", "name": "Nan", "relationship": "Nan", "needs_interpreter": True}
    )
    [found] = of("interpreter_needed", data, audience="family")
    assert found["path"] == "/family_members/1"
    assert "Polish" not in found["message"] and "in their language" in found["message"]
    assert of("interpreter_needed", data) == []  # a professional document with no recipient
    data["document"]["recipient_id"] = "M1"
    assert of("interpreter_needed", data, audience="family") == []
    data["document"]["recipient_id"] = "M2"
    assert [w["path"] for w in of("interpreter_needed", data)] == ["/family_members/1"]


def test_the_base_case_has_no_date_warnings():
    data = case()
    data["document"]["meeting_id"] = "I1"  # the record of the initial conference
    assert codes(data, records_meeting=True, conference_report=True) == []
