"""SQLite settings that let several gunicorn workers share one database file safely."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _set_pragmas(dbapi_connection, _record) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def register(app) -> None:
    """Turn on foreign keys, WAL and a busy timeout for every SQLite connection."""
    if not getattr(register, "done", False):
        event.listen(Engine, "connect", _set_pragmas)
        register.done = True
