"""Two servers on one database writing to one row's children or counter at once.

Each server is its own app (own engine and connections) on the same database and instance
folder, as two gunicorn servers (or two workers of one) would be, working from its own thread.
The parent row's lock (unit_of_work's ``lock``) makes new versions take numbers in turn: every
one succeeds, and the numbers are 1..N with none twice and none skipped; the user row's lock
makes every wrong password count, and a feedback code guess is counted before its code is
looked at. Each test runs on one SQLite file, where FOR UPDATE takes the database's write
lock (sqlite_pragmas), and on PostgreSQL, where it locks the row, whatever the suite runs on
(postgres_url skips without PostgreSQL, and fails in CI).
"""

import io
import json
import threading

import pytest
from docx_builder import make_docx
from factories import make_authority, make_document, make_template, make_user
from sqlalchemy import func, select

from clearinghouse import create_app
from clearinghouse.accounts import ensure_vocabulary, user_change_role
from clearinghouse.auth.service import SignInRefused, token_create, user_authenticate
from clearinghouse.errors import ServiceError
from clearinghouse.extensions import db
from clearinghouse.feedback import service as feedback
from clearinghouse.feedback.models import FeedbackAttempt
from clearinghouse.models import (
    AuditEvent,
    DocumentVersion,
    ProfileVersion,
    TemplateVersion,
    User,
)
from clearinghouse.paths import PROJECT_ROOT
from clearinghouse.profiles import service as profiles

EACH = 12  # new versions each server adds
SAMPLE = PROJECT_ROOT / "templates_library" / "plo-letter-before-proceedings" / "sample.json"


@pytest.fixture(params=["sqlite", "postgres"])
def servers(request, tmp_path):
    """Return two apps on one new database, its schema made, a north editor in it."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    apps = [
        create_app(
            {
                "ENV": "testing",
                "SECRET_KEY": "test-secret",
                "INSTANCE_PATH": str(tmp_path),
                "DATABASE_URL": url,
                "LOGIN_MAX_FAILURES": 1000,  # counted, never reached
            }
        )
        for _ in range(2)
    ]
    with apps[0].app_context():
        db.create_all()
        ensure_vocabulary()
        make_authority("north")
        make_user("editor", "north")
        db.session.remove()
    yield apps
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _editor() -> User:
    return db.session.scalar(select(User).where(User.email == "editor@north.example"))


def _together(work) -> None:
    """Run work(server_index) for both servers at once, from two threads started together."""
    start = threading.Barrier(2)
    failures = []

    def run(index):
        start.wait()
        try:
            work(index)
        except BaseException as exc:  # reported below, with the thread that raised it
            failures.append((index, repr(exc)))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []


def _audited(app, action: str, field: str = "version") -> list[int]:
    with app.app_context():
        details = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action))
        found = sorted(detail[field] for detail in details)
        db.session.remove()
    return found


def test_concurrent_uploads_to_one_document_take_consecutive_numbers(servers):
    with servers[0].app_context():
        editor = _editor()
        document_id = make_document(editor, title="Rota").document_id
        tokens = [token_create(editor, "server one"), token_create(editor, "server two")]
        db.session.remove()
    answers: list[tuple[int, int | None]] = []

    def upload_many(index):
        client = servers[index].test_client()
        for n in range(EACH):
            response = client.post(
                f"/api/v1/documents/{document_id}/versions",
                headers={"Authorization": f"Bearer {tokens[index]}"},
                data={
                    "file": (io.BytesIO(f"# Rota\n\nServer {index}, {n}.\n".encode()), "r.md"),
                    "change_note": f"Server {index}, upload {n}",
                },
                content_type="multipart/form-data",
            )
            answers.append((response.status_code, response.get_json().get("number")))

    _together(upload_many)
    total = 1 + 2 * EACH
    assert [status for status, _ in answers] == [201] * (2 * EACH), answers
    assert sorted(number for _, number in answers) == list(range(2, total + 1))
    with servers[1].app_context():
        numbers = db.session.scalars(
            select(DocumentVersion.number)
            .where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.number)
        ).all()
        db.session.remove()
    assert numbers == list(range(1, total + 1))
    assert _audited(servers[1], "version_added") == list(range(2, total + 1))


def test_concurrent_profile_saves_take_consecutive_numbers(servers):
    profile = json.loads(SAMPLE.read_text(encoding="utf-8"))["authority"]

    def save_many(index):
        with servers[index].app_context():
            for n in range(EACH):
                changed = {**profile, "phone": f"0113 496 {index}{n:03d}"}
                saved, changes = profiles.profile_update(_editor(), changed)
                assert changes, "every save changes the phone number"
            db.session.remove()

    _together(save_many)
    with servers[1].app_context():
        numbers = db.session.scalars(
            select(ProfileVersion.number).order_by(ProfileVersion.number)
        ).all()
        db.session.remove()
    assert numbers == list(range(1, 2 * EACH + 1))
    assert _audited(servers[0], "profile_updated") == list(range(1, 2 * EACH + 1))


def test_concurrent_template_uploads_take_consecutive_numbers(servers):
    letter = "plo-letter-before-proceedings"  # a library type; errors in a report do not matter
    with servers[0].app_context():
        template, _ = make_template(_editor(), make_docx(["Dear family"]), doc_type=letter)
        slug = template.slug
        db.session.remove()

    def upload_many(index):
        with servers[index].app_context():
            for n in range(EACH // 2):
                data = make_docx([f"Dear family, from server {index}, upload {n}"])
                note = f"Server {index}, upload {n}"
                make_template(_editor(), data, doc_type=None, slug=slug, change_note=note)
            db.session.remove()

    _together(upload_many)
    total = 1 + 2 * (EACH // 2)
    with servers[1].app_context():
        numbers = db.session.scalars(
            select(TemplateVersion.number).order_by(TemplateVersion.number)
        ).all()
        db.session.remove()
    assert numbers == list(range(1, total + 1))
    assert _audited(servers[0], "template_version_added") == list(range(1, total + 1))


def test_concurrent_wrong_passwords_are_all_counted(servers):
    tries = 4

    def guess_many(index):
        with servers[index].app_context():
            for n in range(tries):
                with pytest.raises(SignInRefused):
                    user_authenticate("editor@north.example", f"wrong {index} {n}")
            db.session.remove()

    _together(guess_many)
    with servers[0].app_context():
        assert _editor().failed_logins == 2 * tries
        db.session.remove()


def test_two_admins_demoting_each_other_at_once_leave_one(servers):
    with servers[0].app_context():
        ids = [make_user("admin", None, email=f"admin{n}@example.org").id for n in range(2)]
        db.session.remove()
    outcomes = []

    def demote_the_other(index):
        with servers[index].app_context():
            actor = db.session.get(User, ids[index])
            try:
                user_change_role(actor, ids[1 - index], "editor", "north")
                outcomes.append("demoted")
            except ServiceError as refused:  # last_admin, or forbidden if it came second
                outcomes.append(refused.code)
            db.session.remove()

    _together(demote_the_other)
    assert outcomes.count("demoted") == 1, outcomes
    assert set(outcomes) - {"demoted"} <= {"last_admin", "forbidden"}
    with servers[1].app_context():
        admins = db.session.scalars(select(User.id).where(User.role == "admin")).all()
        db.session.remove()
    assert len(admins) == 1


def test_wrong_feedback_codes_at_once_never_pass_the_limit(servers):
    """Each guess is counted before its code is looked at, so guesses in flight together
    cannot each see room under the limit."""
    limit, tries = 3, 8
    for app in servers:
        app.config["CLEARINGHOUSE"]["FEEDBACK_MAX_FAILURES_PER_ADDRESS"] = limit
    refusals = [[], []]

    def guess_many(index):
        with servers[index].app_context():
            for _ in range(tries):
                with pytest.raises(ServiceError) as refused:
                    feedback.code_check("AAAA-AAAA", "192.0.2.77")
                refusals[index].append(refused.value.code)
            db.session.remove()

    _together(guess_many)
    looked_at = [code for codes in refusals for code in codes if code != "too_many_codes"]
    assert set(looked_at) == {"code_not_valid"}
    assert 1 <= len(looked_at) <= limit
    with servers[0].app_context():
        assert db.session.scalar(select(func.count()).select_from(FeedbackAttempt)) == len(
            looked_at
        )
        db.session.remove()
