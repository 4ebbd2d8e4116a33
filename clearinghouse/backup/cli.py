"""Commands: back up the running instance, and restore a backup into this one."""

import sqlite3
from pathlib import Path

import click
from alembic.util.exc import CommandError
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from ..errors import ServiceError
from .manifest import COUNTED, ManifestError
from .restore import backup_restore
from .service import backup_create

# What a backup or restore may stop with; each becomes one line, never a traceback.
FAILURES = (ServiceError, OSError, ManifestError, sqlite3.Error, SQLAlchemyError, CommandError)


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _failed(exc: Exception) -> click.ClickException:
    """Return the one-line message a failed backup or restore stops with."""
    if isinstance(exc, ServiceError):
        return click.ClickException(exc.message)
    if isinstance(exc, ManifestError):
        return click.ClickException(str(exc))
    if isinstance(exc, OSError):
        return click.ClickException(f"{exc.strerror or type(exc).__name__}: {exc.filename or ''}")
    said = _first_line(getattr(exc, "orig", None) or exc)
    if "locked" in said or "lock timeout" in said:
        return click.ClickException(
            f"The database is in use ({said}): stop the app servers first, then try again."
        )
    return click.ClickException(f"The database could not be read or written: {said}")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(name, 0)} {name}" for name in COUNTED)


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(dest: Path):
    """Write a consistent backup of the running instance to DEST (a new or empty folder)."""
    try:
        report = backup_create(dest, progress=click.echo)
    except FAILURES as exc:
        raise _failed(exc) from None
    manifest = report.manifest
    click.echo(
        f"Backed up {manifest.database_kind} ({_counts(manifest.counts)}; "
        f"{manifest.total_blob_bytes + manifest.snapshot['size']} bytes) to {report.dest} "
        f"in {report.seconds:.1f} s."
    )


@click.command("restore")
@click.argument("src", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace what the instance holds already.")
@click.option("--procs", type=int, default=None, help="Processes to rebuild the index with.")
@with_appcontext
def restore_command(src: Path, force: bool, procs: int | None):
    """Verify the backup in SRC, restore it into this instance and rebuild the search index."""
    try:
        report = backup_restore(src, force=force, procs=procs, progress=click.echo)
    except FAILURES as exc:
        raise _failed(exc) from None
    if report.replaced:
        replaced = " and ".join(f"{n} {label}" for label, n in report.replaced.items())
        click.echo(f"Replaced what the instance held: {replaced}.")
    click.echo(
        f"Restored the backup of {report.manifest.created_at} "
        f"({_counts(report.manifest.counts)}) in {report.seconds:.1f} s; "
        f"indexed {report.indexed} document versions."
    )
    if not report.index.clean:
        raise click.ClickException(
            "The search index differs from the database after the rebuild: run "
            "flask --app clearinghouse check-index for the details."
        )
    click.echo("check-index: the search index is up to date.")


commands = [backup_command, restore_command]
