"""flask compare and flask coverage act as a user and see only what that user may."""

import csv
import io

from factories import make_version


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
    north, south = "Northshire", "Southborough"  # as the page names them
    # Two authorities' choices, not a deletion: no "removed" across authorities.
    assert f"Sections: 2 alike, 0 paired with different wording, 2 only in {north}, " in (
        result.output
    )
    assert f"0 only in {south}" in result.output
    assert f"only in {north}: Review | -" in result.output
    assert "removed" not in result.output and "added" not in result.output
    result = runner.invoke(args=[*args, "--json"])
    assert '"status": "only_left"' in result.output
    result = runner.invoke(
        args=["compare", "1", str(hidden.document_id), "--as", "manager@north.example"]
    )
    assert result.exit_code == 1 and "does not exist" in result.output
    result = runner.invoke(args=["compare", "1", "2", "--as", "nobody@example.org"])
    assert result.exit_code == 1 and "No active user" in result.output


def test_compare_command_takes_pairs_a_manager_chose(
    users, runner, make_document, md, base_sections
):
    left = make_document(users["editor"], data=md(base_sections), filename="a.md")
    right = make_document(users["south_editor"], data=md(base_sections[:2]), filename="b.md")
    args = ["compare", str(left.document_id), str(right.document_id)]
    args += ["--as", "manager@north.example"]
    north = "Northshire"
    result = runner.invoke(args=[*args, "--pairs", "1:-,3:1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first, third = base_sections[0][0], base_sections[2][0]
    assert any(line.strip().startswith(f"only in {north}: {first} | -") for line in lines)
    assert any(f": {third} | {first}" in line for line in lines)
    result = runner.invoke(args=[*args, "--json", "--pairs", "1:-"])
    assert '"pairs": [\n    [\n      1,\n      null' in result.output
    result = runner.invoke(args=[*args, "--pairs", "9:1"])
    assert result.exit_code == 1 and "section 9" in result.output.lower()


def test_two_documents_of_one_authority_are_told_apart_by_title(
    users, runner, make_document, md, base_sections
):
    left = make_document(
        users["editor"], title="Old guide", data=md(base_sections), filename="a.md"
    )
    right = make_document(
        users["editor"], title="New guide", data=md(base_sections[:2]), filename="b.md"
    )
    args = ["compare", str(left.document_id), str(right.document_id)]
    result = runner.invoke(args=[*args, "--as", "manager@north.example"])
    assert result.exit_code == 0, result.output
    assert "2 only in Old guide, 0 only in New guide" in result.output
    assert "only in Old guide: Review | -" in result.output


def test_comparing_versions_keeps_added_and_removed(
    users, runner, make_document, md, base_sections
):
    doc = make_document(users["editor"], data=md(base_sections), filename="a.md")
    make_version(users["editor"], doc.document_id, md(base_sections[:3]), "a.md")
    args = ["compare", f"{doc.document_id}@1", f"{doc.document_id}@2"]
    args += ["--as", "manager@north.example"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Sections: 3 same, 0 changed, 0 added, 1 removed, 0 moved" in result.output
    assert "only_left  Review | -" in result.output
    # Versions are paired by heading; pairs chosen by hand are refused, plainly.
    result = runner.invoke(args=[*args, "--pairs", "1:1"])
    assert result.exit_code == 1 and "Two versions of one document" in result.output


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
