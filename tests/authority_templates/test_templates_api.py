"""Authorities' templates through the API and the CLI."""

import io
import json

from blob_helpers import stored_digests
from docx import Document
from docx_builder import make_docx
from sqlalchemy import func, select

from clearinghouse.extensions import db
from clearinghouse.models import Template, TemplateVersion

from .test_templates_service import good_template


def _upload(client, headers, data, **fields):
    form = {"doc_type": "test-letter", "title": "API letter", "visibility": "shared", **fields}
    form["file"] = (io.BytesIO(data), "letter.docx")
    return client.post("/api/v1/templates", data=form, headers=headers)


def test_upload_answers_201_with_the_report(gen_app, users, client, api_headers):
    response = _upload(client, api_headers(users["editor"]), good_template())
    assert response.status_code == 201
    body = response.get_json()
    assert body["report"]["errors"] == []
    assert body["version"]["number"] == 1 and body["version"]["status"] == "draft"
    assert body["template"]["doc_type"] == "test-letter"


def test_upload_with_errors_answers_422_with_the_report_and_keeps_a_draft(
    gen_app, users, client, api_headers
):
    headers = api_headers(users["editor"])
    response = _upload(client, headers, make_docx(["{{ parent_name }}"]))
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"]["code"] == "template_has_errors"
    assert body["report"]["errors"][0]["code"] == "unknown_field"
    slug = body["template"]["slug"]
    publish = client.post(f"/api/v1/templates/{slug}/versions/1/publish", headers=headers)
    assert publish.status_code == 422
    assert publish.get_json()["error"]["code"] == "template_has_errors"


def test_upload_refusals(gen_app, users, client, api_headers):
    response = client.post(
        "/api/v1/templates", data={"title": "x"}, headers=api_headers(users["editor"])
    )
    assert response.status_code == 422
    assert {d["path"] for d in response.get_json()["error"]["details"]} == {"file", "doc_type"}
    response = _upload(client, api_headers(users["practitioner"]), good_template())
    assert response.status_code == 403
    response = _upload(client, api_headers(users["editor"]), good_template(), doc_type="zzz")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_doc_type"
    assert db.session.scalar(select(func.count()).select_from(Template)) == 0


def test_check_stores_nothing(gen_app, users, client, api_headers, app):
    response = client.post(
        "/api/v1/templates/check",
        data={"doc_type": "test-letter", "file": (io.BytesIO(good_template()), "t.docx")},
        headers=api_headers(users["practitioner"]),
    )
    assert response.status_code == 200
    assert response.get_json()["report"]["errors"] == []
    assert db.session.scalar(select(func.count()).select_from(TemplateVersion)) == 0
    assert stored_digests() == []


def test_published_templates_are_listed_and_render(gen_app, users, client, api_headers):
    editor_headers = api_headers(users["editor"])
    slug = _upload(client, editor_headers, good_template()).get_json()["template"]["slug"]
    practitioner = api_headers(users["practitioner"])
    listed = client.get("/api/v1/templates", headers=practitioner).get_json()["templates"]
    assert slug not in {t["slug"] for t in listed}
    # the owning editors can try a draft out
    listed = client.get("/api/v1/templates", headers=editor_headers).get_json()["templates"]
    assert slug in {t["slug"] for t in listed}
    assert (
        client.post(
            f"/api/v1/templates/{slug}/versions/1/publish", headers=editor_headers
        ).status_code
        == 200
    )
    for headers in (practitioner, api_headers(users["south_practitioner"])):
        listed = client.get("/api/v1/templates", headers=headers).get_json()["templates"]
        mine = [t for t in listed if t["slug"] == slug]
        assert mine and mine[0]["source"] == "authority" and mine[0]["authority"] == "north"
    sample = client.get(f"/api/v1/templates/{slug}/sample", headers=practitioner).get_json()
    response = client.post(f"/api/v1/templates/{slug}/render", json=sample, headers=practitioner)
    assert response.status_code == 200, response.get_data(as_text=True)
    document = Document(io.BytesIO(response.data))
    assert document.paragraphs[0].text == "Dear family of Amara Okafor"
    assert document.sections[0].header.paragraphs[0].text == "Northshire letterhead"


def test_versions_choice_and_recheck_endpoints(gen_app, users, client, api_headers):
    headers = api_headers(users["editor"])
    slug = _upload(client, headers, good_template()).get_json()["template"]["slug"]
    response = client.post(
        f"/api/v1/templates/{slug}/versions",
        data={"change_note": "Second", "file": (io.BytesIO(good_template(title="T")), "b.docx")},
        headers=headers,
    )
    assert response.status_code == 201
    assert response.get_json()["version"]["number"] == 2
    versions = client.get(f"/api/v1/templates/{slug}/versions", headers=headers).get_json()
    assert [v["number"] for v in versions["versions"]] == [1, 2]
    assert (
        client.post(f"/api/v1/templates/{slug}/versions/2/check", headers=headers).status_code
        == 200
    )
    client.post(f"/api/v1/templates/{slug}/versions/2/publish", headers=headers)
    practitioner = api_headers(users["practitioner"])
    choices = client.get("/api/v1/template-choices/test-letter", headers=practitioner).get_json()
    assert choices["choice"] == "library"
    assert [o["choice"] for o in choices["options"]] == ["library", slug]
    saved = client.put(
        "/api/v1/template-choices/test-letter", json={"choice": slug}, headers=practitioner
    )
    assert saved.get_json()["choice"] == slug
    bad = client.put(
        "/api/v1/template-choices/test-letter", json={"choice": "x"}, headers=practitioner
    )
    assert bad.status_code == 422
    bad = client.put(
        "/api/v1/template-choices/test-letter",
        data="{nope",
        headers=practitioner,
        content_type="application/json",
    )
    assert bad.status_code == 400
    spec = client.get("/api/v1/openapi.json", headers=practitioner).get_json()
    assert "/templates/check" in spec["paths"] and "/template-choices/{doc_type}" in spec["paths"]


def test_cli_check_template(gen_app, runner, tmp_path):
    good = tmp_path / "good.docx"
    good.write_bytes(good_template())
    result = runner.invoke(args=["check-template", str(good), "--doc-type", "test-letter"])
    assert result.exit_code == 0, result.output
    assert "Errors: 0" in result.output and "does not use 'scales'" in result.output
    bad = tmp_path / "bad.docx"
    bad.write_bytes(make_docx(["Fine", "Dear {% if x %}"]))
    result = runner.invoke(args=["check-template", str(bad), "--doc-type", "test-letter"])
    assert result.exit_code == 1
    assert 'near: "Dear {% if x %}"' in result.output
    result = runner.invoke(args=["check-template", str(bad), "--doc-type", "test-letter", "--json"])
    assert json.loads(result.output)["errors"][0]["code"] == "syntax_error"
    result = runner.invoke(args=["check-template", str(good), "--doc-type", "nope"])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_cli_render_file(app, runner, tmp_path):
    template = tmp_path / "t.docx"
    template.write_bytes(make_docx(["Hello {{ name }} {{ when|long_date }}"]))
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"name": "{{ 7*7 }}", "when": "2026-03-05"}))
    out = tmp_path / "out.docx"
    result = runner.invoke(args=["render-file", str(template), str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Document(str(out)).paragraphs[0].text == "Hello {{ 7*7 }} 5 March 2026"
    broken = tmp_path / "broken.docx"
    broken.write_bytes(make_docx(["Hi", "Bad {{ name.__class__ }}"]))
    result = runner.invoke(args=["render-file", str(broken), str(data), "-o", str(out)])
    assert result.exit_code == 1
    assert "Bad {{ name.__class__ }}" in result.output and "Traceback" not in result.output
    (tmp_path / "bad.json").write_text("{not json")
    result = runner.invoke(
        args=["render-file", str(template), str(tmp_path / "bad.json"), "-o", str(out)]
    )
    assert result.exit_code == 1 and "not valid JSON" in result.output
    result = runner.invoke(
        args=["render-file", str(tmp_path / "none.docx"), str(data), "-o", str(out)]
    )
    assert result.exit_code == 1 and "Cannot read" in result.output
