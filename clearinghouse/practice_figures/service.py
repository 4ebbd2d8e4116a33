"""Practice figures for managers: who may see which authority's, and each authority's choice
to share them.

Managers see their own authority's figures, and another authority's while it shares them;
site admins see every authority's. Practitioners and editors are refused (403): the figures
are for managing practice, and the teams behind them are small. Only the quarters already
ended are shown (``today`` decides which), so an answer given today never moves a figure.
"""

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from .. import permissions
from ..errors import InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import Authority, record_audit, utcnow
from ..self_assessment.service import self_assessment_overview
from ..unit_of_work import unit_of_work
from . import figures
from .models import PracticeFiguresSharing

log = logging.getLogger(__name__)

SELF_ASSESSMENTS_SHOWN = 12
MANAGERS_ONLY = "Only managers can see practice figures."
UNKNOWN = "There is no authority with that name in the web address. Check it and try again."
NOT_SHARED = "That authority does not share its practice figures."


@dataclass(frozen=True)
class Place:
    """The authority whose figures are asked for, and what the asker may do with them."""

    slug: str
    name: str
    shared: bool
    can_share: bool


SHARERS = "Only the authority's managers can choose whether it shares them."


def _shared(authority_id: int) -> bool:
    row = db.session.get(PracticeFiguresSharing, authority_id)
    return bool(row and row.shared)


def _shared_ids() -> set[int]:
    query = select(PracticeFiguresSharing.authority_id).where(PracticeFiguresSharing.shared)
    return set(db.session.scalars(query))


def figures_authority(user, authority_slug: str | None) -> Place | None:
    """Return the authority meant (None: an admin who named none), if the user may see its
    figures; refuse with a stable code otherwise."""
    if not (permissions.is_system(user) or permissions.can_see_practice_figures_page(user)):
        raise NotAuthorized(MANAGERS_ONLY)
    if authority_slug is None:
        authority = getattr(user, "authority", None)
        if authority is None:
            return None
    else:
        authority = db.session.scalar(select(Authority).where(Authority.slug == authority_slug))
        if authority is None:
            raise NotFound(UNKNOWN, "authority_not_found")
    shared = _shared(authority.id)
    if not permissions.can_view_practice_figures(user, authority.id, shared):
        raise NotFound(NOT_SHARED, "figures_not_shared")
    can_share = permissions.can_share_practice_figures(user, authority.id)
    return Place(authority.slug, authority.name, shared, can_share)


def _required(place: Place | None) -> Place:
    if place is None:
        raise InvalidInput(
            "authority_required", "Choose the authority whose figures you want.", status=400
        )
    return place


def practice_figures(user, authority_slug: str | None, today: date | None = None) -> dict:
    """Return the authority's figures for the last completed quarters, small groups withheld."""
    place = _required(figures_authority(user, authority_slug))
    authority_id = db.session.scalar(select(Authority.id).where(Authority.slug == place.slug))
    quarters = figures.completed_quarters(today or utcnow().date())
    return {
        "authority": {"slug": place.slug, "name": place.name},
        "shared": place.shared,
        "can_share": place.can_share,
        "min_group": figures.MIN_GROUP,
        "quarters": quarters,
        "audit_ratings": figures.audit_ratings(authority_id, quarters),
        "scales": figures.scales(authority_id, quarters),
        "feedback": figures.feedback(authority_id, quarters),
        "self_assessments": _self_assessments(user, authority_id, place.slug),
    }


def _self_assessments(user, authority_id: int, slug: str) -> list[dict] | None:
    """Return the authority's latest self-assessments, oldest first, if the user may read its
    history (its own people, admins); None for another authority's managers, as its history
    stays within it (only the latest is shared, on the self-assessment page)."""
    if not permissions.can_read_self_assessments(user, authority_id):
        return None
    history = self_assessment_overview(user, slug).history[:SELF_ASSESSMENTS_SHOWN]
    return [{"date": r.recorded_at.date().isoformat(), "scale": r.scale} for r in reversed(history)]


def figures_choices(user) -> list[tuple[str, str]]:
    """Return (slug, name) of every other authority whose figures the user may see, by name."""
    if not permissions.can_see_practice_figures_page(user):
        return []
    shared = _shared_ids()
    own = getattr(user, "authority_id", None)
    return [
        (a.slug, a.name)
        for a in db.session.scalars(select(Authority).order_by(Authority.name))
        if a.id != own and permissions.can_view_practice_figures(user, a.id, a.id in shared)
    ]


def figures_share_place(user) -> Place:
    """Return the user's own authority to choose its sharing for, or refuse (its managers)."""
    place = figures_authority(user, None)
    if place is None or not place.can_share:
        raise NotAuthorized(SHARERS)
    return place


def figures_share(user, shared: bool) -> bool:
    """Choose whether the user's authority shares its figures; return whether it changed
    (choosing what is already chosen changes nothing and records nothing)."""
    authority_id = getattr(user, "authority_id", None)
    if not permissions.can_share_practice_figures(user, authority_id):
        raise NotAuthorized(SHARERS)
    if not isinstance(shared, bool):
        raise InvalidInput("invalid_shared", "Choose whether to share your figures.")
    with unit_of_work():
        row = db.session.get(PracticeFiguresSharing, authority_id, with_for_update=True)
        if bool(row and row.shared) == shared:
            return False
        if row is None:
            row = PracticeFiguresSharing(authority_id=authority_id)
            db.session.add(row)
        row.shared = shared
        row.changed_by_id = user.id
        row.changed_at = utcnow()
        record_audit(
            user, "practice_figures_sharing_changed", "authority", authority_id, shared=shared
        )
    log.info("practice figures of authority %s shared: %s", authority_id, shared)
    return True
