"""flask import-feedback FILE.csv: paper feedback forms from a CSV file, all or nothing."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..errors import ServiceError
from ..models import utcnow
from .importer import feedback_import


@click.command("import-feedback")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--authority", "authority_slug", required=True, help="The authority's slug.")
@with_appcontext
def import_feedback_command(csv_file: Path, authority_slug: str):
    """Import paper feedback forms from CSV_FILE (columns: team, received, explained,
    listened, helped, better): every row is checked, then all are imported or none."""
    try:
        count = feedback_import(authority_slug, csv_file.read_bytes(), utcnow().date())
    except ServiceError as exc:
        for detail in exc.details:
            click.echo(f"{detail['path']}: {detail['message']}", err=True)
        raise click.ClickException(exc.message) from None
    except OSError as exc:
        raise click.ClickException(f"Could not read {csv_file}: {exc.strerror}") from None
    click.echo(f"Imported {count} paper feedback form{'s' if count != 1 else ''}.")


commands = [import_feedback_command]
