"""The Alembic migrations build, on SQLite and on PostgreSQL, the schema the models describe.

``init-db`` runs them on an empty database; Alembic's autogenerate comparison (what ``flask db
check`` reports) must then find nothing to change. The PostgreSQL case needs PostgreSQL
whatever the suite runs on: it skips without it, and fails in CI.
"""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from clearinghouse import create_app
from clearinghouse.extensions import db

# What search on PostgreSQL needs of its tables and indexes beyond their columns.
STORAGE_OPTIONS = {"search_body": ["toast_tuple_target=8160"]}


def _storage_options(connection) -> dict[str, list[str]]:
    """Return {table or index: its storage parameters} of those that have any (PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return {}
    rows = connection.exec_driver_sql(
        "SELECT relname, reloptions FROM pg_class "
        "WHERE relnamespace = 'public'::regnamespace AND reloptions IS NOT NULL"
    )
    return {name: list(options) for name, options in rows}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> tuple[str, str]:
    """Return (instance folder, URL) of an empty database of each engine."""
    if request.param == "sqlite":
        return str(tmp_path), f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    return str(tmp_path), request.getfixturevalue("postgres_url")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # migrations/env.py get_engine
def test_init_db_migrates_an_empty_database_to_the_models(empty_database):
    instance, url = empty_database
    app = create_app(
        {"ENV": "testing", "SECRET_KEY": "x", "INSTANCE_PATH": instance, "DATABASE_URL": url}
    )
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.engine.dialect.name == url.split(":")[0].split("+")[0]
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata
            )
            tables = set(inspect(connection).get_table_names())
            options = _storage_options(connection)
        db.engine.dispose()
    assert differences == []
    assert tables == set(db.metadata.tables) | {"alembic_version"}
    if url.startswith("postgresql"):  # storage options, which the comparison does not see
        assert options == STORAGE_OPTIONS


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # migrations/env.py get_engine
def test_upgrading_a_database_with_data_keeps_every_row(empty_database):
    """A migration that rebuilds a table others refer to (user, for teams) must not fail on
    those references: an empty database never shows it, a pilot instance's does."""
    from alembic import command
    from alembic.script import ScriptDirectory

    instance, url = empty_database
    app = create_app(
        {"ENV": "testing", "SECRET_KEY": "x", "INSTANCE_PATH": instance, "DATABASE_URL": url}
    )
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        command.upgrade(config, "b8e4d2f6a1c3")  # the migration before teams
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO authority (id, slug, name, created_at) "
                "VALUES (1, 'north', 'Northshire', '2026-01-01 00:00:00')"
            )
            connection.exec_driver_sql(
                'INSERT INTO "user" (id, email, name, authority_id, role, password_hash, active, '
                "failed_logins, created_at) VALUES (1, 'a@north.example', 'A', 1, 'manager', "
                "'x', true, 0, '2026-01-01 00:00:00')"
            )
            connection.exec_driver_sql(
                "INSERT INTO audit_event (id, at, user_id, authority_id, action, object_type, "
                "object_id, detail) VALUES (1, '2026-01-01 00:00:00', 1, 1, 'signed_in', 'user', "
                "'1', '{}')"
            )
        command.upgrade(config, "head")
        with db.engine.connect() as connection:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert [row[0] for row in revision] == ScriptDirectory.from_config(config).get_heads()
            users = connection.exec_driver_sql('SELECT id, email, team_id FROM "user"').all()
            assert [tuple(u) for u in users] == [(1, "a@north.example", None)]
            assert connection.exec_driver_sql("SELECT count(*) FROM audit_event").scalar() == 1
            if connection.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        db.engine.dispose()
