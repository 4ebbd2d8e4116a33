"""Saved comparisons: a named link to a comparison of two document versions, with the pairs a
manager chose, shared within their authority.

Only the people of the authority it was saved in may open it (anyone else is told it does not
exist); its managers save and delete. It keeps document ids, version numbers and pairs, never
the words: opening it compares the versions again as the person opening it, so a document they
may no longer see is not found, as anywhere else.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import permissions
from ..errors import InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import SavedComparison, record_audit
from ..unit_of_work import unit_of_work
from . import service
from .pairs import pairs_text

log = logging.getLogger(__name__)

MAX_NAME = 120
MAX_PAIRS_TEXT = 4000
NOT_FOUND = "There is no saved comparison at this address that you can open."


@dataclass(frozen=True)
class SavedInfo:
    """A saved comparison as the pages show it; ``left`` and ``right`` are "<id>@<version>"."""

    id: int
    name: str
    authority_name: str
    created_by: str
    created_at: datetime
    left: str
    right: str
    pairs: str
    titles: tuple[str, str] = ("", "")


def _info(row: SavedComparison, titles: tuple[str, str] = ("", "")) -> SavedInfo:
    return SavedInfo(
        id=row.id,
        name=row.name,
        authority_name=row.authority.name,
        created_by=row.created_by.name if row.created_by else "someone no longer here",
        created_at=row.created_at,
        left=f"{row.left_document_id}@{row.left_version}",
        right=f"{row.right_document_id}@{row.right_version}",
        pairs=row.pairs or "",
        titles=titles,
    )


def save_check(user) -> None:
    """Refuse anyone who may not save comparisons (asked before their form is read)."""
    if not permissions.can_save_comparison(user):
        raise NotAuthorized("Only managers can save comparisons for their authority.")


def _problem(path: str, message: str) -> InvalidInput:
    return InvalidInput("invalid_saved_comparison", message, [{"path": path, "message": message}])


def _pinned(user, ref: str, name: str) -> tuple[int, int]:
    """Return (document id, version) for a ref, the latest version when none is named."""
    document_id, number = service.parse_ref(ref, name)
    versions = service.visible_document_info(user, document_id)["versions"]
    if not versions:
        raise _problem(name, "That document has no versions yet.")
    number = number or versions[-1]
    if number not in versions:
        raise NotFound(f"Version {number} of that document does not exist.")
    return document_id, number


def _clean_name(name) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise _problem("name", "Enter a name for the comparison")
    if len(text) > MAX_NAME:
        raise _problem("name", f"The name must be {MAX_NAME} characters or fewer.")
    return text


def _clean_pairs(text) -> str:
    text = str(text or "").strip()
    if len(text) > MAX_PAIRS_TEXT:
        raise _problem("pairs", f"The pairs must be {MAX_PAIRS_TEXT} characters or fewer.")
    return pairs_text(sorted(service.parse_pairs(text), key=lambda pair: pair[0])) if text else ""


def comparison_save(user, name, left: str, right: str, pairs: str = "") -> SavedInfo:
    """Save a comparison of two documents ("<id>" or "<id>@<version>", pinned to the version
    compared) and its explicit pairs, under a name, for the user's authority."""
    save_check(user)
    name = _clean_name(name)
    left_id, left_version = _pinned(user, left, "first")
    right_id, right_version = _pinned(user, right, "second")
    pairs = _clean_pairs(pairs)
    service.pairs_check(user, f"{left_id}@{left_version}", f"{right_id}@{right_version}", pairs)
    with unit_of_work():
        row = SavedComparison(
            authority_id=user.authority_id,
            created_by_id=user.id,
            name=name,
            left_document_id=left_id,
            left_version=left_version,
            right_document_id=right_id,
            right_version=right_version,
            pairs=pairs,
        )
        db.session.add(row)
        db.session.flush()
        record_audit(user, "comparison_saved", "saved_comparison", row.id)
    log.info("comparison %s saved", row.id)
    return _info(row)


def _row(user, saved_id: int) -> SavedComparison:
    row = db.session.get(SavedComparison, saved_id) if 0 < saved_id < 2**31 else None
    if row is None or not permissions.can_view_saved_comparison(user, row):
        raise NotFound(NOT_FOUND)
    return row


def saved_get(user, saved_id: int) -> SavedInfo:
    """Return a saved comparison the user may open (their authority's), or raise NotFound."""
    return _info(_row(user, saved_id))


def _title(user, document_id: int, known: dict[int, str]) -> str:
    """Return a document's title as the user may see it, looked up once per list."""
    if document_id not in known:
        try:
            known[document_id] = service.visible_document_info(user, document_id)["title"]
        except NotFound:
            known[document_id] = "a document you cannot see now"
    return known[document_id]


def saved_list(user) -> list[SavedInfo]:
    """Return the user's authority's saved comparisons, newest first, with the documents'
    titles (only of documents the user may still see)."""
    if user.authority_id is None:
        return []
    rows = db.session.scalars(
        select(SavedComparison)
        .where(SavedComparison.authority_id == user.authority_id)
        .order_by(SavedComparison.created_at.desc(), SavedComparison.id.desc())
    )
    known: dict[int, str] = {}
    return [
        _info(
            row,
            (
                _title(user, row.left_document_id, known),
                _title(user, row.right_document_id, known),
            ),
        )
        for row in rows
    ]


def saved_delete(user, saved_id: int) -> str:
    """Delete a saved comparison of the user's authority (its managers); return its name."""
    row = _row(user, saved_id)
    if not permissions.can_delete_saved_comparison(user, row):
        raise NotAuthorized("Only managers can delete their authority's saved comparisons.")
    name = row.name
    with unit_of_work():
        record_audit(user, "comparison_deleted", "saved_comparison", row.id)
        db.session.delete(row)
    return name
