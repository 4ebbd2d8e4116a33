"""Quality checks: mapping completeness, the child's voice, jargon and reading age."""

from clearinghouse.generation.case_quality import quality_warnings, reading_age

from .conftest import sample_case


def _codes(case, audience="professional", about_child=True):
    warnings = quality_warnings(
        case, audience=audience, about_child=about_child, reading_age_target=12
    )
    return [(w["code"], w["path"]) for w in warnings]


def test_a_complete_case_has_no_warnings():
    assert _codes(sample_case(), audience="family") == []


def test_danger_statement_needs_a_goal_and_a_scale():
    case = sample_case()
    case["danger_statements"].append({"id": "D2", "worried_about": "Dad drinks and drives."})
    assert ("danger_without_goal", "/danger_statements/1") in _codes(case)
    assert ("danger_without_scale", "/danger_statements/1") in _codes(case)
    case["safety_goals"].append({"danger_statement_id": "D2", "parents_will": "Walk."})
    case["scales"].append({"danger_statement_id": "D2", "rater": "Dad", "score": 5, "reason": "."})
    assert _codes(case) == []


def test_scale_needs_rater_score_0_to_10_and_reason():
    case = sample_case()
    case["scales"] = [
        {"danger_statement_id": "D1", "score": 3, "reason": "r"},
        {"danger_statement_id": "D1", "rater": "Mum", "score": 12, "reason": "r"},
        {"danger_statement_id": "D1", "rater": "Mum", "reason": "r"},
        {"danger_statement_id": "D1", "rater": "Mum", "score": 2, "reason": "  "},
    ]
    codes = _codes(case)
    assert ("scale_without_rater", "/scales/0") in codes
    assert ("scale_score_range", "/scales/1") in codes
    assert ("scale_without_score", "/scales/2") in codes
    assert ("scale_without_reason", "/scales/3") in codes


def test_next_steps_need_who_and_when():
    case = sample_case()
    case["next_steps"] = [
        {"action": "Visit"},
        {"action": "Call", "who": "SW", "by_when": "2026-01-01"},
    ]
    warnings = quality_warnings(
        case, audience="professional", about_child=True, reading_age_target=12
    )
    assert warnings == [
        {
            "code": "next_step_incomplete",
            "message": "Next step 1 does not say who or by when.",
            "path": "/next_steps/0",
        }
    ]


def test_childs_voice_where_the_document_is_about_a_child():
    case = sample_case()
    del case["child_voice"]
    assert ("child_voice_missing", "") in _codes(case)
    assert ("child_voice_missing", "") not in _codes(case, about_child=False)


def test_jargon_only_for_family_documents_and_unless_explained():
    case = sample_case()
    case["danger_statements"][0]["worried_about"] = "The s47 found the ICPC must meet."
    case["safety_goals"][0]["parents_will"] = "Go to the core group (the workers and family)."
    assert not [c for c in _codes(case) if c[0] == "jargon"]
    family = [c for c in _codes(case, audience="family") if c[0] == "jargon"]
    assert ("jargon", "/danger_statements/0/worried_about") in family
    assert len(family) == 2  # s47 and ICPC, not the explained "core group"
    message = quality_warnings(case, audience="family", about_child=True, reading_age_target=12)[0][
        "message"
    ]
    assert "“s47”" in message and "child protection enquiry" in message


def test_jargon_is_matched_as_words():
    case = sample_case()
    case["danger_statements"][0]["worried_about"] = "Placed in a lacquered box; LACK of sleep."
    assert not [c for c in _codes(case, audience="family") if c[0] == "jargon"]


def test_reading_age():
    plain = "We are worried. Dad hits Mum. The children see it. They are scared. " * 4
    hard = (
        "Notwithstanding considerable intergenerational vulnerabilities, the multidisciplinary "
        "professional network's assessment identified substantial deficiencies regarding "
        "parental prioritisation, consequently necessitating comprehensive interventions. " * 3
    )
    assert reading_age(plain) < 10
    assert reading_age(hard) > 16
    assert reading_age("Too short.") is None
    case = sample_case()
    case["danger_statements"][0]["worried_about"] = hard
    assert ("reading_age", "") in _codes(case, audience="family")
    assert ("reading_age", "") not in _codes(case, audience="professional")
