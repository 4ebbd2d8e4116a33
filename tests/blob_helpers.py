"""Reach into whichever blob store the app uses, as tests must: age, damage or remove a blob.

Each helper works for both stores (CLEARINGHOUSE_BLOB_STORE folder or database), so a test
written with them runs against either.
"""

import os
import time
from datetime import UTC, timedelta

from clearinghouse import storage
from clearinghouse.extensions import db
from clearinghouse.models import Blob, BlobChunk, utcnow


def _database() -> bool:
    return storage.store_name() == "database"


def blob_exists(sha256: str) -> bool:
    """Return whether the store holds a blob with this sha256 (committed or in this session)."""
    if _database():
        return db.session.get(Blob, sha256) is not None
    return storage.blob_path(sha256).exists()


def blob_age(sha256: str, seconds: float) -> None:
    """Make the blob look as if it was last stored `seconds` ago."""
    if _database():
        db.session.execute(
            db.update(Blob)
            .where(Blob.sha256 == sha256)
            .values(created_at=utcnow() - timedelta(seconds=seconds))
        )
        db.session.commit()
        return
    then = time.time() - seconds
    os.utime(storage.blob_path(sha256), (then, then))


def blob_stored_at(sha256: str) -> float:
    """Return when the blob was last stored or renewed, in seconds since the epoch (UTC)."""
    if _database():
        db.session.expire_all()
        return db.session.get(Blob, sha256).created_at.replace(tzinfo=UTC).timestamp()
    return storage.blob_path(sha256).stat().st_mtime_ns / 1e9


def blob_tamper(sha256: str, data: bytes, seq: int = 0) -> None:
    """Overwrite the stored bytes (the file, or chunk `seq` of the database blob) with data."""
    if _database():
        db.session.execute(
            db.update(BlobChunk)
            .where(BlobChunk.sha256 == sha256, BlobChunk.seq == seq)
            .values(data=data)
        )
        db.session.commit()
        return
    storage.blob_path(sha256).write_bytes(data)


def blob_remove(sha256: str) -> None:
    """Remove the blob behind the store's back, as a lost disk or a bad restore would."""
    if _database():
        db.session.execute(db.delete(Blob).where(Blob.sha256 == sha256))
        db.session.commit()
        return
    storage.blob_path(sha256).unlink()


def stored_digests() -> list[str]:
    """Return the sha256 of every blob the store holds (committed or in this session)."""
    if _database():
        return list(db.session.scalars(db.select(Blob.sha256).order_by(Blob.sha256)))
    root = storage.blob_root()
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def chunk_count(sha256: str) -> int:
    """Return how many chunk rows a database blob has (0 in the folder store)."""
    if not _database():
        return 0
    return db.session.scalar(
        db.select(db.func.count()).select_from(BlobChunk).where(BlobChunk.sha256 == sha256)
    )
