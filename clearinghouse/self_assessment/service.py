"""The implementation self-assessment: an authority's own 0 to 10 scale, with a note, over time.

Every operation takes the acting user and an authority slug (None: the user's own authority;
a site admin, who has none, names one). Everyone in an authority reads its whole history; its
managers (and site admins) record a new self-assessment and choose whether the latest is
shared with the other authorities. A record is never changed: a correction is a new record.
Each change is one commit with an audit event that names the scale or the choice, never the note.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select

from .. import permissions
from ..errors import InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import Authority, record_audit, utcnow
from ..unit_of_work import unit_of_work
from .models import SelfAssessment, SelfAssessmentSharing
from .validate import checked, shared_check

log = logging.getLogger(__name__)

SCALE_QUESTION = (
    "On a scale of 0 to 10, where 0 means Signs of Safety practice has barely begun here and 10 "
    "means it is fully implemented, where does your authority see itself?"
)
MEANING = {0: "Barely begun", 10: "Fully implemented"}
# What "fully implemented" means: the aspects the authorities weighed when they scaled.
ASPECTS = (
    "Staff are familiar with the practice and use it",
    "Supervision is aligned with the practice",
    "There is continuous learning: practice is reflected on and improved",
    "Teams are organised for the practice",
    "Policies, procedures and forms are aligned",
    "Leaders live the principles",
)
NOT_FOUND = "That authority does not exist, or you do not have access to it."
RECORDERS = "Only the authority's managers can record its self-assessment."


@dataclass(frozen=True)
class Record:
    """One self-assessment as pages, the API and commands show it."""

    id: int
    authority: str
    authority_name: str
    scale: int
    note: str
    recorded_by: str
    recorded_at: datetime

    def as_dict(self) -> dict:
        """Return the record as JSON-ready values (the date in ISO 8601, UTC)."""
        return {**asdict(self), "recorded_at": self.recorded_at.isoformat() + "Z"}


@dataclass(frozen=True)
class Overview:
    """An authority's history (newest first), its sharing choice and what others share."""

    authority: str | None
    authority_name: str | None
    history: list[Record]
    shared: bool
    can_record: bool
    others: list[Record]


def _authority(user, authority_slug: str | None) -> Authority | None:
    """Return the authority meant (None: an admin who named none), if the user may read it."""
    if authority_slug is None:
        authority = getattr(user, "authority", None)
        if authority is None:
            if permissions.can_see_shared_self_assessments(user):
                return None
            raise NotFound(NOT_FOUND)
    else:
        authority = db.session.scalar(select(Authority).where(Authority.slug == authority_slug))
    if authority is None or not permissions.can_read_self_assessments(user, authority.id):
        raise NotFound(NOT_FOUND)
    return authority


def _required(authority: Authority | None) -> Authority:
    if authority is None:
        raise InvalidInput(
            "authority_required", "Choose the authority whose self-assessment this is.", status=400
        )
    return authority


def _record(row: SelfAssessment) -> Record:
    who = row.recorded_by.name if row.recorded_by else "The site operator"
    return Record(
        row.id,
        row.authority.slug,
        row.authority.name,
        row.scale,
        row.note,
        who,
        row.recorded_at,
    )


def _shared(authority_id: int) -> bool:
    row = db.session.get(SelfAssessmentSharing, authority_id)
    return bool(row and row.shared)


def self_assessment_record(
    user, scale, note, authority_slug: str | None = None, shared: bool | None = None
) -> Record:
    """Record a new self-assessment for the authority and return it; with ``shared`` True or
    False, choose whether it is shared in the same commit (None: leave the choice as it is)."""
    authority = _required(_authority(user, authority_slug))
    if not permissions.can_record_self_assessment(user, authority.id):
        raise NotAuthorized(RECORDERS)
    scale, note = checked(scale, note)
    row = SelfAssessment(
        authority_id=authority.id,
        scale=scale,
        note=note,
        recorded_by_id=getattr(user, "id", None),
        recorded_at=utcnow(),
    )
    if shared is not None:
        shared_check(shared)
    with unit_of_work():
        db.session.add(row)
        db.session.flush()
        record_audit(
            user,
            "self_assessment_recorded",
            "self_assessment",
            row.id,
            about_authority_id=authority.id,
            scale=row.scale,
        )
        if shared is not None:
            _set_sharing(user, authority, shared)
    log.info("self-assessment %d recorded for authority %s", row.id, authority.id)
    return _record(row)


def _set_sharing(user, authority: Authority, shared: bool) -> bool:
    """Stage the sharing choice and its audit event; return whether it changed."""
    row = db.session.get(SelfAssessmentSharing, authority.id, with_for_update=True)
    if bool(row and row.shared) == shared:
        return False
    if row is None:
        row = SelfAssessmentSharing(authority_id=authority.id)
        db.session.add(row)
    row.shared = shared
    row.changed_by_id = getattr(user, "id", None)
    row.changed_at = utcnow()
    record_audit(
        user,
        "self_assessment_sharing_changed",
        "authority",
        authority.id,
        about_authority_id=authority.id,
        shared=shared,
    )
    return True


def self_assessment_share(user, shared: bool, authority_slug: str | None = None) -> bool:
    """Choose whether the authority's latest self-assessment is shared; return whether it
    changed (choosing what is already chosen changes nothing and records nothing)."""
    authority = _required(_authority(user, authority_slug))
    if not permissions.can_record_self_assessment(user, authority.id):
        raise NotAuthorized("Only the authority's managers can choose whether it is shared.")
    shared_check(shared)
    with unit_of_work():
        changed = _set_sharing(user, authority, shared)
    return changed


def _latest_rows(authority_ids) -> list[SelfAssessment]:
    newest = (
        select(func.max(SelfAssessment.id))
        .where(SelfAssessment.authority_id.in_(authority_ids))
        .group_by(SelfAssessment.authority_id)
    )
    return list(db.session.scalars(select(SelfAssessment).where(SelfAssessment.id.in_(newest))))


def _shared_ids() -> list[int]:
    query = select(SelfAssessmentSharing.authority_id).where(SelfAssessmentSharing.shared)
    return list(db.session.scalars(query))


def self_assessments_shared(user, except_authority_id: int | None = None) -> list[Record]:
    """Return the latest self-assessment of each authority that shares it, by name."""
    if not permissions.can_see_shared_self_assessments(user):
        raise NotAuthorized("Sign in to see self-assessments.")
    ids = [i for i in _shared_ids() if i != except_authority_id]
    records = [_record(row) for row in _latest_rows(ids)] if ids else []
    return sorted(records, key=lambda r: r.authority_name)


def self_assessment_overview(user, authority_slug: str | None = None) -> Overview:
    """Return the authority's history, newest first, its sharing choice and others' shared."""
    authority = _authority(user, authority_slug)
    others = self_assessments_shared(user, authority.id if authority else None)
    if authority is None:
        return Overview(None, None, [], False, False, others)
    rows = db.session.scalars(
        select(SelfAssessment)
        .where(SelfAssessment.authority_id == authority.id)
        .order_by(SelfAssessment.id.desc())
    )
    return Overview(
        authority.slug,
        authority.name,
        [_record(row) for row in rows],
        _shared(authority.id),
        permissions.can_record_self_assessment(user, authority.id),
        others,
    )


def self_assessment_authorities(user) -> list[tuple[str, str]]:
    """Return (slug, name) of every authority whose history the user may read, by name."""
    authorities = db.session.scalars(select(Authority).order_by(Authority.name))
    return [
        (a.slug, a.name) for a in authorities if permissions.can_read_self_assessments(user, a.id)
    ]


def self_assessments_beside(user, authority_ids: list[int]) -> dict[int, dict]:
    """Return {authority id: {"scale", "date"}} of the latest self-assessment the user may see
    for each authority: their own authority's always, another's only while it shares it."""
    if not permissions.can_see_shared_self_assessments(user):
        return {}
    own = getattr(user, "authority_id", None)
    shared = set(_shared_ids())
    wanted = [i for i in authority_ids if i == own or i in shared]
    if not wanted:
        return {}
    return {
        row.authority_id: {"scale": row.scale, "date": row.recorded_at.date().isoformat()}
        for row in _latest_rows(wanted)
    }


def self_assessment_record_start(user, authority_slug: str | None = None) -> Overview:
    """Return the overview to record from, or NotAuthorized if the user may only read it."""
    shown = self_assessment_overview(user, authority_slug)
    if shown.authority is not None and not shown.can_record:
        raise NotAuthorized(RECORDERS)
    return shown
