"""What both blob stores share: the digest, the error, the gc report, and verified streams."""

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from ..errors import ServiceError
from ..extensions import db
from ..models import DocumentVersion, ProfileVersion, TemplateVersion

log = logging.getLogger(__name__)

# Every column that holds a blob's sha256; blob_gc keeps any blob one of them names.
BLOB_REFERENCES = (
    (DocumentVersion, DocumentVersion.sha256),
    (TemplateVersion, TemplateVersion.sha256),
    (ProfileVersion, ProfileVersion.logo_sha256),
)
HEX = frozenset("0123456789abcdef")
CHUNK_SIZE = 1024 * 1024  # a stream's piece, and a database blob's row
DAMAGED = "A stored file is damaged. Please tell your site administrator."


class BlobCorrupted(ServiceError):
    """A stored file no longer matches its sha256."""

    status = 500
    code = "blob_corrupted"


def check_digest(sha256: str) -> str:
    """Return sha256 if it is a lower-case hex sha256 digest; otherwise raise ValueError."""
    if len(sha256) != 64 or not HEX.issuperset(sha256):
        raise ValueError("not a sha256 hex digest")
    return sha256


def sha256_of(data: bytes) -> str:
    """Return the hex sha256 of data."""
    return hashlib.sha256(data).hexdigest()


def grace_seconds() -> float:
    """Return how old an unreferenced blob must be before blob_gc may remove it."""
    return float(current_app.config["CLEARINGHOUSE"]["BLOB_GC_GRACE_HOURS"]) * 3600


def referenced_digests() -> set[str]:
    """Return every sha256 a committed row of a table in BLOB_REFERENCES names."""
    found: set[str] = set()
    for _model, column in BLOB_REFERENCES:
        found.update(d for d in db.session.scalars(select(column).distinct()) if d)
    return found


@dataclass
class BlobGcReport:
    """What blob_gc removed (or, on a dry run, would remove) and what it kept."""

    dry_run: bool
    removed: list[tuple[str, int]] = field(default_factory=list)
    kept_referenced: int = 0
    kept_young: int = 0

    @property
    def bytes_freed(self) -> int:
        """Return the total size of the removed blobs."""
        return sum(size for _name, size in self.removed)


def verified(sha256: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Yield the chunks, holding the last back until all of them match sha256 (else raise)."""
    digest = hashlib.sha256()
    held = None
    for chunk in chunks:
        if held is not None:
            yield held
        digest.update(chunk)
        held = chunk
    if digest.hexdigest() != sha256:
        log.error("blob %s does not match its sha256", sha256)
        raise BlobCorrupted(DAMAGED)
    if held is not None:
        yield held


class BlobStream:
    """A stored blob's bytes, chunk by chunk, never the whole file in memory.

    It is checked twice. Opening it reads every chunk once and checks the sha256, so a damaged
    file is refused before a download has sent its status line (a clear error, not a cut-off
    file). Iterating reads the chunks again and checks them again, holding the last chunk back
    until they match: if the stored bytes changed between the two reads, the download stops
    short of its Content-Length (the client sees a failed download), never a whole wrong file.
    ``read`` must work after the request has ended: a download is sent after its view returns.
    """

    def __init__(self, sha256: str, read: Callable[[], Iterable[bytes]]) -> None:
        self.sha256 = sha256
        self._read = read
        self.size = sum(len(chunk) for chunk in verified(sha256, read()))

    def __iter__(self) -> Iterator[bytes]:
        """Yield the blob's bytes in chunks of about CHUNK_SIZE, checked as they go."""
        return verified(self.sha256, self._read())
