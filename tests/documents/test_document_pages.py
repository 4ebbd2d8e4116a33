"""Document pages: list and filters, a document, uploads, versions, downloads, withdraw."""

import io

from blob_helpers import blob_remove, blob_tamper, stored_digests

from clearinghouse.extensions import db
from clearinghouse.models import Document, DocumentVersion


def _upload(client, data: bytes, filename: str, **fields):
    form = {
        "title": "Family network meeting guidance",
        "doc_type": "family-network-meeting",
        "stage": "",
        "tags": "family network, planning",
        "visibility": "shared",
        "change_note": "From our practice handbook",
        **fields,
        "file": (io.BytesIO(data), filename),
    }
    return client.post("/documents/new", data=form, content_type="multipart/form-data")


def test_list_filters(users, login, make_document):
    make_document(
        users["editor"], title="North PLO letter", doc_type="plo-letter-before-proceedings"
    )
    make_document(users["south_editor"], title="South supervision policy", doc_type="supervision")
    make_document(users["south_editor"], title="South secret", visibility="internal")
    client = login(users["practitioner"])
    page = client.get("/documents").get_data(as_text=True)
    assert "North PLO letter" in page and "South supervision policy" in page
    assert "South secret" not in page
    page = client.get("/documents?authority=south").get_data(as_text=True)
    assert "North PLO letter" not in page and "South supervision policy" in page
    page = client.get("/documents?doc_type=plo-letter-before-proceedings").get_data(as_text=True)
    assert "North PLO letter" in page and "South supervision policy" not in page
    page = client.get("/documents?stage=organisational").get_data(as_text=True)
    assert "South supervision policy" in page and "North PLO letter" not in page
    assert "Upload a document" not in page  # practitioners do not upload


def test_upload_then_document_page(app, users, login, docx_bytes):
    client = login(users["editor"])
    assert "Upload a document" in client.get("/documents").get_data(as_text=True)
    data = docx_bytes(sections=[("Purpose", ["Bring the family network together."])])
    response = _upload(client, data, "fnm.docx")
    assert response.status_code == 302, response.get_data(as_text=True)
    document = db.session.scalar(db.select(Document))
    assert response.headers["Location"].endswith(f"/documents/{document.id}")
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Family network meeting guidance" in page
    assert "From our practice handbook" in page
    assert "Version history" in page and "Upload a new version" in page
    assert "family network, planning" in page
    version = client.get(f"/documents/{document.id}/versions/1").get_data(as_text=True)
    assert "Bring the family network together." in version and "Purpose" in version


def test_download_is_byte_for_byte(users, login, docx_bytes, make_document):
    data = docx_bytes(paragraphs=["Exactly these bytes."])
    version = make_document(users["editor"], data=data, filename="form.docx")
    client = login(users["south_practitioner"])
    response = client.get(f"/documents/{version.document_id}/versions/1/download")
    assert response.status_code == 200
    assert response.data == data
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "form.docx" in response.headers["Content-Disposition"]
    md = make_document(users["editor"], data=b"# Hello\n\nWorld\n", filename="hello.md")
    response = client.get(f"/documents/{md.document_id}/versions/1/download")
    assert response.data == b"# Hello\n\nWorld\n"
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"


def test_markdown_version_page_is_sanitised(users, login, make_document):
    data = b"# Policy\n\nSafe text.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n"
    version = make_document(users["editor"], data=data, filename="p.md")
    client = login(users["practitioner"])
    page = client.get(f"/documents/{version.document_id}/versions/1").get_data(as_text=True)
    assert "Safe text." in page
    assert "<script>alert(1)</script>" not in page
    assert "javascript:alert" not in page


def test_new_version_page(app, users, login, make_document, docx_bytes):
    first = make_document(users["editor"], data=b"# One\n", filename="one.md")
    client = login(users["editor"])
    url = f"/documents/{first.document_id}/versions/new"
    assert "This will be version 2" in client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={"change_note": "", "file": (io.BytesIO(b"# Two\n"), "two.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and "Enter a change note" in page
    response = client.post(
        url,
        data={"change_note": "Clearer wording", "file": (io.BytesIO(b"# Two\n"), "two.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(f"/documents/{first.document_id}").get_data(as_text=True)
    assert "Clearer wording" in page and "Version 2" in page
    assert client.get(f"/documents/{first.document_id}/versions/1/download").data == b"# One\n"
    assert client.get(f"/documents/{first.document_id}/versions/2/download").data == b"# Two\n"


def test_refused_upload_shows_error_keeps_fields_and_leaves_nothing(app, users, login):
    client = login(users["editor"])
    response = _upload(client, b"PK\x03\x04 not really a zip", "broken.docx", title="Kept title")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and 'href="#file"' in page
    assert "The file is not a Word document" in page
    assert 'value="Kept title"' in page
    assert '<option value="family-network-meeting" selected>' in page
    assert "From our practice handbook" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(DocumentVersion)) == 0
    assert stored_digests() == []


def test_refused_new_version_uses_no_number(app, users, login, make_document):
    first = make_document(users["editor"], data=b"# One\n", filename="one.md")
    client = login(users["editor"])
    url = f"/documents/{first.document_id}/versions/new"
    response = client.post(
        url,
        data={"change_note": "Bad", "file": (io.BytesIO(b"\xff\xfe bad"), "two.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "not UTF-8" in response.get_data(as_text=True)
    assert len(stored_digests()) == 1
    client.post(
        url,
        data={"change_note": "Good", "file": (io.BytesIO(b"# Two\n"), "two.md")},
        content_type="multipart/form-data",
    )
    numbers = db.session.scalars(db.select(DocumentVersion.number).order_by(DocumentVersion.number))
    assert list(numbers) == [1, 2]


def test_missing_fields_show_error_summary(users, login):
    client = login(users["editor"])
    response = client.post(
        "/documents/new",
        data={"title": "", "doc_type": "", "visibility": "shared"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter a title for the document" in page
    assert "Choose a document type" in page
    assert "Choose a file to upload" in page


def test_visibility_and_withdraw(users, login, make_document):
    version = make_document(users["editor"], visibility="internal")
    doc_url = f"/documents/{version.document_id}"
    south = login(users["south_practitioner"])
    assert south.get(doc_url).status_code == 404
    editor = login(users["editor"])
    response = editor.post(f"{doc_url}/visibility", data={"visibility": "shared"})
    assert response.status_code == 302
    assert south.get(doc_url).status_code == 200
    assert "Are you sure" in editor.get(f"{doc_url}/withdraw").get_data(as_text=True)
    assert editor.post(f"{doc_url}/withdraw").status_code == 302
    assert south.get(doc_url).status_code == 404
    assert editor.get(doc_url).status_code == 404


def test_corrupted_blob_is_a_clear_error(app, users, login, make_document):
    version = make_document(users["editor"], data=b"# Original\n", filename="p.md")
    blob_tamper(version.sha256, b"# Tampered\n")
    client = login(users["practitioner"])
    response = client.get(f"/documents/{version.document_id}/versions/1/download")
    assert response.status_code == 500
    assert "A stored file is damaged" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    blob_remove(version.sha256)
    response = client.get(f"/documents/{version.document_id}/versions/1/download")
    assert response.status_code == 500
    assert "A stored file is missing" in response.get_data(as_text=True)
    # The page shows the HTML made at upload, so it needs no blob.
    response = client.get(f"/documents/{version.document_id}/versions/1")
    assert response.status_code == 200 and "Original" in response.get_data(as_text=True)
