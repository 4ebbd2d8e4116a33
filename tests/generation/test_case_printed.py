"""The language checks read what a document prints, not the whole case."""

from clearinghouse.generation.case_printed import printed_case, reads_visits
from generation.case_v2 import small_case


def test_only_text_the_template_reads_is_kept():
    case = small_case(meeting_id="M-PPM")
    case["meetings"][0]["significant_harm_analysis"] = "Significant harm analysis, never printed."
    case["meetings"][2]["purpose"] = "A meeting to agree a plan."
    paths = frozenset(
        {"meeting", "meeting.purpose", "danger_statements", "danger_statements[].worried_about"}
    )
    printed = printed_case(case, paths)
    assert printed["meetings"] == [{"purpose": "A meeting to agree a plan."}]
    assert [d["worried_about"] for d in printed["danger_statements"]] == [
        d["worried_about"] for d in case["danger_statements"]
    ]
    assert "harm" not in printed and "children" not in printed


def test_a_part_read_whole_keeps_all_its_text_and_codes_are_never_text():
    case = small_case()
    printed = printed_case(case, frozenset({"case_scales", "scales"}))
    assert "about" not in str(printed)  # a code, not words the family reads
    assert [s["rater"] for s in printed["scales"]] == ["Sam", "Sam", "Amy Stone"]


def test_the_recipient_is_read_as_recipient():
    case = small_case(recipient_id="P2")
    printed = printed_case(case, frozenset({"recipient", "recipient.name"}))
    assert printed["family_members"] == [{"name": "Rob Hill"}]


def test_visits_are_checked_only_where_the_document_shows_them():
    assert reads_visits(frozenset({"children[].seen", "children[].seen[].date"}))
    assert not reads_visits(frozenset({"children", "children[].name"}))


def test_the_documents_own_meeting_is_read_as_meeting():
    case = small_case(meeting_id="M-RCPC")
    case["meetings"][1]["decisions"] = [{"child_id": "C1", "reasons": "Emotional abuse."}]
    paths = frozenset({"meeting", "meeting.decisions", "meeting.decisions[].reasons"})
    printed = printed_case(case, paths)
    assert printed["meetings"] == [{"decisions": [{"reasons": "Emotional abuse."}]}]
