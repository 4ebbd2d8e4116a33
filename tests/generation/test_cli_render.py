"""flask render SLUG CASE.json -o OUT.docx: writes the document, audits it, fails clearly."""

import json

from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent

from .conftest import sample_case
from .helpers import docx_text


def _case_file(tmp_path, case) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case) if not isinstance(case, str) else case)
    return str(path)


def test_render_writes_docx_and_audits(gen_app, runner, users, tmp_path):
    out = tmp_path / "out.docx"
    result = runner.invoke(
        args=["render", "test-letter", _case_file(tmp_path, sample_case()), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Letter about Amara Okafor" in docx_text(out.read_bytes())
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "document_generated")
    ).one()
    assert event.user_id is None and event.detail["actor"] == "system"
    assert event.detail["output_sha256"] in result.output


def test_render_as_a_user(gen_app, runner, users, tmp_path):
    out = tmp_path / "out.docx"
    args = ["render", "test-letter", _case_file(tmp_path, sample_case()), "-o", str(out)]
    result = runner.invoke(args=[*args, "--as", "practitioner@north.example"])
    assert result.exit_code == 0, result.output
    refused = runner.invoke(args=[*args, "--as", "admin@example.org"])
    assert refused.exit_code == 1 and "Only practitioners" in refused.output
    unknown = runner.invoke(args=[*args, "--as", "nobody@example.org"])
    assert unknown.exit_code == 1 and "No active user" in unknown.output


def test_warnings_go_to_stderr(gen_app, runner, tmp_path):
    case = sample_case()
    case["next_steps"][0].pop("who")
    out = tmp_path / "out.docx"
    result = runner.invoke(
        args=["render", "test-letter", _case_file(tmp_path, case), "-o", str(out)]
    )
    assert result.exit_code == 0
    assert "Warning: Next step 1 does not say who." in result.stderr


def test_bad_json_is_a_clear_error(gen_app, runner, tmp_path):
    result = runner.invoke(
        args=[
            "render",
            "test-letter",
            _case_file(tmp_path, "{oops"),
            "-o",
            str(tmp_path / "o.docx"),
        ]
    )
    assert result.exit_code == 1
    assert "is not valid JSON (line 1" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o.docx").exists()


def test_invalid_data_lists_problems(gen_app, runner, tmp_path):
    case = sample_case()
    case["children"][0].pop("name")
    result = runner.invoke(
        args=["render", "test-letter", _case_file(tmp_path, case), "-o", str(tmp_path / "o.docx")]
    )
    assert result.exit_code == 1
    assert "/children/0/name: Enter child's name" in result.output


def test_unknown_template_and_missing_file(gen_app, runner, tmp_path):
    result = runner.invoke(args=["render", "nope", _case_file(tmp_path, sample_case())])
    assert result.exit_code == 1 and "does not exist" in result.output
    result = runner.invoke(args=["render", "test-letter", str(tmp_path / "missing.json")])
    assert result.exit_code == 1 and "Cannot read" in result.output
