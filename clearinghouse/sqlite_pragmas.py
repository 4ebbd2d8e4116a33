"""SQLite settings that let several gunicorn workers share one database file safely."""

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session

# How long a write waits for another worker's write lock before the request answers 503.
BUSY_TIMEOUT_MS = 10_000


def _set_pragmas(dbapi_connection, _record) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def is_busy(exc: BaseException) -> bool:
    """Return True for SQLite's "database is locked": another writer held the lock too long.

    Only SQLITE_BUSY (and its extended codes): waiting may clear it. SQLITE_LOCKED is a clash
    within one connection, which trying again does not mend.
    """
    orig = getattr(exc, "orig", exc)
    return (getattr(orig, "sqlite_errorname", "") or "").startswith("SQLITE_BUSY")


def _write_lock_for_update(state: ORMExecuteState) -> None:
    """Before a SELECT ... FOR UPDATE on SQLite, take the database's write lock.

    SQLite has no row locks and drops FOR UPDATE. Python's sqlite3 begins a transaction only
    at the first write, so the read that chose a new version's number ran outside it: two
    workers both read 5, both wrote 6, and the second was refused (409 version_conflict, over
    a quarter of the uploads to one document under load). BEGIN IMMEDIATE makes the read and the
    writes after it one step: a second worker waits here (busy_timeout) and then reads what
    the first committed, as PostgreSQL's row lock makes it wait.
    """
    if not state.is_select or getattr(state.statement, "_for_update_arg", None) is None:
        return
    connection = state.session.connection(bind_arguments=state.bind_arguments)
    if connection.dialect.name != "sqlite":
        return
    # In a transaction already, a write began it (sqlite3 begins one for nothing else, and this
    # service makes no savepoints on SQLite), so the lock is held.
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # waits up to busy_timeout for the lock


def register(app) -> None:
    """Turn on foreign keys, WAL, a busy timeout and write locks for FOR UPDATE on SQLite."""
    if not getattr(register, "done", False):
        event.listen(Engine, "connect", _set_pragmas)
        event.listen(Session, "do_orm_execute", _write_lock_for_update)
        register.done = True
