"""Uploads through the pages and the API come back byte for byte from either blob store,
streamed in chunks; a damaged file is a clear error, never a file sent as if it were whole."""

import io
import os

from blob_helpers import blob_tamper, chunk_count
from docx_builder import make_docx, rezip

from clearinghouse import storage

MIB = 1024 * 1024


def _large_docx() -> bytes:
    """Return a real .docx of about 3 MiB: a picture-sized part of noise beside the text."""
    return rezip(
        make_docx(["A procedure with a large picture."]),
        add={"word/media/image1.bin": os.urandom(3 * MIB)},
        stored={"word/media/image1.bin"},
    )


def _form(data: bytes) -> dict:
    return {
        "title": "Large procedure",
        "doc_type": "procedure",
        "visibility": "internal",
        "file": (io.BytesIO(data), "large.docx"),
    }


def test_api_upload_downloads_byte_for_byte(app, client, users, api_headers):
    data = _large_docx()
    headers = api_headers(users["editor"])
    created = client.post(
        "/api/v1/documents",
        data=_form(data),
        headers=headers,
        content_type="multipart/form-data",
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    document_id = created.get_json()["id"]

    response = client.get(f"/api/v1/documents/{document_id}/versions/1/file", headers=headers)

    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Length"] == str(len(data))
    assert response.get_data() == data
    sha256 = storage.sha256_of(data)
    assert chunk_count(sha256) == (4 if storage.store_name() == "database" else 0)


def test_page_upload_downloads_byte_for_byte(app, users, login):
    data = _large_docx()
    client = login(users["editor"])
    created = client.post(
        "/documents/new",
        data=_form(data),
        content_type="multipart/form-data",
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    document_url = created.headers["Location"]

    response = client.get(f"{document_url}/versions/1/download")

    assert response.status_code == 200
    assert response.get_data() == data
    assert 'filename="large.docx"' in response.headers["Content-Disposition"]


def test_a_damaged_file_is_a_clear_error_on_the_page_and_the_api(
    app, client, users, api_headers, login, make_document
):
    version = make_document(users["editor"], data=b"# Original\n", filename="p.md")
    blob_tamper(version.sha256, b"# Tampered\n")
    url = f"/documents/{version.document_id}/versions/1/download"
    page = login(users["editor"]).get(url)
    assert page.status_code == 500 and "damaged" in page.get_data(as_text=True)
    api = client.get(
        f"/api/v1/documents/{version.document_id}/versions/1/file",
        headers=api_headers(users["editor"]),
    )
    assert api.status_code == 500
    assert api.get_json()["error"]["code"] == "blob_corrupted"
