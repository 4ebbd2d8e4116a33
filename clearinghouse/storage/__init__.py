"""Content-addressed blob store: sha256 -> bytes, in a folder (default) or in the database.

``CLEARINGHOUSE_BLOB_STORE`` chooses where: ``folder`` keeps each blob as a file under
instance/blobs/ (one machine; see folder.py), ``database`` keeps it in the ``blob`` and
``blob_chunk`` tables, written in the same transaction as the rows that name it (several app
servers sharing one database; see database.py). Both give these functions the same meaning:
``put_blob`` stores and returns the sha256, ``get_blob`` and ``open_blob`` read it verified
(BlobCorrupted if it no longer matches; FileNotFoundError if it is gone), ``blob_gc`` alone
decides a blob is no longer needed: no committed row of BLOB_REFERENCES names it and it is
older than the grace period.
"""

from types import ModuleType

from flask import current_app

from . import database, folder
from .common import (
    BLOB_REFERENCES,
    CHUNK_SIZE,
    BlobCorrupted,
    BlobGcReport,
    BlobStream,
    grace_seconds,
    referenced_digests,
    sha256_of,
)
from .folder import blob_path, blob_root

STORES: dict[str, ModuleType] = {"folder": folder, "database": database}

__all__ = [
    "BLOB_REFERENCES",
    "CHUNK_SIZE",
    "STORES",
    "BlobCorrupted",
    "BlobGcReport",
    "BlobStream",
    "blob_gc",
    "blob_path",
    "blob_root",
    "get_blob",
    "grace_seconds",
    "open_blob",
    "put_blob",
    "referenced_digests",
    "sha256_of",
    "store_name",
]


def store_name() -> str:
    """Return the app's blob store: "folder" or "database"."""
    return current_app.config["CLEARINGHOUSE"]["BLOB_STORE"]


def _store() -> ModuleType:
    return STORES[store_name()]


def put_blob(data: bytes) -> str:
    """Store data (once) and return its sha256; call before the commit of rows that name it."""
    return _store().put_blob(data)


def get_blob(sha256: str) -> bytes:
    """Return the blob's bytes, verified against its sha256."""
    return _store().get_blob(sha256)


def open_blob(sha256: str) -> BlobStream:
    """Return the blob as a stream of chunks, verified before and while it is read."""
    return _store().open_blob(sha256)


def blob_gc(grace_seconds: float, dry_run: bool = False) -> BlobGcReport:
    """Remove blobs no committed row refers to, once older than grace_seconds."""
    return _store().blob_gc(grace_seconds, dry_run=dry_run)
