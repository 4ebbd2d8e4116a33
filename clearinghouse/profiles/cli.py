"""Commands: profile-set and profile-show, the authority profile from and to JSON files."""

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..errors import ServiceError
from ..permissions import SYSTEM
from . import service


def _problem(exc: ServiceError) -> str:
    lines = [exc.message]
    lines += [f"  {d.get('path') or '/'}: {d.get('message')}" for d in exc.details[:20]]
    return "\n".join(lines)


@click.command("profile-set")
@click.argument("authority_slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--logo",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A PNG or JPEG for the letterhead (else the current logo is kept).",
)
@with_appcontext
def profile_set_command(authority_slug: str, file: Path, logo: Path | None):
    """Save FILE.json (the case model's authority object) as the authority's new profile."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{file} is not a JSON file: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("profile"), dict):
        data = data["profile"]  # what profile-show and the API print
    try:
        saved, changes = service.profile_update(
            SYSTEM,
            data,
            authority_slug=authority_slug,
            logo=logo.read_bytes() if logo else service.KEEP,
        )
    except ServiceError as exc:
        raise click.ClickException(_problem(exc)) from None
    if changes:
        click.echo(f"Saved the profile of {saved.authority_name} as version {saved.number}.")
        click.echo("Changed: " + ", ".join(changes))
    else:
        click.echo(f"The profile of {saved.authority_name} is unchanged (version {saved.number}).")


@click.command("profile-show")
@click.argument("authority_slug")
@with_appcontext
def profile_show_command(authority_slug: str):
    """Print the authority's current profile as JSON (the case model's authority object)."""
    try:
        shown = service.profile_show(SYSTEM, authority_slug)
    except ServiceError as exc:
        raise click.ClickException(_problem(exc)) from None
    body = {"authority": shown.authority_slug, "version": shown.number, "profile": shown.data}
    click.echo(json.dumps(body, indent=2, ensure_ascii=False))


commands = [profile_set_command, profile_show_command]
