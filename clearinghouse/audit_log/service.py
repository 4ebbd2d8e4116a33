"""Read the audit log: filter, page, export as CSV rows; managers see their own authority only.

Events hold who did what to which record, never file contents or case data; the details shown
leave out content hashes, which mean nothing to a reader.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from .. import permissions
from ..errors import NotAuthorized
from ..extensions import db
from ..models import AuditEvent, Authority, User

PER_PAGE = 25
MAX_CSV_ROWS = 50_000
OBJECT_TYPES = {
    "document": "Document",
    "template": "Template",
    "pack": "Pack",
    "user": "User",
    "authority": "Authority",
    "doc_type": "Document type",
    "api_token": "API token",
}
CSV_HEADER = ["time", "user_email", "user_name", "authority", "action", "record", "details"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class AuditFilters:
    """What to show: every field optional."""

    action: str = ""
    user_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    object_type: str = ""
    object_id: str = ""


@dataclass
class AuditRow:
    """One event as the page and the CSV show it."""

    at: datetime
    user_name: str
    user_email: str
    authority: str
    action: str
    record: str
    details: str


@dataclass
class AuditPage:
    """One page of events, newest first."""

    rows: list[AuditRow]
    total: int
    page: int
    pages: int


def _require(actor) -> None:
    if not permissions.can_view_audit(actor):
        raise NotAuthorized("Only managers and site administrators can read the audit log.")


def _scoped(actor):
    """Return the events the actor may read, as a select of (event, user, authority slug)."""
    query = (
        select(AuditEvent, User, Authority.slug)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Authority, Authority.id == AuditEvent.authority_id)
    )
    scope = permissions.audit_authority_scope(actor)
    if scope is not None:
        query = query.where(AuditEvent.authority_id == scope)
    return query


def _filtered(actor, filters: AuditFilters):
    query = _scoped(actor)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.user_id is not None:
        query = query.where(AuditEvent.user_id == filters.user_id)
    if filters.date_from:
        query = query.where(AuditEvent.at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min)
        query = query.where(AuditEvent.at < end)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id.strip())
    return query


def _detail_text(detail: dict) -> str:
    """Return the event's details as "key: value" pairs, without hashes; lists as counts."""
    parts = []
    for key, value in (detail or {}).items():
        if key.endswith("sha256"):
            continue
        if isinstance(value, list | dict):
            value = f"{len(value)} item{'' if len(value) == 1 else 's'}"
        parts.append(f"{key.replace('_', ' ')}: {'none' if value is None else value}")
    return "; ".join(parts)


def _row(event: AuditEvent, user: User | None, authority: str | None) -> AuditRow:
    label = OBJECT_TYPES.get(event.object_type, event.object_type)
    return AuditRow(
        at=event.at,
        user_name=user.name if user else "The system",
        user_email=user.email if user else "",
        authority=authority or "",
        action=event.action,
        record=f"{label} {event.object_id}",
        details=_detail_text(event.detail),
    )


def audit_search(actor, filters: AuditFilters, page: int = 1) -> AuditPage:
    """Return one page of the events the actor may read that match the filters."""
    _require(actor)
    query = _filtered(actor, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(1, page), pages)
    rows = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return AuditPage([_row(*r) for r in rows], total, page, pages)


def csv_cell(value) -> str:
    """Return the value as CSV text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def audit_csv_rows(actor, filters: AuditFilters):
    """Yield the header, then each matching event (newest first, at most MAX_CSV_ROWS)."""
    _require(actor)
    query = _filtered(actor, filters).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    yield CSV_HEADER
    for result in db.session.execute(query.limit(MAX_CSV_ROWS)):
        row = _row(*result)
        yield [
            csv_cell(value)
            for value in (
                row.at.isoformat(timespec="seconds"),
                row.user_email,
                row.user_name,
                row.authority,
                row.action,
                row.record,
                row.details,
            )
        ]


def audit_choices(actor) -> dict:
    """Return the actions and the people the actor may filter by."""
    _require(actor)
    scope = permissions.audit_authority_scope(actor)
    actions = select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    people = select(User.id, User.name, User.email).order_by(User.name, User.email)
    if scope is not None:
        actions = actions.where(AuditEvent.authority_id == scope)
        people = people.where(User.authority_id == scope)
    return {
        "actions": list(db.session.scalars(actions)),
        "users": [(uid, f"{name} ({email})") for uid, name, email in db.session.execute(people)],
        "object_types": list(OBJECT_TYPES.items()),
    }
