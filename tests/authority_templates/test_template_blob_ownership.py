"""A template version and a document version share a blob: neither's failure may remove it."""

import pytest
from blob_helpers import blob_age
from docx_builder import make_docx
from factories import make_template
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from clearinghouse import storage
from clearinghouse.authority_templates import service, upload
from clearinghouse.documents.service import document_create, version_file
from clearinghouse.errors import Conflict
from clearinghouse.extensions import db
from clearinghouse.models import User
from clearinghouse.unit_of_work import UnitOfWork

GOOD = ["Dear family of {% for c in children %}{{ c.name }}{% endfor %}"]


def test_template_upload_conflict_leaves_a_documents_blob_readable(gen_app, users, monkeypatch):
    editor = users["editor"]
    shared_bytes = make_docx(GOOD, header="Shared letterhead")
    document = document_create(
        editor,
        title="Our letter, kept as a document",
        doc_type="policy",
        visibility="internal",
        data=shared_bytes,
        filename="letter.docx",
    )
    template, _first = make_template(editor, make_docx(GOOD, header="First letterhead"))

    # The template's row lock (SQLite: the database's write lock) makes this race impossible
    # (the racer would wait for the lock its own thread holds): it is lifted, to test the
    # unique constraint behind it.
    monkeypatch.setattr(UnitOfWork, "lock", lambda self, parent: None)
    real = upload._next_version_number
    raced = []

    def number_then_race(row):
        number = real(row)
        if not raced:
            raced.append(True)
            with gen_app.app_context():  # another request, its own session, commits v2 first
                other = db.session.get(User, editor.id)
                make_template(
                    other,
                    make_docx(GOOD, header="Theirs"),
                    slug=template.slug,
                    change_note="Theirs",
                )
        return number

    monkeypatch.setattr(upload, "_next_version_number", number_then_race)
    with pytest.raises(Conflict) as raised:
        make_template(
            editor, shared_bytes, slug=template.slug, change_note="Same bytes as the document"
        )

    assert raised.value.code == "version_conflict"
    data, filename, _type = version_file(editor, document.document_id, 1)
    assert data == shared_bytes and filename == "letter.docx"
    versions = service.template_get(editor, template.slug).versions
    assert [v.number for v in versions] == [1, 2]


def test_template_commit_failure_leaves_a_documents_blob_readable(gen_app, users):
    editor = users["editor"]
    shared_bytes = make_docx(GOOD, header="Shared letterhead")
    document = document_create(
        editor,
        title="Our letter, kept as a document",
        doc_type="policy",
        visibility="internal",
        data=shared_bytes,
        filename="letter.docx",
    )

    def locked(session):
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    event.listen(db.session, "before_commit", locked)
    try:
        with pytest.raises(OperationalError):
            make_template(editor, shared_bytes)
    finally:
        event.remove(db.session, "before_commit", locked)

    assert service.template_list(editor) == []
    data, _filename, _type = version_file(editor, document.document_id, 1)
    assert data == shared_bytes


def test_gc_keeps_a_blob_only_a_template_version_uses(gen_app, users):
    _template, version = make_template(users["editor"], make_docx(GOOD))
    blob_age(version.sha256, 30 * 24 * 3600)
    report = storage.blob_gc(grace_seconds=24 * 3600)
    assert report.removed == [] and report.kept_referenced == 1
    assert storage.get_blob(version.sha256)
