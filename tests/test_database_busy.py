"""A write that waits longer than SQLite's busy_timeout answers 503 busy, and saves nothing.

Another process holds SQLite's write lock (as a backup, or a worker stuck mid-write, would):
the upload waits busy_timeout (shortened here), then the page and the API say to try again in
a few seconds, with Retry-After, never 500. Reading goes on meanwhile (WAL), and once the lock
is let go the same upload succeeds as version 1: the refused one left nothing behind.
"""

import io
import sqlite3

import pytest
from factories import PASSWORD, make_authority, make_user
from sqlalchemy import func, select

from clearinghouse import create_app, sqlite_pragmas
from clearinghouse.accounts import ensure_vocabulary
from clearinghouse.auth.service import token_create
from clearinghouse.extensions import db
from clearinghouse.models import Document, DocumentVersion

FORM = {"title": "Supervision policy", "doc_type": "supervision", "visibility": "shared"}


@pytest.fixture
def busy_app(tmp_path, monkeypatch):
    """Return (app, database file) on a SQLite file, with a 0.2 s busy_timeout."""
    monkeypatch.setattr(sqlite_pragmas, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "busy.db"
    app = create_app(  # on SQLite whatever the suite runs on
        {
            "ENV": "testing",
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{path}",
            "FLASK_WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        ensure_vocabulary()
    yield app, path  # each request then has an app context (and a session) of its own
    with app.app_context():
        db.engine.dispose()


def _upload(client, url: str, **kwargs):
    data = {**FORM, "file": (io.BytesIO(b"# Policy\n\nSupervision.\n"), "policy.md")}
    return client.post(url, data=data, content_type="multipart/form-data", **kwargs)


def test_a_write_kept_waiting_answers_503_and_saves_nothing(busy_app):
    app, path = busy_app
    with app.app_context():
        make_authority("north")
        editor = make_user("editor", "north")
        email = editor.email
        api = {"Authorization": f"Bearer {token_create(editor, 'tests')}"}
        unused = {"Authorization": f"Bearer {token_create(editor, 'never used yet')}"}
    assert app.test_client().get("/api/v1/documents", headers=api).status_code == 200  # noted
    page = app.test_client()
    assert page.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302

    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # holds the write lock until let go
    try:
        answered = _upload(app.test_client(), "/api/v1/documents", headers=api)
        assert answered.status_code == 503, answered.get_data(as_text=True)
        assert answered.headers["Retry-After"] == "5"
        error = answered.get_json()["error"]
        assert error["code"] == "busy"
        assert (
            error["message"] == "The service is busy just now. Wait a few seconds, then try again."
        )

        shown = _upload(page, "/documents/new")
        assert shown.status_code == 503
        assert shown.headers["Retry-After"] == "5"
        assert "The service is busy just now" in shown.get_data(as_text=True)

        assert page.get("/documents").status_code == 200  # reading is not held up
        # A token's first use is noted when the lock is free, and the call goes on meanwhile.
        assert app.test_client().get("/api/v1/documents", headers=unused).status_code == 200
    finally:
        locker.execute("ROLLBACK")
        locker.close()

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0
        assert db.session.scalar(select(func.count()).select_from(DocumentVersion)) == 0
    again = _upload(app.test_client(), "/api/v1/documents", headers=api)
    assert again.status_code == 201, again.get_data(as_text=True)
    assert again.get_json()["version"] == 1


def test_only_a_busy_database_is_called_busy():
    """Other SQLite errors stay unexpected (500, logged), not "try again"."""
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorname = "SQLITE_BUSY"
    snapshot = sqlite3.OperationalError("database is locked")
    snapshot.sqlite_errorname = "SQLITE_BUSY_SNAPSHOT"
    clash = sqlite3.OperationalError("database table is locked")
    clash.sqlite_errorname = "SQLITE_LOCKED"  # within one connection: waiting will not mend it
    other = sqlite3.OperationalError("no such table: nothing")
    other.sqlite_errorname = "SQLITE_ERROR"
    assert sqlite_pragmas.is_busy(busy) and sqlite_pragmas.is_busy(snapshot)
    assert not sqlite_pragmas.is_busy(clash)
    assert not sqlite_pragmas.is_busy(other)
    assert not sqlite_pragmas.is_busy(ValueError("database is locked"))
