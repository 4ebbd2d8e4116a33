"""Version diffs and cross-authority comparisons through the service, with known edits."""

import pytest
from factories import make_version

from clearinghouse.compare import service
from clearinghouse.documents.service import document_delete
from clearinghouse.errors import InvalidInput, NotFound


def _rows(result):
    return {(r["left"], r["right"]): r for r in result["sections"]}


def _edits(row, op):
    return [c["text"].strip() for c in row["changes"] if c["op"] == op and c["text"].strip()]


def _edited(base):
    """Return base with known edits: a word changed, a section dropped, one added, one moved."""
    sections = [(h, list(p)) for h, p in base]
    sections[0][1][0] = sections[0][1][0].replace("families and workers", "families")
    del sections[2]  # "The meeting" removed
    sections.append(("Ending pre-proceedings", ["Pre-proceedings ends with a decision."]))
    sections.insert(0, sections.pop(2))  # "Review" moved to the front
    return sections


@pytest.mark.parametrize("kind", ["md", "docx"])
def test_version_diff_reports_exactly_the_edits(
    kind, users, make_document, md, docx_bytes, base_sections
):
    def build(sections):
        if kind == "md":
            return md(sections), "guide.md"
        return docx_bytes(sections=sections), "guide.docx"

    data, name = build(base_sections)
    doc = make_document(users["editor"], title="PLO guide", data=data, filename=name)
    data, name = build(_edited(base_sections))
    make_version(users["editor"], doc.document_id, data, name, "Tightened wording")

    result = service.version_diff(users["practitioner"], doc.document_id)
    assert (result["from"]["number"], result["to"]["number"]) == (1, 2)
    rows = _rows(result)
    purpose = rows[("Purpose", "Purpose")]
    assert purpose["status"] == "changed"
    assert _edits(purpose, "delete") == ["and workers"]
    assert _edits(purpose, "insert") == []
    assert rows[("The meeting", None)]["status"] == "only_left"
    assert rows[(None, "Ending pre-proceedings")]["status"] == "only_right"
    review = rows[("Review", "Review")]
    assert review["status"] == "same" and review["moved"]
    assert rows[("The letter before proceedings", "The letter before proceedings")]["status"] == (
        "same"
    )
    unchanged = [r for r in result["sections"] if r["status"] == "same"]
    assert all(c["op"] == "equal" for r in unchanged for c in r["changes"])
    assert result["summary"] == {
        "sections_same": 2,
        "sections_changed": 1,
        "sections_added": 1,
        "sections_removed": 1,
        "sections_moved": 1,
        # "Ending pre-proceedings" heading (2) and body (5)
        "words_added": 7,
        # "and workers" (2), "The meeting" heading (2) and body (12)
        "words_removed": 16,
    }
    assert 0 < result["similarity"] < 1


def test_identical_versions_have_similarity_one(users, make_document, md, base_sections):
    doc = make_document(users["editor"], data=md(base_sections), filename="a.md")
    make_version(users["editor"], doc.document_id, md(base_sections), "a.md", "Same again")
    result = service.version_diff(users["editor"], doc.document_id, "1", "2")
    assert result["similarity"] == 1.0
    assert {r["status"] for r in result["sections"]} == {"same"}
    assert result["summary"]["words_added"] == result["summary"]["words_removed"] == 0


def test_version_diff_parameters(users, make_document, md, base_sections):
    doc = make_document(users["editor"], data=md(base_sections), filename="a.md")
    with pytest.raises(InvalidInput) as exc:
        service.version_diff(users["editor"], doc.document_id)
    assert exc.value.code == "no_earlier_version"
    for bad in ("x", "0", "-1", "99999999999999999999", "1.5"):
        with pytest.raises(InvalidInput) as exc:
            service.version_diff(users["editor"], doc.document_id, bad, "1")
        assert exc.value.code == "invalid_parameter"
    with pytest.raises(NotFound):
        service.version_diff(users["editor"], doc.document_id, "1", "7")
    with pytest.raises(NotFound):
        service.version_diff(users["editor"], 2**40, "1", "2")


def test_compare_across_authorities_pairs_renamed_and_moved(
    users, make_document, md, base_sections
):
    north = make_document(
        users["editor"], title="North PLO", data=md(base_sections), filename="n.md"
    )
    south_sections = [
        base_sections[3],
        ("When we write to parents", base_sections[1][1]),  # renamed, same content
        base_sections[0],
        ("Advocacy", ["Parents can ask for an advocate at any time."]),
    ]
    south = make_document(
        users["south_editor"], title="South PLO", data=md(south_sections), filename="s.md"
    )
    result = service.documents_compare(
        users["manager"], str(north.document_id), f"{south.document_id}@1"
    )
    pairs = {(r["left"], r["right"]): r["status"] for r in result["sections"]}
    assert pairs == {
        ("Purpose", "Purpose"): "same",
        ("The letter before proceedings", "When we write to parents"): "changed",
        ("The meeting", None): "only_left",
        ("Review", "Review"): "same",
        (None, "Advocacy"): "only_right",
    }
    assert result["left"]["authority"] == "north" and result["right"]["authority"] == "south"
    assert 0.5 < result["similarity"] < 1

    same = service.documents_compare(
        users["manager"], str(north.document_id), str(north.document_id)
    )
    assert same["similarity"] == 1.0


def test_nobody_compares_what_they_cannot_see(users, make_document, md, base_sections):
    shared = make_document(users["editor"], data=md(base_sections), filename="a.md")
    hidden = make_document(
        users["south_editor"], visibility="internal", data=md(base_sections), filename="b.md"
    )
    make_version(users["south_editor"], hidden.document_id, md(base_sections), "b.md", "Again")
    manager = users["manager"]
    with pytest.raises(NotFound):
        service.documents_compare(manager, str(shared.document_id), str(hidden.document_id))
    with pytest.raises(NotFound):
        service.version_diff(manager, hidden.document_id, "1", "2")
    with pytest.raises(NotFound):
        service.documents_table(manager, [str(shared.document_id)] * 2 + [str(hidden.document_id)])
    assert hidden.document_id not in {c["id"] for c in service.compare_choices(manager)}
    # Its own authority may compare it.
    assert service.version_diff(users["south_practitioner"], hidden.document_id)["similarity"] == 1
    document_delete(users["editor"], shared.document_id)
    with pytest.raises(NotFound):
        service.documents_compare(users["editor"], str(shared.document_id), "1")


def test_parse_ref():
    assert service.parse_ref("12", "left") == (12, None)
    assert service.parse_ref(" 12@3 ", "left") == (12, 3)
    with pytest.raises(InvalidInput) as exc:
        service.parse_ref("", "left")
    assert (exc.value.code, exc.value.status) == ("missing_parameter", 400)
    for bad in ("abc", "12@", "@3", "12@x", "0", "12@0", "1" * 12, "12;DROP"):
        with pytest.raises(InvalidInput) as exc:
            service.parse_ref(bad, "left")
        assert exc.value.code == "invalid_parameter"


def test_three_way_table_shows_who_covers_what(users, make_document, md, base_sections):
    a = make_document(users["editor"], title="A", data=md(base_sections), filename="a.md")
    b_sections = [base_sections[0], base_sections[1], ("Advocacy", ["Ask for an advocate."])]
    b = make_document(users["south_editor"], title="B", data=md(b_sections), filename="b.md")
    c_sections = [
        (base_sections[0][0], ["A different purpose statement entirely about something else."]),
        ("Advocacy", ["Ask for an advocate."]),
    ]
    c = make_document(users["editor"], title="C", data=md(c_sections), filename="c.md")
    table = service.documents_table(
        users["manager"], [str(a.document_id), str(b.document_id), str(c.document_id)]
    )
    assert [d["title"] for d in table["documents"]] == ["A", "B", "C"]
    grid = {r["heading"]: [cell["status"] for cell in r["cells"]] for r in table["rows"]}
    assert grid == {
        "Purpose": ["same", "same", "changed"],
        "The letter before proceedings": ["same", "same", "missing"],
        "The meeting": ["same", "missing", "missing"],
        "Review": ["same", "missing", "missing"],
        "Advocacy": ["missing", "same", "same"],
    }
    covered = {r["heading"]: r["covered_by"] for r in table["rows"]}
    assert covered["Advocacy"] == 2 and covered["Purpose"] == 3
    with pytest.raises(InvalidInput) as exc:
        service.documents_table(users["manager"], [str(a.document_id)])
    assert exc.value.code == "invalid_document_count"
