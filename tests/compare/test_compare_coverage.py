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
