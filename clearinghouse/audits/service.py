"""The mapping audit's life: start from a case file, agree ratings, sign off, review later.

A practice lead (a manager) and the case's worker rate each element of a good mapping
(elements.json), with a reason from that element's fixed list, and the whole mapping on a
0-10 scale. The audit keeps no case content: the case file is read in memory for the
pre-assessment, and the case is known only by its reference's keyed hash (reference.py).
Once both have signed it off it cannot change; a later review is a new audit linked to it.
"""

import hmac
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from .. import permissions
from ..errors import Conflict, InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import User, record_audit, utcnow
from ..unit_of_work import unit_of_work
from . import case_input, reference
from .elements import RATINGS, element, elements
from .models import MappingAudit, MappingAuditRating
from .pre_assess import pre_assess

log = logging.getLogger(__name__)

NOT_FOUND = "There is no mapping audit at this address that you can open."
SIGNED = (
    "This audit was signed off by both the practice lead and the worker, so it can no longer "
    "change. Start a new audit for a later review."
)


@dataclass(frozen=True)
class AuditInfo:
    """An audit as pages and the API show it (names of staff, never anything of the case)."""

    id: int
    authority_name: str
    audit_date: date
    lead_id: int
    lead: str
    worker_id: int
    worker: str
    lead_team: str | None
    worker_team: str | None
    scale: int | None
    ratings: dict[str, tuple[str, str]]
    lead_signed_at: datetime | None
    worker_signed_at: datetime | None
    completed_at: datetime | None
    previous_id: int | None
    later_ids: tuple[int, ...] = ()
    can_edit: bool = False
    can_sign: bool = False
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        """Return "signed_off", "awaiting_sign_off" (one has signed) or "in_progress"."""
        if self.completed_at:
            return "signed_off"
        return (
            "awaiting_sign_off" if self.lead_signed_at or self.worker_signed_at else "in_progress"
        )


def _missing(row: MappingAudit) -> tuple[str, ...]:
    rated = {r.element for r in row.ratings}
    missing = tuple(e.code for e in elements() if e.code not in rated)
    return (*missing, "scale") if row.scale is None else missing


def _info(user, row: MappingAudit) -> AuditInfo:
    later = db.session.scalars(
        select(MappingAudit.id).where(MappingAudit.previous_id == row.id).order_by(MappingAudit.id)
    )
    open_ = row.completed_at is None
    editor = permissions.can_edit_mapping_audit(user, row)
    return AuditInfo(
        id=row.id,
        authority_name=row.authority.name,
        audit_date=row.audit_date,
        lead_id=row.lead_id,
        lead=row.lead.name,
        worker_id=row.worker_id,
        worker=row.worker.name,
        lead_team=row.lead_team.name if row.lead_team else None,
        worker_team=row.worker_team.name if row.worker_team else None,
        scale=row.scale,
        ratings={r.element: (r.rating, r.reason) for r in row.ratings},
        lead_signed_at=row.lead_signed_at,
        worker_signed_at=row.worker_signed_at,
        completed_at=row.completed_at,
        previous_id=row.previous_id,
        later_ids=tuple(later),
        can_edit=open_ and editor,
        can_sign=open_ and editor and not _signed_by(row, user),
        missing=_missing(row),
    )


def _signed_by(row: MappingAudit, user) -> bool:
    return bool(
        (user.id == row.lead_id and row.lead_signed_at)
        or (user.id == row.worker_id and row.worker_signed_at)
    )


def _problem(path: str, message: str, code: str = "invalid_audit") -> InvalidInput:
    return InvalidInput(code, message, [{"path": path, "message": message}])


def start_check(user) -> None:
    """Refuse anyone who may not start an audit (asked before a case file is read)."""
    if not permissions.can_start_mapping_audit(user):
        raise NotAuthorized("Only managers and practitioners of an authority can start audits.")


def staff_choices(user) -> dict[str, list[tuple[int, str]]]:
    """Return who may lead (the authority's managers) and who may be the worker (its staff)."""
    start_check(user)
    people = db.session.scalars(
        select(User)
        .where(User.authority_id == user.authority_id, User.active.is_(True))
        .where(User.role.in_(("manager", "practitioner")))
        .order_by(User.name, User.id)
    ).all()
    return {
        "leads": [(p.id, p.name) for p in people if p.role == "manager"],
        "workers": [(p.id, p.name) for p in people],
    }


def _staff(user, user_id, path: str, lead: bool) -> User:
    person = None
    if isinstance(user_id, int) and not isinstance(user_id, bool) and 0 < user_id < 2**31:
        person = db.session.get(User, user_id)
    ok = person is not None and person.active and person.authority_id == user.authority_id
    if ok and lead:
        ok = permissions.can_lead_mapping_audit(person, user.authority_id)
    elif ok:
        ok = person.role in ("manager", "practitioner")
    if not ok:
        who = "a manager of your authority" if lead else "a practitioner or manager of yours"
        raise _problem(path, f"Choose the {'practice lead' if lead else 'worker'}: {who}")
    return person


def _row(user, audit_id) -> MappingAudit:
    row = None
    if isinstance(audit_id, int) and 0 < audit_id < 2**31:
        row = db.session.get(MappingAudit, audit_id)
    if row is None or not permissions.can_view_mapping_audit(user, row):
        raise NotFound(NOT_FOUND)
    return row


def audit_start(
    user, *, reference_text=None, lead_id=None, worker_id=None, previous_id=None
) -> AuditInfo:
    """Start an audit of a case (by its reference, or the earlier audit's case for a review)."""
    start_check(user)
    previous = None
    if previous_id is not None:
        previous = _row(user, previous_id)
        if previous.completed_at is None:
            raise Conflict(
                "The earlier audit is not signed off yet: finish it before a later review.",
                "audit_not_signed_off",
            )
        key = previous.case_key
    else:
        key = reference.case_key(user.authority_id, reference_text)
    lead = _staff(user, lead_id, "lead", lead=True)
    worker = _staff(user, worker_id, "worker", lead=False)
    if lead.id == worker.id:
        raise _problem("worker", "The worker and the practice lead must be different people")
    if user.id not in (lead.id, worker.id) and user.role != "manager":
        raise _problem("worker", "You must be the worker or the practice lead of the audit")
    with unit_of_work():
        row = MappingAudit(
            authority_id=user.authority_id,
            case_key=key,
            lead_id=lead.id,
            worker_id=worker.id,
            lead_team_id=lead.team_id,
            worker_team_id=worker.team_id,
            created_by_id=user.id,
            audit_date=date.today(),
            previous_id=previous.id if previous else None,
        )
        db.session.add(row)
        db.session.flush()
        record_audit(user, "mapping_audit_started", "mapping_audit", row.id)
    log.info("mapping audit %s started", row.id)
    return _info(user, row)


def audit_get(user, audit_id) -> AuditInfo:
    """Return an audit the user may see (a participant, or a manager of its authority)."""
    return _info(user, _row(user, audit_id))


def audit_list(user, reference_text=None) -> list[AuditInfo]:
    """Return the audits the user may see, newest first; only one case's when a reference is
    typed (found by its keyed hash)."""
    if not user.authority_id:
        return []
    query = select(MappingAudit).where(MappingAudit.authority_id == user.authority_id)
    if user.role != "manager":
        query = query.where((MappingAudit.lead_id == user.id) | (MappingAudit.worker_id == user.id))
    if reference_text is not None:
        query = query.where(
            MappingAudit.case_key == reference.case_key(user.authority_id, reference_text)
        )
    rows = db.session.scalars(query.order_by(MappingAudit.id.desc()))
    return [_info(user, row) for row in rows]


def _editable(user, audit_id) -> MappingAudit:
    row = _row(user, audit_id)
    if row.completed_at is not None:
        raise Conflict(SIGNED, "audit_signed_off")
    if not permissions.can_edit_mapping_audit(user, row):
        raise NotAuthorized("Only the practice lead and the worker of this audit can change it.")
    return row


def _clean_ratings(ratings) -> dict[str, tuple[str, str]]:
    if not isinstance(ratings, dict):
        raise _problem("ratings", "Give the ratings as each element's rating and reason")
    clean = {}
    for code, given in ratings.items():
        found = element(code) if isinstance(code, str) else None
        if found is None:
            raise _problem(f"ratings/{code}", "That is not an element of the mapping audit")
        given = given if isinstance(given, dict) else {}
        rating, reason_code = given.get("rating"), given.get("reason")
        if rating not in RATINGS:
            raise _problem(
                f"ratings/{code}/rating", f"Choose met, partly or not met for “{found.label}”"
            )
        chosen = found.reason(reason_code) if isinstance(reason_code, str) else None
        if chosen is None or rating not in chosen.fits:
            raise _problem(
                f"ratings/{code}/reason",
                f"Choose a reason that fits the rating for “{found.label}”",
            )
        clean[code] = (rating, chosen.code)
    return clean


def _clean_scale(scale) -> int | None:
    if scale is None:
        return None
    if isinstance(scale, bool) or not isinstance(scale, int) or not 0 <= scale <= 10:
        raise _problem("scale", "Choose a scale from 0 to 10 for the whole mapping")
    return scale


def audit_update(user, audit_id, *, ratings=None, scale=None, clear_scale=False) -> AuditInfo:
    """Save agreed ratings (some or all) and the scale; a change withdraws any sign-off."""
    row = _editable(user, audit_id)
    clean, new_scale = _clean_ratings(ratings or {}), _clean_scale(scale)
    current = {r.element: r for r in row.ratings}
    changed = []
    with unit_of_work():
        for code, (rating, reason_code) in clean.items():
            existing = current.get(code)
            if existing is None:
                row.ratings.append(
                    MappingAuditRating(element=code, rating=rating, reason=reason_code)
                )
            elif (existing.rating, existing.reason) == (rating, reason_code):
                continue
            else:
                existing.rating, existing.reason = rating, reason_code
            changed.append(code)
        if (new_scale is not None or clear_scale) and new_scale != row.scale:
            row.scale = new_scale
            changed.append("scale")
        if changed:
            withdrawn = bool(row.lead_signed_at or row.worker_signed_at)
            row.lead_signed_at = row.worker_signed_at = None
            row.updated_at = utcnow()
            record_audit(
                user,
                "mapping_audit_rated",
                "mapping_audit",
                row.id,
                changed=len(changed),
                sign_off_withdrawn=withdrawn,
            )
    return _info(user, row)


def audit_sign_off(user, audit_id) -> AuditInfo:
    """Sign the audit off as its lead or worker; once both have, it is complete and fixed."""
    row = _editable(user, audit_id)
    missing = _missing(row)
    if missing:
        labels = ["the scale" if m == "scale" else f"“{element(m).label}”" for m in missing]
        raise InvalidInput(
            "audit_incomplete",
            "Rate every element and the scale before signing off. Still to do: "
            + ", ".join(labels),
            [
                {"path": f"ratings/{m}" if m != "scale" else "scale", "message": "Not rated yet"}
                for m in missing
            ],
            status=409,
        )
    if _signed_by(row, user):
        raise Conflict("You have already signed this audit off.", "already_signed")
    now = utcnow()
    as_lead = user.id == row.lead_id
    with unit_of_work():
        if as_lead:
            row.lead_signed_at = now
        else:
            row.worker_signed_at = now
        if row.lead_signed_at and row.worker_signed_at:
            row.completed_at = now
        record_audit(
            user,
            "mapping_audit_signed_off",
            "mapping_audit",
            row.id,
            role="lead" if as_lead else "worker",
            complete=row.completed_at is not None,
        )
    return _info(user, row)


def reference_matches(user, audit_id, reference_text) -> bool:
    """Return whether a typed reference is the audited case's (hash compared, not stored)."""
    row = _row(user, audit_id)
    return hmac.compare_digest(reference.case_key(row.authority_id, reference_text), row.case_key)


def audit_findings(user, audit_id, case: dict) -> tuple[list, bool | None]:
    """Return the pre-assessment of a case file for an audit the user may see, and whether
    the file's own reference is the audited case's (None when the file gives none)."""
    row = _row(user, audit_id)
    given = case_input.case_reference(case)
    same = None
    if given is not None:
        try:
            same = hmac.compare_digest(reference.case_key(row.authority_id, given), row.case_key)
        except InvalidInput:
            same = False
    return pre_assess(case), same
