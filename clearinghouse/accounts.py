"""Authorities, users and the document-type vocabulary: the admin's services."""

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from . import permissions
from .auth import resets
from .auth.service import check_new_password, hash_password
from .errors import Conflict, InvalidInput, NotAuthorized, NotFound
from .extensions import db
from .models import ROLES, Authority, DocType, Document, User, record_audit
from .vocabulary import DOC_TYPES, STAGE_LABELS

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


@dataclass
class UserInfo:
    """A user as the admin pages show them."""

    id: int
    email: str
    name: str
    role: str
    authority: str | None
    active: bool
    authority_slug: str | None = None
    team_id: int | None = None


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAuthorized("Only site administrators can do this.")


def ensure_vocabulary() -> int:
    """Add any missing document types of the seed's list; return how many were added."""
    existing = set(db.session.scalars(select(DocType.slug)))
    added = 0
    for position, (slug, label, stage) in enumerate(DOC_TYPES):
        if slug not in existing:
            db.session.add(DocType(slug=slug, label=label, stage=stage, position=position))
            added += 1
    db.session.commit()
    return added


def doc_type_create(actor, slug: str, label: str, stage: str) -> DocType:
    """Add a document type to the controlled vocabulary."""
    _require(permissions.can_manage_doc_types(actor))
    slug = (slug or "").strip().lower()
    label = " ".join((label or "").split())
    if not SLUG.match(slug):
        raise InvalidInput(
            "invalid_slug", "The short name must use lower-case letters, numbers and hyphens."
        )
    if not label or len(label) > 200:
        raise InvalidInput(
            "invalid_label", "Enter a name for the document type (200 characters at most)."
        )
    if stage not in STAGE_LABELS:
        raise InvalidInput("invalid_stage", "Choose a practice stage from the list.")
    if db.session.scalar(select(DocType).where(DocType.slug == slug)):
        raise Conflict("A document type with that short name already exists.", "doc_type_exists")
    position = len(DOC_TYPES) + (db.session.query(DocType).count())
    doc_type = DocType(slug=slug, label=label, stage=stage, position=position)
    db.session.add(doc_type)
    record_audit(actor, "doc_type_created", "doc_type", slug)
    db.session.commit()
    return doc_type


def authority_create(actor, slug: str, name: str) -> Authority:
    """Create an authority (actor: an admin, or permissions.SYSTEM from the command line)."""
    _require(permissions.can_create_authority(actor))
    slug = (slug or "").strip().lower()
    name = " ".join((name or "").split())
    if not SLUG.match(slug):
        raise InvalidInput(
            "invalid_slug",
            "The short name must be 2 to 63 lower-case letters, numbers and hyphens.",
        )
    if not name or len(name) > 200:
        raise InvalidInput("invalid_name", "Enter the authority's name (200 characters at most).")
    if db.session.scalar(select(Authority).where(Authority.slug == slug)):
        raise Conflict("An authority with that short name already exists.", "authority_exists")
    authority = Authority(slug=slug, name=name)
    db.session.add(authority)
    db.session.flush()
    record_audit(actor, "authority_created", "authority", authority.id)
    db.session.commit()
    return authority


def authority_list() -> list[Authority]:
    """Return every authority by name."""
    return list(db.session.scalars(select(Authority).order_by(Authority.name)))


def _role_authority(role: str, authority_slug: str | None) -> Authority | None:
    """Check the role, and return the authority it is in (the authority roles need one)."""
    if role not in ROLES:
        raise InvalidInput("invalid_role", "Choose a role: practitioner, editor, manager or admin.")
    if not authority_slug:
        if role in permissions.AUTHORITY_ROLES:
            raise InvalidInput("authority_required", "Choose the authority this person works for.")
        return None
    authority = db.session.scalar(select(Authority).where(Authority.slug == authority_slug))
    if authority is None:
        raise InvalidInput("unknown_authority", f"There is no authority called {authority_slug}.")
    return authority


def user_create(
    actor,
    *,
    email: str,
    name: str,
    role: str,
    authority_slug: str | None,
    password: str,
    team=None,
) -> User:
    """Create a user with a role in an authority (admins may have none), perhaps in one of its
    teams, in one commit."""
    _require(permissions.can_create_user(actor))
    try:
        email = validate_email(email or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise InvalidInput(
            "invalid_email", "Enter an email address like name@council.gov.uk."
        ) from None
    authority = _role_authority(role, authority_slug)
    check_new_password(password or "")
    if db.session.scalar(select(User).where(User.email == email)):
        raise Conflict("A user with that email address already exists.", "user_exists")
    name = " ".join((name or "").split())[:200] or email
    user = User(
        email=email,
        name=name,
        role=role,
        authority=authority,
        password_hash=hash_password(password),
    )
    if team is not None:
        if authority is None or team.authority_id != authority.id:
            raise InvalidInput("unknown_team", "Choose one of the authority's teams.")
        user.team_id = team.id
    db.session.add(user)
    db.session.flush()
    extra = {"team_to": team.id} if team is not None else {}
    record_audit(
        actor,
        "user_created",
        "user",
        user.id,
        about_authority_id=user.authority_id,
        role=role,
        **extra,
    )
    db.session.commit()
    return user


def user_list(actor) -> list[UserInfo]:
    """Return every user, for admins."""
    _require(permissions.can_manage_users(actor))
    users = db.session.scalars(select(User).order_by(User.email))
    return [
        UserInfo(u.id, u.email, u.name, u.role, u.authority.name if u.authority else None, u.active)
        for u in users
    ]


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("That user does not exist.")
    return user


def user_get(actor, user_id: int) -> UserInfo:
    """Return one user, for admins."""
    _require(permissions.can_manage_users(actor))
    u = _user(user_id)
    authority = u.authority
    return UserInfo(
        u.id,
        u.email,
        u.name,
        u.role,
        authority.name if authority else None,
        u.active,
        authority.slug if authority else None,
        u.team_id,
    )


def _active_admins() -> int:
    """Count the active admins, locking their rows till the commit: on PostgreSQL two admins
    demoting each other at once would otherwise both see two and leave none."""
    query = select(User.id).where(User.role == "admin", User.active.is_(True)).with_for_update()
    return len(db.session.scalars(query).all())


def user_change_role(actor, user_id: int, role: str, authority_slug: str | None) -> bool:
    """Give a user another role (and authority); return False if nothing changed.

    Roles of an authority need one; the last active site administrator keeps the role.
    """
    _require(permissions.can_manage_users(actor))
    user = _user(user_id)
    authority = _role_authority(role, authority_slug)
    if user.role == "admin" and role != "admin" and user.active and _active_admins() <= 1:
        db.session.rollback()  # let the other admins' rows go
        raise InvalidInput(
            "last_admin",
            "This is the only active site administrator. Make someone else an administrator first.",
        )
    new_authority_id = authority.id if authority else None
    if user.role == role and user.authority_id == new_authority_id:
        return False
    detail = {"from": user.role, "to": role}
    if user.authority_id != new_authority_id:
        detail["authority_from"] = user.authority.slug if user.authority else None
        detail["authority_to"] = authority.slug if authority else None
    user.role = role
    if user.authority_id != new_authority_id:
        user.team_id = None  # a team belongs to one authority
    user.authority = authority
    record_audit(
        actor, "role_changed", "user", user.id, about_authority_id=new_authority_id, **detail
    )
    db.session.commit()
    return True


def user_password_reset(actor, user_id: int) -> str:
    """Return a one-time link token for the user to set a new password (shown once)."""
    _require(permissions.can_manage_users(actor))
    return resets.reset_issue(actor, _user(user_id))


def user_set_active(actor, user_id: int, active: bool) -> None:
    """Deactivate or reactivate a user (their sessions and tokens stop working at once)."""
    _require(permissions.can_manage_users(actor))
    user = _user(user_id)
    if user.id == actor.id and not active:
        raise InvalidInput("cannot_deactivate_self", "You cannot deactivate your own account.")
    user.active = active
    if not active:
        user.session_version = User.session_version + 1  # a reactivation must not revive them
    action = "user_activated" if active else "user_deactivated"
    record_audit(actor, action, "user", user.id, about_authority_id=user.authority_id)
    db.session.commit()


@dataclass
class AuthorityInfo:
    """An authority as the admin pages show it."""

    id: int
    slug: str
    name: str
    users: int
    documents: int


def authority_overview(actor) -> list[AuthorityInfo]:
    """Return every authority with its numbers of users and (not withdrawn) documents."""
    _require(permissions.can_manage_authorities(actor))
    users = dict(
        db.session.execute(
            select(User.authority_id, func.count()).group_by(User.authority_id)
        ).all()
    )
    documents = dict(
        db.session.execute(
            select(Document.authority_id, func.count())
            .where(Document.deleted_at.is_(None))
            .group_by(Document.authority_id)
        ).all()
    )
    return [
        AuthorityInfo(a.id, a.slug, a.name, users.get(a.id, 0), documents.get(a.id, 0))
        for a in authority_list()
    ]


def doc_type_list(actor) -> list[DocType]:
    """Return the document-type vocabulary in order, for admins."""
    _require(permissions.can_manage_doc_types(actor))
    return list(db.session.scalars(select(DocType).order_by(DocType.position, DocType.label)))


def admin_summary(actor) -> dict:
    """Return how many authorities, users and document types there are, for admins."""
    _require(permissions.can_manage_users(actor))
    return {
        "authorities": db.session.scalar(select(func.count()).select_from(Authority)),
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "doc_types": db.session.scalar(select(func.count()).select_from(DocType)),
    }
