"""Flask commands: database, accounts, tokens and each area's own commands."""

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from . import storage
from .accounts import authority_create, ensure_vocabulary, user_create
from .auth.service import token_create
from .errors import ServiceError
from .extensions import db
from .models import User
from .permissions import SYSTEM


def fail(message: str) -> None:
    """Print a clear message to standard error and exit 1 (never a traceback)."""
    raise click.ClickException(message)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database to the latest migration and load the vocabulary."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    added = ensure_vocabulary()
    click.echo(f"Database ready ({added} document types added).")


@click.command("create-authority")
@click.argument("slug")
@click.argument("name")
@with_appcontext
def create_authority_command(slug: str, name: str):
    """Create an authority with a short SLUG and a NAME."""
    try:
        authority = authority_create(SYSTEM, slug, name)
    except ServiceError as exc:
        fail(exc.message)
    click.echo(f"Created authority {authority.slug}: {authority.name}")


@click.command("create-user")
@click.argument("email")
@click.option("--authority", "authority_slug", help="The authority's slug (not needed for admins).")
@click.option(
    "--role", type=click.Choice(["practitioner", "editor", "manager", "admin"]), required=True
)
@click.option("--name", help="The person's name (defaults to the email address).")
@click.option("--team", "team_name", help="The name of the person's team in the authority.")
@click.password_option("--password", prompt="Password", confirmation_prompt=True)
@with_appcontext
def create_user_command(email, authority_slug, role, name, team_name, password):
    """Create a user; the password is read twice from standard input or prompted."""
    from .teams.cli import team_for

    team = team_for(authority_slug, team_name) if team_name else None
    try:
        user = user_create(
            SYSTEM,
            email=email,
            name=name or email,
            role=role,
            authority_slug=authority_slug,
            password=password,
            team=team,
        )
    except ServiceError as exc:
        fail(exc.message)
    click.echo(f"Created {user.role} {user.email}" + (f" in {team.name}" if team else ""))


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="Command line", help="A name to recognise the token by.")
@with_appcontext
def create_token_command(email: str, name: str):
    """Create an API token for EMAIL and print only the token."""
    user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        fail(f"No active user with the email address {email}.")
    try:
        click.echo(token_create(user, name))
    except ServiceError as exc:
        fail(exc.message)


@click.command("gc-blobs")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
@with_appcontext
def gc_blobs_command(dry_run: bool):
    """Remove stored files no version refers to, once older than BLOB_GC_GRACE_HOURS."""
    grace = storage.grace_seconds()
    report = storage.blob_gc(grace, dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    for name, size in report.removed:
        click.echo(f"{verb} {name} ({size} bytes)")
    freed = "would free" if dry_run else "freed"
    click.echo(
        f"{verb} {len(report.removed)} files, {freed} {report.bytes_freed} bytes; kept "
        f"{report.kept_referenced} in use and {report.kept_young} younger than {grace / 3600:g} h."
    )


def register_cli(app: Flask) -> None:
    """Add every command to the app's CLI."""
    from .authority_templates.cli import commands as template_commands
    from .backup.cli import commands as backup_commands
    from .compare.cli import commands as compare_commands
    from .documents.cli import SEED_STEPS
    from .documents.cli import commands as document_commands
    from .feedback.cli import commands as feedback_commands
    from .generation.cli import commands as generate_commands
    from .practice_figures.cli import commands as figure_commands
    from .profiles.cli import commands as profile_commands
    from .profiles.seed import profiles_seed_demo
    from .search.cli import commands as search_commands
    from .self_assessment.cli import commands as self_assessment_commands
    from .teams.cli import commands as team_commands
    from .teams.cli import teams_seed_demo

    for command in (
        init_db_command,
        create_authority_command,
        create_user_command,
        create_token_command,
        gc_blobs_command,
        *document_commands,
        *search_commands,
        *generate_commands,
        *template_commands,
        *compare_commands,
        *profile_commands,
        *backup_commands,
        *self_assessment_commands,
        *team_commands,
        *feedback_commands,
        *figure_commands,
    ):
        app.cli.add_command(command)
    if profiles_seed_demo not in SEED_STEPS:
        SEED_STEPS.append(profiles_seed_demo)  # seed-demo gives each authority its profile
    if teams_seed_demo not in SEED_STEPS:
        SEED_STEPS.append(teams_seed_demo)  # and its teams, with the demo people in them
