"""The documents API: each endpoint, its error shapes, and what each caller may see."""

import io

from clearinghouse.extensions import db
from clearinghouse.models import Document, DocumentVersion


def _error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


def _post_document(client, headers, data=b"# Policy\n\nText.\n", filename="policy.md", **form):
    fields = {
        "title": "Supervision policy",
        "doc_type": "supervision",
        "visibility": "shared",
        **form,
    }
    if data is not None:
        fields["file"] = (io.BytesIO(data), filename)
    return client.post(
        "/api/v1/documents", data=fields, headers=headers, content_type="multipart/form-data"
    )


def test_requires_a_token(client, users):
    _error(client.get("/api/v1/documents"), 401, "unauthorized")
    bad = {"Authorization": "Bearer ch_not-a-token"}
    _error(client.get("/api/v1/doc-types", headers=bad), 401, "unauthorized")


def test_doc_types(client, users, api_headers):
    body = client.get("/api/v1/doc-types", headers=api_headers(users["practitioner"])).get_json()
    assert {"slug": "plo-letter-before-proceedings", "label": "PLO letter before proceedings"} in [
        {"slug": t["slug"], "label": t["label"]} for t in body
    ]


def test_create_get_list_version_and_file(client, users, api_headers, docx_bytes):
    editor = api_headers(users["editor"])
    response = _post_document(client, editor, tags="supervision, workforce", stage="organisational")
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert created["version"] == 1 and created["title"] == "Supervision policy"
    assert created["authority"] == "north" and created["visibility"] == "shared"
    assert response.headers["Location"].endswith(f"/api/v1/documents/{created['id']}")

    data = docx_bytes(paragraphs=["Version two."])
    response = client.post(
        f"/api/v1/documents/{created['id']}/versions",
        data={"file": (io.BytesIO(data), "policy.docx"), "change_note": "Now a Word document"},
        headers=editor,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["number"] == 2

    reader = api_headers(users["south_practitioner"])
    document = client.get(f"/api/v1/documents/{created['id']}", headers=reader).get_json()
    assert [v["number"] for v in document["versions"]] == [1, 2]
    assert set(document["versions"][0]) >= {
        "number",
        "sha256",
        "size",
        "filename",
        "change_note",
        "uploaded_at",
        "uploaded_by",
    }
    assert document["versions"][1]["change_note"] == "Now a Word document"
    listed = client.get("/api/v1/documents?authority=north&doc_type=supervision", headers=reader)
    assert [d["id"] for d in listed.get_json()["documents"]] == [created["id"]]
    assert listed.get_json()["documents"][0]["latest_version"] == 2
    assert client.get("/api/v1/documents?authority=south", headers=reader).get_json() == {
        "documents": []
    }
    file = client.get(f"/api/v1/documents/{created['id']}/versions/2/file", headers=reader)
    assert file.status_code == 200 and file.data == data
    first = client.get(f"/api/v1/documents/{created['id']}/versions/1/file", headers=reader)
    assert first.data == b"# Policy\n\nText.\n"
    _error(
        client.get(f"/api/v1/documents/{created['id']}/versions/9/file", headers=reader),
        404,
        "not_found",
    )


def test_missing_fields_are_422_with_details(client, users, api_headers):
    error = _error(
        _post_document(client, api_headers(users["editor"]), data=None, title=""),
        422,
        "missing_fields",
    )
    assert {d["path"] for d in error["details"]} == {"file", "title"}
    assert all(d["message"] for d in error["details"])


def test_invalid_values_are_422(client, users, api_headers):
    error = _error(
        _post_document(client, api_headers(users["editor"]), doc_type="nonsense"),
        422,
        "invalid_document",
    )
    assert error["details"][0]["path"] == "doc_type"


def test_refused_file_is_422_and_leaves_nothing(client, users, api_headers):
    error = _error(
        _post_document(client, api_headers(users["editor"]), data=b"not a zip", filename="x.docx"),
        422,
        "not_docx",
    )
    assert error["details"] == [{"path": "file", "message": error["message"]}]
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(DocumentVersion)) == 0


def test_new_version_needs_change_note_and_file(client, users, api_headers, make_document):
    version = make_document(users["editor"])
    response = client.post(
        f"/api/v1/documents/{version.document_id}/versions",
        data={},
        headers=api_headers(users["editor"]),
        content_type="multipart/form-data",
    )
    error = _error(response, 422, "missing_fields")
    assert {d["path"] for d in error["details"]} == {"file", "change_note"}


def test_practitioner_cannot_upload(client, users, api_headers, make_document):
    _error(_post_document(client, api_headers(users["practitioner"])), 403, "forbidden")
    version = make_document(users["editor"])
    response = client.post(
        f"/api/v1/documents/{version.document_id}/versions",
        data={"file": (io.BytesIO(b"# x\n"), "x.md"), "change_note": "x"},
        headers=api_headers(users["practitioner"]),
        content_type="multipart/form-data",
    )
    _error(response, 403, "forbidden")


def test_other_authoritys_internal_document_is_404(client, users, api_headers, make_document):
    version = make_document(users["south_editor"], visibility="internal")
    north = api_headers(users["editor"])
    base = f"/api/v1/documents/{version.document_id}"
    _error(client.get(base, headers=north), 404, "not_found")
    _error(client.get(f"{base}/versions/1/file", headers=north), 404, "not_found")
    _error(client.patch(base, json={"visibility": "shared"}, headers=north), 404, "not_found")
    _error(client.delete(base, headers=north), 404, "not_found")
    assert client.get("/api/v1/documents", headers=north).get_json() == {"documents": []}


def test_patch_visibility_and_delete(client, users, api_headers, make_document):
    version = make_document(users["editor"], visibility="internal")
    base = f"/api/v1/documents/{version.document_id}"
    editor = api_headers(users["editor"])
    response = client.patch(base, json={"visibility": "shared"}, headers=editor)
    assert response.status_code == 200 and response.get_json()["visibility"] == "shared"
    _error(
        client.patch(base, json={"visibility": "public"}, headers=editor), 422, "invalid_visibility"
    )
    _error(client.patch(base, json={}, headers=editor), 422, "missing_fields")
    _error(
        client.patch(base, data="{nope", headers={**editor, "Content-Type": "application/json"}),
        400,
        "invalid_json",
    )
    assert client.delete(base, headers=editor).status_code == 204
    _error(client.get(base, headers=editor), 404, "not_found")


def test_openapi_describes_every_documents_endpoint(client, users, api_headers):
    spec = client.get("/api/v1/openapi.json", headers=api_headers(users["practitioner"])).get_json()
    paths = spec["paths"]
    assert {"get"} <= set(paths["/doc-types"])
    assert {"get", "post"} <= set(paths["/documents"])
    assert {"get", "patch", "delete"} <= set(paths["/documents/{document_id}"])
    assert "post" in paths["/documents/{document_id}/versions"]
    assert "get" in paths["/documents/{document_id}/versions/{number}/file"]


def test_corrupted_blob_is_a_json_error(client, users, api_headers, make_document):
    from blob_helpers import blob_tamper

    version = make_document(users["editor"], data=b"# Original\n", filename="p.md")
    blob_tamper(version.sha256, b"# Tampered\n")
    response = client.get(
        f"/api/v1/documents/{version.document_id}/versions/1/file",
        headers=api_headers(users["editor"]),
    )
    error = _error(response, 500, "blob_corrupted")
    assert "damaged" in error["message"]


def test_file_name_with_accents_downloads(client, users, api_headers, make_document):
    version = make_document(users["editor"], data=b"# Caf\xc3\xa9\n", filename="Café policy.md")
    response = client.get(
        f"/api/v1/documents/{version.document_id}/versions/1/file",
        headers=api_headers(users["practitioner"]),
    )
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Caf%C3%A9%20policy.md" in disposition
    assert response.data == b"# Caf\xc3\xa9\n"
