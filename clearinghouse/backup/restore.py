"""Restore a backup into this instance: verify everything first, then the database, every
blob, and a search index rebuilt from the restored database.

Nothing in the instance changes until the manifest, the snapshot and every blob have been
checked against their sha256s, the database kinds fit (SQLite to SQLite or to PostgreSQL,
PostgreSQL to PostgreSQL) and the backup's migration is one this version knows. A backup from
an older migration is upgraded after the restore, as ``flask db upgrade`` would.
"""

import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from flask import current_app
from sqlalchemy import func, inspect, select

from .. import storage
from ..accounts import ensure_vocabulary
from ..errors import ServiceError
from ..extensions import db
from ..models import AuditEvent
from ..search.check import IndexReport, index_check
from ..search.index import index_rebuild, index_rebuild_running
from .contents import COUNTED_TABLES
from .manifest import Manifest, ManifestError, blob_file, file_digest, manifest_read
from .service import INCOMPLETE_NAME, BackupError, Progress, database_kind, sqlite_file

log = logging.getLogger(__name__)
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class RestoreReport:
    """What a restore did: the backup restored, what it replaced, the index it rebuilt."""

    manifest: Manifest
    replaced: dict[str, int]
    upgraded_from: str | None
    indexed: int
    index: IndexReport
    seconds: float


def _verify_blobs(src: Path, manifest: Manifest) -> None:
    for digest, size in manifest.blobs.items():
        path = blob_file(src, digest)
        if not path.is_file():
            raise BackupError(f"The backup is missing the stored file {digest}. Nothing changed.")
        if file_digest(path) != (digest, size):
            raise BackupError(
                f"The stored file {digest} in the backup is damaged (its sha256 or size "
                "differs from the manifest). Nothing changed."
            )


def moving_up(manifest: Manifest, kind: str) -> bool:
    """Return True when a SQLite backup is restored into PostgreSQL (its rows are copied)."""
    return manifest.database_kind == "sqlite" and kind == "postgresql"


def _same_kind(manifest: Manifest, kind: str) -> None:
    if manifest.database_kind != kind and not moving_up(manifest, kind):
        raise BackupError(
            f"This is a backup of a {KIND_NAMES[manifest.database_kind]} database; this "
            f"instance uses {KIND_NAMES[kind]}. A backup restores into the kind of database "
            "it was made from, or a SQLite backup into PostgreSQL. Nothing changed."
        )


def backup_verify(src: Path, kind: str | None = None) -> Manifest:
    """Check a backup's manifest, snapshot and every blob (and, given, its database kind)."""
    src = Path(src)
    try:
        manifest = manifest_read(src)
    except ManifestError as exc:
        raise BackupError(str(exc)) from None
    if (src / INCOMPLETE_NAME).exists():
        raise BackupError(f"{src} is marked {INCOMPLETE_NAME}: its backup did not finish.")
    if kind:
        _same_kind(manifest, kind)
    snapshot = src / manifest.snapshot["name"]
    if not snapshot.is_file():
        raise BackupError(f"The backup has no {snapshot.name}. Nothing changed.")
    if file_digest(snapshot) != (manifest.snapshot["sha256"], manifest.snapshot["size"]):
        raise BackupError(
            f"The database snapshot {snapshot.name} differs from the manifest (sha256 or "
            "size): the backup is damaged. Nothing changed."
        )
    _verify_blobs(src, manifest)
    if manifest.database_kind == "sqlite":
        from .sqlite import sqlite_check, sqlite_contents

        if (problem := sqlite_check(snapshot)) != "ok":
            raise BackupError(f"The database snapshot fails SQLite's check: {problem}")
        contents = sqlite_contents(snapshot)
        if contents.counts != manifest.counts:
            raise BackupError(
                "The database snapshot's row counts differ from the manifest's: the backup "
                "is damaged. Nothing changed."
            )
        missing = contents.digests - manifest.blobs.keys()
        if missing:
            raise BackupError(
                f"The snapshot refers to {len(missing)} stored files the backup does not hold "
                f"(e.g. {min(missing)}). Nothing changed."
            )
    return manifest


def _migration_config():
    return current_app.extensions["migrate"].migrate.get_config()


def _upgrade_needed(revision: str | None) -> str | None:
    """Return the backup's revision when it is older than this version's, else None."""
    if revision is None:  # a database made without migrations (tests): restored as it is
        return None
    script = ScriptDirectory.from_config(_migration_config())
    try:
        script.get_revision(revision)
    except CommandError:
        raise BackupError(
            f"The backup was made by a newer version of Clearinghouse (database migration "
            f"{revision}, unknown to this one). Restore it with that version or a later one."
        ) from None
    return None if revision in script.get_heads() else revision


# What makes an instance not empty: every table a backup counts, and the audit log.
HELD = {**COUNTED_TABLES, "audit events": AuditEvent}
HEADLINE = ("users", "documents")


def instance_holds() -> dict[str, int]:
    """Return how many rows of each counted table and audit events the database holds."""
    tables = set(inspect(db.engine).get_table_names())
    held = {}
    for label, model in HELD.items():
        if model.__tablename__ in tables:
            held[label] = db.session.scalar(select(func.count()).select_from(model))
    db.session.rollback()
    return {label: count for label, count in held.items() if count}


def _held_text(held: dict[str, int]) -> str:
    """Return "1 users and 2 documents (and 1 authorities, ...)": the headline first."""
    head = [f"{held[label]} {label}" for label in HEADLINE if label in held]
    rest = [f"{count} {label}" for label, count in held.items() if label not in HEADLINE]
    if not head:
        return ", ".join(rest)
    return " and ".join(head) + (f" (and {', '.join(rest)})" if rest else "")


def _where() -> str:
    if db.engine.dialect.name == "sqlite":
        return str(sqlite_file())
    return db.engine.url.render_as_string(hide_password=True)


def _restore_database(src: Path, manifest: Manifest) -> None:
    snapshot = src / manifest.snapshot["name"]
    db.session.remove()
    db.engine.dispose()  # this process holds no connection to the database it replaces
    if moving_up(manifest, db.engine.dialect.name):
        from .move import MoveError, sqlite_into_postgres

        try:
            sqlite_into_postgres(snapshot, db.engine, manifest.alembic_revision)
        except MoveError as exc:
            raise BackupError(
                f"Copying the SQLite backup into PostgreSQL failed ({exc}). The database was "
                "left as it was."
            ) from None
    elif manifest.database_kind == "sqlite":
        from .sqlite import sqlite_restore

        try:
            sqlite_restore(snapshot, sqlite_file())
        except sqlite3.Error as exc:
            raise BackupError(
                f"The SQLite database could not be replaced ({exc}): stop the app servers "
                "first (they hold the database file), then restore again. The database was "
                "left as it was."
            ) from None
    else:
        from .contents import counts_check_sql
        from .postgres import ToolFailed, pg_restore

        try:
            pg_restore(db.engine.url, snapshot, counts_check_sql(manifest.counts))
        except ToolFailed as exc:
            raise BackupError(f"{exc} The database was left as it was.") from None
    db.engine.dispose()


def _put_blobs(src: Path, manifest: Manifest, progress: Progress) -> None:
    for count, digest in enumerate(sorted(manifest.blobs), start=1):
        if storage.put_blob(blob_file(src, digest).read_bytes()) != digest:
            raise BackupError(f"The stored file {digest} changed while it was restored.")
        if count % 200 == 0:
            db.session.commit()  # a blob store in the database writes them in the session
        if count % 1000 == 0:
            progress(f"Restored {count} of {len(manifest.blobs)} stored files.")
    db.session.commit()


def _check_references(manifest: Manifest) -> None:
    missing = storage.referenced_digests() - manifest.blobs.keys() - {None}
    if missing:
        raise BackupError(f"The restored database refers to {len(missing)} files not restored.")


def _after_swap(step: str, exc: Exception, finish: str) -> BackupError:
    """Return the error of a step after the database swap, saying the state and what to run."""
    said = exc.message if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
    said = said.strip().splitlines()[0] if said.strip() else type(exc).__name__
    log.error("restore failed after the database was replaced, at %s (%s)", step, type(exc))
    return BackupError(
        f"The database has been replaced by the backup's, but {step} failed ({said}). "
        f"The instance is not fully restored: {finish}"
    )


def _check_not_rebuilding() -> None:
    if index_rebuild_running():
        raise BackupError(
            "The search index is being rebuilt by another process. Wait for it to finish, "
            "then restore again. Nothing changed."
        )


def backup_restore(
    src: Path, force: bool = False, procs: int | None = None, progress: Progress | None = None
) -> RestoreReport:
    """Restore the backup in src into this instance and rebuild its search index."""
    progress = progress or (lambda message: None)
    started = time.monotonic()
    src = Path(src).resolve()
    manifest = backup_verify(src, database_kind())
    progress(f"Backup verified: the database and {len(manifest.blobs)} stored files.")
    upgraded_from = _upgrade_needed(manifest.alembic_revision)
    if upgraded_from and moving_up(manifest, database_kind()):
        raise BackupError(
            f"This SQLite backup is at an older database migration ({upgraded_from}). Restore "
            "it into a SQLite instance of this version first (that upgrades it), back that up, "
            "and restore the new backup into PostgreSQL. Nothing changed."
        )
    held = instance_holds()
    if held and not force:
        what = _held_text(held)
        raise BackupError(
            f"This instance is not empty: its database ({_where()}) holds {what}. Restoring "
            "would replace them. Restore into an empty instance, or pass --force to replace "
            "them. Nothing changed."
        )
    _check_not_rebuilding()
    # The folder store's blobs go in before the database is replaced: if that fails, the
    # database is untouched, and a blob no row names is harmless (blob_gc's grace period
    # keeps it). The database store keeps blobs in the very database the restore replaces,
    # so there they can only be put after it.
    blobs_first = storage.store_name() != "database"
    if blobs_first:
        try:
            _put_blobs(src, manifest, progress)
        except OSError as exc:
            raise BackupError(
                f"Putting back the stored files failed ({exc.strerror or exc}): the database "
                "was not changed (files already put back are harmless). Restore again once "
                "that is put right."
            ) from None
        progress("Stored files restored; replacing the database.")
    _restore_database(src, manifest)
    rerun = f"run flask --app clearinghouse restore --force {src} again."
    if upgraded_from:
        try:
            command.upgrade(_migration_config(), "head")
            ensure_vocabulary()
            db.session.commit()
        except Exception as exc:
            raise _after_swap(f"upgrading it from migration {upgraded_from}", exc, rerun) from None
        progress(f"Database upgraded from migration {upgraded_from}.")
    try:
        if not blobs_first:
            _put_blobs(src, manifest, progress)
        _check_references(manifest)
    except Exception as exc:
        raise _after_swap("putting back the stored files", exc, rerun) from None
    progress("Database and stored files restored; rebuilding the search index.")
    try:
        indexed = index_rebuild(procs=procs)
        report = index_check()
    except Exception as exc:
        finish = "run flask --app clearinghouse reindex to rebuild the search index."
        raise _after_swap("rebuilding the search index", exc, finish) from None
    return RestoreReport(manifest, held, upgraded_from, indexed, report, time.monotonic() - started)
