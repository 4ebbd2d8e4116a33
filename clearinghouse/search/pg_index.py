"""Keeping PostgreSQL's search entries in step with the documents, in their transactions.

A change's entries are written before its commit (``write_in_transaction``), so they commit
or roll back with it. Each document's row is locked before its entries are read and written,
so two transactions changing one document write its entries in turn, the second reading what
the first committed. A rebuild writes the documents a batch at a time the same way, so it
never holds more than a batch's rows and converges with the writers around it. Should writing
the entries fail, the change still commits with its index task pending, applied later.
"""

import logging
from collections.abc import Callable

from sqlalchemy import delete, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Document, IndexTask
from .entries import all_entries, current_entries
from .pg_engine import add_terms, write_entries
from .pg_tables import SearchEntry

log = logging.getLogger(__name__)
REBUILD_BATCH = 200


def _fresh_entries(session: Session, doc_ids: list[int], all_versions: bool):
    """Return each document's entries as the database has them now, its row locked first."""
    locking = select(Document.id).where(Document.id.in_(doc_ids)).order_by(Document.id)
    session.execute(locking.with_for_update())  # locked in id order, as every writer does
    session.expire_all()  # read what other transactions committed before the locks, not a cache
    read = all_entries if all_versions else current_entries
    return read(session, doc_ids)


def write_documents(session: Session, doc_ids: list[int], all_versions: bool) -> int:
    """Write these documents' entries as they stand in this transaction; return how many."""
    ordered = sorted(set(doc_ids))  # one order for every writer: no two wait on each other
    entries = _fresh_entries(session, ordered, all_versions)
    terms: set[tuple[str, str]] = set()
    for document_id in ordered:
        terms |= write_entries(session, document_id, entries.get(document_id, []))
    add_terms(session, terms)
    return sum(len(found) for found in entries.values())


def write_in_transaction(tasks: list[IndexTask], all_versions: bool) -> None:
    """Apply a unit of work's index tasks before its commit, and drop them (done)."""
    session = db.session
    session.flush()
    try:
        with session.begin_nested():  # a savepoint: a failure here must not lose the change
            write_documents(session, [t.document_id for t in tasks], all_versions)
    except SQLAlchemyError as exc:
        log.warning("search entries deferred: %s; the index task stays pending", type(exc).__name__)
        return
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
    """Write every document's entries afresh, a batch per transaction; return the entries.

    Searches see each document's old entries until its batch commits. The lexicon is pruned
    after: a stem no entry has any more is forgotten (a stem's words are letters, digits,
    underscores and dots, so quote_literal makes a plain tsquery lexeme of it).
    """
    session = db.session
    session.rollback()
    ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    written = 0
    for start in range(0, len(ids), REBUILD_BATCH):
        count = write_documents(session, ids[start : start + REBUILD_BATCH], all_versions)
        session.commit()
        written += count
        if progress:
            progress(count)
    session.execute(delete(SearchEntry).where(SearchEntry.document_id.not_in(select(Document.id))))
    for field in ("title", "body", "names"):
        session.execute(
            text(
                f"DELETE FROM search_term t WHERE t.field = :field AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM search_entry e WHERE e.{field}_tsv @@ "
                "CAST(quote_literal(t.term) AS tsquery))"
            ),
            {"field": field},
        )
    session.commit()
    apply_pending(REBUILD_BATCH, all_versions)
    tidy_after_rebuild()
    return written


def tidy_after_rebuild() -> None:
    """Vacuum and analyze the search tables, whose every row a rebuild has replaced.

    Until then the planner knows nothing of the new rows (after a restore, none at all), each
    counted match visits its heap page, and the GIN indexes' pending lists hold what the last
    batches wrote: searches ran slower until autovacuum came round. The entries are written
    by then, so a failure is logged and left to autovacuum; so are tables the user does not
    own, which PostgreSQL skips with only a notice.
    """
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) search_entry, search_body, search_term")
    except SQLAlchemyError as exc:
        log.warning("search tables not vacuumed after the rebuild: %s", type(exc).__name__)
