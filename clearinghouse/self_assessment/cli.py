"""Command: self-assessments, an authority's implementation self-assessments, newest first."""

import json

import click
from flask.cli import with_appcontext

from ..errors import ServiceError
from ..permissions import SYSTEM
from . import service


@click.command("self-assessments")
@click.argument("authority_slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, as the API answers.")
@with_appcontext
def self_assessments_command(authority_slug: str, as_json: bool):
    """List AUTHORITY_SLUG's self-assessments (0 barely begun, 10 fully implemented)."""
    try:
        shown = service.self_assessment_overview(SYSTEM, authority_slug.strip())
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    if as_json:
        body = {"authority": shown.authority, "shared": shown.shared}
        body["history"] = [r.as_dict() for r in shown.history]
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    sharing = "shared with other authorities" if shown.shared else "kept within the authority"
    click.echo(f"{shown.authority_name}: {len(shown.history)} self-assessments, {sharing}.")
    for r in shown.history:
        note = " ".join(r.note.split())
        click.echo(f"{r.recorded_at:%Y-%m-%d}  {r.scale:>2}/10  {r.recorded_by}: {note}")


commands = [self_assessments_command]
