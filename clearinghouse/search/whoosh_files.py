"""Index files' lifetimes: readers survive writers, and a crashed rebuild is noticed.

Whoosh deletes the files of replaced segments and tables of contents at every commit. A
searcher opened just before opens some files lazily (stored fields, lengths), so it then
finds them gone: ``stored_fields`` returns None (a TypeError) or ``open_dir`` raises
FileNotFoundError. Here a commit only *retires* such files; they are deleted by a later
commit once retired for ``RETAIN_SECONDS``, longer than any request may run. Old index folders left
by a rebuild are retired the same way.

A rebuild holds an exclusive ``flock`` on ``rebuild.lock`` for as long as it runs; the lock
dies with its process, so a ``kill -9`` can never leave a rebuild that looks alive.
"""

import fcntl
import json
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
RETIRED = ".retired.json"
GENERATION = ".generation"
FOLDER_RETIRED = ".retired-at"
REBUILD_LOCK = "rebuild.lock"
OLD_MARKER = "rebuilding"  # written by earlier releases; stale whenever nobody holds the lock
OPEN_ATTEMPTS = 20


def retire_files(storage, indexname: str, generation: int, segments) -> None:
    """Retire files no longer in use; delete those retired more than RETAIN_SECONDS ago.

    The same files Whoosh's ``clean_files`` would delete at once: tables of contents of
    other generations and files of segments the new table does not name.
    """
    folder = Path(storage.folder)
    now = time.time()
    try:
        retired = json.loads((folder / RETIRED).read_text())
    except (FileNotFoundError, ValueError):
        retired = {}
    keep = {s.segment_id() for s in segments}
    tocs, segs = TOC._pattern(indexname), TOC._segment_pattern(indexname)
    still = {}
    for name in storage.list():
        since = retired.get(name)
        if since is None:
            if name.startswith("."):
                continue
            toc, seg = tocs.match(name), segs.match(name)
            if not (
                (toc and int(toc.group(1)) != generation) or (seg and seg.group(1) not in keep)
            ):
                continue
            since = now
        if now - since > RETAIN_SECONDS:
            (folder / name).unlink(missing_ok=True)
        else:
            still[name] = since
    tmp = folder / f"{RETIRED}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(still))
    os.replace(tmp, folder / RETIRED)


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
