"""The case model v2 schema and its sample case: the sample validates and tells one coherent story.

The story checks are what a judge, a parent's solicitor or an inspector would check first: every
id points at something in the case, the statutory timescales are met in English working days,
and durations fit their deadlines.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "templates_library" / "schemas"

# Bank holidays in England, 2026 and 2027 (gov.uk); weekends are never working days.
BANK_HOLIDAYS = {
    dt.date.fromisoformat(day)
    for day in (
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
        "2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03",
        "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28",
    )
}  # fmt: skip


def load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema() -> dict:
    return load("case.schema.json")


@pytest.fixture(scope="module")
def sample() -> dict:
    return load("sample_case.json")


def validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FormatChecker())


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after start up to and including end."""
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in BANK_HOLIDAYS:
            count += 1
    return count


def is_working_day(when: dt.date) -> bool:
    return when.weekday() < 5 and when not in BANK_HOLIDAYS


def meeting(sample: dict, meeting_id: str) -> dict:
    return next(m for m in sample["meetings"] if m["id"] == meeting_id)


# --- the schema itself ---------------------------------------------------------------------


def test_schema_is_valid_2020_12(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "urn:clearinghouse:case"
    assert schema["properties"]["case_version"] == {
        "const": 2,
        "title": "Case model version",
        "description": "Always 2 for this version of the case model.",
    }


def walk(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def test_every_property_has_a_title_and_every_object_is_closed(schema):
    for path, node in walk(schema):
        if "if" in path:
            continue
        for key, prop in (node.get("properties") or {}).items():
            assert prop.get("title"), f"{'/'.join(map(str, path))}/{key} has no title"
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, "/".join(map(str, path))


def test_new_defs_exist(schema):
    wanted = {
        "meeting", "meetings", "decision", "attendee", "court", "early_help", "supervision",
        "scale", "child_voice", "voice", "family_member", "network_member", "duration",
        "share_with", "legal_services", "conference_challenge", "solicitors", "gp",
    }  # fmt: skip
    assert wanted <= set(schema["$defs"])
    assert "conference" not in schema["$defs"]  # v1's conference is now meetings[].decisions


def test_v1_shapes_are_refused(schema):
    check = validator(schema)
    for v1_bit in (
        {"meeting": {"date": "2026-11-04"}},
        {"conference": {"type": "initial"}},
        {"family_members": [{"id": "P1", "name": "A", "relationship": "Mother",
                             "has_parental_responsibility": True}]},
        {"child_voice": [{"child_name": "Mia"}]},
        {"legal": {"solicitors": [{"firm": "X"}]}},
        {"safety_goals": [{"id": "G1", "danger_statement_id": "D1", "parents_will": "x",
                           "for_how_long": "Six months"}]},
        {"key_dates": {"conference": "2026-06-24"}},
    ):  # fmt: skip
        assert list(check.iter_errors({"case_version": 2, **v1_bit})), v1_bit


def test_scale_kinds_need_their_reference(schema):
    check = validator(schema)
    base = {"rater": "Priya", "score": 3}
    assert list(check.iter_errors({"scales": [{**base, "about": "danger_statement"}]}))
    assert list(check.iter_errors({"scales": [{**base, "about": "child"}]}))
    assert not list(check.iter_errors({"scales": [{**base, "about": "case_closure"}]}))


def test_share_with_takes_codes_or_ids(schema):
    check = validator(schema)
    item = {"child_id": "C1", "share_with": ["conference", "court", "P1"]}
    assert not list(check.iter_errors({"child_voice": [item]}))
    bad = {"child_id": "C1", "share_with": ["the whole street"]}
    assert list(check.iter_errors({"child_voice": [bad]}))


def test_ids_follow_the_spec_pattern(schema):
    check = validator(schema)
    for good in ("C1", "M-ICPC", "a_b", "9"):
        assert not list(check.iter_errors({"children": [{"id": good, "name": "A"}]})), good
    for bad in ("-C1", "", "C 1", "x" * 41):
        assert list(check.iter_errors({"children": [{"id": bad, "name": "A"}]})), bad


# --- the sample ----------------------------------------------------------------------------


def test_sample_validates(schema, sample):
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator(schema).iter_errors(sample)
    ]
    assert errors == []
    assert sample["case_version"] == 2
    assert set(sample["document"]) == {"date", "reference"}


def test_every_reference_in_the_sample_resolves(sample):
    children = {c["id"] for c in sample["children"]}
    family = {m["id"] for m in sample["family_members"]}
    network = {n["id"] for n in sample["safety_network"]}
    dangers = {d["id"] for d in sample["danger_statements"]}
    goals = {g["id"] for g in sample["safety_goals"]}
    meetings = {m["id"] for m in sample["meetings"]}
    all_ids = children | family | network | dangers | goals | meetings
    assert len(all_ids) == sum(map(len, (children, family, network, dangers, goals, meetings)))
    for member in sample["family_members"]:
        assert set(member["parental_responsibility_for"]) <= children
    for member in sample["safety_network"]:
        assert member.get("family_member_id", "P1") in family
    for item in sample["harm"] + sample["danger_statements"]:
        assert set(item.get("child_ids", [])) <= children
    for goal in sample["safety_goals"]:
        assert goal["danger_statement_id"] in dangers
    for scale in sample["scales"]:
        assert scale.get("danger_statement_id", "D1") in dangers
        assert scale.get("child_id", "C1") in children
    for voice in sample["child_voice"]:
        assert voice["child_id"] in children
        codes = {"conference", "court", "professionals", "network"}
        assert set(voice["share_with"]) <= codes | family
    for view in sample["views"]["parents"]:
        assert view["family_member_id"] in family
    for agreed in sample["words_and_pictures"]["parents_agreed"]:
        assert agreed["family_member_id"] in family
    for rule in sample["safety_plan"]["rules"]:
        assert rule["who_makes_sure_ids"] and set(rule["who_makes_sure_ids"]) <= network | family
    for each in sample["meetings"]:
        for decision in each.get("decisions", []):
            assert decision["child_id"] in children
        for progress in each.get("goal_progress", []):
            assert progress["safety_goal_id"] in goals
    assert sample["plo"]["review_meeting_id"] in meetings


def test_parental_responsibility_differs_by_parent(sample):
    by_name = {m["name"]: m for m in sample["family_members"]}
    assert by_name["Danielle Carter"]["parental_responsibility_for"] == ["C1", "C2"]
    assert by_name["Jason Price"]["parental_responsibility_for"] == ["C1"]
    assert by_name["Ryan Hughes"]["parental_responsibility_for"] == ["C2"]
    assert by_name["Maria Carter"]["parental_responsibility_for"] == []
    assert by_name["Jason Price"]["address"] != by_name["Danielle Carter"]["address"]
    assert by_name["Jason Price"]["needs_interpreter"] is True
    assert by_name["Jason Price"]["interpreter_language"] == "Polish"


def test_mia_shares_her_words_with_her_mother_but_not_with_ryan(sample):
    ryan = next(m["id"] for m in sample["family_members"] if m["name"] == "Ryan Hughes")
    danielle = next(m["id"] for m in sample["family_members"] if m["name"] == "Danielle Carter")
    mia = next(c["id"] for c in sample["children"] if c["name"] == "Mia Carter")
    items = [v for v in sample["child_voice"] if v["child_id"] == mia]
    assert any(
        set(v["share_with"]) == {"conference", "court", "professionals", danielle} for v in items
    )
    assert all(ryan not in v["share_with"] for v in items)


def test_leo_is_at_school_not_nursery(sample):
    leo = next(c for c in sample["children"] if c["name"] == "Leo Carter")
    assert "nursery" not in json.dumps(leo).lower()
    assert "School" in leo["school"]


def test_every_dated_fact_has_a_date(sample):
    assert all(item.get("date") for item in sample["harm"])
    for statement in sample["danger_statements"]:
        assert statement.get("date")
        assert all(example.get("date") for example in statement["examples"])
    for part in ("strengths", "complicating_factors", "existing_safety", "scales", "child_voice"):
        assert all(item.get("date") for item in sample[part]), part
    for part in ("parents", "network"):
        assert all(item.get("date") for item in sample["views"][part]), part
    for child in sample["children"]:
        assert all(seen.get("date") for seen in child["seen"])
    assert all(item.get("date") for item in sample["plo"]["help_given"])


def test_scales_are_complete_and_of_every_kind(sample):
    for scale in sample["scales"]:
        for key in ("question", "zero_means", "ten_means", "rater", "date"):
            assert scale.get(key), (scale.get("id"), key)
    for danger in sample["danger_statements"]:
        kinds = {
            s["rater_kind"]
            for s in sample["scales"]
            if s.get("danger_statement_id") == danger["id"]
        }
        assert {"parent", "professional", "network"} <= kinds, danger["id"]
    assert any(s["about"] == "case_closure" for s in sample["scales"])
    child_scales = [s for s in sample["scales"] if s["about"] == "child"]
    assert child_scales and child_scales[0]["question"] == "How safe do you feel at home?"


def add_duration(start: dt.date, number: int, unit: str) -> dt.date:
    if unit == "weeks":
        return start + dt.timedelta(weeks=number)
    month = start.month - 1 + number
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)


def test_safety_goal_durations_fit_their_deadlines(sample):
    plo_meeting = meeting(sample, "M-PPM")
    for goal in sample["safety_goals"]:
        length = goal["for_how_long"]
        end = add_duration(day(plo_meeting["date"]), length["number"], length["unit"])
        assert end <= day(goal["by_when"]), goal["id"]


def test_statutory_timescales_in_working_days(sample):
    key = sample["key_dates"]
    strategy, initial = meeting(sample, "M-STRAT"), meeting(sample, "M-ICPC")
    core, review = meeting(sample, "M-CG1"), meeting(sample, "M-RCPC")
    assert strategy["date"] == key["strategy_discussion"]
    assert working_days_between(day(strategy["date"]), day(initial["date"])) <= 15
    assert working_days_between(day(key["referral"]), day(key["assessment_completed"])) <= 45
    assert working_days_between(day(initial["date"]), day(core["date"])) <= 10
    three_months = add_duration(day(initial["date"]), 3, "months")
    assert day(initial["date"]) < day(review["date"]) <= three_months
    assert working_days_between(day(initial["report_shared"]), day(initial["date"])) >= 3
    assert working_days_between(day(review["report_shared"]), day(review["date"])) >= 5
    for each in sample["meetings"]:
        assert is_working_day(day(each["date"])), each["id"]


def test_meetings_cover_the_whole_story(sample):
    types = [m["type"] for m in sample["meetings"]]
    assert types == [
        "strategy", "initial_conference", "core_group", "review_conference", "pre_proceedings",
        "family_network", "pre_proceedings_review",
    ]  # fmt: skip
    assert [m["date"] for m in sample["meetings"]] == sorted(m["date"] for m in sample["meetings"])
    initial = meeting(sample, "M-ICPC")
    decisions = {d["child_id"]: d["category"] for d in initial["decisions"]}
    assert decisions == {"C1": "emotional_abuse", "C2": "neglect"}
    assert initial["lead_practitioner"]["name"] and initial["core_group_members"]
    assert initial["contingency_plan"]
    review = meeting(sample, "M-RCPC")
    assert {p["safety_goal_id"] for p in review["goal_progress"]} == {"G1", "G2"}
    assert review["core_group_attendance"] and review["changes_since_last"]
    ppm = meeting(sample, "M-PPM")
    assert ppm["agreed"] and any(d["who"] == "Ryan Hughes" for d in ppm["disagreed"])
    assert day(sample["court"]["decision_date"]) > day(meeting(sample, "M-PPR")["date"])


def test_safety_plan_starts_with_999_and_is_agreed(sample):
    plan = sample["safety_plan"]
    assert plan["if_worried"][0] == "If anyone is in danger, call 999."
    assert sum("call 999" in line.lower() for line in plan["if_worried"]) == 1
    assert all(entry["name"] and entry["date"] for entry in plan["agreed_by"])


def test_authority_has_the_contacts_documents_need(sample):
    authority = sample["authority"]
    for key in ("legal_services", "conference_challenge", "interpreting", "solicitors"):
        assert authority.get(key), key
    partnership = authority["conference_challenge"]["partnership"]["name"]
    assert partnership == "Northshire Safeguarding Children Partnership"
