"""The documents service's hook into search: record a change, then apply it after commit.

``record`` adds a pending IndexTask in the same transaction as the change, so an update is
never lost; ``apply_pending`` runs after the commit and never raises into the caller.
The unit of work records its own tasks and calls ``apply_after_commit``, which the app factory
registers with it.
"""

import logging

from ..extensions import db
from ..models import IndexTask
from . import pg_tables  # noqa: F401  (its tables belong to every database's schema)

log = logging.getLogger(__name__)


def record(document_id: int) -> IndexTask:
    """Record that a document's index entry must be brought up to date."""
    task = IndexTask(document_id=document_id)
    db.session.add(task)
    return task


def apply_pending(own_task_ids: list[int] | None = None) -> int:
    """Apply pending index updates; return how many were applied. Never raises.

    With ``own_task_ids`` (the tasks this request recorded), stop waiting for a busy index
    as soon as another process has applied them: it read this change after it committed.
    """
    try:
        from .index import apply_pending_tasks
    except ImportError:  # the search engine is not installed in this build
        return 0
    try:
        return apply_pending_tasks(own_task_ids=own_task_ids)
    except Exception as exc:  # an index failure must never fail the upload that caused it
        log.warning("search index update deferred: %s", type(exc).__name__)
        db.session.rollback()
        return 0


def apply_after_commit(task_ids: list[int]) -> int:
    """Apply the index tasks a unit of work has just committed; the app factory registers this."""
    return apply_pending(task_ids)


def write_before_commit(tasks: list) -> None:
    """Write a unit of work's index entries in its transaction, when the engine is PostgreSQL.

    The app factory registers this with the unit of work; with Whoosh it does nothing (Whoosh
    is updated after the commit, by ``apply_after_commit``).
    """
    from flask import current_app

    settings = current_app.config["CLEARINGHOUSE"]
    if settings["SEARCH_ENGINE"] != "postgres":
        return
    from .pg_index import write_in_transaction

    write_in_transaction(tasks, bool(settings["SEARCH_INDEX_VERSIONS"]))
