"""Check the search index against the database by content, and repair what differs.

The database is the truth. For each document the check compares what the index holds (its
version numbers, visibility, authority, the names it is searchable by and a stamp of the
rest) with what the database says it should hold; it also reports an index built with an
older schema, a crashed rebuild's leftovers and any term for which the accelerated search
path counts differently from Whoosh's own searcher.
"""

import logging
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..models import IndexTask
from . import indexing
from .entries import entries_for_versions, wanted_versions
from .field_names import names_text
from .index import (
    BATCH,
    _index_versions_setting,
    apply_pending_tasks,
    get_engine,
    index_rebuild,
    uses_postgres,
)
from .whoosh_files import remove_rebuild_leftovers, stale_rebuild_leftovers
from .whoosh_schema import current_dir, schema_outdated

log = logging.getLogger(__name__)


@dataclass
class IndexReport:
    """What the check found; ``clean`` when the index says what the database says."""

    exists: bool
    expected: int = 0
    indexed: int = 0
    pending: int = 0
    failing_tasks: int = 0
    differences: dict[int, str] = field(default_factory=dict)
    leftovers: list[str] = field(default_factory=list)
    fast_path: list[str] = field(default_factory=list)
    outdated: bool = False  # built with an older schema: rebuild it

    @property
    def clean(self) -> bool:
        """Return True when nothing differs and nothing was left behind."""
        problems = self.differences or self.leftovers or self.fast_path or self.outdated
        return self.exists and not problems


def _expected() -> dict[int, dict[int, dict]]:
    """Return {document id: {version: what the index should store}} from the database."""
    wanted: dict[int, dict[int, dict]] = {}
    ids = wanted_versions(db.session, _index_versions_setting())
    for start in range(0, len(ids), BATCH):
        for entry in entries_for_versions(db.session, ids[start : start + BATCH]):
            wanted.setdefault(entry.document_id, {})[entry.version] = {
                "visibility": entry.visibility,
                "authority": entry.authority,
                "names": names_text(entry),
                "stamp": entry.stamp,
            }
    return wanted


def _describe(want: dict[int, dict], have: dict[int, dict]) -> str | None:
    """Return one document's difference in words, or None when the index is right."""
    if not have:
        return f"not in the index (the database has version {max(want)})"
    if not want:
        return f"in the index (version {max(have)}) but withdrawn in the database"
    if set(want) != set(have):
        return f"the index has version {max(have)}, the database version {max(want)}"
    for version, wanted in sorted(want.items()):
        held = have[version]
        for name in ("visibility", "authority"):
            if held.get(name) != wanted[name]:
                return (
                    f"{name} is {held.get(name)!r} in the index, {wanted[name]!r} in the database"
                )
        if held.get("names", "") != wanted["names"]:
            return f"version {version}'s type name, tags or authority name differ"
        if held.get("stamp") != wanted["stamp"]:
            return f"version {version}'s title, type, stage, tags or date differ"
        if not held.get("body", True):  # only PostgreSQL's entries say
            return f"version {version}'s body words are missing from search_body (slow to rank)"
    return None


def index_check(verify_fast_path: bool = True) -> IndexReport:
    """Compare the index with the database, document by document."""
    engine = get_engine()
    postgres = uses_postgres()
    if not postgres and current_dir(engine.root) is None:
        return IndexReport(
            exists=False, leftovers=[p.name for p in stale_rebuild_leftovers(engine.root)]
        )
    want = _expected()
    have: dict[int, dict[int, dict]] = {}
    indexed = engine.indexed()
    for (document_id, version), stored in indexed.items():
        have.setdefault(document_id, {})[version] = stored
    report = IndexReport(
        exists=True,
        expected=sum(len(v) for v in want.values()),
        indexed=len(indexed),
        pending=db.session.scalar(select(func.count()).select_from(IndexTask)),
        failing_tasks=db.session.scalar(select(func.count()).where(IndexTask.attempts > 0)),
        leftovers=[] if postgres else [p.name for p in stale_rebuild_leftovers(engine.root)],
        outdated=False if postgres else schema_outdated(engine.open()),
    )
    for document_id in sorted(set(want) | set(have)):
        problem = _describe(want.get(document_id, {}), have.get(document_id, {}))
        if problem:
            report.differences[document_id] = problem
    if verify_fast_path and not postgres:
        report.fast_path = engine.fast_path_mismatches()
    return report


def index_repair() -> tuple[IndexReport, IndexReport]:
    """Fix what the check finds without a full rebuild; return (before, after)."""
    before = index_check()
    engine = get_engine()
    if not uses_postgres():
        remove_rebuild_leftovers(engine.root)
    if not before.exists or before.fast_path or before.outdated:
        index_rebuild()
    elif before.differences:
        for document_id in before.differences:
            indexing.record(document_id)
        db.session.commit()
        apply_pending_tasks(engine=engine)
    return before, index_check()
