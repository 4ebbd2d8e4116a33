"""Commands for teams: create one; and seed-demo's step putting the demo people in teams."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..errors import ServiceError
from ..extensions import db
from ..models import User
from ..permissions import SYSTEM
from . import service

# The demo's teams in every demo authority, and the roles of the demo people put in each.
DEMO_TEAMS = {
    "Referral and assessment team": ("practitioner", "manager"),
    "Family support team": ("editor",),
}


def team_for(authority_slug: str | None, team_name: str):
    """Return the named team of the authority, or stop with a one-line message."""
    if not authority_slug:
        raise click.ClickException("A team belongs to an authority: give --authority too.")
    try:
        authority = service.team_authority(SYSTEM, authority_slug)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    team = service.team_find(authority.id, team_name)
    if team is None:
        raise click.ClickException(
            f"{authority.name} has no team called {team_name!r}. "
            f"Create it first: flask --app clearinghouse create-team {authority.slug} NAME"
        )
    return team


@click.command("create-team")
@click.argument("authority_slug")
@click.argument("name")
@with_appcontext
def create_team_command(authority_slug: str, name: str):
    """Create a team NAME in the authority AUTHORITY_SLUG."""
    try:
        authority = service.team_authority(SYSTEM, authority_slug)
        team = service.team_create(SYSTEM, authority.id, name)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Created team {team.name} in {authority.name}")


def teams_seed_demo(editors: dict, policies_dir) -> None:
    """Give each demo authority its teams and put its demo people in them (once)."""
    for editor in editors.values():
        authority_id = editor.authority_id
        for name, roles in DEMO_TEAMS.items():
            team = service.team_find(authority_id, name) or service.team_create(
                SYSTEM, authority_id, name
            )
            people = db.session.scalars(
                select(User).where(
                    User.authority_id == authority_id,
                    User.role.in_(roles),
                    User.team_id.is_(None),
                )
            ).all()
            for person in people:
                service.user_set_team(SYSTEM, person.id, team.id)


commands = [create_team_command]
