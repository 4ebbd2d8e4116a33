"""What a person generated lately, from their own audit events: the kind of document and when.

Never a name or any case content: an event holds neither, and only the template's title and
the time are read from it.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from ..generation.library import entry_get
from ..generation.packs import pack_get
from ..models import AuditEvent, Template

GENERATED_ACTIONS = ("document_generated", "pack_generated")
LOOK_BACK = 50  # events read to find the few distinct kinds shown


@dataclass
class Generated:
    """A kind of document the person generated, and when they last did."""

    title: str
    at: datetime
    pack: bool


def _title(user, event: AuditEvent) -> str:
    detail = event.detail or {}
    try:
        if event.action == "pack_generated":
            return pack_get(user, event.object_id).title
        if detail.get("source") == "authority":
            template = db.session.scalar(select(Template).where(Template.slug == event.object_id))
            if template is not None:
                return template.title
        return entry_get(detail.get("library_slug") or event.object_id).title
    except NotFound:
        return "A template no longer available"


def generated_recently(user, limit: int = 5) -> list[Generated]:
    """Return the kinds of document the user generated most recently, newest first."""
    if getattr(user, "id", None) is None:
        return []
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.user_id == user.id, AuditEvent.action.in_(GENERATED_ACTIONS))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(LOOK_BACK)
    )
    seen: dict[tuple[str, str], Generated] = {}
    for event in events:
        key = (event.action, event.object_id)
        if key not in seen:
            pack = event.action == "pack_generated"
            seen[key] = Generated(_title(user, event), event.at, pack)
        if len(seen) >= limit:
            break
    return list(seen.values())
