"""Fixtures: an app on a fresh database and instance folder (CSRF on or off by marker), users
of each role, signed-in clients, API tokens, a fake clock and document factories.

The database is SQLite in the instance folder, or, with CLEARINGHOUSE_TEST_DATABASE=postgres, a
fresh PostgreSQL database per instance folder in a throw-away cluster (pg_cluster.py) that the
tests start themselves. The factories are in factories.py, the .docx builder in docx_builder.py.
"""

import os
import shutil
import tempfile
from urllib.parse import urlsplit

import factories
import pg_cluster
import pytest
from docx_builder import make_docx
from factories import PASSWORD, make_authority, make_user
from fake_clock import FakeClock
from flask import g, request_started
from jinja2 import BytecodeCache

import clearinghouse
from clearinghouse import create_app
from clearinghouse.accounts import ensure_vocabulary
from clearinghouse.auth import service as auth_service
from clearinghouse.auth.service import token_create
from clearinghouse.config import load_settings
from clearinghouse.extensions import db

REQUIRE_TOOLS = os.environ.get("CLEARINGHOUSE_REQUIRE_TOOLS") == "1"
# CI sets this: a test that needs PostgreSQL fails, never skips, when it cannot start.
REQUIRE_POSTGRES = os.environ.get("CLEARINGHOUSE_REQUIRE_POSTGRES") == "1"
ON_POSTGRES = os.environ.get("CLEARINGHOUSE_TEST_DATABASE", "sqlite") == "postgres"

# On PostgreSQL: the database made for each instance folder, in the order they were made.
_databases: dict[str, str] = {}


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


def _postgres_or_fail() -> pg_cluster.Cluster:
    """Return the test cluster; when it cannot start, fail if PostgreSQL is required, else skip."""
    try:
        return pg_cluster.cluster()
    except pg_cluster.ClusterUnavailable as error:
        if REQUIRE_POSTGRES or ON_POSTGRES:
            pytest.fail(f"PostgreSQL is required here but would not start: {error}")
        pytest.skip(f"PostgreSQL is not available: {error}")


def database_for(instance_path) -> str:
    """Return the PostgreSQL database of an instance folder, made on first use.

    On SQLite the database lives in the instance folder, so an app made again on the same
    folder (a restart) finds its data and another folder starts empty; this keeps that.
    """
    key = os.path.realpath(instance_path)
    if key not in _databases:
        _databases[key] = _postgres_or_fail().create_database()
    return _databases[key]


def _settings_with_test_database(overrides: dict | None = None) -> dict:
    """load_settings, giving each instance folder its own PostgreSQL database."""
    settings = load_settings(overrides)
    if settings["DATABASE_URL"] is None and settings["INSTANCE_PATH"]:
        settings["DATABASE_URL"] = database_for(settings["INSTANCE_PATH"])
    return settings


def _drop_databases(keep: int) -> None:
    """Drop the databases made after the first ``keep``."""
    for key in list(_databases)[keep:]:
        pg_cluster.drop_database(_databases.pop(key))


# Passwords hash with one round of PBKDF2 in this process: the suite makes thousands of
# accounts, and scrypt's 0.1-0.3 s each was about a third of its time. Servers and commands
# the tests start run as deployed, with scrypt (test_auth.py checks that it is the default).
CHEAP_HASH = "pbkdf2:sha256:1"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes():
    """Hash passwords cheaply in the tests' own process (see CHEAP_HASH)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth_service, "PASSWORD_HASH_METHOD", CHEAP_HASH)
        patch.setattr(
            auth_service, "_DUMMY_HASH", auth_service.generate_password_hash("x", CHEAP_HASH)
        )
        yield


@pytest.fixture(scope="session", autouse=True)
def _postgres_session():
    """On PostgreSQL, make every app the tests create use the throw-away cluster.

    create_app reads its settings through clearinghouse.load_settings, so patching that name
    covers the app fixture, make_app and tests that call create_app on their own folder.
    """
    if not ON_POSTGRES:
        yield
        pg_cluster.stop()  # if a test needing PostgreSQL started it
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clearinghouse, "load_settings", _settings_with_test_database)
        yield
    _drop_databases(0)
    pg_cluster.stop()


@pytest.fixture(scope="session")
def instance_database():
    """Return a function giving an instance folder's database URL for a process the tests
    start (CLEARINGHOUSE_DATABASE_URL), or None where the suite runs on SQLite."""
    return database_for if ON_POSTGRES else (lambda instance_path: None)


@pytest.fixture(autouse=True)
def _postgres_databases_dropped():
    """Drop the PostgreSQL databases a test made, after it (module fixtures' stay till the end)."""
    made_before = len(_databases)
    yield
    if len(_databases) > made_before:
        _drop_databases(made_before)


@pytest.fixture
def postgres_url():
    """Return the URL of a fresh PostgreSQL database, whatever database the suite runs on.

    Fails when PostgreSQL cannot start and CLEARINGHOUSE_REQUIRE_POSTGRES=1 (CI), else skips.
    """
    url = _postgres_or_fail().create_database()
    yield url
    pg_cluster.drop_database(url)


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


class _CompiledPages(BytecodeCache):
    """The pages' templates compiled once for every app the tests make, not once an app.

    A fresh app compiled its pages again on first use (about 0.3 s a page, against 5 ms
    after): most of a web test's time. Every app here is made by create_app with the same
    Jinja settings, so their compiled templates are the same; a template whose source
    changes is compiled again (Jinja checks its checksum).
    """

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        """Give the bucket the code compiled before, if any."""
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket):
        """Keep the code just compiled."""
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED_PAGES = _CompiledPages()


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
    app.jinja_env.bytecode_cache = _COMPILED_PAGES
    return app


_schema_template: list[str] = []  # on PostgreSQL: the database the app fixture's are copied from


def _schema_template_name() -> str:
    """Return a database holding the tables and document types, made on first use.

    The app fixture's PostgreSQL databases are copies of it: copying took about 40 ms here,
    making the tables in an empty database about 250 ms, for each of two thousand tests.
    """
    if not _schema_template:
        url = _postgres_or_fail().create_database()
        folder = tempfile.mkdtemp(prefix="clearinghouse-schema-")
        made = make_app(folder, DATABASE_URL=url)
        with made.app_context():
            db.create_all()
            ensure_vocabulary()
            db.session.remove()
            db.engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        _schema_template.append(urlsplit(url).path.lstrip("/"))
    return _schema_template[0]


def _app_database(instance_path) -> str:
    """Return the instance folder's PostgreSQL database, a copy of the schema template."""
    key = os.path.realpath(instance_path)
    if key not in _databases:
        _databases[key] = _postgres_or_fail().create_database(template=_schema_template_name())
    return _databases[key]


@pytest.fixture
def app(request, tmp_path):
    """Return an app with its own instance folder and an empty, migrated-equivalent database.

    CSRF protection is off unless a test turns it on, as production has it, with
    ``@pytest.mark.app_settings(csrf=True)``; the marker's other keywords, or a dict given by
    indirect parametrisation (which wins), are settings such as ``MAX_UPLOAD_MB=1``;
    ``SEARCH_ENGINE="postgres"`` gives the app a PostgreSQL database of its own.
    """
    options = {}
    for marker in reversed(list(request.node.iter_markers("app_settings"))):
        options.update(marker.kwargs)
    options.update(getattr(request, "param", None) or {})
    # PostgreSQL's search lives in the database: it needs one, whatever the suite runs on.
    on_postgres = ON_POSTGRES or options.get("SEARCH_ENGINE") == "postgres"
    if on_postgres and not options.get("DATABASE_URL"):
        options["DATABASE_URL"] = _app_database(tmp_path / "instance")
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
