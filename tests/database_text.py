"""Every row of a test's database as text, on SQLite or PostgreSQL, for privacy checks.

On SQLite the database is a file in the instance folder (scanned with it) and its SQL dump; on
PostgreSQL it lives in the test cluster, so every row of every table is read back instead.
"""

from sqlalchemy import MetaData, select


def database_text(engine) -> str:
    """Return the database's contents as text: SQLite's dump, or every row of every table."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            return "\n".join(connection.connection.driver_connection.iterdump())
        tables = MetaData()
        tables.reflect(connection)
        lines = []
        for table in tables.sorted_tables:
            lines += [f"{table.name}: {tuple(row)!r}" for row in connection.execute(select(table))]
        return "\n".join(lines)


def database_in_instance_folder(engine) -> bool:
    """Return True when the database is a file in the instance folder (SQLite)."""
    return engine.dialect.name == "sqlite"
