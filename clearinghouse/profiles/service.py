"""The authority profile, kept once: immutable numbered versions of the case model's authority.

Every operation takes the acting user and an authority slug (None: the user's own authority).
Anyone of an authority reads its profile; its editors and site admins change it. A change is one
commit: the new version, its logo in the blob store, and an audit event naming the fields that
changed (never their values).
"""

import copy
import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from .. import permissions, storage
from ..errors import Conflict, InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import Authority, ProfileVersion, record_audit
from ..unit_of_work import unit_of_work
from .logo import image_kind, logo_check
from .validate import profile_check

log = logging.getLogger(__name__)

KEEP = object()  # profile_update's logo argument: keep the current logo
NOT_FOUND = "That authority does not exist, or you do not have access to it."


@dataclass(frozen=True)
class Profile:
    """The current profile of an authority, as pages, the API and commands show it."""

    authority_slug: str
    authority_name: str
    number: int  # 0: no profile yet
    data: dict
    has_logo: bool
    can_edit: bool
    changed_by: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class ProfileVersionSummary:
    """One version in the history: who, when, and which fields changed."""

    number: int
    changed_by: str
    created_at: datetime
    changes: list[str] = field(default_factory=list)


def _authority(user, authority_slug: str | None) -> Authority:
    """Return the authority meant, if the user may read its profile (else NotFound)."""
    if authority_slug is None:
        authority = getattr(user, "authority", None)
        if authority is None:
            if permissions.can_manage_authorities(user) or permissions.is_system(user):
                raise InvalidInput(
                    "authority_required", "Choose the authority whose profile you want.", status=400
                )
            raise NotFound(NOT_FOUND)
    else:
        authority = db.session.scalar(select(Authority).where(Authority.slug == authority_slug))
    if authority is None or not permissions.can_read_profile(user, authority.id):
        raise NotFound(NOT_FOUND)
    return authority


def _current(authority_id: int) -> ProfileVersion | None:
    return db.session.scalar(
        select(ProfileVersion)
        .where(ProfileVersion.authority_id == authority_id)
        .order_by(ProfileVersion.number.desc())
        .limit(1)
    )


def _who(version: ProfileVersion) -> str:
    return version.changed_by.name if version.changed_by else "The site operator"


def _profile(user, authority: Authority, version: ProfileVersion | None) -> Profile:
    return Profile(
        authority_slug=authority.slug,
        authority_name=authority.name,
        number=version.number if version else 0,
        data=copy.deepcopy(version.data) if version else {},
        has_logo=bool(version and version.logo_sha256),
        can_edit=permissions.can_edit_profile(user, authority.id),
        changed_by=_who(version) if version else None,
        created_at=version.created_at if version else None,
    )


def profile_show(user, authority_slug: str | None = None) -> Profile:
    """Return the authority's current profile (number 0 and no data when it has none)."""
    authority = _authority(user, authority_slug)
    return _profile(user, authority, _current(authority.id))


def profile_edit_start(user, authority_slug: str | None = None) -> Profile:
    """Return the current profile to change, or NotAuthorized if the user may only read it."""
    shown = profile_show(user, authority_slug)
    if not shown.can_edit:
        raise NotAuthorized("Only the authority's editors can change its profile.")
    return shown


def profile_authorities(user) -> list[tuple[str, str]]:
    """Return (slug, name) of every authority whose profile the user may read, by name."""
    authorities = db.session.scalars(select(Authority).order_by(Authority.name))
    return [(a.slug, a.name) for a in authorities if permissions.can_read_profile(user, a.id)]


def changed_paths(old, new, path: str = "") -> list[str]:
    """Return the paths ("complaints/phone", "solicitors/2/firm") whose values differ."""
    if isinstance(old, dict | list) and new is None:
        new = type(old)()
    if isinstance(new, dict | list) and old is None:
        old = type(new)()
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in [*old, *(k for k in new if k not in old)]:
            found += changed_paths(old.get(key), new.get(key), f"{path}/{key}" if path else key)
        return found
    if isinstance(old, list) and isinstance(new, list):
        found = []
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else None
            after = new[index] if index < len(new) else None
            found += changed_paths(before, after, f"{path}/{index + 1}")
        return found
    return [] if old == new else [path]


def profile_update(
    user,
    data: dict,
    *,
    authority_slug: str | None = None,
    base_number: int | None = None,
    logo=KEEP,
) -> tuple[Profile, list[str]]:
    """Save a new version if anything changed; return the profile and the changed paths.

    ``base_number`` is the version the change was made from: if another has been saved since,
    nothing is saved (Conflict). ``logo`` is new image bytes, None to remove it, or KEEP.
    """
    authority = _authority(user, authority_slug)
    if not permissions.can_edit_profile(user, authority.id):
        raise NotAuthorized("Only the authority's editors can change its profile.")
    data = profile_check(data)
    with unit_of_work("The profile was changed at the same moment. Try again.") as work:
        work.lock(authority)  # concurrent saves read the current version in turn
        current = _current(authority.id)
        number = current.number if current else 0
        if base_number is not None and base_number != number:
            raise Conflict(
                "Someone else saved the profile while you were changing it. Your change was "
                "not saved: check the profile and make it again.",
                "profile_changed",
            )
        old_logo = current.logo_sha256 if current else None
        new_logo = old_logo
        if logo is None:
            new_logo = None
        elif logo is not KEEP:
            logo_check(logo)
            new_logo = work.stage_blob(logo)
        changes = changed_paths(current.data if current else {}, data)
        if new_logo != old_logo:
            changes.append("logo")
        if not changes:
            return _profile(user, authority, current), []
        version = ProfileVersion(
            authority_id=authority.id,
            number=number + 1,
            data=copy.deepcopy(data),
            logo_sha256=new_logo,
            changes=changes,
            changed_by_id=getattr(user, "id", None),
        )
        db.session.add(version)
        record_audit(
            user,
            "profile_updated",
            "authority",
            authority.id,
            about_authority_id=authority.id,  # its managers see it, whoever changed it
            version=number + 1,
            fields=changes,
        )
    log.info("profile of authority %s saved as version %d", authority.id, number + 1)
    return _profile(user, authority, version), changes


def profile_versions(user, authority_slug: str | None = None) -> list[ProfileVersionSummary]:
    """Return the authority's profile versions, newest first."""
    authority = _authority(user, authority_slug)
    versions = db.session.scalars(
        select(ProfileVersion)
        .where(ProfileVersion.authority_id == authority.id)
        .order_by(ProfileVersion.number.desc())
    )
    return [
        ProfileVersionSummary(v.number, _who(v), v.created_at, list(v.changes or []))
        for v in versions
    ]


def profile_logo_image(user, authority_slug: str | None = None) -> tuple[bytes, str]:
    """Return the current logo and its media type, or NotFound when there is none."""
    authority = _authority(user, authority_slug)
    current = _current(authority.id)
    if current is None or not current.logo_sha256:
        raise NotFound("This authority has no logo.")
    data = storage.get_blob(current.logo_sha256)
    return data, image_kind(data) or "application/octet-stream"


def _own_current(user) -> ProfileVersion | None:
    authority_id = getattr(user, "authority_id", None)
    if authority_id is None or not permissions.can_read_profile(user, authority_id):
        return None
    return _current(authority_id)


def profile_for_case(user) -> dict:
    """Return the user's authority's profile as the case model's authority object ({} if none)."""
    current = _own_current(user)
    return copy.deepcopy(current.data) if current else {}


def profile_logo(user) -> bytes | None:
    """Return the user's authority's logo (PNG or JPEG, checked at upload), or None."""
    current = _own_current(user)
    if current is None or not current.logo_sha256:
        return None
    return storage.get_blob(current.logo_sha256)
