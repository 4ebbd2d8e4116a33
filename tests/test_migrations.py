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
        db.engine.dispose()
    assert differences == []
    assert tables == set(db.metadata.tables) | {"alembic_version"}
