"""Every upload check, each with a real bad file: refused with a clear message, nothing kept."""

import io

import pytest
from blob_helpers import stored_digests
from docx_samples import BAD_FILES, good_docx, large_total, with_relationship
from factories import PASSWORD, make_authority, make_user

from clearinghouse.documents.service import document_create, version_add
from clearinghouse.documents.validate import UploadLimits, check_upload
from clearinghouse.errors import InvalidInput
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, Document, DocumentVersion, IndexTask

DEFAULT = UploadLimits(20 * 1024 * 1024, 200 * 1024 * 1024, 2000, 100)


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _nothing_left(expected_documents=0, expected_versions=0, expected_blobs=0):
    assert _count(Document) == expected_documents
    assert _count(DocumentVersion) == expected_versions
    assert len(stored_digests()) == expected_blobs


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_check_refuses(name):
    filename, build, code = BAD_FILES[name]
    with pytest.raises(InvalidInput) as refused:
        check_upload(build(), filename, DEFAULT)
    assert refused.value.code == code
    assert refused.value.status == 422
    assert refused.value.details == [{"path": "file", "message": refused.value.message}]
    assert "Traceback" not in refused.value.message and len(refused.value.message) < 200


def test_good_files_pass():
    assert check_upload(good_docx(), "policy.docx", DEFAULT).extension == ".docx"
    assert check_upload("Café – ok".encode(), "policy.md", DEFAULT).extension == ".md"


def test_external_hyperlink_is_allowed_but_not_an_external_template():
    link = with_relationship("hyperlink", "https://www.example.org/guidance")
    assert check_upload(link, "policy.docx", DEFAULT).filename == "policy.docx"
    template = with_relationship(
        "attachedTemplate", "file:///C:/templates/Normal.dotm", part="word/_rels/document.xml.rels"
    )
    with pytest.raises(InvalidInput) as refused:
        check_upload(template, "policy.docx", DEFAULT)
    assert refused.value.code == "external_relationship"


def test_total_uncompressed_size_is_capped():
    limits = UploadLimits(20 * 1024 * 1024, 2 * 1024 * 1024, 2000, 100)
    with pytest.raises(InvalidInput) as refused:
        check_upload(large_total(1.5), "policy.docx", limits)  # ~0.8 MB of parts + 1.5 MB
    assert refused.value.code == "zip_bomb"
    assert check_upload(large_total(0.5), "policy.docx", limits)


def test_oversize_is_413_with_the_limit_in_the_message():
    with pytest.raises(InvalidInput) as refused:
        check_upload(
            b"x" * (2 * 1024 * 1024 + 1), "policy.md", UploadLimits(2 * 1024 * 1024, 1, 1, 1)
        )
    assert refused.value.code == "file_too_large" and refused.value.status == 413
    assert "2 MB" in refused.value.message


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_service_refusal_leaves_nothing(app, users, name):
    filename, build, code = BAD_FILES[name]
    audit_before = _count(AuditEvent)
    with pytest.raises(InvalidInput) as refused:
        document_create(
            users["editor"],
            title="Refused",
            doc_type="policy",
            visibility="shared",
            data=build(),
            filename=filename,
        )
    assert refused.value.code == code
    _nothing_left()
    assert _count(AuditEvent) == audit_before and _count(IndexTask) == 0


def test_refused_version_uses_no_number(app, users):
    first = document_create(
        users["editor"],
        title="P",
        doc_type="policy",
        visibility="shared",
        data=b"# 1\n",
        filename="p.md",
    )
    for name in ("not_a_zip", "vba_project", "markdown_not_utf8"):
        filename, build, _code = BAD_FILES[name]
        with pytest.raises(InvalidInput):
            version_add(users["editor"], first.document_id, build(), filename, "bad")
    _nothing_left(expected_documents=1, expected_versions=1, expected_blobs=1)
    second = version_add(users["editor"], first.document_id, b"# 2\n", "p.md", "good")
    assert second.number == 2


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_upload_page_shows_each_refusal(app, users, login, name):
    filename, build, code = BAD_FILES[name]
    client = login(users["editor"])
    response = client.post(
        "/documents/new",
        data={
            "title": "Kept title",
            "doc_type": "supervision",
            "visibility": "shared",
            "tags": "kept tag",
            "change_note": "Kept note",
            "file": (io.BytesIO(build()), filename),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and 'href="#file"' in page
    try:
        check_upload(build(), filename, DEFAULT)
    except InvalidInput as exc:
        message = exc.message
    from markupsafe import escape

    assert str(escape(message)) in page
    assert 'value="Kept title"' in page and 'value="kept tag"' in page and "Kept note" in page
    assert '<option value="supervision" selected>' in page
    _nothing_left()


@pytest.mark.app_settings(MAX_UPLOAD_MB=1)
def test_oversize_upload_page(app):
    make_authority("north", "Northshire")
    make_user("editor", "north", name="Editor")
    client = app.test_client()
    client.post("/sign-in", data={"email": "editor@north.example", "password": PASSWORD})
    response = client.post(
        "/documents/new",
        data={
            "title": "Too big",
            "doc_type": "policy",
            "visibility": "internal",
            "file": (io.BytesIO(b"# big\n" + b"a" * (1024 * 1024 + 10)), "big.md"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and "The file must be smaller than 1 MB." in page
    assert 'value="Too big"' in page
    _nothing_left()
