"""Input that once reached a 500: ids beyond the database's integers, and absurdly deep JSON."""

import io

import pytest

from clearinghouse import jsonio

HUGE = "99999999999999999999"
DEEP = "[" * 50000 + "]" * 50000
NESTED = "[" * 500 + "]" * 500  # parses, but deeper than any case has reason to be


def test_loader_refuses_deep_json_as_value_error():
    for text in (DEEP, NESTED):
        with pytest.raises(ValueError):
            jsonio.loads(text)
    assert jsonio.loads('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", f"/documents/{HUGE}"),
        ("get", f"/documents/{HUGE}/versions/new"),
        ("get", f"/documents/1/versions/{HUGE}"),
        ("get", f"/documents/1/versions/{HUGE}/download"),
        ("post", f"/account/tokens/{HUGE}/revoke"),
        ("post", f"/admin/users/{HUGE}/deactivate"),
    ],
)
def test_huge_ids_on_pages_are_not_found(users, login, method, path):
    client = login(users["admin"] if path.startswith("/admin") else users["editor"])
    assert getattr(client, method)(path).status_code == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", f"/api/v1/documents/{HUGE}"),
        ("delete", f"/api/v1/documents/{HUGE}"),
        ("post", f"/api/v1/documents/{HUGE}/versions"),
        ("get", f"/api/v1/documents/1/versions/{HUGE}/file"),
    ],
)
def test_huge_ids_in_the_api_are_not_found(users, client, api_headers, method, path):
    response = getattr(client, method)(path, headers=api_headers(users["editor"]))
    assert response.status_code in (404, 405)  # no route takes such an id
    assert response.get_json()["error"]["code"]


@pytest.mark.parametrize("body", [DEEP, NESTED])
def test_deep_json_to_the_api_is_invalid_json(users, client, api_headers, make_document, body):
    document = make_document(users["editor"])
    headers = {**api_headers(users["editor"]), "Content-Type": "application/json"}
    for method, path in (
        ("patch", f"/api/v1/documents/{document.document_id}"),
        ("post", "/api/v1/templates/safety-plan/render"),
        ("put", "/api/v1/template-choices/safety-plan"),
    ):
        response = getattr(client, method)(path, data=body, headers=headers)
        assert response.status_code == 400, (path, response.status_code)
        assert response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("body", [DEEP, NESTED])
def test_deep_json_in_the_generate_form_is_refused(users, login, body):
    client = login(users["practitioner"])
    for data in (
        {"action": "edit", "case_json": body},
        {"action": "upload", "case_file": (io.BytesIO(body.encode()), "case.json")},
    ):
        response = client.post("/generate/safety-plan", data=data)
        assert response.status_code < 500
    response = client.post("/generate/safety-plan/download", data={"case_json": body})
    assert response.status_code < 500
