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


CHECK_MARK = "clearinghouse-restore-check"


def _count_into(sql: str) -> str:
    return f"EXECUTE {_literal(sql)} INTO n;"


def _public(table: str) -> str:
    # pg_dump's SQL empties search_path: what runs after it names the schema.
    return f"public.{_quoted(table)}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def counts_check_sql(expected: dict[str, int]) -> str:
    """Return a PostgreSQL DO block that raises unless the database holds the expected counts.

    Run at the end of a restore's single transaction, a count that differs from the
    manifest's rolls the whole restore back: the check happens before anything is replaced.
    """
    lines = ["DO $check$", "DECLARE n bigint; parts text[] := '{}';", "BEGIN"]
    for label, model in COUNTED_TABLES.items():
        table = model.__tablename__
        count = f"SELECT count(*) FROM {_public(table)}"  # noqa: S608
        lines.append(f"IF to_regclass({_literal(_public(table))}) IS NULL THEN n := 0; ELSE")
        lines.append(f"{_count_into(count)} END IF;")
        lines.append(_raise_unless(label, int(expected.get(label, 0))))
    for _model, column in storage.BLOB_REFERENCES:
        table, name = column.table.name, _quoted(column.name)
        part = f"SELECT {name} AS d FROM {_public(table)} WHERE {name} IS NOT NULL"  # noqa: S608
        lines.append(f"IF to_regclass({_literal(_public(table))}) IS NOT NULL THEN")
        lines.append(f"parts := array_append(parts, {_literal(part)}::text); END IF;")
    union = "'SELECT count(*) FROM (' || array_to_string(parts, ' UNION ') || ') AS refs'"
    lines.append(f"IF cardinality(parts) = 0 THEN n := 0; ELSE EXECUTE {union} INTO n; END IF;")
    lines.append(_raise_unless("blobs", int(expected.get("blobs", 0))))
    lines += ["END", "$check$;"]
    return "\n".join(lines) + "\n"


def _raise_unless(label: str, count: int) -> str:
    message = _literal(f"{CHECK_MARK}: % {label} restored, the manifest says {count}")
    return f"IF n <> {count} THEN RAISE EXCEPTION {message}, n; END IF;"
