"""Case model v1 -> v2 conversion: valid v2 out, the safe side taken and said, input untouched."""

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from clearinghouse.generation.case_convert import (
    V1_FIELDS,
    case_downgrade,
    case_upgrade,
    duration_parse,
    is_v1,
    v1_fields_used,
)

ROOT = Path(__file__).resolve().parents[2]
V1_SAMPLE = Path(__file__).parent / "data" / "sample_case_v1.json"
SCHEMA = ROOT / "templates_library" / "schemas" / "case.schema.json"
V2_SAMPLE = ROOT / "templates_library" / "schemas" / "sample_case.json"


@pytest.fixture
def v1() -> dict:
    return json.loads(V1_SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def check() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def codes(warnings) -> list:
    return [w["code"] for w in warnings]


def test_is_v1(v1):
    assert is_v1(v1)
    assert not is_v1(json.loads(V2_SAMPLE.read_text(encoding="utf-8")))
    assert not is_v1({"children": [{"id": "C1", "name": "A"}]})  # neither: treated as v2
    assert not is_v1([])
    for shape in (
        {"meeting": {}},
        {"conference": {"type": "initial"}},
        {"family_members": [{"name": "A", "has_parental_responsibility": False}]},
        {"child_voice": [{"child_name": "Mia"}]},
        {"legal": {"solicitors": []}},
        {"safety_goals": [{"for_how_long": "Six months"}]},
        {"key_dates": {"report_shared": "2026-06-19"}},
    ):
        assert is_v1(shape), shape
        assert not is_v1({**shape, "case_version": 2})


def test_upgraded_v1_sample_validates_against_v2(v1, check):
    v2, warnings = case_upgrade(v1)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(v2)] == []
    assert v2["case_version"] == 2
    assert codes(warnings)[0] == "converted_from_v1"
    assert codes(warnings).count("converted_from_v1") == 1


def test_upgrade_never_mutates_its_input(v1):
    before = copy.deepcopy(v1)
    v2, _ = case_upgrade(v1)
    assert v1 == before
    v2["children"][0]["name"] = "changed"
    assert v1 == before


def test_ids_are_assigned_and_danger_ids_kept(v1):
    v2, _ = case_upgrade(v1)
    assert [c["id"] for c in v2["children"]] == ["C1", "C2"]
    assert [m["id"] for m in v2["family_members"]] == ["P1", "P2", "P3", "P4"]
    assert [n["id"] for n in v2["safety_network"]] == ["N1", "N2", "N3"]
    assert [d["id"] for d in v2["danger_statements"]] == ["D1", "D2"]
    by_name = {n["name"]: n for n in v2["safety_network"]}
    assert by_name["Maria Carter"]["family_member_id"] == "P4"
    assert "family_member_id" not in by_name["Kelly Dawson"]


def test_parental_responsibility_is_never_guessed(v1):
    v2, warnings = case_upgrade(v1)
    assert all(m["parental_responsibility_for"] == [] for m in v2["family_members"])
    assert all("has_parental_responsibility" not in m for m in v2["family_members"])
    pr = [w for w in warnings if w["code"] == "pr_not_chosen"]
    # Danielle, Ryan and Jason had the v1 flag; Maria did not.
    assert [w["path"] for w in pr] == [
        "/family_members/0",
        "/family_members/1",
        "/family_members/2",
    ]


def test_child_voice_goes_to_the_conference_only(v1):
    v2, warnings = case_upgrade(v1)
    assert [v["child_id"] for v in v2["child_voice"]] == ["C1", "C2"]
    assert all(v["share_with"] == ["conference"] for v in v2["child_voice"])
    assert all("child_name" not in v for v in v2["child_voice"])
    paths = [w["path"] for w in warnings if w["code"] == "voice_share_conference_only"]
    assert paths == ["/child_voice/0/share_with", "/child_voice/1/share_with"]


def test_unknown_child_in_voice_is_kept_and_warned(v1):
    v1["child_voice"][1]["child_name"] = "Someone Else"
    v2, warnings = case_upgrade(v1)
    assert len(v2["child_voice"]) == 2
    assert "child_id" not in v2["child_voice"][1]
    assert v2["child_voice"][1]["worries"] == ["Loud noises."]
    unknown = [w for w in warnings if w["code"] == "voice_child_unknown"]
    assert [w["path"] for w in unknown] == ["/child_voice/1/child_id"]
    assert "Someone Else" not in unknown[0]["message"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Six months", {"number": 6, "unit": "months"}),
        ("12 weeks", {"number": 12, "unit": "weeks"}),
        ("6 months", {"number": 6, "unit": "months"}),
        ("one month", {"number": 1, "unit": "months"}),
        ("a year", {"number": 12, "unit": "months"}),
        ("for 8 weeks", {"number": 8, "unit": "weeks"}),
        ("until the review", None),
        ("0 weeks", None),
        ("500 months", None),
    ],
)
def test_duration_parse(text, expected):
    assert duration_parse(text) == expected


def test_durations_converted_or_dropped_with_a_warning(v1):
    v1["safety_goals"][1]["for_how_long"] = "Until things settle down"
    v2, warnings = case_upgrade(v1)
    assert v2["safety_goals"][0]["for_how_long"] == {"number": 6, "unit": "months"}
    assert "for_how_long" not in v2["safety_goals"][1]
    dropped = [w for w in warnings if w["code"] == "duration_not_understood"]
    assert [w["path"] for w in dropped] == ["/safety_goals/1/for_how_long"]
    assert "settle" not in dropped[0]["message"]


def test_meetings_built_from_v1_meeting_key_dates_and_conference(v1):
    v2, _ = case_upgrade(v1)
    assert "meeting" not in v2 and "conference" not in v2
    assert not {"conference", "report_shared", "core_group", "review_conference"} & set(
        v2["key_dates"]
    )
    meetings = {m["type"]: m for m in v2["meetings"]}
    assert meetings["initial_conference"]["date"] == "2026-06-24"
    assert meetings["initial_conference"]["report_shared"] == "2026-06-19"
    assert meetings["initial_conference"]["chair"] == "Julia Marsh"
    decisions = meetings["initial_conference"]["decisions"]
    assert [d["child_id"] for d in decisions] == ["C1", "C2"]
    assert {d["decision"] for d in decisions} == {"child_protection_plan"}
    assert {d["category"] for d in decisions} == {"emotional_abuse"}
    assert meetings["core_group"]["date"] == "2026-07-02"
    assert meetings["review_conference"]["date"] == "2026-09-24"
    assert meetings["family_network"]["date"] == "2026-11-12"
    # The v1 meeting (pre-proceedings, by its date after pre_proceedings_start) is the document's.
    assert meetings["pre_proceedings"]["date"] == "2026-11-04"
    assert meetings["pre_proceedings"]["chair"] == "Tom Okafor"
    assert v2["document"]["meeting_id"] == meetings["pre_proceedings"]["id"]
    assert [m["date"] for m in v2["meetings"]] == sorted(m["date"] for m in v2["meetings"])


def test_review_conference_type_picks_review_decisions(v1):
    v1["conference"]["type"] = "review"
    v2, _ = case_upgrade(v1)
    review = next(m for m in v2["meetings"] if m["type"] == "review_conference")
    assert {d["decision"] for d in review["decisions"]} == {"plan_continues"}
    initial = next(m for m in v2["meetings"] if m["type"] == "initial_conference")
    assert "decisions" not in initial


def test_legal_moves_to_authority(v1):
    v2, _ = case_upgrade(v1)
    services = v2["authority"]["legal_services"]
    assert services["name"] == v1["legal"]["team"]
    assert services["phone"] == v1["legal"]["phone"]
    assert v2["authority"]["solicitors"] == v1["legal"]["solicitors"]
    assert v2["legal"] == {"lawyer": "Mark Ellis", "reference": "LS/2026/0917"}


def test_safety_plan_owners_become_ids(v1):
    v2, warnings = case_upgrade(v1)
    rules = v2["safety_plan"]["rules"]
    assert [r["who_makes_sure_ids"] for r in rules] == [["N1"], ["P1", "P2"], ["N2"], ["N1"]]
    assert "rule_owner_unknown" not in codes(warnings)
    v1["safety_plan"]["rules"][0]["who_makes_sure"] = "Uncle Bob"
    v2, warnings = case_upgrade(v1)
    assert v2["safety_plan"]["rules"][0]["who_makes_sure_ids"] == []
    assert "Uncle Bob" in v2["safety_plan"]["rules"][0]["how_network_knows"]
    owner = [w for w in warnings if w["code"] == "rule_owner_unknown"]
    assert [w["path"] for w in owner] == ["/safety_plan/rules/0/who_makes_sure_ids"]


def test_scales_get_what_they_are_about(v1):
    v2, _ = case_upgrade(v1)
    about = [(s["about"], s.get("danger_statement_id"), s.get("child_id")) for s in v2["scales"]]
    assert about == [
        ("danger_statement", "D1", None),
        ("danger_statement", "D1", None),
        ("danger_statement", "D2", None),
        ("danger_statement", "D2", None),
        ("case_closure", None, None),
        ("child", None, "C1"),  # Mia's own scale is not a case-closure scale
    ]


def test_warnings_name_fields_not_content(v1):
    _, warnings = case_upgrade(v1)
    text = json.dumps(v1)
    for warning in warnings:
        assert set(warning) == {"code", "message", "path"}
        for name in ("Danielle", "Ryan", "Jason", "Mia", "Leo", "Maria", "Kelly"):
            assert name not in warning["message"]
        assert warning["message"] not in text


def test_v2_case_comes_back_unchanged():
    v2 = json.loads(V2_SAMPLE.read_text(encoding="utf-8"))
    out, warnings = case_upgrade(v2)
    assert out == v2 and out is not v2 and warnings == []


def test_downgrade_round_trip_of_fields_templates_use(v1):
    v2, _ = case_upgrade(v1)
    meeting = next(m for m in v2["meetings"] if m["id"] == v2["document"]["meeting_id"])
    back = case_downgrade({**v2, "meeting": meeting})
    for key in ("purpose", "date", "time", "place", "how", "chair", "minute_taker", "attendees"):
        assert back["meeting"][key] == v1["meeting"][key], key
    for key in ("conference", "report_shared", "core_group", "review_conference"):
        assert back["key_dates"][key] == v1["key_dates"][key], key
    assert back["key_dates"]["family_network_meeting"] == v1["key_dates"]["family_network_meeting"]
    assert back["conference"] == v1["conference"]
    for key in ("team", "lawyer", "phone", "email", "address", "reference", "solicitors"):
        assert back["legal"][key] == v1["legal"][key], key
    assert [v["child_name"] for v in back["child_voice"]] == ["Mia Carter", "Leo Carter"]
    assert [g["for_how_long"] for g in back["safety_goals"]] == ["6 months", "6 months"]
    assert back["words_and_pictures"]["pictures"] == v1["words_and_pictures"]["pictures"]
    owners = [r["who_makes_sure"] for r in back["safety_plan"]["rules"]]
    assert owners == [r["who_makes_sure"] for r in v1["safety_plan"]["rules"]]
    # Safe side: no one has parental responsibility until the practitioner chooses the children.
    assert not any(m["has_parental_responsibility"] for m in back["family_members"])
    v2["family_members"][0]["parental_responsibility_for"] = ["C1", "C2"]
    assert case_downgrade(v2)["family_members"][0]["has_parental_responsibility"] is True


def test_downgrade_of_the_v2_sample_never_mutates_and_finds_the_conference():
    v2 = json.loads(V2_SAMPLE.read_text(encoding="utf-8"))
    before = copy.deepcopy(v2)
    back = case_downgrade({**v2, "document": {**v2["document"], "meeting_id": "M-PPM"}})
    assert v2 == before
    assert back["meeting"]["date"] == "2026-11-04"
    assert back["conference"]["type"] == "review"  # the latest conference with decisions
    assert back["conference"]["category"] == "emotional abuse"  # the first child's
    by_name = {m["name"]: m["has_parental_responsibility"] for m in back["family_members"]}
    assert by_name == {
        "Danielle Carter": True,
        "Ryan Hughes": True,
        "Jason Price": True,
        "Maria Carter": False,
    }
    assert back["safety_goals"][0]["for_how_long"] == "10 weeks"
    assert back["key_dates"]["conference"] == "2026-06-24"
    assert back["key_dates"]["report_shared"] == "2026-06-18"


def test_v1_fields_used():
    used = v1_fields_used(
        [
            "family_members[].has_parental_responsibility",
            "meeting.date",
            "conference.category",
            "legal.solicitors[].firm",
            "key_dates.referral",
            "key_dates.conference",
            "conference.category",
        ]
    )
    assert used == [
        {
            "field": "family_members[].has_parental_responsibility",
            "replace_with": "family_members[].parental_responsibility_for",
        },
        {"field": "conference.category", "replace_with": "meeting.decisions[].category"},
        {"field": "legal.solicitors[].firm", "replace_with": "authority.solicitors[].firm"},
        {"field": "key_dates.conference", "replace_with": V1_FIELDS["key_dates.conference"]},
    ]
    assert v1_fields_used([]) == []
