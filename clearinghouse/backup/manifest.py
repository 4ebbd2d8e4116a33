"""The backup's manifest: what a backup holds, with the sha256 and size of every file.

``manifest.json`` is written last, so a folder without one is an unfinished backup that
restore refuses. Its ``blobs`` map every stored file's sha256 to its size.
"""

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..storage.common import check_digest

log = logging.getLogger(__name__)

FORMAT = "clearinghouse-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
BLOB_DIR = "blobs"
SNAPSHOT_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
COUNTED = ("authorities", "users", "documents", "versions", "templates", "profiles", "blobs")


class ManifestError(Exception):
    """The backup folder is not a finished, readable backup."""


@dataclass
class Manifest:
    """What one backup holds."""

    created_at: str
    app_version: str
    alembic_revision: str | None
    database_kind: str
    snapshot: dict  # {"name", "sha256", "size"}
    counts: dict[str, int]
    blobs: dict[str, int] = field(default_factory=dict)  # sha256 -> size
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def total_blob_bytes(self) -> int:
        """Return the stored files' total size."""
        return sum(self.blobs.values())


def blob_file(root: Path, sha256: str) -> Path:
    """Return where a backup keeps the blob with this sha256 (blobs/ab/cd/<sha256>)."""
    return root / BLOB_DIR / sha256[:2] / sha256[2:4] / sha256


def file_digest(path: Path) -> tuple[str, int]:
    """Return (sha256, size) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write_durably(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file, fsync'd, then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (new files, renames) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def manifest_write(root: Path, manifest: Manifest) -> None:
    """Write the manifest, last of all, durably."""
    data = json.dumps(asdict(manifest), indent=1, sort_keys=True).encode()
    write_durably(root / MANIFEST_NAME, data)
    fsync_dir(root)


FIELDS = {
    "created_at": str,
    "app_version": str,
    "alembic_revision": (str, type(None)),
    "database_kind": str,
    "snapshot": dict,
    "counts": dict,
    "blobs": dict,
}
SNAPSHOT_FIELDS = {"name": str, "sha256": str, "size": int}


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_shape(raw: dict, path: Path) -> None:
    """Raise ManifestError unless every field of the manifest has the expected type."""
    for name, kind in FIELDS.items():
        if name not in raw:
            raise ManifestError(f"{path} has no {name!r}: the backup is damaged.")
        if not isinstance(raw[name], kind):
            raise ManifestError(f"{path}: {name!r} has the wrong type: the backup is damaged.")
    unknown = raw.keys() - FIELDS.keys() - {"format", "format_version"}
    if unknown:
        raise ManifestError(f"{path} has unknown fields ({', '.join(sorted(unknown))}).")
    snapshot = raw["snapshot"]
    if snapshot.keys() != SNAPSHOT_FIELDS.keys() or not all(
        isinstance(snapshot[key], kind) for key, kind in SNAPSHOT_FIELDS.items()
    ):
        raise ManifestError(f"{path}: 'snapshot' must hold a name, a sha256 and a size.")
    if not _is_count(snapshot["size"]) or not _is_digest(snapshot["sha256"]):
        raise ManifestError(f"{path}: the snapshot's sha256 or size is not valid.")
    for digest, size in raw["blobs"].items():
        if not _is_digest(digest):
            raise ManifestError(
                f"{path}: the stored file name {digest[:80]!r} is not a sha256 (64 lower-case "
                "hex digits): the backup is damaged."
            )
        if not _is_count(size):
            raise ManifestError(f"{path}: the size of the stored file {digest} is not valid.")
    if not all(isinstance(k, str) and _is_count(v) for k, v in raw["counts"].items()):
        raise ManifestError(f"{path}: 'counts' must map names to whole numbers.")


def _is_digest(value) -> bool:
    try:
        check_digest(value)
    except (ValueError, TypeError):
        return False
    return True


def manifest_read(root: Path) -> Manifest:
    """Read and check a backup's manifest; raise ManifestError saying what is wrong."""
    path = root / MANIFEST_NAME
    if not root.is_dir():
        raise ManifestError(f"There is no backup folder at {root}.")
    if not path.is_file():
        raise ManifestError(
            f"{root} has no {MANIFEST_NAME}: it is not a backup, or its backup did not finish."
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ManifestError(f"{path} is not a Clearinghouse backup manifest.")
        if raw.get("format") != FORMAT:
            raise ManifestError(f"{path} is not a Clearinghouse backup manifest.")
        if raw.get("format_version") != FORMAT_VERSION:
            raise ManifestError(
                f"{path} has format version {raw.get('format_version')}; this version of "
                f"Clearinghouse reads version {FORMAT_VERSION}."
            )
    except (ValueError, TypeError, AttributeError) as exc:
        raise ManifestError(f"{path} cannot be read ({type(exc).__name__}).") from None
    _check_shape(raw, path)
    manifest = Manifest(**raw)
    if manifest.database_kind not in SNAPSHOT_NAMES:
        raise ManifestError(f"{path} names an unknown database kind {manifest.database_kind!r}.")
    if manifest.snapshot.get("name") != SNAPSHOT_NAMES[manifest.database_kind]:
        raise ManifestError(f"{path} names an unexpected snapshot file.")
    return manifest
