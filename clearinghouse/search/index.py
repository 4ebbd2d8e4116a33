"""Keep the search index in step with the database: pending tasks, rebuild, check.

The database is the source of truth. Each change records an IndexTask in its own
transaction; ``apply_pending_tasks`` applies them after the commit (and at the next start
after a crash), and ``index_rebuild`` builds a fresh index from the database.
"""

import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, inspect, select, update

from ..errors import Conflict
from ..extensions import db
from ..models import IndexTask
from . import fast, parallel
from .engine import IndexEntry
from .entries import all_entries, current_entries, wanted_versions
from .whoosh_engine import WhooshEngine
from .whoosh_files import (
    RebuildRunning,
    rebuild_lock,
    rebuild_running,
    remove_leftovers_locked,
    remove_rebuild_leftovers,
    retire_folders,
)
from .whoosh_schema import current_dir, schema_outdated

log = logging.getLogger(__name__)
BATCH = 200
# An index built before its schema gained a field is rebuilt at start when it is this small
# (seconds); a larger one keeps answering, without the new field, until `flask reindex`.
START_REBUILD_MAX = 2000


def uses_postgres(app=None) -> bool:
    """Return True when the app searches with PostgreSQL's full-text search, not Whoosh."""
    return (app or current_app).config["CLEARINGHOUSE"]["SEARCH_ENGINE"] == "postgres"


def get_engine(app=None, writer_timeout: float | None = None):
    """Return the app's search engine: Whoosh in ``<instance>/index``, or PostgreSQL's."""
    app = app or current_app
    settings = app.config["CLEARINGHOUSE"]
    if uses_postgres(app):
        from .pg_engine import PostgresEngine

        return PostgresEngine()
    timeout = settings["SEARCH_WRITER_TIMEOUT"] if writer_timeout is None else writer_timeout
    fast.CACHE.limit = int(settings.get("SEARCH_CACHE_MB", 256)) * 1024 * 1024
    return WhooshEngine(app.instance_path, timeout)


def index_rebuild_running() -> bool:
    """Return True while another process rebuilds the Whoosh index beside the live one (a
    restore must not race it to the swap). Never for PostgreSQL's: each batch of its rebuild
    is written afresh from the rows of the database it is in, so one running beside a restore
    writes what the restore's own rebuild writes."""
    return not uses_postgres() and rebuild_running(get_engine().root)


def _index_versions_setting() -> bool:
    return bool(current_app.config["CLEARINGHOUSE"]["SEARCH_INDEX_VERSIONS"])


def _first_task_ids(limit: int) -> list[int]:
    return list(db.session.scalars(select(IndexTask.id).order_by(IndexTask.id).limit(limit)))


def _all_applied(task_ids: list[int]) -> bool:
    """Return True when none of these tasks is pending any more."""
    db.session.rollback()
    return (
        db.session.scalar(select(IndexTask.id).where(IndexTask.id.in_(task_ids)).limit(1)) is None
    )


def _read_updates(limit: int, read: list[int]) -> dict[int, list[IndexEntry]]:
    """Read the oldest tasks and their documents' current state (called under the lock)."""
    db.session.rollback()  # a fresh snapshot, taken after the writer lock was acquired
    tasks = db.session.scalars(select(IndexTask).order_by(IndexTask.id).limit(limit)).all()
    read[:] = [t.id for t in tasks]
    # Under PostgreSQL's READ COMMITTED the documents are read by later statements, with newer
    # snapshots than the tasks': each state read is at least the one its task recorded.
    doc_ids = list(dict.fromkeys(t.document_id for t in tasks))
    if not _index_versions_setting():
        return current_entries(db.session, doc_ids)
    return all_entries(db.session, doc_ids)


def apply_pending_tasks(
    limit: int = 500, engine: WhooshEngine | None = None, own_task_ids: list[int] | None = None
) -> int:
    """Apply pending index updates, oldest first; return how many tasks were applied.

    The tasks and their documents are read only once the index writer lock is held, so a
    slower process can never write an older state over a newer one. A task is deleted only
    after its document's state, read after it was recorded, is committed to the live index;
    a change made after that read has a task of its own, which stays pending. On failure
    the tasks' attempts are counted and the error's type kept, for the next call. While
    the index is busy, a caller whose ``own_task_ids`` another process has applied returns.
    """
    engine = engine or get_engine()
    if getattr(engine, "kind", "") == "postgres":
        from . import pg_index

        return pg_index.apply_pending(limit, _index_versions_setting())
    applied = 0
    for _round in range(20):
        db.session.rollback()
        if not _first_task_ids(1):
            break
        read: list[int] = []
        outcome = {"deleted": False}

        def forget_applied(folder: Path, read=read, outcome=outcome) -> None:
            # Under the writer lock: no other process can be between reading these tasks
            # and deleting them, so a task id SQLite reuses is never deleted by mistake.
            # On PostgreSQL ids come from a sequence and are never reused, and the delete
            # names only the ids read: a change committed after that read (READ COMMITTED
            # gives every statement a fresh snapshot) recorded a task of its own, with a new
            # id, which stays pending. A task whose lower id committed late is simply read by
            # a later round. The writer lock is a file lock: this holds for the servers of
            # one machine, sharing one Whoosh index.
            if rebuild_running(engine.root) or current_dir(engine.root) != folder:
                db.session.rollback()  # a rebuild applies these tasks to the new index
                return
            db.session.execute(delete(IndexTask).where(IndexTask.id.in_(read)))
            db.session.commit()
            outcome["deleted"] = True

        try:
            folder = engine.apply(
                functools.partial(_read_updates, limit, read),
                forget_applied,
                give_up=functools.partial(_all_applied, own_task_ids) if own_task_ids else None,
            )
        except Exception as exc:
            db.session.rollback()
            ids = read or _first_task_ids(limit)
            # One UPDATE, not rows read then written: another process may apply (delete) some
            # of these tasks meanwhile, and on PostgreSQL an ORM update of a row gone since
            # fails the flush (StaleDataError); the counter also gains no lost increments.
            db.session.execute(
                update(IndexTask)
                .where(IndexTask.id.in_(ids))
                .values(attempts=IndexTask.attempts + 1, last_error=type(exc).__name__)
            )
            db.session.commit()
            log.warning("search index update failed (%s); %d kept", type(exc).__name__, len(ids))
            return applied
        if folder is None or not outcome["deleted"]:
            return applied
        applied += len(read)
        if len(read) < limit:
            break
    return applied


def apply_pending_at_start(app) -> None:
    """Clear a crashed rebuild's leftovers and apply updates left pending; never raises."""
    try:
        with app.app_context():
            if uses_postgres(app):
                if inspect(db.engine).has_table(IndexTask.__tablename__):
                    apply_pending_tasks()
                return
            root = get_engine(app).root
            remove_rebuild_leftovers(root)
            live = current_dir(root)
            if live is not None:
                retire_folders(root, live)  # folders a finished rebuild replaced
            if not inspect(db.engine).has_table(IndexTask.__tablename__):
                return
            if live is not None and _rebuild_if_outdated(get_engine(app)):
                return
            if db.session.scalar(select(IndexTask.id).limit(1)) is None:
                return
            applied = apply_pending_tasks(engine=get_engine(app, writer_timeout=2.0))
            log.info("applied %d pending search index updates at start", applied)
            db.session.remove()
    except Exception as exc:  # a busy index or a missing table must not stop the app
        log.warning("pending search updates not applied at start: %s", type(exc).__name__)


def _rebuild_if_outdated(engine: WhooshEngine) -> bool:
    """Rebuild a small index built with an older schema; return True if it was rebuilt.

    Until it is rebuilt, an older index keeps answering and taking updates (the fields it
    lacks are left out), and ``check-index`` says it needs ``flask reindex``.
    """
    if not schema_outdated(engine.open()):
        return False
    wanted = len(wanted_versions(db.session, _index_versions_setting()))
    if wanted > START_REBUILD_MAX:
        log.warning("the search index needs rebuilding for this version: run flask reindex")
        return False
    try:
        index_rebuild(procs=1)
    except Conflict:  # another process is rebuilding it
        return False
    log.info("rebuilt the search index (%d versions) for its new fields", wanted)
    return True


def index_rebuild(
    all_versions: bool | None = None,
    procs: int | None = None,
    progress: Callable[[int], None] | None = None,
    limitmb: int = 512,
) -> int:
    """Build a fresh index from the database beside the live one and swap it in.

    Returns the number of versions indexed. Updates arriving meanwhile stay pending and
    are applied to the new index once it is live. The rebuild lock dies with its process,
    so a killed rebuild's leftovers are removed by the next rebuild or start.
    """
    if all_versions is None:
        all_versions = _index_versions_setting()
    if uses_postgres():
        from . import pg_index

        return pg_index.rebuild(all_versions, progress)
    procs = procs or min(2, os.cpu_count() or 1)
    engine = get_engine()
    try:
        with rebuild_lock(engine.root):
            remove_leftovers_locked(engine.root)
            db.session.rollback()  # the versions are read after the lock is held
            ids = wanted_versions(db.session, all_versions)
            db.session.rollback()
            url = str(db.engine.url.render_as_string(hide_password=False))
            parallel.build(engine.root, url, ids, procs, progress, limitmb)
    except RebuildRunning:
        raise Conflict(
            "The search index is already being rebuilt. Wait for it to finish.",
            "reindex_running",
        ) from None
    apply_pending_tasks(engine=engine)
    return len(ids)
