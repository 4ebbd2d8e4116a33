"""PostgreSQL: pg_dump of an exported snapshot, and pg_restore into the configured database.

The backup holds one REPEATABLE READ transaction open, exports its snapshot and has pg_dump
dump exactly that snapshot (``--snapshot``), while the same transaction reads which blobs
it refers to: the dump and the blob list describe the same moment. The password is passed
in the PGPASSWORD environment variable, never on a command line others can read.
"""

import glob
import logging
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL

from .contents import SnapshotContents, snapshot_contents

log = logging.getLogger(__name__)
LIBPQ_NAMES = {"host": "host", "port": "port", "username": "user", "database": "dbname"}


class ToolFailed(Exception):
    """pg_dump or pg_restore is missing or failed."""


def pg_tool(name: str) -> str:
    """Return the path of a PostgreSQL client program: in PATH, else the newest installed."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise ToolFailed(
            f"{name} was not found in PATH or /usr/lib/postgresql/*/bin: install the "
            "PostgreSQL client programs (Debian: postgresql-client)."
        )
    return candidates[-1]


def _conninfo_value(value: str) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """Return a libpq connection string without the password, and the environment with it."""
    parts = {}
    for attribute, keyword in LIBPQ_NAMES.items():
        value = getattr(url, attribute)
        if value not in (None, ""):
            parts[keyword] = str(value)
    for key, value in url.query.items():  # libpq's own keywords (host=/socket/dir, sslmode...)
        if key != "password":
            parts[key] = value if isinstance(value, str) else value[-1]
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    conninfo = " ".join(f"{key}={_conninfo_value(value)}" for key, value in parts.items())
    return conninfo, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        raise ToolFailed(f"{Path(command[0]).name} failed: {said[-1] if said else 'no message'}")


def _contents(connection: Connection) -> SnapshotContents:
    def query(sql: str) -> list[tuple]:
        return [tuple(row) for row in connection.exec_driver_sql(sql).fetchall()]

    def has_table(name: str) -> bool:
        sql = "SELECT to_regclass(%(name)s) IS NOT NULL"
        return bool(connection.exec_driver_sql(sql, {"name": name}).scalar())

    return snapshot_contents(query, has_table)


def pg_snapshot(engine: Engine, dest: Path, dumped: Callable[[], None] | None = None):
    """Dump one exported snapshot to dest (custom format); return what that snapshot holds."""
    conninfo, env = libpq_target(engine.url)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot_id = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            command = [pg_tool("pg_dump"), "--format=custom", "--no-password"]
            command += [f"--snapshot={snapshot_id}", f"--file={dest}", f"--dbname={conninfo}"]
            _run(command, env)
            if dumped:
                dumped()
            return _contents(connection)


def pg_restore(url: URL, dump: Path) -> None:
    """Restore a dump into the database at url, replacing its tables, in one transaction."""
    conninfo, env = libpq_target(url)
    command = [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-password"]
    command += ["--single-transaction", "--exit-on-error", f"--dbname={conninfo}", str(dump)]
    _run(command, env)
