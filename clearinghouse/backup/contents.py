"""Read what a database snapshot holds: row counts, the blobs it names, its migration.

The same plain SQL runs on a SQLite snapshot file (through sqlite3, so nothing writes to it)
and inside PostgreSQL's snapshot transaction; the tables and columns come from the models
and from ``storage.BLOB_REFERENCES``, so a new blob column is backed up without a change here.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from .. import storage
from ..models import Authority, Document, DocumentVersion, ProfileVersion, Template, User

log = logging.getLogger(__name__)

Query = Callable[[str], list[tuple]]
HasTable = Callable[[str], bool]

COUNTED_TABLES = {
    "authorities": Authority,
    "users": User,
    "documents": Document,
    "versions": DocumentVersion,
    "templates": Template,
    "profiles": ProfileVersion,
}


@dataclass
class SnapshotContents:
    """Counts, referenced blob digests and the Alembic revision of one snapshot."""

    counts: dict[str, int]
    digests: set[str]
    alembic_revision: str | None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def snapshot_contents(query: Query, has_table: HasTable) -> SnapshotContents:
    """Read counts, every referenced sha256 and the migration revision through query."""
    # Table and column names come from the models, never from input: safe to format in.
    counts = {}
    for label, model in COUNTED_TABLES.items():
        table = model.__tablename__
        sql = f"SELECT count(*) FROM {_quoted(table)}"  # noqa: S608
        counts[label] = query(sql)[0][0] if has_table(table) else 0
    digests: set[str] = set()
    for _model, column in storage.BLOB_REFERENCES:
        table, name = column.table.name, _quoted(column.name)
        if has_table(table):
            sql = f"SELECT DISTINCT {name} FROM {_quoted(table)} WHERE {name} IS NOT NULL"  # noqa: S608
            digests.update(row[0] for row in query(sql))
    counts["blobs"] = len(digests)
    revision = None
    if has_table("alembic_version"):
        rows = query("SELECT version_num FROM alembic_version")
        revision = rows[0][0] if rows else None
    return SnapshotContents(counts, digests, revision)
