"""The database blob store (CLEARINGHOUSE_BLOB_STORE=database): blobs shared by app servers.

A blob is a ``blob`` row (sha256, size, created_at) and its bytes in ``blob_chunk`` rows of
CHUNK_SIZE, so no value is one huge bytea and a download reads a chunk at a time. ``put_blob``
writes in the session's own transaction, so a blob commits or rolls back with the rows that
name it (the unit of work's one commit): a failed upload leaves nothing behind.

Two uploads of the same bytes: the header is inserted with ON CONFLICT DO NOTHING (PostgreSQL)
or INSERT OR IGNORE (SQLite). On PostgreSQL the second insert waits for the first transaction;
if that commits, nothing is inserted and its chunks are already there; if it rolls back, the
second insert goes ahead and writes the chunks. SQLite takes one writer at a time.

Why ``blob_gc`` cannot remove a blob an upload is about to name. It deletes, in ONE statement,
headers older than the grace period that no row of any BLOB_REFERENCES column names (chunks go
with them, ON DELETE CASCADE). ``put_blob`` first UPDATEs the created_at of an existing header
older than half the grace period to now, in the uploading transaction, and only then inserts:

- PostgreSQL, READ COMMITTED. The DELETE's NOT EXISTS sees only rows committed before it
  began, so it cannot be what protects an upload in flight; the row lock and created_at are.
  If the upload's UPDATE came first, the DELETE waits on that row lock; when the upload
  commits, PostgreSQL re-checks the DELETE's condition on the new row version, whose created_at
  is now young, and skips it. If the DELETE came first, the upload's UPDATE waits, then finds
  no row; its INSERT then makes the blob again (the row is gone, so no conflict). A header the
  UPDATE found young enough to leave alone is younger than the grace by at least half of it,
  longer than any upload's transaction. A header another upload inserts is young by nature.
- SQLite allows one writer at a time and the DELETE is one statement in its own transaction:
  it runs wholly before an upload's first write (the upload then inserts afresh) or wholly
  after its commit (its NOT EXISTS then sees the committed row naming the blob).
"""

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Table, and_, delete, exists, func, insert, not_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Blob, BlobChunk, utcnow
from .common import (
    BLOB_REFERENCES,
    CHUNK_SIZE,
    BlobGcReport,
    BlobStream,
    check_digest,
    grace_seconds,
    sha256_of,
    verified,
)

log = logging.getLogger(__name__)

BLOB: Table = Blob.__table__
CHUNK: Table = BlobChunk.__table__
PSYCOPG_CHUNK = "SELECT data FROM blob_chunk WHERE sha256 = %s AND seq = %s"


def _insert_if_absent(values: dict):
    """Return an INSERT of a header that does nothing when the sha256 is already there."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(BLOB).values(values).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(BLOB).values(values).on_conflict_do_nothing()
    raise RuntimeError(f"the database blob store needs PostgreSQL or SQLite, not {dialect}")


def put_blob(data: bytes) -> str:
    """Store data (once) in the session's transaction and return its sha256."""
    digest = sha256_of(data)
    now = utcnow()
    renew_before = now - timedelta(seconds=grace_seconds() / 2)
    # Renew an old header first: the row lock this takes is what keeps blob_gc off it.
    # RETURNING, not rowcount, says whether a row was written: drivers differ on rowcount.
    renewed = db.session.execute(
        update(BLOB)
        .where(BLOB.c.sha256 == digest, BLOB.c.created_at < renew_before)
        .values(created_at=now)
        .returning(BLOB.c.sha256)
    ).first()
    if renewed:
        return digest
    inserted = db.session.execute(
        _insert_if_absent({"sha256": digest, "size": len(data), "created_at": now}).returning(
            BLOB.c.sha256
        )
    ).first()
    if inserted and data:
        view = memoryview(data)  # slices without copying the bytes
        rows = [
            {"sha256": digest, "seq": seq, "data": view[start : start + CHUNK_SIZE]}
            for seq, start in enumerate(range(0, len(data), CHUNK_SIZE))
        ]
        db.session.execute(insert(CHUNK), rows)
    return digest


def _chunk(sha256: str, seq: int) -> bytes | None:
    """Return one stored chunk, or None past the last."""
    connection = db.session.connection()
    if connection.dialect.driver == "psycopg":
        # Ask for binary results: a bytea then comes as its bytes, not as hex text to decode,
        # which made reading a 20 MB file five times slower.
        with connection.connection.driver_connection.cursor(binary=True) as cursor:
            cursor.execute(PSYCOPG_CHUNK, (sha256, seq))
            row = cursor.fetchone()
        return None if row is None else bytes(row[0])
    chunk = db.session.scalar(
        select(CHUNK.c.data).where(CHUNK.c.sha256 == sha256, CHUNK.c.seq == seq)
    )
    return None if chunk is None else bytes(chunk)


def _chunks(sha256: str) -> Iterator[bytes]:
    """Yield the stored chunks in order, one query (and one chunk in memory) at a time."""
    seq = 0
    while (chunk := _chunk(sha256, seq)) is not None:
        yield chunk
        seq += 1


def _check_stored(sha256: str) -> None:
    check_digest(sha256)
    if db.session.scalar(select(BLOB.c.size).where(BLOB.c.sha256 == sha256)) is None:
        raise FileNotFoundError(f"no stored file {sha256}")


def open_blob(sha256: str) -> BlobStream:
    """Return the blob as a verified stream of chunks (FileNotFoundError if it is missing)."""
    _check_stored(sha256)
    app = current_app._get_current_object()

    def read() -> Iterator[bytes]:
        # A download is read after its view has returned and its contexts are gone, so each
        # read has an app context (and a database session) of its own, made when it starts.
        with app.app_context():
            yield from _chunks(sha256)

    return BlobStream(sha256, read)


def get_blob(sha256: str) -> bytes:
    """Return the blob's bytes, verified against its sha256 (read once, checked once)."""
    _check_stored(sha256)
    return b"".join(verified(sha256, _chunks(sha256)))


def _unreferenced():
    """Return the condition: no row of any BLOB_REFERENCES column names this blob."""
    return and_(*(not_(exists().where(column == BLOB.c.sha256)) for _m, column in BLOB_REFERENCES))


def _count(condition) -> int:
    return db.session.scalar(select(func.count()).select_from(BLOB).where(condition))


def blob_gc(grace_seconds: float, dry_run: bool = False) -> BlobGcReport:
    """Remove blobs no committed row refers to, older than the grace, in one statement."""
    report = BlobGcReport(dry_run=dry_run)
    cutoff: datetime = utcnow() - timedelta(seconds=grace_seconds)
    removable = and_(BLOB.c.created_at < cutoff, _unreferenced())
    if dry_run:
        rows = db.session.execute(select(BLOB.c.sha256, BLOB.c.size).where(removable)).all()
    else:
        rows = db.session.execute(
            delete(BLOB).where(removable).returning(BLOB.c.sha256, BLOB.c.size)
        ).all()
    report.removed = sorted((sha256, size) for sha256, size in rows)
    report.kept_referenced = _count(not_(_unreferenced()))
    report.kept_young = _count(_unreferenced()) - (len(rows) if dry_run else 0)
    db.session.commit()
    action = "would remove" if dry_run else "removed"
    for sha256, size in report.removed:
        log.info("blob gc %s %s (%d bytes)", action, sha256, size)
    return report
