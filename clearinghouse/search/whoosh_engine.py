"""The Whoosh implementation of the search interface (engine.SearchEngine).

Writers always wait for the index lock with a timeout and a delay (never a bare
``ix.writer()``, never AsyncWriter); every query opens a fresh searcher, so it sees
other processes' commits.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.index import _DEF_INDEX_NAME as INDEX_NAME
from whoosh.writing import LockError

from . import field_names
from .engine import IndexEntry, SearchOutcome, SearchSpec, TextLoader
from .fast import Evaluator
from .whoosh_files import KnownGenerationIndex, RetainingWriter, latest_generation, with_retry
from .whoosh_schema import (
    Terms,
    analyze,
    current_dir,
    index_root,
    open_or_create,
    text_fields,
    writer_options,
)
from .whoosh_search import run

log = logging.getLogger(__name__)
_LOCAL = threading.local()


def entry_fields(entry: IndexEntry) -> dict:
    """Return the Whoosh document for one index entry."""
    body = analyze(entry.body)
    return {
        "key": f"{entry.document_id}:{entry.version}",
        "document_id": str(entry.document_id),
        "version": entry.version,
        "current": "1" if entry.current else "0",
        "title": entry.title,
        "body": Terms.of(body),
        "authority": entry.authority,
        "owner": str(entry.authority_id),
        "doc_type": entry.doc_type,
        "stage": entry.stage,
        "tags": ",".join(entry.tags),
        "names": field_names.names_text(entry),
        "visibility": entry.visibility,
        "updated": entry.updated,
        "stamp": entry.stamp,
    }


class WhooshEngine:
    """Search over a Whoosh index in ``<instance>/index``."""

    def __init__(self, instance_path: str | Path, writer_timeout: float = 30.0):
        self.root = index_root(instance_path)
        self.writer_timeout = writer_timeout

    def open(self):
        """Return the live index (created empty when missing)."""
        return open_or_create(self.root)

    def live_folder(self) -> Path:
        """Return the live index folder, creating an empty index when there is none."""
        folder = current_dir(self.root)
        if folder is None:
            folder = Path(self.open().storage.folder)
        return folder

    def writer(self, ix):
        """Return a writer, waiting up to the timeout for other processes' writers."""
        try:
            return RetainingWriter(ix, timeout=self.writer_timeout, delay=0.05, **writer_options())
        except LockError:
            log.warning("search index busy for %.1fs", self.writer_timeout)
            raise

    @contextmanager
    def locked(self, give_up: Callable[[], bool] | None = None):
        """Hold the live index's writer lock for the block; yield the index, opened after.

        Yields None, without the lock, if ``give_up()`` says so while waiting.
        """
        folder = self.live_folder()
        lock = FileStorage(str(folder)).lock(f"{INDEX_NAME}_WRITELOCK")
        deadline = time.monotonic() + self.writer_timeout
        tries, seen = 0, latest_generation(folder)
        while not lock.acquire(blocking=False):
            tries += 1
            if give_up is not None and tries % 3 == 0:
                # Ask (a database query) only when another writer has committed since, or
                # now and then: tasks are deleted in the same lock as their commit.
                generation = latest_generation(folder)
                if (generation != seen or tries % 30 == 0) and give_up():
                    yield None
                    return
                seen = generation
            if time.monotonic() > deadline:
                log.warning("search index busy for %.1fs", self.writer_timeout)
                raise LockError
            time.sleep(0.01)
        try:
            yield self.open()  # read after the lock: its table of contents cannot change
        finally:
            lock.release()

    # -- writing -------------------------------------------------------------------------

    def apply(
        self,
        updates,
        after_commit: Callable[[Path], None] | None = None,
        give_up: Callable[[], bool] | None = None,
    ) -> Path | None:
        """Replace each document's entries (an empty list removes it), in one commit.

        ``updates`` is {document id: entries}, or a function called once the writer lock is
        held that returns it: what it reads then is at least as new as any earlier commit.
        ``after_commit(folder)`` runs while the lock is still held, so what it records about
        the commit cannot interleave with another writer's read. Returns the folder written,
        so callers can tell if a rebuild swapped it, or None if ``give_up()`` said to stop
        waiting for the lock.
        """
        with self.locked(give_up) as ix:
            if ix is None:
                return None
            writer = RetainingWriter(ix, _lk=False, **writer_options())
            known = set(ix.schema.names())  # an index built before a new field was added
            try:
                chosen = updates() if callable(updates) else updates
                for document_id, entries in chosen.items():
                    writer.delete_by_term("document_id", str(document_id))
                    for entry in entries:
                        fields = entry_fields(entry)
                        writer.add_document(**{k: v for k, v in fields.items() if k in known})
            except BaseException:
                writer.cancel()
                raise
            if chosen:
                writer.commit()
            else:
                writer.cancel()
            folder = Path(ix.storage.folder)
            if after_commit is not None:
                after_commit(folder)
            return folder

    def optimize(self) -> None:
        """Merge every segment into one, retiring (not deleting) the files replaced."""
        writer = self.writer(self.open())
        writer.commit(optimize=True)

    def index_version(self, entries: Iterable[IndexEntry]) -> None:
        """Replace a document's entries with these versions."""
        entries = list(entries)
        if entries:
            self.apply({entries[0].document_id: entries})

    def remove_document(self, document_id: int) -> None:
        """Remove every entry of a document."""
        self.apply({document_id: []})

    def indexed(self) -> dict[tuple[int, int], dict]:
        """Return {(document_id, version): stored fields} for every live entry."""
        with with_retry(lambda: self.open().searcher()) as searcher:
            return {
                (int(f["document_id"]), int(f["version"])): f for f in searcher.all_stored_fields()
            }

    def fast_path_mismatches(self, words: int = 5) -> list[str]:
        """Return terms whose accelerated count differs from Whoosh's own (none if right).

        Checks every value of the filter fields and the most frequent body words.
        """
        found = []
        with with_retry(lambda: self.open().searcher()) as searcher:
            ev = Evaluator(searcher)
            reader = searcher.reader()
            terms = [
                (name, value.decode("utf-8"))
                for name in ("current", "visibility", "authority", "doc_type", "stage")
                for value in reader.lexicon(name)
            ]
            terms += [
                (name, t.decode("utf-8"))
                for name in text_fields(searcher.schema)[1:]
                for _f, t in reader.most_frequent_terms(name, words)
            ]
            for name, value in terms:
                query = wq.Term(name, value)
                ours = int(np.count_nonzero(ev.evaluate(query)[0]))
                theirs = sum(1 for _ in searcher.docs_for_query(query))
                if ours != theirs:
                    found.append(f"{name}:{value} ({ours} found, Whoosh finds {theirs})")
        return found

    # -- reading -------------------------------------------------------------------------

    def searcher(self):
        """Return this thread's searcher if nothing was committed since, else a new one.

        Whoosh's own ``refresh()`` reuses segment readers by segment id, so it misses
        deletions made since; a new searcher is opened whenever the index changed. Our
        writers record each commit's generation, so neither check lists the index folder.
        """
        folder = current_dir(self.root)
        generation = latest_generation(folder) if folder is not None else None
        cache = _LOCAL.__dict__.setdefault("searchers", {})
        cached = cache.pop(self.root, None)
        if cached is not None:
            was_folder, searcher = cached
            if was_folder == folder and not searcher.is_closed:
                if generation is not None:
                    current = searcher.reader().generation() == generation
                else:
                    current = searcher.up_to_date()
                if current:
                    cache[self.root] = cached
                    return searcher
            searcher.close()
        if generation is not None:
            searcher = with_retry(lambda: KnownGenerationIndex(folder, generation).searcher())
        else:
            searcher = with_retry(lambda: self.open().searcher())
            folder = current_dir(self.root)
        cache[self.root] = (folder, searcher)
        return searcher

    def query(self, spec: SearchSpec, load_text: TextLoader) -> SearchOutcome:
        """Return the viewer's page of hits, with the total, facets and a suggestion."""

        def attempt():
            try:
                return run(self.searcher(), spec, load_text)
            except FileNotFoundError:
                _LOCAL.__dict__.get("searchers", {}).pop(self.root, None)
                raise

        return with_retry(attempt)
