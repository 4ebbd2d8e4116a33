"""The folder blob store (the default): sha256 -> instance/blobs/ab/cd/<sha256>.

A blob is shared by content hash across every table named in ``BLOB_REFERENCES``, so only this
store decides when no row needs one: ``blob_gc`` removes blobs no committed row refers to once
they are older than a grace period. Nothing deletes a blob on a request's failure path, which
cannot see other transactions' rows that are not yet committed. Files are written before the
commit of the rows that name them (the unit of work's order), so a failed upload leaves a file
for ``blob_gc``; an fcntl lock orders writers against the collector on this machine.
"""

import fcntl
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from .common import (
    CHUNK_SIZE,
    DAMAGED,
    HEX,
    BlobCorrupted,
    BlobGcReport,
    BlobStream,
    check_digest,
    grace_seconds,
    referenced_digests,
    sha256_of,
)

log = logging.getLogger(__name__)

LOCK_NAME = "blobs.lock"
TMP_PREFIX = ".tmp-"


def blob_root() -> Path:
    """Return the folder blobs live in."""
    return Path(current_app.instance_path) / "blobs"


def blob_path(sha256: str) -> Path:
    """Return where the blob with this sha256 lives."""
    check_digest(sha256)
    return blob_root() / sha256[:2] / sha256[2:4] / sha256


@contextmanager
def _blob_lock(exclusive: bool) -> Iterator[None]:
    """Hold the blob store's lock: shared for writers, exclusive for the garbage collector."""
    root = blob_root()
    root.mkdir(parents=True, exist_ok=True)
    # Beside the blob folder, not in it, so the folder holds only blobs.
    with open(root.parent / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def put_blob(data: bytes) -> str:
    """Store data (once) and return its sha256; writes are atomic, a re-put renews an old one."""
    digest = sha256_of(data)
    path = blob_path(digest)
    with _blob_lock(exclusive=False):
        if path.exists():
            # The caller is about to commit a row naming this blob: make an old one young
            # again, so blob_gc leaves it at least half the grace period (an old orphan too).
            # A younger one is left alone: re-putting it neither rewrites nor re-dates it.
            if time.time() - path.stat().st_mtime > grace_seconds() / 2:
                os.utime(path)
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return digest


def get_blob(sha256: str) -> bytes:
    """Return the blob's bytes, verified against its sha256."""
    data = blob_path(sha256).read_bytes()
    if sha256_of(data) != sha256:
        log.error("blob %s does not match its sha256", sha256)
        raise BlobCorrupted(DAMAGED)
    return data


def open_blob(sha256: str) -> BlobStream:
    """Return the blob as a verified stream of chunks (FileNotFoundError if it is missing)."""
    path = blob_path(sha256)
    if not path.is_file():
        raise FileNotFoundError(f"no stored file {sha256}")

    def read() -> Iterator[bytes]:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK_SIZE):
                yield chunk

    return BlobStream(sha256, read)


def _stored_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.glob("??/??/*")):
        if path.name.startswith(TMP_PREFIX) or (len(path.name) == 64 and HEX.issuperset(path.name)):
            yield path


def blob_gc(grace_seconds: float, dry_run: bool = False) -> BlobGcReport:
    """Remove blobs no committed row refers to, and stale temporary files, older than the grace."""
    report = BlobGcReport(dry_run=dry_run)
    root = blob_root()
    if not root.is_dir():
        return report
    # Order matters. The database is read first, the age checked after, under the exclusive
    # lock, together with the unlink. An upload calls put_blob (which writes or touches the file
    # under the shared lock) before it commits, so for a blob we then remove: its commit came
    # after our read, hence its put_blob came after it too, hence either before our locked age
    # check (the file is young and kept) or after our unlink (put_blob writes it again).
    # Checking the age first would let put_blob and the commit slip in before the read.
    referenced = referenced_digests()
    for path in _stored_files(root):
        if path.name in referenced:
            report.kept_referenced += 1
            continue
        with _blob_lock(exclusive=True):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            if time.time() - stat.st_mtime < grace_seconds:
                report.kept_young += 1
                continue
            if not dry_run:
                path.unlink(missing_ok=True)
        report.removed.append((path.name, stat.st_size))
        action = "would remove" if dry_run else "removed"
        log.info("blob gc %s %s (%d bytes)", action, path.name, stat.st_size)
    return report
