"""What only the database store has: its tables and migration, transactions and other sessions."""

import os
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from blob_helpers import blob_age, blob_exists, chunk_count
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from clearinghouse import create_app
from clearinghouse.extensions import db
from clearinghouse.models import Blob, BlobChunk
from clearinghouse.storage import blob_gc, get_blob, put_blob, sha256_of

pytestmark = pytest.mark.blob_stores("database")
DAY = 24 * 3600
MIB = 1024 * 1024


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # migrations/env.py get_engine
def test_the_migration_makes_the_tables_the_models_describe_and_undoes_them(tmp_path):
    app = create_app({"ENV": "testing", "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    directory = app.extensions["migrate"].directory
    with app.app_context():
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        found = inspect(db.engine)
        tables = set(found.get_table_names())
        chunk_keys = found.get_foreign_keys("blob_chunk")
        downgrade(directory=directory, revision="c4d8e2a6f0b3")
        after = inspect(db.engine)
        tables_after = set(after.get_table_names())
        indexes_after = {i["name"] for i in after.get_indexes("document_version")}
        db.engine.dispose()
    assert differences == []  # the migrated schema is the models', every table
    assert {"blob", "blob_chunk"} <= tables
    assert chunk_keys[0]["options"].get("ondelete") == "CASCADE"
    assert {c.name for c in Blob.__table__.columns} == {"sha256", "size", "created_at"}
    assert {c.name for c in BlobChunk.__table__.columns} == {"sha256", "seq", "data"}
    assert not {"blob", "blob_chunk"} & tables_after
    assert "ix_document_version_sha256" not in indexes_after


def _while_this_transaction_ends(app, other, end) -> None:
    """Run other in a thread with its own session while this session's transaction ends."""

    def run():
        with app.app_context():
            other()

    thread = threading.Thread(target=run)
    thread.start()
    end()
    thread.join(timeout=60)
    assert not thread.is_alive()


def test_a_blob_is_chunked_and_readable_only_after_its_commit_elsewhere(app):
    data = os.urandom(2 * MIB + 1)
    digest = put_blob(data)
    assert chunk_count(digest) == 3

    def other_session() -> bool:
        with app.app_context():  # its own session and connection
            return blob_exists(digest)

    assert other_session() is False  # not committed yet: no other server can see it
    db.session.commit()
    assert other_session() is True


@pytest.mark.parametrize("first_ends", ["commit", "rollback"])
def test_the_same_bytes_from_a_second_transaction_never_fail(app, first_ends):
    """The second upload's insert finds the first's row (ON CONFLICT / OR IGNORE) or, when the
    first rolls back, writes the blob itself; it never fails.

    The other transaction runs in a thread with its own session; on SQLite it waits for our
    write lock, on PostgreSQL its insert waits for our row: either way it goes on after we end.
    """
    data = os.urandom(MIB + 5)
    digest = put_blob(data)
    outcome = []

    def second_upload():
        outcome.append(put_blob(data))
        db.session.commit()

    _while_this_transaction_ends(app, second_upload, getattr(db.session, first_ends))
    db.session.expire_all()
    assert outcome == [digest]
    assert get_blob(digest) == data and chunk_count(digest) == 2


def test_gc_keeps_an_old_blob_an_uncommitted_upload_renewed(app):
    """An upload renews the old orphan it reuses in its own transaction, so gc, which cannot
    see the upload's uncommitted row, waits for it (SQLite) or re-checks the row (PostgreSQL)."""
    data = b"reused after a month"
    digest = put_blob(data)
    db.session.commit()
    blob_age(digest, 30 * DAY)
    put_blob(data)  # renewed, not committed yet
    report = []
    _while_this_transaction_ends(app, lambda: report.append(blob_gc(DAY)), db.session.commit)
    assert report[0].removed == [] and report[0].kept_young == 1
    assert get_blob(digest) == data == get_blob(sha256_of(data))
