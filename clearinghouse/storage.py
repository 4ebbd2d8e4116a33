"""Content-addressed blob store: sha256 -> instance/blobs/ab/cd/<sha256>."""

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app

from .errors import ServiceError


class BlobCorrupted(ServiceError):
    """A stored file no longer matches its sha256."""

    status = 500
    code = "blob_corrupted"


def blob_root() -> Path:
    """Return the folder blobs live in."""
    return Path(current_app.instance_path) / "blobs"


def blob_path(sha256: str) -> Path:
    """Return where the blob with this sha256 lives."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256 hex digest")
    return blob_root() / sha256[:2] / sha256[2:4] / sha256


def sha256_of(data: bytes) -> str:
    """Return the hex sha256 of data."""
    return hashlib.sha256(data).hexdigest()


def put_blob(data: bytes) -> str:
    """Store data (once) and return its sha256; writes are atomic."""
    digest = sha256_of(data)
    path = blob_path(digest)
    if path.exists():
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
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
        raise BlobCorrupted("A stored file is damaged. Please tell your site administrator.")
    return data


def delete_blob_if_unused(sha256: str, still_used: bool) -> None:
    """Remove a blob written for an operation that then failed, unless something uses it."""
    if not still_used:
        blob_path(sha256).unlink(missing_ok=True)
