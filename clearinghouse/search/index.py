"""Keep the search index in step with the database: pending tasks, rebuild, check.

The database is the source of truth. Each change records an IndexTask in its own
transaction; ``apply_pending_tasks`` applies them after the commit (and at the next start
after a crash), and ``index_rebuild`` builds a fresh index from the database.
"""

import functools
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, inspect, select
from sqlalchemy.orm import Session, defer, joinedload

from ..errors import Conflict
from ..extensions import db
from ..models import Document, DocumentVersion, IndexTask
from . import fast, parallel
from .engine import IndexEntry
from .whoosh_engine import WhooshEngine
from .whoosh_files import (
    RebuildRunning,
    rebuild_lock,
    rebuild_running,
    remove_leftovers_locked,
    remove_rebuild_leftovers,
    retire_folders,
)
from .whoosh_schema import current_dir

log = logging.getLogger(__name__)
BATCH = 200


def get_engine(app=None, writer_timeout: float | None = None) -> WhooshEngine:
    """Return the app's search engine (Whoosh in ``<instance>/index``)."""
    app = app or current_app
    settings = app.config["CLEARINGHOUSE"]
    timeout = settings["SEARCH_WRITER_TIMEOUT"] if writer_timeout is None else writer_timeout
    fast.CACHE.limit = int(settings.get("SEARCH_CACHE_MB", 256)) * 1024 * 1024
    return WhooshEngine(app.instance_path, timeout)


def _stamp(document: Document, version: DocumentVersion, current: bool) -> str:
    parts = [
        version.id,
        document.title,
        document.visibility,
        document.authority_id,
        document.doc_type,
        document.stage,
        document.tags,
        current,
        document.updated_at.isoformat() if document.updated_at else "",
    ]
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def version_entry(document: Document, version: DocumentVersion, current: bool) -> IndexEntry:
    """Return the index entry of one version of a document."""
    return IndexEntry(
        document_id=document.id,
        version=version.number,
        current=current,
        title=document.title,
        body=version.extracted_text or "",
        authority=document.authority.slug,
        authority_id=document.authority_id,
        doc_type=document.doc_type,
        stage=document.stage,
        tags=document.tag_list,
        visibility=document.visibility,
        updated=version.uploaded_at if not current else document.updated_at,
        stamp=_stamp(document, version, current),
    )


def document_entries(document: Document | None, all_versions: bool) -> list[IndexEntry]:
    """Return what the index should hold for a document: nothing when withdrawn or gone."""
    if document is None or document.deleted_at is not None or not document.versions:
        return []
    latest = document.versions[-1]
    chosen = document.versions if all_versions else [latest]
    return [version_entry(document, v, v is latest) for v in chosen]


def _index_versions_setting() -> bool:
    return bool(current_app.config["CLEARINGHOUSE"]["SEARCH_INDEX_VERSIONS"])


def _first_task_ids(limit: int) -> list[int]:
    return list(db.session.scalars(select(IndexTask.id).order_by(IndexTask.id).limit(limit)))


def _current_entries(doc_ids: list[int]) -> dict[int, list[IndexEntry]]:
    """Return each document's entry for its latest version, reading only that version."""
    documents = {
        d.id: d
        for d in db.session.scalars(
            select(Document)
            .where(Document.id.in_(doc_ids), Document.deleted_at.is_(None))
            .options(joinedload(Document.authority))
        )
    }
    latest = (
        select(func.max(DocumentVersion.id))
        .where(DocumentVersion.document_id.in_(list(documents)))
        .group_by(DocumentVersion.document_id)
    )
    versions = db.session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.id.in_(latest))
        .options(defer(DocumentVersion.html), defer(DocumentVersion.sections))
    )
    found = {v.document_id: [version_entry(documents[v.document_id], v, True)] for v in versions}
    return {i: found.get(i, []) for i in doc_ids}


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
    doc_ids = list(dict.fromkeys(t.document_id for t in tasks))
    if not _index_versions_setting():
        return _current_entries(doc_ids)
    documents = {
        d.id: d
        for d in db.session.scalars(
            select(Document)
            .where(Document.id.in_(doc_ids))
            .options(joinedload(Document.authority), joinedload(Document.versions))
        ).unique()
    }
    return {i: document_entries(documents.get(i), True) for i in doc_ids}


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
            for task in db.session.scalars(select(IndexTask).where(IndexTask.id.in_(ids))):
                task.attempts += 1
                task.last_error = type(exc).__name__
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
            root = get_engine(app).root
            remove_rebuild_leftovers(root)
            live = current_dir(root)
            if live is not None:
                retire_folders(root, live)  # folders a finished rebuild replaced
            if not inspect(db.engine).has_table(IndexTask.__tablename__):
                return
            if db.session.scalar(select(IndexTask.id).limit(1)) is None:
                return
            applied = apply_pending_tasks(engine=get_engine(app, writer_timeout=2.0))
            log.info("applied %d pending search index updates at start", applied)
            db.session.remove()
    except Exception as exc:  # a busy index or a missing table must not stop the app
        log.warning("pending search updates not applied at start: %s", type(exc).__name__)


def wanted_versions(session: Session, all_versions: bool) -> list[int]:
    """Return the ids of the versions the index should hold, in id order."""
    live = select(Document.id).where(Document.deleted_at.is_(None))
    query = select(DocumentVersion.id).where(DocumentVersion.document_id.in_(live))
    if not all_versions:
        latest = (
            select(func.max(DocumentVersion.id))
            .where(DocumentVersion.document_id.in_(live))
            .group_by(DocumentVersion.document_id)
        )
        query = select(DocumentVersion.id).where(DocumentVersion.id.in_(latest))
    return list(session.scalars(query.order_by(DocumentVersion.id)))


def entries_for_versions(session: Session, version_ids: list[int]) -> list[IndexEntry]:
    """Return the index entries of these versions, read in one query."""
    rows = session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.id.in_(version_ids))
        .options(
            joinedload(DocumentVersion.document).joinedload(Document.authority),
        )
    ).all()
    doc_ids = {r.document_id for r in rows}
    latest = dict(
        session.execute(
            select(DocumentVersion.document_id, func.max(DocumentVersion.number))
            .where(DocumentVersion.document_id.in_(doc_ids))
            .group_by(DocumentVersion.document_id)
        ).all()
    )
    return [version_entry(r.document, r, latest[r.document_id] == r.number) for r in rows]


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
