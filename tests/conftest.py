"""Fixtures: an app on a fresh SQLite database and instance folder, users of each role,
signed-in clients, API tokens and document factories."""

import os

import pytest
from flask import g, request_started
from testdata import PASSWORD, make_docx

from clearinghouse import create_app
from clearinghouse.accounts import authority_create, ensure_vocabulary, user_create
from clearinghouse.auth.service import token_create
from clearinghouse.extensions import db
from clearinghouse.permissions import SYSTEM

REQUIRE_TOOLS = os.environ.get("CLEARINGHOUSE_REQUIRE_TOOLS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (CLEARINGHOUSE_REQUIRE_TOOLS=1) a skipped test is a failed test."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_TOOLS and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"skipped, but CLEARINGHOUSE_REQUIRE_TOOLS=1 forbids it: {report.longrepr}"
        )


def _forget_signed_in_user(sender, **extra):
    # Tests keep one app context open, so requests would share flask-login's cached user in g.
    g.pop("_login_user", None)


@pytest.fixture
def app(tmp_path):
    """Return an app with its own instance folder and an empty, migrated-equivalent database."""
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "FLASK_WTF_CSRF_ENABLED": False,
        }
    )
    request_started.connect(_forget_signed_in_user, app)
    with app.app_context():
        db.create_all()
        ensure_vocabulary()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path):
    """Return an app with CSRF protection on, as in production."""
    app = create_app(
        {"ENV": "testing", "SECRET_KEY": "test-secret", "INSTANCE_PATH": str(tmp_path / "csrf")}
    )
    request_started.connect(_forget_signed_in_user, app)
    with app.app_context():
        db.create_all()
        ensure_vocabulary()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """Return a test client (not signed in)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner for the app."""
    return app.test_cli_runner()


@pytest.fixture
def authorities(app):
    """Create two authorities, north and south; return them by slug."""
    return {
        "north": authority_create(SYSTEM, "north", "Northshire County Council"),
        "south": authority_create(SYSTEM, "south", "Southborough Council"),
    }


@pytest.fixture
def users(app, authorities):
    """Create a user of each role in north, an editor and practitioner in south, and an admin."""
    made = {}
    for role in ("practitioner", "editor", "manager"):
        made[role] = user_create(
            SYSTEM,
            email=f"{role}@north.example",
            name=f"North {role}",
            role=role,
            authority_slug="north",
            password=PASSWORD,
        )
    made["south_editor"] = user_create(
        SYSTEM,
        email="editor@south.example",
        name="South editor",
        role="editor",
        authority_slug="south",
        password=PASSWORD,
    )
    made["south_practitioner"] = user_create(
        SYSTEM,
        email="practitioner@south.example",
        name="South practitioner",
        role="practitioner",
        authority_slug="south",
        password=PASSWORD,
    )
    made["admin"] = user_create(
        SYSTEM,
        email="admin@example.org",
        name="Site admin",
        role="admin",
        authority_slug=None,
        password=PASSWORD,
    )
    return made


@pytest.fixture
def login(app):
    """Return a function that gives a test client signed in as the given user."""

    def _login(user):
        client = app.test_client()
        response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login


@pytest.fixture
def api_headers(app):
    """Return a function that gives Authorization headers for the given user."""

    def _headers(user):
        return {"Authorization": f"Bearer {token_create(user, 'tests')}"}

    return _headers


@pytest.fixture
def docx_bytes():
    """Return the make_docx builder."""
    return make_docx


@pytest.fixture
def make_document(app):
    """Return a function that uploads a document through the service as a given editor."""
    from clearinghouse.documents.service import document_create

    def _make(
        user,
        title="Test policy",
        doc_type="policy",
        visibility="shared",
        data=None,
        filename=None,
        **kwargs,
    ):
        if data is None:
            data = f"# {title}\n\nSome text about {title}.\n".encode()
            filename = filename or "policy.md"
        return document_create(
            user,
            title=title,
            doc_type=doc_type,
            visibility=visibility,
            data=data,
            filename=filename or "document.docx",
            **kwargs,
        )

    return _make
