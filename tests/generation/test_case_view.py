"""The case as one document may show it: its date, its one recipient, the child's consent."""

import json

import pytest

from clearinghouse.errors import InvalidInput
from clearinghouse.generation.case_references import reference_errors
from clearinghouse.generation.case_view import document_view
from generation.case_v2 import small_case


def _text(view) -> str:
    return json.dumps(view, ensure_ascii=False)


def test_past_facts_after_the_document_date_are_left_out_with_a_warning():
    view, warnings = document_view(small_case())
    assert [h["statement"] for h in view["harm"]] == ["Police were called to a fight at home."]
    assert [e["description"] for e in view["danger_statements"][0]["examples"]] == [
        "Fight on 30 May."
    ]
    assert view["case_scales"] == []  # the December score is after 21 October
    paths = sorted(w["path"] for w in warnings if w["code"] == "after_document_date")
    assert paths == ["/danger_statements/0/examples/1", "/harm/1", "/scales/1"]
    assert "A later incident" not in _text(view)
    assert all("A later incident" not in w["message"] for w in warnings)


def test_the_document_date_defaults_to_today_and_facts_undated_stay():
    case = small_case()
    del case["document"]["date"]
    from datetime import date

    view, _ = document_view(case, today=date(2027, 1, 1))
    assert view["document"]["date"] == "2027-01-01"
    assert len(view["harm"]) == 2


def test_a_letter_shows_only_its_recipient_address_and_their_children():
    view, _ = document_view(small_case(), recipient_id="P2")
    text = _text(view)
    assert view["recipient"]["address"] == "2 Father Road, Town, AB2 2BB"
    assert [c["name"] for c in view["children"]] == ["Ben Stone"]
    assert "Amy Stone" not in [c["name"] for c in view["children"]]
    for other in ("1 Mother Street", "3 Other Lane", "07700 900001"):
        assert other not in text
    # D2 is about Ben only; D1 names no child, so it is about both and stays.
    assert [d["id"] for d in view["danger_statements"]] == ["D1", "D2"]


def test_a_letter_to_a_parent_of_one_child_drops_worries_about_only_the_other():
    view, _ = document_view(small_case(), recipient_id="P3")
    assert [c["id"] for c in view["children"]] == ["C1"]
    assert [d["id"] for d in view["danger_statements"]] == ["D1"]
    assert [g["id"] for g in view["safety_goals"]] == ["G1"]
    assert "Rob" not in json.dumps(view["recipient"])
    assert "2 Father Road" not in _text(view)


def test_a_withheld_address_never_appears_not_even_to_its_owner_in_a_letter():
    view, _ = document_view(small_case(), recipient_id="P1")
    assert "address" not in view["recipient"]
    assert "1 Mother Street" not in _text(view)
    view, _ = document_view(small_case(), shares_as=["conference"])
    assert "1 Mother Street" not in _text(view)
    assert "2 Father Road" in _text(view)  # not withheld, not a letter


def test_the_childs_words_go_only_where_she_agreed():
    to_rob, _ = document_view(small_case(), recipient_id="P2")
    assert "AMY-SECRET-WORDS" not in _text(to_rob)
    to_dana, _ = document_view(small_case(), recipient_id="P1")
    assert "AMY-SECRET-WORDS" in _text(to_dana)
    network, _ = document_view(small_case(), shares_as=["network"])
    assert "AMY-SECRET-WORDS" not in _text(network)
    assert {"child": "Amy Stone", "shared_with": "the conference"} in network["voice_withheld"]
    conference, _ = document_view(small_case(), shares_as=["conference"])
    assert "AMY-SECRET-WORDS" in _text(conference)
    assert conference["voice_withheld"] == []


def test_a_childs_own_score_is_withheld_with_her_words():
    network, _ = document_view(small_case(), shares_as=["network"])
    assert network["child_scales"] == []
    conference, _ = document_view(small_case(), shares_as=["conference"])
    [scale] = conference["child_scales"]
    assert scale["question"] == "How safe do you feel at home?"
    assert scale["child"]["name"] == "Amy Stone"


def test_every_scale_carries_its_question_and_what_0_and_10_mean():
    view, _ = document_view(small_case(), shares_as=["conference"])
    [danger_scale] = view["danger_statements"][0]["scales"]
    assert danger_scale["question"] and danger_scale["zero_means"] and danger_scale["ten_means"]
    assert view["danger_statements"][0]["goals"][0]["id"] == "G1"
    assert view["danger_statements"][1]["number"] == 2


def test_the_documents_meeting_and_the_conference_before_it():
    view, _ = document_view(small_case(date="2026-09-20", meeting_id="M-RCPC"))
    assert view["meeting"]["id"] == "M-RCPC"
    assert view["previous_conference"]["id"] == "M-ICPC"
    assert [m["id"] for m in view["meetings"]] == ["M-ICPC", "M-RCPC"]
    assert view["deadlines"]["report_due"] == "2026-09-17"  # 5 working days before
    assert view["deadlines"]["next_review_due"] == "2027-03-24"


def test_a_recipient_must_hold_parental_responsibility():
    case = small_case()
    case["family_members"][2]["parental_responsibility_for"] = []
    with pytest.raises(InvalidInput) as raised:
        document_view(case, recipient_id="P3")
    assert raised.value.details[0]["path"] == "/document/recipient_id"


def test_references_to_nothing_are_errors_with_their_path():
    case = small_case(meeting_id="M-NONE")
    case["safety_goals"][1]["danger_statement_id"] = "D9"
    case["child_voice"][0]["share_with"] = ["conference", "P9"]
    case["family_members"][1]["parental_responsibility_for"] = ["C7"]
    paths = sorted(p["path"] for p in reference_errors(case))
    assert paths == [
        "/child_voice/0/share_with/1",
        "/document/meeting_id",
        "/family_members/1/parental_responsibility_for/0",
        "/safety_goals/1/danger_statement_id",
    ]
    assert reference_errors(small_case()) == []


def test_key_dates_after_the_document_are_left_out_but_the_review_date_stays():
    case = small_case()
    case["key_dates"] = {
        "referral": "2026-06-02",
        "fgdm_held": "2026-11-12",
        "review": "2027-01-13",
    }
    view, warnings = document_view(case)
    assert view["key_dates"] == {"referral": "2026-06-02", "review": "2027-01-13"}
    assert [w["path"] for w in warnings if w["path"].startswith("/key_dates")] == [
        "/key_dates/fgdm_held"
    ]


def test_next_steps_agreed_after_the_document_are_left_out():
    case = small_case()
    case["next_steps"] = [
        {"action": "Agreed in June", "who": "Sam", "agreed_on": "2026-06-24"},
        {"action": "Agreed later", "who": "Sam", "agreed_on": "2026-11-04"},
    ]
    view, _ = document_view(case)
    assert [s["action"] for s in view["next_steps"]] == ["Agreed in June"]


def test_withheld_words_are_said_once_per_child():
    case = small_case()
    case["child_voice"].append(
        {"child_id": "C1", "own_words": "MORE", "share_with": ["court"], "date": "2026-09-01"}
    )
    view, _ = document_view(case, shares_as=["network"])
    assert view["voice_withheld"] == [
        {"child": "Amy Stone", "shared_with": "the conference and the court"},
        {"child": "Ben Stone", "shared_with": "the conference"},
    ]


def test_a_rule_whose_people_are_all_unknown_names_nobody_without_failing():
    case = small_case()
    case["safety_plan"] = {"rules": [{"rule": "Stay calm.", "who_makes_sure_ids": []}]}
    view, _ = document_view(case)
    assert view["safety_plan"]["rules"][0]["who_makes_sure"] == ""


def test_a_document_for_every_parent_shows_words_only_every_parent_may_read():
    case = small_case()
    case["child_voice"][1]["share_with"] = ["conference", "P1", "P2"]  # Ben: his two parents
    view, _ = document_view(case, shares_as=["parents"])
    # Jay (Amy's father) reads the summary too, and Ben did not agree to that.
    assert view["child_voice"] == []
    case["child_voice"][1]["share_with"] = ["conference", "P1", "P2", "P3"]
    view, _ = document_view(case, shares_as=["parents"])
    assert [v["own_words"] for v in view["child_voice"]] == ["BEN-WORDS"]
    assert view["voice_withheld"] == [{"child": "Amy Stone", "shared_with": "the conference"}]


def test_a_document_for_the_network_and_the_parents_needs_both():
    case = small_case()
    case["child_voice"][1]["share_with"] = ["network"]
    view, _ = document_view(case, shares_as=["network", "parents"])
    assert view["child_voice"] == []
    case["child_voice"][1]["share_with"] = ["network", "P1", "P2", "P3"]
    view, _ = document_view(case, shares_as=["network", "parents"])
    assert [v["own_words"] for v in view["child_voice"]] == ["BEN-WORDS"]


def test_a_score_a_child_gave_follows_their_words():
    case = small_case()
    case["scales"].append(
        {"about": "danger_statement", "danger_statement_id": "D1", "rater": "Amy Stone",
         "child_id": "C1", "rater_kind": "child", "score": 2, "reason": "AMY-SCORE-REASON",
         "date": "2026-09-15"}
    )  # fmt: skip
    to_rob, _ = document_view(case, recipient_id="P3")  # Jay: Amy's words not shared with him
    assert "AMY-SCORE-REASON" not in json.dumps(to_rob)
    to_dana, _ = document_view(case, recipient_id="P1")
    assert "AMY-SCORE-REASON" in json.dumps(to_dana)


def test_family_documents_show_no_adults_address_and_no_child_address():
    case = small_case()
    case["children"][0]["address"] = "1 Mother Street, Town, AB1 1AA"
    family, _ = document_view(case, family=True)
    text = json.dumps(family)
    assert "2 Father Road" not in text and "Mother Street" not in text
    assert "07700 900001" not in text  # the phone of someone whose address is withheld
    professional, _ = document_view(case)
    assert "2 Father Road" in json.dumps(professional)


def test_a_letter_keeps_only_its_recipients_own_view_and_announces_the_review_bare():
    case = small_case()
    case["views"] = {"parents": [
        {"who": "Dana", "view": "DANA-VIEW", "family_member_id": "P1"},
        {"who": "Rob", "view": "ROB-VIEW", "family_member_id": "P2"},
    ]}  # fmt: skip
    case["meetings"].append(
        {"id": "M-PPR", "type": "pre_proceedings_review", "date": "2027-01-27",
         "agreed": ["LATER-AGREEMENT"]}
    )  # fmt: skip
    case["plo"] = {"review_meeting_id": "M-PPR"}
    view, _ = document_view(case, recipient_id="P2")
    text = json.dumps(view)
    assert "ROB-VIEW" in text and "DANA-VIEW" not in text
    assert view["plo"]["review_meeting"]["date"] == "2027-01-27"
    assert "LATER-AGREEMENT" not in json.dumps(view["plo"])


def test_scores_from_before_the_referral_belong_to_an_earlier_involvement():
    case = small_case()
    case["key_dates"] = {"referral": "2026-06-02"}
    case["scales"].append(
        {"about": "case_closure", "rater": "Early help worker", "score": 5, "date": "2023-03-06"}
    )
    view, _ = document_view(case)
    assert "Early help worker" not in [s["rater"] for s in view["scales"]]
    case["document"]["date"] = "2023-03-06"  # the early help plan itself keeps its score
    early, _ = document_view(case)
    assert [s["rater"] for s in early["case_scales"]] == ["Early help worker"]
