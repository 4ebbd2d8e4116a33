"""Keeping PostgreSQL's search entries in step with the documents, in their transactions.

A change's entries are written before its commit (``write_in_transaction``), so they commit
or roll back with it. Each document's row is locked before its entries are read and written,
so two transactions changing one document write its entries in turn, the second reading what
the first committed. A rebuild holds the entries table for its whole transaction; writers wait
for it (``lock_for_writing``) and then read what it committed.
"""

import logging
from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Document, IndexTask
from .entries import all_entries, current_entries, entries_for_versions, wanted_versions
from .pg_engine import insert_entries, lock_for_writing, write_entries
from .pg_tables import SearchEntry

log = logging.getLogger(__name__)
REBUILD_BATCH = 200


def _fresh_entries(session: Session, doc_ids: list[int], all_versions: bool):
    """Return each document's entries as the database has them now, its row locked first."""
    for document_id in doc_ids:
        session.execute(select(Document.id).where(Document.id == document_id).with_for_update())
    session.expire_all()  # read what other transactions committed before the locks, not a cache
    read = all_entries if all_versions else current_entries
    return read(session, doc_ids)


def write_documents(session: Session, doc_ids: list[int], all_versions: bool) -> None:
    """Write these documents' entries as they stand in this transaction."""
    lock_for_writing(session)
    ordered = sorted(set(doc_ids))  # one order for every writer: no two wait on each other
    entries = _fresh_entries(session, ordered, all_versions)
    for document_id in ordered:
        write_entries(session, document_id, entries.get(document_id, []))


def write_in_transaction(tasks: list[IndexTask], all_versions: bool) -> None:
    """Apply a unit of work's index tasks before its commit, and drop them (done)."""
    session = db.session
    session.flush()
    write_documents(session, [t.document_id for t in tasks], all_versions)
    for task in tasks:
        session.delete(task)


def apply_pending(limit: int, all_versions: bool) -> int:
    """Apply tasks left pending (by a repair, or an earlier Whoosh engine); return how many."""
    applied = 0
    while True:
        db.session.rollback()
        tasks = db.session.scalars(
            select(IndexTask).order_by(IndexTask.id).limit(limit).with_for_update(skip_locked=True)
        ).all()
        if not tasks:
            return applied
        write_documents(db.session, [t.document_id for t in tasks], all_versions)
        db.session.execute(delete(IndexTask).where(IndexTask.id.in_([t.id for t in tasks])))
        db.session.commit()
        applied += len(tasks)
        if len(tasks) < limit:
            return applied


def rebuild(all_versions: bool, progress: Callable[[int], None] | None = None) -> int:
    """Write every entry afresh in one transaction; searches see the old ones until it commits."""
    session = db.session
    session.rollback()
    lock_for_writing(session, exclusive=True)
    ids = wanted_versions(session, all_versions)
    pending = list(session.scalars(select(IndexTask.id)))
    session.execute(delete(SearchEntry))
    for start in range(0, len(ids), REBUILD_BATCH):
        batch = entries_for_versions(session, ids[start : start + REBUILD_BATCH])
        insert_entries(session, batch)
        if progress:
            progress(len(batch))
    if pending:  # the rebuild read their documents after they committed
        session.execute(delete(IndexTask).where(IndexTask.id.in_(pending)))
    session.commit()
    return len(ids)
