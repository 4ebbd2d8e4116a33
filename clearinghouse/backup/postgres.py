"""PostgreSQL: pg_dump of an exported snapshot, and pg_restore into the configured database.

The backup holds one REPEATABLE READ transaction open, exports its snapshot and has pg_dump
dump exactly that snapshot (``--snapshot``), while the same transaction reads which blobs
it refers to: the dump and the blob list describe the same moment. The password is passed
in the PGPASSWORD environment variable, never on a command line others can read.
"""

import contextlib
import glob
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL

from .contents import CHECK_MARK, SnapshotContents, snapshot_contents

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
    # The tools' messages can quote rows (DETAIL: Key (email)=...): only the status is kept.
    result = subprocess.run(command, env=env, capture_output=True, check=False)
    if result.returncode != 0:
        name = Path(command[0]).name
        log.error("%s exited with status %d", name, result.returncode)
        raise ToolFailed(f"{name} failed (exit status {result.returncode}).")


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


RESET_SCHEMA = "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"
LOCK_TIMEOUT = "10s"
CHUNK = 1024 * 1024


def pg_restore(url: URL, dump: Path, check_sql: str = "") -> None:
    """Replace everything in the database's public schema with the dump, in one transaction.

    pg_restore --clean would drop only the objects the dump holds: tables of a later
    migration would survive (and their foreign keys block the drops). So psql, in one
    transaction, drops and recreates the schema and then runs the dump's SQL, which
    pg_restore writes to a pipe. psql commits only when its input ends; if pg_restore fails
    first, psql is killed before that, and the server rolls the whole transaction back.
    A lock not granted within LOCK_TIMEOUT (app servers in a transaction) fails the restore.
    check_sql runs last in the same transaction: if it raises, nothing was replaced.
    """
    conninfo, env = libpq_target(url)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    dump_sql = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)]
    load = [pg_tool("psql"), "--no-psqlrc", "--quiet", "--no-password", "--single-transaction"]
    load += ["--set=ON_ERROR_STOP=1", f"--command={RESET_SCHEMA}", "--file=-"]
    load += [f"--dbname={conninfo}"]
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as load_err:
        loader = subprocess.Popen(
            load, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=load_err
        )
        reader = subprocess.Popen(dump_sql, env=env, stdout=subprocess.PIPE, stderr=restore_err)
        try:
            if _pipe(reader, loader) and reader.wait() == 0 and check_sql:
                _write(loader, check_sql.encode())
        finally:
            reader.stdout.close()
            if reader.poll() is None:
                reader.kill()
            reader.wait()
        if reader.returncode != 0:
            loader.kill()  # before its input ends, so it never commits
        with contextlib.suppress(BrokenPipeError):
            loader.stdin.close()  # the input ends: psql commits, unless killed or failed
        loader.wait()
        load_err.seek(0)
        _restore_failed(reader.returncode, loader.returncode, load_err.read())


def _pipe(reader: subprocess.Popen, loader: subprocess.Popen) -> bool:
    """Copy pg_restore's SQL into psql; True if all of it went, False if psql stopped first."""
    while chunk := reader.stdout.read(CHUNK):
        if not _write(loader, chunk):
            return False
    return True


def _write(loader: subprocess.Popen, data: bytes) -> bool:
    """Write data to psql; False if psql has stopped (at an error: its status says which)."""
    try:
        loader.stdin.write(data)
    except BrokenPipeError:
        return False
    return True


def _restore_failed(restore_status: int, load_status: int, load_said: bytes) -> None:
    """Raise ToolFailed, with a message of our own, unless both programs succeeded."""
    if restore_status == 0 and load_status == 0:
        return
    log.error("pg_restore exited with status %d, psql with %d", restore_status, load_status)
    if b"lock timeout" in load_said:
        raise ToolFailed(
            f"The database is in use (a lock was not granted within {LOCK_TIMEOUT}): stop the "
            "app servers first, then restore again."
        )
    if CHECK_MARK.encode() in load_said:
        raise ToolFailed(
            "The restored database's row counts differ from the manifest's: the backup is "
            "damaged, and the restore was rolled back."
        )
    if restore_status != 0:
        raise ToolFailed(f"pg_restore could not read the dump (exit status {restore_status}).")
    raise ToolFailed(
        f"psql could not load the dump (exit status {load_status}); the transaction was "
        "rolled back. Check that the database's role may drop and create its public schema."
    )
