"""Index files' lifetimes: readers survive writers, and a crashed rebuild is noticed.

Whoosh deletes the files of replaced segments and tables of contents at every commit. A
searcher opened just before opens some files lazily (stored fields, lengths), so it then
finds them gone: ``stored_fields`` returns None (a TypeError) or ``open_dir`` raises
FileNotFoundError. Here a commit deletes nothing: it logs which table and segments it made
current, and a sweep deletes only files no table current in the last ``RETAIN_SECONDS``
names, longer than any request may run. Old index folders left by a rebuild are retired
the same way.

A rebuild holds an exclusive ``flock`` on ``rebuild.lock`` for as long as it runs; the lock
dies with its process, so a ``kill -9`` can never leave a rebuild that looks alive.
"""

import fcntl
import logging
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import _DEF_INDEX_NAME as INDEX_NAME
from whoosh.index import TOC, EmptyIndexError, FileIndex
from whoosh.writing import SegmentWriter

log = logging.getLogger(__name__)

RETAIN_SECONDS = 120.0  # twice gunicorn's request timeout
BUCKET_SECONDS = 10.0
COMMIT_LOG = ".commits-"
LEGACY_RETIRED = ".retired.json"  # the retirement list of earlier releases
GENERATION = ".generation"
FOLDER_RETIRED = ".retired-at"
REBUILD_LOCK = "rebuild.lock"
OLD_MARKER = "rebuilding"  # written by earlier releases; stale whenever nobody holds the lock
OPEN_ATTEMPTS = 20


def retire_files(storage, indexname: str, generation: int, segments) -> None:
    """Record this commit; every BUCKET_SECONDS, delete files no recent commit names.

    Each commit appends its generation and segment ids to the log of its time bucket
    (``.commits-<bucket>``): one short append, whatever the folder holds. When a commit
    opens a new bucket, the folder is swept once: a table of contents or segment file is
    deleted only if no table current at any time in the last RETAIN_SECONDS names it, the
    same files Whoosh's ``clean_files`` deletes at once. Commits run under the writer lock,
    so sweeps never overlap.
    """
    folder = Path(storage.folder)
    now = time.time()
    log_file = folder / f"{COMMIT_LOG}{int(now // BUCKET_SECONDS)}"
    first_in_bucket = not log_file.exists()
    ids = " ".join(s.segment_id() for s in segments)
    with open(log_file, "a") as handle:
        handle.write(f"{generation} {ids}\n")
    if first_in_bucket:
        _sweep(storage, indexname, now)


def _sweep(storage, indexname: str, now: float) -> None:
    """Delete files that no table of contents current in the last RETAIN_SECONDS names."""
    folder = Path(storage.folder)
    names = storage.list()
    buckets = sorted(
        (int(name[len(COMMIT_LOG) :]), name)
        for name in names
        if name.startswith(COMMIT_LOG) and name[len(COMMIT_LOG) :].isdigit()
    )
    window = int((now - RETAIN_SECONDS) // BUCKET_SECONDS)
    older = [b for b in buckets if b[0] < window]
    if not older:
        return  # the log does not yet cover the window: a file it does not name may be in use
    # The newest bucket before the window holds the table that was current when it began.
    kept = [b for b in buckets if b[0] >= window] + older[-1:]
    generations, segment_ids = set(), set()
    for _bucket, name in kept:
        for line in (folder / name).read_text().splitlines():
            generation, *ids = line.split() or ["?"]
            if not generation.isdigit():
                return  # a record cut short by a crash: keep everything this time
            generations.add(int(generation))
            segment_ids.update(ids)
    tocs, segs = TOC._pattern(indexname), TOC._segment_pattern(indexname)
    for name in names:
        toc, seg = tocs.match(name), segs.match(name)
        if (toc and int(toc.group(1)) not in generations) or (
            seg and seg.group(1) not in segment_ids
        ):
            (folder / name).unlink(missing_ok=True)
    for _bucket, name in older[:-1]:
        (folder / name).unlink(missing_ok=True)
    (folder / LEGACY_RETIRED).unlink(missing_ok=True)


class RetainingWriter(SegmentWriter):
    """Whoosh's segment writer, but replaced files are retired, not deleted at once.

    After each commit it writes the new generation to ``.generation``, so a reader can open
    that table of contents without listing a folder full of retired files.
    """

    def _commit_toc(self, segments):
        toc = TOC(self.schema, segments, self.generation)
        toc.write(self.storage, self.indexname)
        retire_files(self.storage, self.indexname, self.generation, segments)
        folder = Path(self.storage.folder)
        tmp = folder / f"{GENERATION}.{os.getpid()}.tmp"
        tmp.write_text(str(self.generation))
        os.replace(tmp, folder / GENERATION)


def latest_generation(folder: Path) -> int | None:
    """Return the generation the last commit named, or None when it cannot be trusted."""
    try:
        generation = int((folder / GENERATION).read_text())
    except (FileNotFoundError, ValueError):
        return None
    # A writer that does not keep the marker (a rebuild's own commit) may have gone further.
    if (folder / TOC._filename(INDEX_NAME, generation + 1)).exists():
        return None
    return generation


class KnownGenerationIndex(FileIndex):
    """A Whoosh index opened at a known generation, with no folder listing."""

    def __init__(self, folder: Path, generation: int):
        self.storage = FileStorage(str(folder))
        self._schema = None
        self.indexname = INDEX_NAME
        self.generation = generation

    def latest_generation(self) -> int:
        """Return the generation this index was opened at."""
        return self.generation

    def _read_toc(self):
        return TOC.read(self.storage, self.indexname, gen=self.generation, schema=self._schema)


def retire_folders(root: Path, live: Path) -> None:
    """Retire index folders other than ``live``; remove those retired long enough ago."""
    now = time.time()
    for old in root.glob("ix-*"):
        if old == live or not old.is_dir():
            continue
        stamp = old / FOLDER_RETIRED
        try:
            since = float(stamp.read_text())
        except (FileNotFoundError, ValueError):
            stamp.write_text(repr(now))
            continue
        if now - since > RETAIN_SECONDS:
            shutil.rmtree(old, ignore_errors=True)


def with_retry(action, attempts: int = OPEN_ATTEMPTS):
    """Run ``action()``, again when a file it opens vanished under a concurrent commit."""
    for attempt in range(attempts):
        try:
            return action()
        except (FileNotFoundError, EmptyIndexError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")


@contextmanager
def rebuild_lock(root: Path):
    """Hold the rebuild lock for the block; raise RebuildRunning if another process has it."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / REBUILD_LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RebuildRunning() from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class RebuildRunning(Exception):
    """Another process is rebuilding the index."""


def rebuild_running(root: Path) -> bool:
    """Return True while some live process holds the rebuild lock."""
    path = root / REBUILD_LOCK
    if not path.exists():
        return False
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def stale_rebuild_leftovers(root: Path) -> list[Path]:
    """Return an old marker and build folders left by a rebuild that is no longer running."""
    if not root.exists() or rebuild_running(root):
        return []
    return _leftovers(root)


def remove_rebuild_leftovers(root: Path) -> list[Path]:
    """Remove what a crashed rebuild left behind (only when no rebuild is running)."""
    if not root.exists():
        return []
    try:
        with rebuild_lock(root):
            return remove_leftovers_locked(root)
    except RebuildRunning:
        return []


def remove_leftovers_locked(root: Path) -> list[Path]:
    """Remove a crashed rebuild's leftovers, for a caller holding the rebuild lock."""
    removed = _leftovers(root)
    for path in removed:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if removed:
        log.warning("removed %d leftovers of a crashed index rebuild", len(removed))
    return removed


def _leftovers(root: Path) -> list[Path]:
    found = [p for p in root.glob("build-*") if p.is_dir()]
    if (root / OLD_MARKER).exists():
        found.append(root / OLD_MARKER)
    return sorted(found)
