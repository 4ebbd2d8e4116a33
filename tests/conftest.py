"""Fixtures: an app on a fresh SQLite database and instance folder (CSRF on or off by marker),
users of each role, signed-in clients, API tokens, a fake clock and document factories.

The factories themselves are in factories.py and the .docx builder in docx_builder.py."""

import os

import factories
import pytest
from docx_builder import make_docx
from factories import PASSWORD, make_authority, make_user
from fake_clock import FakeClock
from flask import g, request_started

from clearinghouse import create_app
from clearinghouse.accounts import ensure_vocabulary
from clearinghouse.auth.service import token_create
from clearinghouse.extensions import db

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


def pytest_configure(config):
    """Register the app_settings marker."""
    config.addinivalue_line(
        "markers",
        "app_settings(csrf=False, **settings): settings for this test's app fixture "
        "(CSRF protection is off unless csrf=True)",
    )


def make_app(instance_path, csrf: bool = False, **settings):
    """Return an app on the instance folder, CSRF protection on or off, with extra settings."""
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(instance_path),
            "FLASK_WTF_CSRF_ENABLED": csrf,
            **settings,
        }
    )
    request_started.connect(_forget_signed_in_user, app)
    return app


@pytest.fixture
def app(request, tmp_path):
    """Return an app with its own instance folder and an empty, migrated-equivalent database.

    CSRF protection is off unless a test turns it on, as production has it, with
    ``@pytest.mark.app_settings(csrf=True)``; the marker's other keywords, or a dict given by
    indirect parametrisation (which wins), are settings such as ``MAX_UPLOAD_MB=1``.
    """
    options = {}
    for marker in reversed(list(request.node.iter_markers("app_settings"))):
        options.update(marker.kwargs)
    options.update(getattr(request, "param", None) or {})
    app = make_app(tmp_path / "instance", **options)
    with app.app_context():
        db.create_all()
        ensure_vocabulary()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def clock(monkeypatch):
    """Return a FakeClock that the sign-in checks and generated file names read instead of now.

    The sign-in lock and address windows (auth.service) and the date in a generated document's
    file name (generation.service) move only when the test calls ``clock.advance(...)``.
    """
    from clearinghouse.auth import service as auth_service
    from clearinghouse.generation import service as generation_service

    fake = FakeClock()
    monkeypatch.setattr(auth_service, "utcnow", fake.utcnow)
    monkeypatch.setattr(generation_service, "date", fake.date_class())
    return fake


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
    return {slug: make_authority(slug) for slug in ("north", "south")}


@pytest.fixture
def users(app, authorities):
    """Create a user of each role in north, an editor and practitioner in south, and an admin."""
    made = {role: make_user(role, "north") for role in ("practitioner", "editor", "manager")}
    made["south_editor"] = make_user("editor", "south", name="South editor")
    made["south_practitioner"] = make_user("practitioner", "south", name="South practitioner")
    made["admin"] = make_user("admin", None)
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
    """Return factories.make_document: upload a document through the service as a given user."""
    return factories.make_document
