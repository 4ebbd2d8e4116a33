"""Alignment by meaning: the issue's example, why each pair paired, and pairs a person fixes."""

from pathlib import Path

import numpy as np
import pytest
from factories import make_version

from clearinghouse.compare import service
from clearinghouse.compare.align_meaning import align_by_meaning, assign
from clearinghouse.compare.pairs import check_pairs, pairs_text, parse_pairs
from clearinghouse.compare.purpose import heading_purpose, section_purpose
from clearinghouse.documents.extract import extract
from clearinghouse.errors import InvalidInput

FORMS = Path(__file__).resolve().parents[2] / "policies"
ASHDOWN = FORMS / "ashdown" / "forms" / "plo-letter-before-proceedings-v2.docx"
FERNMOUTH = FORMS / "fernmouth" / "forms" / "plo-letter-before-proceedings.docx"


def _sections(path):
    return extract(path.read_bytes(), ".docx").sections


def _heading(sections, index):
    return None if index is None else sections[index]["heading"]


def _by_heading(rows, left, right):
    return {(_heading(left, r.left), _heading(right, r.right)): r for r in rows}


def test_the_issue_example_pairs_as_a_practitioner_would():
    left, right = _sections(ASHDOWN), _sections(FERNMOUTH)
    rows = _by_heading(align_by_meaning(left, right), left, right)
    for pair in [
        ("What we are worried about", "Our worries"),
        ("What needs to happen", "What must change"),
        ("Getting legal advice", "Free legal advice"),
        ("Why we are writing to you", "We are thinking about going to court"),
        ("Meeting", "Your meeting"),
    ]:
        assert pair in rows, pair
    assert ("Contact details", "Free legal advice") not in rows
    assert ("Contact details", None) in rows and ("Family network meeting", None) in rows
    worries = rows[("What we are worried about", "Our worries")]
    assert worries.purpose == "worries"
    assert "same purpose: What we are worried about" in worries.why
    assert 0 < worries.score <= 1 and not worries.fixed


def test_headings_name_their_purpose():
    assert heading_purpose("Our worries about [child's name]") == "worries"
    assert heading_purpose("What must change and by when") == "goals"
    assert heading_purpose("Recording the meeting") == "recording"
    assert heading_purpose("Parents' views") == "views"
    assert heading_purpose("Danger statement(s) read out") == "worries.danger"
    assert heading_purpose("Appendix") is None
    assert section_purpose({"heading": None, "text": "Do not ignore"}, 0).slug == "opening"
    body = "Danger statements: the danger statement says who is worried. Each danger statement."
    assert section_purpose({"heading": "Part two", "text": body}, 3).slug == "worries.danger"
    assert section_purpose({"heading": "Part two", "text": body}, 3).confidence < 1


def test_one_assignment_beats_pairing_greedily():
    # Greedy takes the best pair (0, 0) first and leaves 1 with nothing worth pairing;
    # the assignment gives up a little on 0 to pair both.
    total = np.array([[0.9, 0.8], [0.7, 0.1]])
    assert assign(total, {}) == {0: 1, 1: 0}
    assert assign(total, {0: 0}) == {0: 0}  # fixed first; 1 has nothing left above threshold
    assert assign(total, {1: None}) == {0: 0}
    assert assign(np.zeros((0, 3)), {}) == {}


def test_fixed_pairs_hold_and_the_rest_pairs_around_them():
    left, right = _sections(ASHDOWN), _sections(FERNMOUTH)
    contact = next(i for i, s in enumerate(left) if s["heading"] == "Contact details")
    legal = next(i for i, s in enumerate(left) if s["heading"] == "Getting legal advice")
    free = next(j for j, s in enumerate(right) if s["heading"] == "Free legal advice")
    rows = align_by_meaning(left, right, {contact: free, legal: None})
    pairs = {(r.left, r.right): r for r in rows}
    assert pairs[(contact, free)].fixed and pairs[(legal, None)].fixed
    assert (legal, free) not in pairs
    worries = next(r for r in rows if r.left is not None and left[r.left]["heading"] == "Meeting")
    assert right[worries.right]["heading"] == "Your meeting" and not worries.fixed
    assert sorted(r.left for r in rows if r.left is not None) == list(range(len(left)))
    assert sorted(r.right for r in rows if r.right is not None) == list(range(len(right)))


def test_parse_pairs():
    assert parse_pairs(None) == parse_pairs("  ") == []
    assert parse_pairs("3:5,4:-") == [(3, 5), (4, None)]
    assert parse_pairs(" 3 : 5 , 4:- ,") == [(3, 5), (4, None)]
    assert pairs_text([(3, 5), (4, None)]) == "3:5,4:-"
    bad = {
        "3-5": "“3-5” is not a pair of section numbers",
        "a:b": "is not a pair",
        "3:5:6": "is not a pair",
        "0:2": "sections are counted from 1",
        "2:0": "sections are counted from 1",
        "3:5,3:6": "Left section 3 is given twice",
        "3:5,4:5": "Right section 5 is paired twice",
        ",".join(f"{n}:-" for n in range(1, 502)): "too many pairs",
        "9" * 5001: "too many pairs",
    }
    for text, message in bad.items():
        with pytest.raises(InvalidInput) as exc:
            parse_pairs(text)
        assert (exc.value.code, exc.value.status) == ("invalid_pairs", 422)
        assert message in exc.value.message, text
        assert exc.value.details == [{"path": "pairs", "message": exc.value.message}]


def test_check_pairs_against_the_documents():
    assert check_pairs([(3, 5), (4, None)], 4, 5) == {2: 4, 3: None}
    for pairs, message in [
        ([(5, 1)], "There is no left section 5: the left document has 4 sections."),
        ([(1, 6)], "There is no right section 6: the right document has 5 sections."),
        ([(1, 1), (1, 2)], "A section is paired twice"),
    ]:
        with pytest.raises(InvalidInput) as exc:
            check_pairs(pairs, 4, 5)
        assert message in exc.value.message


@pytest.fixture
def letters(users, make_document):
    """Upload Ashdown's and Fernmouth's demo letters before proceedings as north and south."""
    north = make_document(
        users["editor"], title="Letter before proceedings", data=ASHDOWN.read_bytes()
    )
    south = make_document(
        users["south_editor"], title="Letter before proceedings", data=FERNMOUTH.read_bytes()
    )
    return north.document_id, south.document_id


def test_api_compare_by_meaning_with_pairs(users, api_headers, client, letters):
    north, south = letters
    headers = api_headers(users["manager"])
    body = client.get(f"/api/v1/compare?left={north}&right={south}", headers=headers).get_json()
    rows = {(r["left"], r["right"]): r for r in body["sections"]}
    worries = rows[("What we are worried about", "Our worries")]
    assert set(worries) == {
        *("left", "right", "status", "changes", "purpose", "purpose_label", "similarity"),
        *("why", "left_index", "right_index", "fixed"),
    }
    assert (worries["purpose"], worries["purpose_label"]) == (
        "worries",
        "What we are worried about",
    )
    assert (worries["left_index"], worries["right_index"]) == (4, 4)
    assert "same purpose: What we are worried about" in worries["why"]
    assert rows[("Contact details", None)]["right_index"] is None

    url = f"/api/v1/compare?left={north}&right={south}&pairs=10:7,8:-"
    body = client.get(url, headers=headers).get_json()
    rows = {(r["left_index"], r["right_index"]): r for r in body["sections"]}
    assert rows[(10, 7)]["right"] == "Free legal advice" and rows[(10, 7)]["fixed"]
    assert rows[(8, None)]["status"] == "only_left" and rows[(8, None)]["fixed"]
    assert rows[(4, 4)]["fixed"] is False

    for pairs, status in [("10-7", 422), ("11:1", 422), ("1:8", 422), ("1:2,2:2", 422)]:
        response = client.get(
            f"/api/v1/compare?left={north}&right={south}&pairs={pairs}", headers=headers
        )
        assert response.status_code == status, pairs
        error = response.get_json()["error"]
        assert error["code"] == "invalid_pairs" and error["message"], pairs


def test_versions_of_one_document_compare_as_before(users, make_document, md, base_sections):
    doc = make_document(users["editor"], data=md(base_sections), filename="a.md")
    make_version(users["editor"], doc.document_id, md(base_sections[1:]), "a.md", "Shorter")
    result = service.documents_compare(
        users["manager"], f"{doc.document_id}@1", f"{doc.document_id}@2"
    )
    assert result["aligned_by"] == "versions" and result["pairs"] == []
    assert all("why" not in row and "purpose" not in row for row in result["sections"])
    with pytest.raises(InvalidInput) as exc:
        service.documents_compare(
            users["manager"], f"{doc.document_id}@1", f"{doc.document_id}@2", pairs="1:1"
        )
    assert exc.value.code == "invalid_pairs" and "two different documents" in exc.value.message


def test_service_takes_pairs_as_text_or_list(users, letters):
    north, south = letters
    as_list = service.documents_compare(users["manager"], str(north), str(south), [(10, 7)])
    as_text = service.documents_compare(users["manager"], str(north), str(south), "10:7")
    assert as_list["sections"] == as_text["sections"] and as_list["pairs"] == [[10, 7]]
    assert as_list["aligned_by"] == "meaning"


def test_table_rows_by_purpose_show_gaps(users, make_document, md, letters):
    north, south = letters
    guide = make_document(
        users["editor"],
        title="PLO guide",
        filename="g.md",
        data=md(
            [
                ("Our worries", ["The danger statements say who is worried and why."]),
                ("Appendix", ["Forms and templates are on the intranet."]),
            ]
        ),
    )
    table = service.documents_table(
        users["manager"], [str(north), str(south), str(guide.document_id)]
    )
    rows = {row["purpose"]: row for row in table["purposes"]}
    worries = rows["worries"]
    assert worries["label"] == "What we are worried about" and worries["covered_by"] == 3
    assert [cell["heading"] for cell in worries["cells"]] == [
        "What we are worried about",
        "Our worries",
        "Our worries",
    ]
    assert worries["cells"][2]["section"] == 1 and worries["cells"][2]["first_words"].startswith(
        "The danger statements"
    )
    legal = rows["legal-advice"]
    assert legal["gap"] and legal["cells"][2] is None and legal["covered_by"] == 2
    assert rows["scaling"]["covered_by"] == 0  # a purpose no document has is still a row
    other = table["purposes"][-1]
    assert other["purpose"] is None and other["cells"][2]["heading"] == "Appendix"
    assert table["rows"]  # the table by heading stays


def test_documents_too_long_to_score_pair_by_heading_keeping_fixed_pairs(monkeypatch):
    from clearinghouse.compare import align_meaning

    monkeypatch.setattr(align_meaning, "MAX_PAIRS", 4)
    left = [{"heading": h, "text": "x"} for h in ("Worries", "Strengths", "Goals")]
    right = [{"heading": h, "text": "y"} for h in ("Goals", "Concerns", "Worries")]
    rows = {(r.left, r.right): r for r in align_by_meaning(left, right, {1: 1})}
    assert rows[(1, 1)].fixed and rows[(2, 0)].why == ("similar words",)
    assert rows[(0, 2)].score == 1.0 and not rows[(0, 2)].fixed


def test_the_table_borrows_purposes_only_within_a_bound(monkeypatch):
    from clearinghouse.compare import purpose_table

    def nameless(count: int, tag: str) -> list[dict]:
        return [{"heading": f"{tag} part {i}", "text": f"{tag} words {i}"} for i in range(count)]

    documents = [nameless(30, t) for t in ("north", "south", "east")]
    calls = []
    real = purpose_table.align_by_meaning
    monkeypatch.setattr(
        purpose_table, "align_by_meaning", lambda a, b: calls.append(1) or real(a, b)
    )
    purpose_table.purpose_rows(documents)
    assert len(calls) == 3  # 3 x 30 x 30 pairs of sections: within the bound
    calls.clear()
    monkeypatch.setattr(purpose_table, "MAX_BORROW_PAIRS", 2 * 30 * 30)
    rows = purpose_table.purpose_rows(documents)
    assert calls == []  # beyond it: nothing borrowed, sections keep no purpose
    assert rows[-1]["label"] == purpose_table.OTHER_LABEL
