"""API: list templates, schema, sample, render (.docx, HTML, warnings) and every error shape."""

import base64
import json

import pytest
from jsonschema import Draft202012Validator

from .conftest import sample_case
from .helpers import docx_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def headers(gen_app, users, api_headers):
    return api_headers(users["practitioner"])


def test_list_templates(client, headers):
    body = client.get("/api/v1/templates", headers=headers).get_json()
    letter = next(t for t in body["templates"] if t["slug"] == "test-letter")
    assert letter["title"] == "Test letter for the family"
    assert letter["doc_type"] == "plo-letter-before-proceedings"
    assert letter["audience"] == "family"
    assert letter["source"] == "library"


def test_schema_stands_alone_and_sample_is_valid(client, headers):
    schema = client.get("/api/v1/templates/test-letter/schema", headers=headers).get_json()
    sample = client.get("/api/v1/templates/test-letter/sample", headers=headers).get_json()
    assert list(Draft202012Validator(schema).iter_errors(sample)) == []
    assert list(Draft202012Validator(schema).iter_errors({"children": []}))


def test_render_docx(client, headers):
    response = client.post(
        "/api/v1/templates/test-letter/render", json=sample_case(), headers=headers
    )
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    text = docx_text(response.data)
    assert "Letter about Amara Okafor" in text and "Goal: Keep Amara away from fights." in text
    warnings = json.loads(response.headers["X-Clearinghouse-Warnings"])
    assert isinstance(warnings, list)


def test_text_comes_out_exactly_as_typed(client, headers):
    case = sample_case()
    typed = "{{ 7*7 }} {% if x %} <w:p> &amp; </w:t>"
    case["children"][0]["name"] = typed
    response = client.post("/api/v1/templates/test-letter/render", json=case, headers=headers)
    assert f"Letter about {typed}" in docx_text(response.data)


def test_render_html(client, headers):
    response = client.post(
        "/api/v1/templates/test-letter/render?format=html", json=sample_case(), headers=headers
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Amara Okafor" in response.get_data(as_text=True)


def test_render_with_warnings_body(client, headers):
    case = sample_case()
    case["scales"][0].pop("reason")
    case["safety_goals"] = []
    response = client.post(
        "/api/v1/templates/test-letter/render?warnings=1", json=case, headers=headers
    )
    body = response.get_json()
    codes = {w["code"] for w in body["warnings"]}
    assert {"scale_without_reason", "danger_without_goal"} <= codes
    assert all(set(w) == {"code", "message", "path"} for w in body["warnings"])
    assert "Letter about Amara Okafor" in docx_text(base64.b64decode(body["document"]))
    assert body["filename"].endswith(".docx") and len(body["sha256"]) == 64
    assert body["reading_age_target"] == 12


def test_warnings_header_stays_short(client, headers):
    case = sample_case()
    case["scales"] = [{"rater": "Mum", "score": 3} for _ in range(200)]
    response = client.post("/api/v1/templates/test-letter/render", json=case, headers=headers)
    assert response.status_code == 200
    shown = json.loads(response.headers["X-Clearinghouse-Warnings"])
    assert len(response.headers["X-Clearinghouse-Warnings"]) <= 6000
    # 200 scales without a reason, and the few other warnings this case always has.
    assert 0 < len(shown) < 200 < int(response.headers["X-Clearinghouse-Warnings-Count"])


def test_invalid_case_data_is_422_with_paths(client, headers):
    case = sample_case()
    case["children"][0].pop("name")
    response = client.post("/api/v1/templates/test-letter/render", json=case, headers=headers)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_case_data"
    assert {"path": "/children/0/name", "message": "Enter child's name"} in error["details"]


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00", b""])
def test_malformed_json_is_400(client, headers, body):
    response = client.post(
        "/api/v1/templates/test-letter/render",
        data=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("body", ["[]", '"text"', "null", "7", "true", "[{}]"])
def test_json_that_is_not_an_object_is_422(client, headers, body):
    response = client.post(
        "/api/v1/templates/test-letter/render",
        data=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_case_data"


def test_unknown_template_is_404(client, headers):
    for path in ("/render", "/schema", "/sample"):
        method = client.post if path == "/render" else client.get
        response = method(f"/api/v1/templates/nope{path}", json={}, headers=headers)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


def test_too_large_is_413(gen_app, client, headers):
    gen_app.config["CLEARINGHOUSE"]["RENDER_MAX_INPUT_KB"] = 2
    case = sample_case()
    case["danger_statements"][0]["worried_about"] = "x" * 3000
    response = client.post("/api/v1/templates/test-letter/render", json=case, headers=headers)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "render_limit"


def test_bad_format_is_400(client, headers):
    response = client.post(
        "/api/v1/templates/test-letter/render?format=rtf", json=sample_case(), headers=headers
    )
    assert response.status_code == 400


def test_admin_cannot_render(gen_app, client, users, api_headers):
    response = client.post(
        "/api/v1/templates/test-letter/render",
        json=sample_case(),
        headers=api_headers(users["admin"]),
    )
    assert response.status_code == 403


def test_needs_a_token(gen_app, client):
    assert client.get("/api/v1/templates").status_code == 401
    assert client.post("/api/v1/templates/test-letter/render", json={}).status_code == 401


def test_openapi_lists_the_paths(client, headers):
    paths = client.get("/api/v1/openapi.json", headers=headers).get_json()["paths"]
    assert "/templates/{slug}/render" in paths and "/templates" in paths
