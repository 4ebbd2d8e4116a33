"""Restore a SQLite backup into PostgreSQL: how a pilot instance moves to a shared database.

The snapshot is read row by row through the same table definitions the app uses, so SQLite's
text dates and 0/1 booleans arrive as PostgreSQL dates and booleans; every row is written in
one transaction that first empties the schema, so a failure leaves PostgreSQL as it was.
Search entries are not copied (the restore rebuilds the index) and nor are stored files kept
in SQLite's own tables (the restore puts every file of the backup into the target's store).
"""

import shutil
import tempfile
from pathlib import Path

from sqlalchemy import Engine, Integer, Table, create_engine, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from .postgres import LOCK_TIMEOUT, RESET_SCHEMA

# Rebuilt or put back by the restore itself, never copied.
NOT_COPIED = {"search_entry", "search_body", "search_term", "index_task", "blob", "blob_chunk"}
BATCH = 1000


class MoveError(RuntimeError):
    """The rows could not be moved; PostgreSQL was left as it was."""


def _copied_tables(source: Engine) -> list[Table]:
    present = set(inspect(source).get_table_names())
    return [
        table
        for table in db.metadata.sorted_tables
        if table.name not in NOT_COPIED and table.name in present
    ]


def _reset_sequences(connection, tables: list[Table]) -> None:
    """Start each table's id sequence after the largest id copied, as inserts would have."""
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer):
                continue
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": f'"{table.name}"', "column": column.name},
            )
            if sequence:
                largest = connection.scalar(select(func.max(column)))
                connection.execute(
                    text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
                    {"sequence": sequence, "value": largest or 1, "called": largest is not None},
                )


def sqlite_into_postgres(snapshot: Path, target: Engine, revision: str | None) -> dict[str, int]:
    """Replace the PostgreSQL database's public schema with the snapshot's rows; return counts.

    The tables are made from the app's models (the migrations make the same, a test checks)
    and stamped with ``revision``, the migration the snapshot is at.
    """
    # A copy: the app's SQLite settings (WAL) are made on every connection, and the backup's
    # own file must stay byte for byte as its manifest says.
    scratch = tempfile.TemporaryDirectory(prefix="clearinghouse-move-")
    copy = Path(scratch.name) / "snapshot.sqlite3"
    shutil.copyfile(snapshot, copy)
    source = create_engine(f"sqlite:///{copy}")
    copied: dict[str, int] = {}
    try:
        tables = _copied_tables(source)
        with source.connect() as reading, target.begin() as writing:
            writing.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
            writing.execute(text(RESET_SCHEMA))
            db.metadata.create_all(writing)
            writing.execute(
                text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
            )
            if revision:
                writing.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
            for table in tables:
                # In key order: a row that names an earlier row of its own table (an audit's
                # previous audit) must follow it, and only SQLite's habit gives that unasked.
                ordered = select(table).order_by(*table.primary_key.columns)
                rows = reading.execution_options(yield_per=BATCH).execute(ordered)
                count = 0
                for batch in rows.partitions(BATCH):
                    writing.execute(table.insert(), [row._asdict() for row in batch])
                    count += len(batch)
                copied[table.name] = count
            _reset_sequences(writing, tables)
    except SQLAlchemyError as exc:
        said = str(getattr(exc, "orig", exc)).strip().splitlines()
        raise MoveError(said[0] if said else type(exc).__name__) from None
    finally:
        source.dispose()
        scratch.cleanup()
    return copied
