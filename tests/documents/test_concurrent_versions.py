"""Two servers on one PostgreSQL database adding versions of one document at the same time.

Each server is its own app (own engine and connections) on the same database and instance
folder, as two gunicorn servers of one machine would be; each uploads through the API from its
own thread. The document row lock makes the uploads take numbers in turn: every one succeeds,
and the numbers are 1..N with none twice and none skipped. These tests need PostgreSQL whatever
the suite runs on (postgres_url skips without it, and fails in CI).
"""

import io
import threading

from factories import make_authority, make_document, make_user
from sqlalchemy import select

from clearinghouse import create_app
from clearinghouse.accounts import ensure_vocabulary
from clearinghouse.auth.service import token_create
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, DocumentVersion

UPLOADS_EACH = 12


def _server(instance, url: str):
    return create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": url,
            "FLASK_WTF_CSRF_ENABLED": False,
        }
    )


def _upload_many(app, token: str, document_id: int, name: str, start, statuses: list) -> None:
    client = app.test_client()
    start.wait()
    for n in range(UPLOADS_EACH):
        body = f"# Rota\n\n{name} upload {n}.\n".encode()
        response = client.post(
            f"/api/v1/documents/{document_id}/versions",
            headers={"Authorization": f"Bearer {token}"},
            data={"file": (io.BytesIO(body), f"{name}-{n}.md"), "change_note": f"{name} {n}"},
            content_type="multipart/form-data",
        )
        statuses.append((response.status_code, response.get_json().get("number")))


def test_concurrent_uploads_to_one_document_take_consecutive_numbers(tmp_path, postgres_url):
    first, second = _server(tmp_path, postgres_url), _server(tmp_path, postgres_url)
    with first.app_context():
        db.create_all()
        ensure_vocabulary()
        make_authority("north")
        editor = make_user("editor", "north")
        document_id = make_document(editor, title="Rota").document_id
        tokens = [token_create(editor, "server one"), token_create(editor, "server two")]
        db.session.remove()
    start = threading.Barrier(2)
    statuses: dict[str, list] = {"one": [], "two": []}
    threads = [
        threading.Thread(
            target=_upload_many, args=(app, token, document_id, name, start, statuses[name])
        )
        for app, token, name in zip((first, second), tokens, statuses, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    answers = statuses["one"] + statuses["two"]
    assert [status for status, _ in answers] == [201] * (2 * UPLOADS_EACH), answers
    with second.app_context():
        numbers = db.session.scalars(
            select(DocumentVersion.number)
            .where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.number)
        ).all()
        audited = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "version_added")
        ).all()
        db.session.remove()
    total = 1 + 2 * UPLOADS_EACH
    assert numbers == list(range(1, total + 1))
    assert sorted(number for _, number in answers) == list(range(2, total + 1))
    assert sorted(detail["version"] for detail in audited) == list(range(2, total + 1))
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()
