"""Case data is never stored or logged: a sentinel rendered through the web form, the API and
the CLI (valid and invalid) appears nowhere in the instance folder, the database or the logs."""

import json
import logging
from pathlib import Path

from database_text import database_in_instance_folder, database_text
from werkzeug.datastructures import MultiDict

from clearinghouse.extensions import db
from clearinghouse.generation import library
from clearinghouse.generation.schema_form import SchemaForm
from clearinghouse.models import AuditEvent

from .conftest import sample_case
from .helpers import docx_text, form_fields

SENTINEL = "Zqx7Sentinel4Vw"


def _case() -> dict:
    case = sample_case()
    case["children"][0]["name"] = f"{SENTINEL} Child"
    case["danger_statements"][0]["worried_about"] = f"Worry about {SENTINEL} at home."
    return case


def _bad_case() -> dict:
    case = _case()
    case["children"][0]["date_of_birth"] = SENTINEL
    case["scales"][0]["score"] = SENTINEL
    return case


def _instance_bytes(app) -> list[tuple[Path, bytes]]:
    root = Path(app.instance_path)
    return [(p, p.read_bytes()) for p in root.rglob("*") if p.is_file()]


def test_sentinel_is_never_stored_or_logged(gen_app, users, login, api_headers, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    user = users["practitioner"]
    seen_in_output = []

    # Web form: preview, a refused preview, upload review and download.
    client = login(user)
    form = SchemaForm(library.form_schema("test-letter"), None)
    posted = MultiDict(form_fields(form.fields(_case())))
    posted["action"] = "preview"
    preview = client.post("/generate/test-letter", data=posted)
    assert preview.status_code == 200
    seen_in_output.append(SENTINEL in preview.get_data(as_text=True))
    bad = MultiDict(form_fields(form.fields(_bad_case())))
    bad["action"] = "preview"
    assert client.post("/generate/test-letter", data=bad).status_code == 400
    download = client.post(
        "/generate/test-letter/download", data={"case_json": json.dumps(_case())}
    )
    seen_in_output.append(SENTINEL in docx_text(download.data))

    # API: docx, html, warnings body, invalid data.
    headers = api_headers(user)
    for query in ("", "?format=html", "?warnings=1"):
        response = client.post(
            f"/api/v1/templates/test-letter/render{query}", json=_case(), headers=headers
        )
        assert response.status_code == 200
    response = client.post(
        "/api/v1/templates/test-letter/render", json=_bad_case(), headers=headers
    )
    assert response.status_code == 422
    assert SENTINEL not in response.get_data(as_text=True)  # messages never echo values

    # CLI: a document written outside the instance folder, and a refused case.
    runner = gen_app.test_cli_runner()
    case_dir = tmp_path / "outside"
    case_dir.mkdir()
    (case_dir / "case.json").write_text(json.dumps(_case()))
    (case_dir / "bad.json").write_text(json.dumps(_bad_case()))
    out = case_dir / "out.docx"
    result = runner.invoke(
        args=["render", "test-letter", str(case_dir / "case.json"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    seen_in_output.append(SENTINEL in docx_text(out.read_bytes()))
    result = runner.invoke(
        args=["render", "test-letter", str(case_dir / "bad.json"), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert SENTINEL not in result.output

    assert seen_in_output == [True, True, True]  # the sentinel did reach every document
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    needle = SENTINEL.encode()
    files = _instance_bytes(gen_app)
    if database_in_instance_folder(db.engine):  # SQLite: the scan covers the database file
        assert any(p.name.startswith("clearinghouse.sqlite3") for p, _ in files)
    assert [str(p) for p, data in files if needle in data] == []
    dump = database_text(db.engine)  # on PostgreSQL, the database is only checked here
    assert "document_generated" in dump and SENTINEL not in dump
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "document_generated")
    ).all()
    assert len(events) == 6  # preview, download, three API renders and the CLI
    assert all(len(e.detail["output_sha256"]) == 64 for e in events)
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)
    assert "document generated from test-letter" in logged  # the logs were captured
    assert SENTINEL not in logged
    assert SENTINEL not in caplog.text
