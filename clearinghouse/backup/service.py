"""Back up a running instance: a consistent database snapshot, then exactly its blobs.

The database is snapshotted first (SQLite's backup API, or pg_dump of an exported snapshot);
the blobs to copy are read from that snapshot, so they are exactly the ones its rows name,
each read through ``storage.get_blob`` (verified) and fsync'd. The manifest is written last:
a folder without one is an unfinished backup, and restore refuses it.
"""

import importlib.metadata
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import storage
from ..errors import ServiceError
from ..extensions import db
from .contents import SnapshotContents
from .manifest import (
    BLOB_DIR,
    SNAPSHOT_NAMES,
    Manifest,
    blob_file,
    file_digest,
    fsync_dir,
    manifest_write,
    write_durably,
)

log = logging.getLogger(__name__)
INCOMPLETE_NAME = "INCOMPLETE"
WRITERS = 8  # threads writing blobs: fsync waits on the disk, not the CPU
IN_FLIGHT = 64  # blobs read and not yet written, at most (bounds the memory held)
Progress = Callable[[str], None]


class BackupError(ServiceError):
    """The backup or restore could not be made; the message says why."""

    code = "backup_failed"


@dataclass
class BackupReport:
    """A finished backup: where it is, its manifest, how long it took."""

    dest: Path
    manifest: Manifest
    seconds: float


def database_kind() -> str:
    """Return the configured database's kind: "sqlite" or "postgresql"."""
    name = db.engine.dialect.name
    if name not in SNAPSHOT_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def sqlite_file() -> Path:
    """Return the configured SQLite database file."""
    return Path(db.engine.url.database).resolve()


def app_version() -> str:
    """Return the installed Clearinghouse version."""
    try:
        return importlib.metadata.version("clearinghouse")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _check_dest(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise BackupError(f"{dest} is a file. Give a new folder, or an empty one, to back up to.")
    if dest.is_dir() and any(dest.iterdir()):
        raise BackupError(
            f"{dest} is not empty. Give a new folder, or an empty one, so no backup is mixed "
            "with another."
        )


def _snapshot(kind: str, path: Path, progress: Progress) -> SnapshotContents:
    if kind == "sqlite":
        from .sqlite import sqlite_contents, sqlite_snapshot

        try:
            sqlite_snapshot(sqlite_file(), path)
        except FileNotFoundError as exc:
            raise BackupError(str(exc)) from None
        return sqlite_contents(path)
    from .postgres import ToolFailed, pg_snapshot

    try:
        return pg_snapshot(db.engine, path, lambda: progress("Database dumped."))
    except ToolFailed as exc:
        raise BackupError(str(exc)) from None


def _read_blob(dest: Path, digest: str) -> bytes:
    try:
        return storage.get_blob(digest)
    except Exception as exc:  # missing or damaged: the backup cannot be whole
        state = "damaged" if isinstance(exc, storage.BlobCorrupted) else "missing"
        raise BackupError(
            f"The stored file {digest} that the database refers to is {state} "
            f"({type(exc).__name__}). The backup in {dest} did not finish and cannot be "
            "restored. Put that file back (from an earlier backup), then back up again."
        ) from None


def _copy_blobs(dest: Path, digests: set[str], progress: Progress) -> dict[str, int]:
    """Copy each blob, read (verified) here and written and fsync'd by a few threads.

    Reads stay in this thread, since a blob store may read through this app's session; the
    writes are plain files, and several fsyncs in flight cost little more than one.
    """
    sizes: dict[str, int] = {}
    pending: set[Future] = set()
    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="backup-write") as pool:
        for count, digest in enumerate(sorted(digests), start=1):
            data = _read_blob(dest, digest)
            pending.add(pool.submit(write_durably, blob_file(dest, digest), data))
            sizes[digest] = len(data)
            if len(pending) >= IN_FLIGHT:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()
            if count % 1000 == 0:
                progress(f"Copied {count} of {len(digests)} stored files.")
        for future in pending:
            future.result()
        # The new folders' entries too: blobs/ab/cd, blobs/ab, blobs.
        leaves = {blob_file(dest, digest).parent for digest in sizes}
        list(pool.map(fsync_dir, [*leaves, *{leaf.parent for leaf in leaves}, dest / BLOB_DIR]))
    return sizes


def backup_create(dest: Path, progress: Progress | None = None) -> BackupReport:
    """Write a consistent backup of the running instance to dest (new or empty)."""
    progress = progress or (lambda message: None)
    started = time.monotonic()
    dest = Path(dest).resolve()
    _check_dest(dest)
    kind = database_kind()
    # A backup holds all the database does (password hashes, the audit log): its owner only.
    # An existing empty folder keeps its mode unless changed; the umask makes every file
    # and folder written below, pg_dump's output too, 0600 and 0700.
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    dest.chmod(0o700)
    with _owner_only():
        manifest = _write_backup(dest, kind, progress)
    log.info("backup written to %s: %d blobs", dest, len(manifest.blobs))
    return BackupReport(dest, manifest, time.monotonic() - started)


@contextmanager
def _owner_only():
    """Create files 0600 and folders 0700 (umask 077) for the block."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _write_backup(dest: Path, kind: str, progress: Progress) -> Manifest:
    marker = dest / INCOMPLETE_NAME
    write_durably(marker, b"This backup did not finish: it has no manifest.json. Delete it.\n")
    snapshot_path = dest / SNAPSHOT_NAMES[kind]
    contents = _snapshot(kind, snapshot_path, progress)
    progress(f"Database snapshot taken: {contents.counts['versions']} document versions.")
    (dest / BLOB_DIR).mkdir(exist_ok=True)
    sizes = _copy_blobs(dest, contents.digests, progress)
    digest, size = file_digest(snapshot_path)
    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        app_version=app_version(),
        alembic_revision=contents.alembic_revision,
        database_kind=kind,
        snapshot={"name": snapshot_path.name, "sha256": digest, "size": size},
        counts=contents.counts,
        blobs=sizes,
    )
    marker.unlink()
    manifest_write(dest, manifest)
    return manifest
