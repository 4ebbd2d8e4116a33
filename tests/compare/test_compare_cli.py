"""flask compare and flask coverage act as a user and see only what that user may."""

import csv
import io


def test_compare_command(users, runner, make_document, md, base_sections):
    left = make_document(users["editor"], data=md(base_sections), filename="a.md")
    right = make_document(users["south_editor"], data=md(base_sections[:2]), filename="b.md")
    hidden = make_document(users["south_editor"], visibility="internal")
    args = [
        "compare",
        str(left.document_id),
        str(right.document_id),
        "--as",
        "manager@north.example",
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Sections: 2 same, 0 changed, 0 added, 2 removed, 0 moved" in result.output
    assert "only_left  Review | -" in result.output
    result = runner.invoke(args=[*args, "--json"])
    assert '"status": "only_left"' in result.output
    result = runner.invoke(
        args=["compare", "1", str(hidden.document_id), "--as", "manager@north.example"]
    )
    assert result.exit_code == 1 and "does not exist" in result.output
    result = runner.invoke(args=["compare", "1", "2", "--as", "nobody@example.org"])
    assert result.exit_code == 1 and "No active user" in result.output


def test_coverage_command(users, runner, make_document):
    make_document(
        users["south_editor"], title="South secret", doc_type="policy", visibility="internal"
    )
    make_document(users["editor"], title="North policy", doc_type="policy")
    result = runner.invoke(
        args=["coverage", "--as", "manager@north.example", "--stage", "organisational"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    policy = {r["authority"]: r["status"] for r in rows if r["doc_type"] == "policy"}
    assert policy == {"north": "shared", "south": "missing"}
    assert "South secret" not in result.output
    result = runner.invoke(args=["coverage", "--as", "manager@north.example", "--stage", "x"])
    assert result.exit_code == 1 and "practice stage" in result.output
