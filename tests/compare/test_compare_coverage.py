"""Coverage: who has a current shared document of each type; permissions and CSV."""

import csv
import io

import pytest
from factories import make_version

from clearinghouse.compare import coverage
from clearinghouse.documents.service import document_delete
from clearinghouse.errors import InvalidInput


def _cell(matrix, authority, doc_type):
    row = next(r for r in matrix["rows"] if r["authority"] == authority)
    return next(c for c in row["cells"] if c["doc_type"] == doc_type)


@pytest.fixture
def documents(users, make_document):
    north = make_document(
        users["editor"], title="North PLO letter", doc_type="plo-letter-before-proceedings"
    )
    make_version(users["editor"], north.document_id, b"# Letter\n\nv2\n", "l.md", "Second")
    north_internal = make_document(
        users["editor"],
        title="North safety plan draft",
        doc_type="safety-plan",
        visibility="internal",
    )
    south_internal = make_document(
        users["south_editor"], title="South secret policy", doc_type="policy", visibility="internal"
    )
    south_shared = make_document(
        users["south_editor"], title="South PLO letter", doc_type="plo-letter-before-proceedings"
    )
    withdrawn = make_document(users["south_editor"], title="Old CAF", doc_type="caf")
    document_delete(users["south_editor"], withdrawn.document_id)
    return {
        "north": north.document_id,
        "north_internal": north_internal.document_id,
        "south_internal": south_internal.document_id,
        "south_shared": south_shared.document_id,
    }


def test_matrix_counts_shared_documents_and_own_internal_ones(users, documents):
    matrix = coverage.coverage_matrix(users["manager"])
    letter = _cell(matrix, "north", "plo-letter-before-proceedings")
    assert letter["status"] == "shared"
    assert letter["document_id"] == documents["north"]
    assert (letter["latest_version"], letter["version_count"]) == (2, 2)
    assert letter["latest_version_date"]
    assert _cell(matrix, "south", "plo-letter-before-proceedings")["status"] == "shared"
    own_internal = _cell(matrix, "north", "safety-plan")
    assert own_internal["status"] == "internal"
    assert _cell(matrix, "south", "caf")["status"] == "missing"  # withdrawn
    assert matrix["totals"]["plo-letter-before-proceedings"] == 2
    stages = [g["stage"] for g in matrix["stages"]]
    assert stages[0] == "front-door" and "pre-proceedings" in stages


def test_another_authoritys_internal_document_is_never_counted(users, documents):
    for user in (users["manager"], users["admin"], users["practitioner"]):
        matrix = coverage.coverage_matrix(user)
        cell = _cell(matrix, "south", "policy")
        assert cell["status"] == "missing"
        assert cell["documents"] == [] and cell["document_id"] is None
        assert "South secret policy" not in repr(matrix)
    # South sees its own, and north's internal one is hidden from south.
    south = coverage.coverage_matrix(users["south_practitioner"])
    assert _cell(south, "south", "policy")["status"] == "internal"
    assert _cell(south, "north", "safety-plan")["status"] == "missing"
    # An admin belongs to no authority: shared documents only.
    assert _cell(coverage.coverage_matrix(users["admin"]), "north", "safety-plan")["status"] == (
        "missing"
    )


def test_filters(users, documents):
    matrix = coverage.coverage_matrix(users["manager"], stage="pre-proceedings", authority="south")
    assert [g["stage"] for g in matrix["stages"]] == ["pre-proceedings"]
    assert [r["authority"] for r in matrix["rows"]] == ["south"]
    assert {c["doc_type"] for c in matrix["rows"][0]["cells"]} == {
        t["slug"] for t in matrix["stages"][0]["doc_types"]
    }
    for kwargs, code in (
        ({"stage": "nope"}, "unknown_stage"),
        ({"authority": "atlantis"}, "unknown_authority"),
    ):
        with pytest.raises(InvalidInput) as exc:
            coverage.coverage_matrix(users["manager"], **kwargs)
        assert exc.value.code == code


def test_csv_guards_against_formulas(users, make_document):
    make_document(users["editor"], title='=HYPERLINK("http://evil")', doc_type="policy")
    make_document(users["editor"], title="-2+3", doc_type="procedure")
    matrix = coverage.coverage_matrix(users["manager"], authority="north")
    rows = list(csv.DictReader(io.StringIO(coverage.coverage_csv(matrix, lambda i: f"/d/{i}"))))
    by_type = {r["doc_type"]: r for r in rows}
    assert by_type["policy"]["title"] == '\'=HYPERLINK("http://evil")'
    assert by_type["procedure"]["title"] == "'-2+3"
    assert by_type["policy"]["status"] == "shared" and by_type["policy"]["url"].startswith("/d/")
    assert by_type["caf"]["status"] == "missing" and by_type["caf"]["url"] == ""
    assert len(rows) == len(matrix["rows"][0]["cells"])
    assert coverage.csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert coverage.csv_safe("+1") == "'+1"
    assert coverage.csv_safe(-3) == "-3"
    assert coverage.csv_safe("Plain") == "Plain"


def _column(matrix, stage):
    group = next((g for g in matrix["stages"] if g["stage"] == stage), None)
    return {t["slug"]: t for t in group["doc_types"]} if group else {}


def test_documents_are_filed_under_their_own_stage_not_only_their_types(
    users, login, make_document
):
    """A child protection conference procedure is a "procedure" (usually organisational)
    filed by its editor under child protection: coverage shows it there."""
    conference = make_document(
        users["south_editor"],
        title="Child protection conference procedure",
        doc_type="procedure",
        stage="child-protection",
    )
    make_document(users["editor"], title="Complaints procedure", doc_type="procedure")
    matrix = coverage.coverage_matrix(users["manager"])
    assert _column(matrix, "child-protection")["procedure"]["shared"] == 1
    assert _column(matrix, "organisational")["procedure"]["shared"] == 1
    south = next(r for r in matrix["rows"] if r["authority"] == "south")
    filed = {(c["stage"], c["doc_type"]): c for c in south["cells"]}
    assert filed[("child-protection", "procedure")]["document_id"] == conference.document_id
    assert filed[("organisational", "procedure")]["status"] == "missing"
    north = next(r for r in matrix["rows"] if r["authority"] == "north")
    assert {(c["stage"], c["doc_type"]) for c in north["cells"]} == set(filed)
    only_cp = coverage.coverage_matrix(users["manager"], stage="child-protection")
    assert [g["stage"] for g in only_cp["stages"]] == ["child-protection"]
    assert "procedure" in _column(only_cp, "child-protection")
    assert "procedure" not in _column(
        coverage.coverage_matrix(users["manager"], stage="organisational"), "child-protection"
    )
    page = login(users["manager"]).get("/coverage?stage=child-protection").get_data(as_text=True)
    assert "Child protection conference procedure" in page
    rows = list(csv.DictReader(io.StringIO(coverage.coverage_csv(matrix, str))))
    placed = [r for r in rows if r["title"] == "Child protection conference procedure"]
    assert [(r["stage"], r["doc_type"]) for r in placed] == [("child-protection", "procedure")]


def test_a_hidden_document_adds_no_column(users, make_document):
    make_document(
        users["south_editor"],
        title="South internal conference procedure",
        doc_type="procedure",
        stage="child-protection",
        visibility="internal",
    )
    matrix = coverage.coverage_matrix(users["manager"])  # north: may not know it exists
    assert "procedure" not in _column(matrix, "child-protection")


def test_demo_conference_procedures_are_under_child_protection(runner, users):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    matrix = coverage.coverage_matrix(users["manager"])
    procedures = _column(matrix, "child-protection")["procedure"]
    assert procedures["shared"] >= 3
    assert all(
        "conference" not in (c["title"] or "").lower()
        for r in matrix["rows"]
        for c in r["cells"]
        if c["stage"] == "organisational"
    )
