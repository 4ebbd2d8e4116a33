"""Teams: create and rename an authority's teams and set a person's team.

Site admins manage the teams of any authority, managers those of their own (permissions
``can_manage_teams``). Another authority's teams and people are NotFound to a manager.
"""

import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from .. import permissions
from ..errors import Conflict, InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import Authority, User, record_audit
from ..text import whole_number
from .models import Team

log = logging.getLogger(__name__)

MAX_NAME = 100


@dataclass
class TeamInfo:
    """A team as the pages show it."""

    id: int
    name: str
    members: int


@dataclass
class MemberInfo:
    """A person of the authority and their team (None: no team)."""

    id: int
    name: str
    email: str
    role: str
    team_id: int | None
    team: str | None


def _refuse() -> None:
    raise NotAuthorized("Only managers of the authority and site administrators can do this.")


def team_authority(actor, authority_slug: str | None) -> Authority | None:
    """Return the authority whose teams the actor manages: a manager's own, or the one an
    admin names (None when an admin has named none yet)."""
    if not (permissions.is_system(actor) or permissions.can_manage_some_teams(actor)):
        _refuse()
    if permissions.is_system(actor) or actor.role == "admin":
        if not authority_slug:
            return None
        authority = db.session.scalar(select(Authority).where(Authority.slug == authority_slug))
        if authority is None:
            raise NotFound(f"There is no authority called {authority_slug}.")
        return authority
    if authority_slug and authority_slug != actor.authority.slug:
        raise NotFound("Page not found. If you typed the web address, check it is correct.")
    return actor.authority


def _check(actor, authority_id: int) -> None:
    if not (permissions.is_system(actor) or permissions.can_manage_teams(actor, authority_id)):
        _refuse()


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(
            "invalid_team_name", f"Enter the team's name ({MAX_NAME} characters at most)."
        )
    return name


def _refuse_taken(authority_id: int, name: str, except_id: int | None = None) -> None:
    query = select(Team.id).where(
        Team.authority_id == authority_id, func.lower(Team.name) == name.lower()
    )
    if except_id is not None:
        query = query.where(Team.id != except_id)
    if db.session.scalar(query) is not None:
        raise Conflict("The authority already has a team with that name.", "team_exists")


def team_list(actor, authority_id: int) -> list[TeamInfo]:
    """Return the authority's teams by name, with how many people each has."""
    _check(actor, authority_id)
    counts = dict(
        db.session.execute(
            select(User.team_id, func.count()).where(User.active.is_(True)).group_by(User.team_id)
        ).all()
    )
    teams = db.session.scalars(
        select(Team).where(Team.authority_id == authority_id).order_by(func.lower(Team.name))
    )
    return [TeamInfo(t.id, t.name, counts.get(t.id, 0)) for t in teams]


def team_create(actor, authority_id: int, name: str) -> Team:
    """Add a team to the authority."""
    _check(actor, authority_id)
    name = _clean_name(name)
    _refuse_taken(authority_id, name)
    team = Team(authority_id=authority_id, name=name)
    db.session.add(team)
    db.session.flush()
    record_audit(actor, "team_created", "team", team.id, about_authority_id=authority_id)
    db.session.commit()
    return team


def _team(actor, team_id) -> Team:
    team = db.session.get(Team, number) if (number := whole_number(team_id)) else None
    if team is None or not (
        permissions.is_system(actor) or permissions.can_manage_teams(actor, team.authority_id)
    ):
        raise NotFound("That team does not exist.")
    return team


def team_rename(actor, team_id: int, name: str) -> tuple[str, str]:
    """Rename a team; return its names before and after."""
    team = _team(actor, team_id)
    name = _clean_name(name)
    _refuse_taken(team.authority_id, name, except_id=team.id)
    old = team.name
    if old != name:
        team.name = name
        record_audit(actor, "team_renamed", "team", team.id, about_authority_id=team.authority_id)
        db.session.commit()
    return old, name


def team_find(authority_id: int, name: str) -> Team | None:
    """Return the authority's team of that name (any case), or None."""
    name = " ".join((name or "").split())
    return db.session.scalar(
        select(Team).where(Team.authority_id == authority_id, func.lower(Team.name) == name.lower())
    )


def team_name(team_id: int | None) -> str | None:
    """Return a team's name, or None (for showing a person's own team)."""
    if team_id is None:
        return None
    return db.session.scalar(select(Team.name).where(Team.id == team_id))


def team_members(actor, authority_id: int) -> list[MemberInfo]:
    """Return the authority's active people by name, with their teams."""
    _check(actor, authority_id)
    rows = db.session.execute(
        select(User, Team.name)
        .outerjoin(Team, Team.id == User.team_id)
        .where(User.authority_id == authority_id, User.active.is_(True))
        .order_by(func.lower(User.name))
    ).all()
    return [MemberInfo(u.id, u.name, u.email, u.role, u.team_id, team) for u, team in rows]


def user_set_team(actor, user_id, team_id) -> bool:
    """Put a person in a team of their authority (team_id None: in none); return whether
    anything changed."""
    user = db.session.get(User, number) if (number := whole_number(user_id)) else None
    if user is None or user.authority_id is None:
        raise NotFound("That person does not exist.")
    if not (permissions.is_system(actor) or permissions.can_manage_teams(actor, user.authority_id)):
        raise NotFound("That person does not exist.")
    team = None
    if team_id not in (None, ""):
        team = db.session.get(Team, number) if (number := whole_number(team_id)) else None
        if team is None or team.authority_id != user.authority_id:
            raise InvalidInput("unknown_team", "Choose one of the authority's teams.")
    new_id = team.id if team else None
    if user.team_id == new_id:
        return False
    detail = {"team_from": user.team_id, "team_to": new_id}
    user.team_id = new_id
    record_audit(
        actor, "team_member_set", "user", user.id, about_authority_id=user.authority_id, **detail
    )
    db.session.commit()
    return True
