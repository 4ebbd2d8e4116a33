"""One unit of work per service call: stage blobs, commit once, then update the search index.

Services build their rows in the session and stage the files those rows name; the unit writes
the blobs before the commit, commits once, and only after the commit applies the search index
tasks the change recorded, with the function the app factory registered (search's: core knows
no feature). A search engine kept in the database itself (PostgreSQL's) writes its entries
just before the commit instead, so they commit or roll back with the change. On failure the
unit rolls back and deletes nothing. The database blob store writes in the same transaction,
so its blobs roll back with the rows; a file the folder store wrote is left without a row and
removed later by ``storage.blob_gc``, which alone can see every table using it.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from . import storage
from .errors import Conflict
from .extensions import db
from .models import IndexTask

log = logging.getLogger(__name__)

IndexApplier = Callable[[list[int]], object]
IndexWriter = Callable[[list[IndexTask]], object]
_index_applier: IndexApplier | None = None
_index_writer: IndexWriter | None = None


def register_index_applier(apply: IndexApplier, write: IndexWriter | None = None) -> None:
    """Apply each commit's index tasks with ``apply`` after the commit (search's hook), and
    first with ``write`` before it, for an engine that keeps its index in the same database."""
    global _index_applier, _index_writer
    _index_applier, _index_writer = apply, write


class UnitOfWork:
    """What a service call adds beside its rows: files stored before the commit, index tasks."""

    def __init__(self) -> None:
        self.staged: list[bytes] = []
        self.index_tasks: list = []

    def stage_blob(self, data: bytes) -> str:
        """Store data with this unit's commit and return its sha256."""
        self.staged.append(data)
        return storage.sha256_of(data)

    def lock(self, parent) -> None:
        """Lock a stored row until the commit and read it again: its writers queue here.

        A new version's number is the highest so far plus one. On PostgreSQL, under READ
        COMMITTED, two servers adding versions to one document would both read the same
        highest number; ``SELECT ... FOR UPDATE`` on the parent row makes the second wait until
        the first commits, and the number it reads next (a new statement, a new snapshot)
        includes the first's version. SQLite has no row locks: there FOR UPDATE takes the
        database's write lock first (sqlite_pragmas), with the same effect. On both the unique
        constraint on (parent, number) stays the backstop (409).
        """
        db.session.refresh(parent, with_for_update=True)

    def record_index(self, document_id: int) -> None:
        """Record a search index update for the document, applied after the commit."""
        task = IndexTask(document_id=document_id)  # pending in the same transaction as the change
        db.session.add(task)
        self.index_tasks.append(task)


@contextmanager
def unit_of_work(conflict_message: str | None = None) -> Iterator[UnitOfWork]:
    """Run the block, store its staged blobs, commit once, then apply its index tasks.

    If the commit breaks a unique constraint (two new versions numbered alike) and a
    conflict_message is given, raise Conflict(conflict_message, "version_conflict").
    """
    work = UnitOfWork()
    try:
        yield work
        for data in work.staged:
            storage.put_blob(data)
        db.session.flush()
        if work.index_tasks and _index_writer is not None:
            _index_writer(work.index_tasks)
            db.session.flush()
        task_ids = [task.id for task in work.index_tasks]
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if conflict_message is None:
            raise
        log.info("commit refused by a unique constraint: version_conflict")
        raise Conflict(conflict_message, "version_conflict") from None
    except BaseException:
        db.session.rollback()
        raise
    if task_ids and _index_applier is not None:
        _index_applier(task_ids)
