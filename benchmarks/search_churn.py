"""Churn for the search benchmark: new versions and withdrawals, applied as the service does.

A share of the live documents (10% by default) gets a new version and another share (2%) is
withdrawn. Each change records the service's own index task (``indexing.record``) in the
same transaction, and ``apply_pending_tasks`` applies them to the live Whoosh index (delete
by document, add its current entries), which leaves segments with deletions and new small
segments. The FTS5 baseline is updated the same way: the changed documents' rows deleted,
their current rows inserted again from the database.

``whoosh_count`` is the correctness reference: the same parsed query and the same filters
counted by Whoosh's own ``searcher.search()``, not by the service's fast path.
"""

import random
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from corpus import CorpusGenerator, sections_text
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from whoosh import query as wq

from clearinghouse.extensions import db
from clearinghouse.models import Document, DocumentVersion, IndexTask
from clearinghouse.search import indexing
from clearinghouse.search.engine import SearchSpec
from clearinghouse.search.index import apply_pending_tasks, get_engine
from clearinghouse.search.whoosh_search import build_query

FTS_INSERT = (
    "INSERT INTO fts(rowid, title, body, document_id, version, cur, authority, owner, "
    "doc_type, stage, visibility, updated) "
)
FTS_SELECT = (
    "SELECT v.id, d.title, v.extracted_text, d.id, v.number, "
    "v.number = (SELECT max(number) FROM src.document_version w WHERE w.document_id = d.id),"
    " a.slug, d.authority_id, d.doc_type, d.stage, d.visibility, d.updated_at "
    "FROM src.document_version v JOIN src.document d ON d.id = v.document_id "
    "JOIN src.authority a ON a.id = d.authority_id WHERE d.deleted_at IS NULL"
)
CHUNK = 500


def churn(fts_path: Path, db_path: Path, seed: int, new=0.10, withdraw=0.02) -> dict:
    """Add versions to ``new`` of the documents and withdraw ``withdraw``; return figures."""
    rng = random.Random(seed)
    gen = CorpusGenerator(seed + 1)
    live = list(
        db.session.scalars(
            select(Document.id).where(Document.deleted_at.is_(None)).order_by(Document.id)
        )
    )
    count_new, count_gone = round(new * len(live)), round(withdraw * len(live))
    chosen = rng.sample(live, count_new + count_gone)
    gone = set(chosen[count_new:])
    when = datetime(2026, 1, 1)

    started = time.perf_counter()
    for start in range(0, len(chosen), CHUNK):
        ids = chosen[start : start + CHUNK]
        documents = db.session.scalars(
            select(Document).where(Document.id.in_(ids)).options(selectinload(Document.versions))
        ).all()
        for document in documents:
            document.updated_at = when
            if document.id in gone:
                document.deleted_at = when
            else:
                last = document.versions[-1]
                sections = gen.revise(last.sections)
                text = sections_text(sections)
                db.session.add(
                    DocumentVersion(
                        document_id=document.id,
                        number=last.number + 1,
                        sha256=f"{document.id:032d}{last.number + 1:032d}",
                        filename="document.docx",
                        media_type="application/octet-stream",
                        size=len(text),
                        change_note="Benchmark churn",
                        uploaded_at=when,
                        extracted_text=text,
                        sections=sections,
                    )
                )
            indexing.record(document.id)  # the service's pending index update
        db.session.commit()
    db_seconds = time.perf_counter() - started

    started = time.perf_counter()
    applied = 0
    for _ in range(len(chosen) // CHUNK + 10):  # bounded: a stuck task cannot loop forever
        applied += apply_pending_tasks()
        if not db.session.scalar(select(func.count()).select_from(IndexTask)):
            break
    index_seconds = time.perf_counter() - started
    pending = db.session.scalar(select(func.count()).select_from(IndexTask))

    started = time.perf_counter()
    con = sqlite3.connect(fts_path)
    con.execute("ATTACH DATABASE ? AS src", (str(db_path),))
    for start in range(0, len(chosen), CHUNK):
        ids = chosen[start : start + CHUNK]
        marks = ",".join("?" * len(ids))
        con.execute(
            "DELETE FROM fts WHERE rowid IN "
            f"(SELECT id FROM src.document_version WHERE document_id IN ({marks}))",
            ids,
        )
        con.execute(FTS_INSERT + FTS_SELECT + f" AND d.id IN ({marks})", ids)
    con.commit()
    con.close()
    fts_seconds = time.perf_counter() - started
    return {
        "documents": len(live),
        "new": count_new,
        "withdrawn": count_gone,
        "db_seconds": db_seconds,
        "index_seconds": index_seconds,
        "applied": applied,
        "pending": pending,
        "fts_seconds": fts_seconds,
    }


def index_shape() -> str:
    """Describe the live Whoosh index: segments and deleted entries."""
    ix = get_engine().open()
    segments = ix._segments()  # Whoosh's own segment list; only read here, for the figures
    deleted = sum(s.deleted_count() for s in segments)
    total = sum(s.doc_count_all() for s in segments)
    with_deletions = sum(1 for s in segments if s.has_deletions())
    return (
        f"{len(segments)} segments ({with_deletions} with deletions), "
        f"{deleted} deleted entries of {total}"
    )


def whoosh_count(searcher, authority_id: int, text: str, filters: dict) -> int:
    """Count a query's current, visible hits with Whoosh's own ``searcher.search()``."""
    spec = SearchSpec(text, authority_id)
    parsed, _plain = build_query(searcher.schema, searcher.reader(), spec, text)
    if parsed is None:
        return 0
    shared = wq.Term("visibility", "shared")
    parts = [parsed, wq.Or([shared, wq.Term("owner", str(authority_id))]), wq.Term("current", "1")]
    parts += [wq.Term(name, value) for name, value in filters.items()]
    return len(searcher.search(wq.And(parts), limit=None, scored=False))
