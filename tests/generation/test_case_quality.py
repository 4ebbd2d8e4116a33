"""Quality checks on v2 cases: the mapping, the child's voice, jargon and reading age.

Each test builds a small v2 case by hand (the sample case is not relied on). The dates, meetings
and people checks are in test_case_quality_dates.py, which shares the helpers here.
"""

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearinghouse.generation.case_quality import quality_warnings, reading_age

BASE = {
    "case_version": 2,
    "document": {"date": "2026-03-02"},
    "children": [
        {
            "id": "C1",
            "name": "Sam",
            "date_of_birth": "2018-05-01",
            "seen": [{"date": "2026-02-20", "seen_alone": True}],
        }
    ],
    "family_members": [
        {"id": "M1", "name": "Jo", "relationship": "Mum", "parental_responsibility_for": ["C1"]},
        {"id": "M2", "name": "Lee", "relationship": "Dad", "parental_responsibility_for": ["C1"]},
    ],
    "danger_statements": [
        {
            "id": "D1",
            "who_is_worried": "The school and the social worker",
            "worried_about": "When Dad drinks he shouts at Mum and hits her. Sam sees it.",
            "what_may_happen": "Sam may be hurt or feel scared all the time.",
            "examples": [{"date": "2026-01-10", "description": "Dad hit Mum in the kitchen."}],
        }
    ],
    "safety_goals": [
        {
            "id": "G1",
            "danger_statement_id": "D1",
            "parents_will": "Keep Sam away from any fights.",
            "for_how_long": {"number": 3, "unit": "months"},
            "by_when": "2026-07-01",
        }
    ],
    "scales": [
        {
            "about": "danger_statement",
            "danger_statement_id": "D1",
            "rater": "Mum",
            "score": 5,
            "reason": "Dad has stopped drinking.",
        },
        {
            "about": "danger_statement",
            "danger_statement_id": "D1",
            "rater": "Social worker",
            "score": 3,
            "reason": "It is early days.",
        },
    ],
    "next_steps": [{"action": "Visit", "who": "Social worker", "by_when": "2026-03-10"}],
    "child_voice": [{"child_id": "C1", "worries": ["Dad shouting"]}],
    "key_dates": {"referral": "2026-01-02", "assessment_completed": "2026-02-20"},
    "meetings": [
        {"id": "S1", "type": "strategy", "date": "2026-01-05"},
        {
            "id": "I1",
            "type": "initial_conference",
            "date": "2026-01-20",
            "report_shared": "2026-01-14",
        },
        {"id": "CG1", "type": "core_group", "date": "2026-01-27"},
        {
            "id": "R1",
            "type": "review_conference",
            "date": "2026-04-15",
            "report_shared": "2026-04-07",
        },
    ],
}


def case() -> dict:
    """Return a fresh copy of a complete v2 case that has no warnings."""
    return copy.deepcopy(BASE)


def warnings(data, audience="professional", about_child=True, **kwargs) -> list[dict]:
    """Return the quality warnings, with a reading age target of 12."""
    return quality_warnings(
        data, audience=audience, about_child=about_child, reading_age_target=12, **kwargs
    )


def codes(data, audience="professional", about_child=True, **kwargs) -> list[tuple[str, str]]:
    """Return (code, path) of each warning."""
    return [(w["code"], w["path"]) for w in warnings(data, audience, about_child, **kwargs)]


def of(code: str, data, **kwargs) -> list[dict]:
    """Return the warnings with one code."""
    return [w for w in warnings(data, **kwargs) if w["code"] == code]


def test_a_complete_case_has_no_warnings():
    assert codes(case(), audience="family") == []
    assert codes(case(), audience="professional") == []


def _danger(danger_id: str, text: str = "Dad drives the children after he has been drinking."):
    return {
        "id": danger_id,
        "worried_about": text,
        "examples": [{"date": "2026-01-02", "description": "Dad drove after the pub."}],
    }


def test_danger_statement_needs_a_goal_and_a_scale_of_its_own():
    data = case()
    data["danger_statements"].append(_danger("D2"))
    # A case-closure scale that happens to carry the id is not this danger statement's scale.
    data["scales"].append({"about": "case_closure", "danger_statement_id": "D2", "rater": "Mum"})
    found = codes(data)
    assert ("danger_without_goal", "/danger_statements/1") in found
    assert ("danger_without_scale", "/danger_statements/1") in found
    data["safety_goals"].append({"id": "G2", "danger_statement_id": "D2", "parents_will": "Walk."})
    for rater in ("Mum", "Teacher"):
        scale = {"about": "danger_statement", "danger_statement_id": "D2", "rater": rater}
        data["scales"].append({**scale, "score": 4, "reason": "r"})
    assert not [c for c in codes(data) if c[1] == "/danger_statements/1"]


def test_scale_needs_rater_score_0_to_10_and_reason():
    data = case()
    ds = {"about": "danger_statement", "danger_statement_id": "D1"}
    data["scales"] = [
        {**ds, "score": 3, "reason": "r"},
        {**ds, "rater": "Mum", "score": 12, "reason": "r"},
        {**ds, "rater": "Dad", "reason": "r"},
        {**ds, "rater": "Nan", "score": 2, "reason": "  "},
    ]
    found = codes(data)
    assert ("scale_without_rater", "/scales/0") in found
    assert ("scale_score_range", "/scales/1") in found
    assert ("scale_without_score", "/scales/2") in found
    assert ("scale_without_reason", "/scales/3") in found


def test_single_rater_per_danger_statement_and_for_case_closure():
    data = case()
    data["scales"][1]["rater"] = " mum "  # the same person, typed differently
    closure = {"about": "case_closure", "rater": "Teacher", "score": 6, "reason": "r"}
    data["scales"] += [closure, {**closure, "date": "2026-02-01"}]
    data["scales"].append({"about": "child", "child_id": "C1", "rater": "Sam", "score": 7})
    single = [(w["path"], w["message"]) for w in of("single_rater", data)]
    assert [path for path, _m in single] == ["/danger_statements/0", "/scales/2"]
    assert "Mum" not in single[0][1] and "danger statement 1" in single[0][1]
    data["scales"][1]["rater"] = "Social worker"
    data["scales"][3]["rater"] = "Mum"
    assert of("single_rater", data) == []


def test_too_many_danger_statements():
    data = case()
    data["danger_statements"] += [_danger("D2"), _danger("D3")]
    assert of("too_many_danger_statements", data) == []
    data["danger_statements"].append(_danger("D4"))
    [found] = of("too_many_danger_statements", data)
    assert found["path"] == "/danger_statements" and "4 danger statements" in found["message"]


def test_danger_statement_without_examples():
    data = case()
    data["danger_statements"][0]["examples"] = [{"date": "2026-01-10", "description": " "}]
    [found] = of("no_examples", data)
    assert found["path"] == "/danger_statements/0"
    del data["danger_statements"][0]["examples"]
    assert len(of("no_examples", data)) == 1


def test_label_in_place_of_behaviour():
    labels = [
        "Domestic abuse.",
        "Concerns about DV",
        "Neglect",
        "Parental mental health and poor home conditions are ongoing concerns for the family",
        "There are concerns regarding the toxic trio, domestic violence and substance misuse",
    ]
    behaviour = [
        BASE["danger_statements"][0]["worried_about"],
        "Mum's drinking (alcohol misuse) means she falls asleep and Sam, who is 3, is left alone.",
        "When Dad is angry he throws things at Mum; the children hide and cannot sleep.",
        "Dv is not an acronym here, and this sentence is long enough to describe what happens.",
    ]
    for text in labels + behaviour:
        data = case()
        data["danger_statements"][0]["worried_about"] = text
        found = of("label_not_behaviour", data)
        assert bool(found) == (text in labels), text
        if found:
            assert found[0]["path"] == "/danger_statements/0/worried_about"
            assert text.lower().strip(".") not in found[0]["message"].lower()


def test_next_steps_need_who_and_when():
    data = case()
    data["next_steps"] = [{"action": "Visit"}, {"action": "Call", "who": "SW", "by_when": "2026"}]
    assert warnings(data) == [
        {
            "code": "next_step_incomplete",
            "message": "Next step 1 does not say who or by when.",
            "path": "/next_steps/0",
        }
    ]


def test_deadline_shorter_than_the_time_safety_must_be_shown():
    data = case()  # the document speaks from 2 March 2026
    goal = data["safety_goals"][0]
    goal["for_how_long"] = {"number": 6, "unit": "months"}
    [found] = of("deadline_shorter_than_duration", data)
    assert found["path"] == "/safety_goals/0"
    goal["by_when"] = "2026-09-02"
    assert of("deadline_shorter_than_duration", data) == []
    goal["for_how_long"], goal["by_when"] = {"number": 4, "unit": "weeks"}, "2026-03-29"
    assert len(of("deadline_shorter_than_duration", data)) == 1
    goal["by_when"] = "2026-03-30"
    assert of("deadline_shorter_than_duration", data) == []


def test_childs_voice_where_the_document_is_about_a_child():
    data = case()
    del data["child_voice"]
    assert ("child_voice_missing", "") in codes(data)
    assert ("child_voice_missing", "") not in codes(data, about_child=False)


def test_jargon_only_for_family_documents_and_unless_explained():
    data = case()
    data["danger_statements"][0]["what_may_happen"] = "The s47 found the ICPC must meet."
    data["safety_goals"][0]["parents_will"] = "Go to the core group (the workers and family)."
    assert not [c for c in codes(data) if c[0] == "jargon"]
    family = [c for c in codes(data, audience="family") if c[0] == "jargon"]
    assert ("jargon", "/danger_statements/0/what_may_happen") in family
    assert len(family) == 2  # s47 and ICPC, not the explained "core group"
    message = of("jargon", data, audience="family")[0]["message"]
    assert "“s47”" in message and "child protection enquiry" in message


def test_new_jargon_terms():
    terms = [
        "safety network",
        "family group conference",
        "viability assessment",
        "kinship assessment",
        "emotional abuse",
    ]
    for term in terms:
        data = case()
        data["next_steps"][0]["action"] = f"Arrange the {term.title()}."
        [found] = of("jargon", data, audience="family")
        assert found["path"] == "/next_steps/0/action" and f"“{term}”" in found["message"]
        data["next_steps"][0]["action"] = f"Arrange the {term} (explained here)."
        assert of("jargon", data, audience="family") == []


def test_jargon_is_matched_as_words():
    data = case()
    data["danger_statements"][0]["what_may_happen"] = "Placed in a lacquered box; LACK of sleep."
    assert not [c for c in codes(data, audience="family") if c[0] == "jargon"]


PLAIN = "We are worried. Dad hits Mum. The children see it. They are scared. " * 4
HARD = (
    "Notwithstanding considerable intergenerational vulnerabilities, the multidisciplinary "
    "professional network's assessment identified substantial deficiencies regarding "
    "parental prioritisation, consequently necessitating comprehensive interventions. " * 3
)


def test_reading_age_with_textstat():
    assert reading_age(PLAIN) == 5.0 and isinstance(reading_age(PLAIN), float)
    assert reading_age(HARD) > 16
    assert reading_age("Too short.") is None
    assert reading_age(" ".join(["word"] * 29) + ".") is None
    assert reading_age(" ".join(["word"] * 30) + ".") is not None
    data = case()
    data["danger_statements"][0]["what_may_happen"] = HARD
    assert ("reading_age", "") in codes(data, audience="family")
    assert ("reading_age", "") not in codes(data, audience="professional")
    assert ("reading_age", "") not in codes(data, audience="family", age=11.0)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.sampled_from(["D1"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "document", "children", "family_members", "danger_statements", "safety_goals", "scales",
        "next_steps", "meetings", "key_dates", "assessment", "child_voice",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replaced=st.dictionaries(KEYS, JSON, max_size=4), audience=st.sampled_from(["family", "x"]))
def test_odd_shapes_never_raise(replaced, audience):
    data = {**case(), **replaced}
    found = warnings(data, audience=audience, records_meeting=True, conference_report=True)
    assert all(set(w) == {"code", "message", "path"} for w in found)


def test_v1_shapes_and_non_objects_are_skipped():
    v1 = case()
    v1["safety_goals"][0]["for_how_long"] = "6 months"
    v1["family_members"][0]["has_parental_responsibility"] = True
    v1["meetings"][1]["date"] = "20/01/2026"
    v1["document"]["date"] = 20260302
    assert isinstance(warnings(v1, audience="family"), list)
    assert warnings([], audience="family") == []


def test_dates_at_the_ends_of_the_calendar_are_skipped():
    data = case()
    data["document"] = {"date": "9999-12-31", "meeting_id": "I1"}
    for meeting in data["meetings"]:
        meeting["date"] = "9999-12-31"
    data["meetings"][1]["report_shared"] = "0001-01-01"
    data["safety_goals"][0]["for_how_long"] = {"number": 120, "unit": "months"}
    data["key_dates"] = {"referral": "0001-01-01", "assessment_completed": "9999-12-31"}
    found = warnings(data, records_meeting=True, conference_report=True)
    assert not [w for w in found if w["code"] == "timescale_missed"]
