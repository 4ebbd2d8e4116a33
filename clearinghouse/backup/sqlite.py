"""SQLite: an online, consistent snapshot with the backup API, and its restore.

``sqlite3.Connection.backup`` copies the live file in one read transaction, so the copy is
the database as of one commit while gunicorn workers keep writing (WAL mode: readers do not
block writers). Restoring uses the same API in the other direction: SQLite writes the pages
into the target under its own locks, in one transaction, so a failure leaves it as it was.
"""

import logging
import sqlite3
from pathlib import Path

from .contents import SnapshotContents, snapshot_contents

log = logging.getLogger(__name__)
BUSY_MS = 30_000


def _open_read_only(path: Path) -> sqlite3.Connection:
    # immutable: nothing (not even a journal-mode pragma) may change the snapshot's bytes.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def sqlite_snapshot(live: Path, dest: Path) -> None:
    """Copy the live database at one moment into dest, a single self-contained file."""
    if not live.is_file():
        raise FileNotFoundError(f"There is no database at {live}.")
    source = sqlite3.connect(str(live), timeout=BUSY_MS / 1000)
    target = sqlite3.connect(str(dest))
    try:
        source.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        source.backup(target)  # all pages in one step: one read transaction, one moment
        target.execute("PRAGMA journal_mode=DELETE")  # no -wal file beside the copy
        target.commit()
    finally:
        target.close()
        source.close()


def sqlite_contents(snapshot: Path) -> SnapshotContents:
    """Read counts, referenced blobs and the revision from a snapshot file, read-only."""
    connection = _open_read_only(snapshot)
    try:

        def has_table(name: str) -> bool:
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
            return connection.execute(sql, (name,)).fetchone() is not None

        return snapshot_contents(lambda sql: connection.execute(sql).fetchall(), has_table)
    finally:
        connection.close()


def sqlite_check(snapshot: Path) -> str:
    """Return SQLite's own quick check of a snapshot file ("ok" when sound)."""
    connection = _open_read_only(snapshot)
    try:
        return "; ".join(row[0] for row in connection.execute("PRAGMA quick_check").fetchall())
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        connection.close()


def sqlite_restore(snapshot: Path, target: Path) -> None:
    """Replace the target database's whole content with the snapshot's, in one transaction."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = _open_read_only(snapshot)
    destination = sqlite3.connect(str(target), timeout=BUSY_MS / 1000)
    try:
        destination.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        # A WAL database cannot take another page size; the app turns WAL on again at connect.
        destination.execute("PRAGMA journal_mode=DELETE")
        source.backup(destination)
    finally:
        destination.close()
        source.close()
