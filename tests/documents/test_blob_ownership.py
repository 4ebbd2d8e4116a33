"""Racing uploads: a failed commit never takes a blob another version needs; the 409 is plain.

A race is staged without threads or sleeps: a hook inside one upload runs the other upload to
the end in its own app context (so its own session and database connection), at the exact
moment the race needs, then lets the first carry on. The database blob store writes its blob in
the upload's transaction, which no other upload can write past until it ends, so there the
other upload runs before this one stores its blob, and a failed upload leaves no blob at all.
"""

import io

import pytest
from blob_helpers import blob_exists

from clearinghouse import storage
from clearinghouse.documents import writing
from clearinghouse.documents.service import version_add, version_file
from clearinghouse.errors import Conflict
from clearinghouse.extensions import db
from clearinghouse.models import DocumentVersion, User
from clearinghouse.unit_of_work import UnitOfWork

SAME = b"# Safeguarding supervision\n\nThe same bytes, uploaded twice.\n"


def _as(user_id: int) -> User:
    return db.session.get(User, user_id)


def _race_after_numbering(monkeypatch, app, racer) -> None:
    """Run racer (once, in another app context) just after an upload chose its version number.

    The document's row lock (SQLite: the database's write lock) makes this race impossible
    (the racer would wait for the lock its own thread holds), so it is lifted here: what is
    tested is the backstop behind it, the unique constraint, and what a commit it refuses
    leaves behind, on both engines.
    """
    monkeypatch.setattr(UnitOfWork, "lock", lambda self, parent: None)
    real = writing._next_version_number
    raced = []

    def number_then_race(document):
        number = real(document)
        if not raced:
            raced.append(True)
            with app.app_context():
                racer()
        return number

    monkeypatch.setattr(writing, "_next_version_number", number_then_race)


def _race_after_storing(monkeypatch, app, racer) -> None:
    """Run racer (once, in another app context) just after an upload stored its blob.

    On SQLite the write lock the upload takes to number its version (unit_of_work's ``lock``)
    holds every other writer back until it commits, so the racer would wait for a lock its
    own thread holds: it is lifted here, as in ``_race_after_numbering``.
    """
    monkeypatch.setattr(UnitOfWork, "lock", lambda self, parent: None)
    real = storage.put_blob
    raced = []

    def put_then_race(data):
        digest = real(data)
        if not raced:
            raced.append(True)
            with app.app_context():
                racer()
        return digest

    monkeypatch.setattr(storage, "put_blob", put_then_race)


def test_failed_upload_leaves_the_blob_of_a_racing_upload_of_the_same_bytes(
    app, users, make_document, monkeypatch
):
    editor_id = users["editor"].id
    target = make_document(users["editor"], title="Target").document_id
    contested = make_document(users["editor"], title="Contested").document_id
    failures = []

    def third_party_wins_the_contested_number():
        version_add(_as(editor_id), contested, b"# Other\n", "other.md", "Someone else's")

    def same_bytes_to_the_contested_document_fail():
        # Chooses number 2, then a third upload takes it first: this commit fails while the
        # outer upload of the same bytes has stored its blob but not yet committed.
        _race_after_numbering(monkeypatch, app, third_party_wins_the_contested_number)
        with pytest.raises(Conflict) as raised:
            version_add(_as(editor_id), contested, SAME, "same.md", "Double-clicked")
        failures.append(raised.value.code)

    if storage.store_name() == "database":
        _race_after_numbering(monkeypatch, app, same_bytes_to_the_contested_document_fail)
    else:
        _race_after_storing(monkeypatch, app, same_bytes_to_the_contested_document_fail)
    added = version_add(users["editor"], target, SAME, "same.md", "The one that commits")

    assert failures == ["version_conflict"]
    assert added.number == 2
    data, _name, _type = version_file(users["editor"], target, 2)
    assert data == SAME
    numbers = db.session.scalars(
        db.select(DocumentVersion.number).where(DocumentVersion.document_id == contested)
    ).all()
    assert sorted(numbers) == [1, 2]


def test_a_failed_version_leaves_its_blob_for_gc(app, users, make_document, monkeypatch):
    editor_id = users["editor"].id
    document = make_document(users["editor"]).document_id

    def racer():
        version_add(_as(editor_id), document, b"# Theirs\n", "theirs.md", "First")

    _race_after_numbering(monkeypatch, app, racer)
    with pytest.raises(Conflict):
        version_add(users["editor"], document, b"# Mine\n", "mine.md", "Second")

    mine = storage.sha256_of(b"# Mine\n")
    report = storage.blob_gc(grace_seconds=0)
    if storage.store_name() == "database":
        assert not blob_exists(mine)  # rolled back with the version that failed
        assert report.removed == []
    else:
        assert [name for name, _size in report.removed] == [mine]  # nothing deleted it before
    assert report.kept_referenced == 2


def test_web_upload_race_shows_the_form_with_a_plain_message(
    app, users, login, make_document, monkeypatch
):
    editor_id = users["editor"].id
    document = make_document(users["editor"]).document_id
    client = login(users["editor"])

    def racer():
        version_add(_as(editor_id), document, b"# Theirs\n", "theirs.md", "Their change")

    _race_after_numbering(monkeypatch, app, racer)
    response = client.post(
        f"/documents/{document}/versions/new",
        data={"change_note": "My change", "file": (io.BytesIO(b"# Mine\n"), "mine.md")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 409
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert "govuk-error-summary" in page and 'href="#file"' in page
    assert (
        "Someone else uploaded a new version of this document at the same moment. "
        "Check the document's versions, then upload yours again if it is still needed."
    ) in page
    assert "My change" in page  # the form is shown again, as filled in
    assert "This will be version 3" in page  # counted again after the other upload


def test_api_version_race_is_409_version_conflict(
    app, users, api_headers, make_document, monkeypatch
):
    editor_id = users["editor"].id
    document = make_document(users["editor"]).document_id
    headers = api_headers(users["editor"])

    def racer():
        version_add(_as(editor_id), document, b"# Theirs\n", "theirs.md", "Their change")

    _race_after_numbering(monkeypatch, app, racer)
    response = app.test_client().post(
        f"/api/v1/documents/{document}/versions",
        data={"change_note": "Mine", "file": (io.BytesIO(b"# Mine\n"), "mine.md")},
        headers=headers,
        content_type="multipart/form-data",
    )

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "version_conflict"
    assert "Check the document's versions" in error["message"]


def test_openapi_lists_409_for_new_versions(app, users, api_headers):
    spec = app.test_client().get("/api/v1/openapi.json", headers=api_headers(users["editor"]))
    responses = spec.get_json()["paths"]["/documents/{document_id}/versions"]["post"]["responses"]
    assert "version_conflict" in responses["409"]["description"]
    assert responses["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
