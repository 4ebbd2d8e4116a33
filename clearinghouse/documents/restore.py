"""Withdrawn documents: the editor's list of them, and restoring one.

A withdrawn document is hidden from everyone (permissions.can_view_document); only members of
its own authority may know it exists, and only its editors may bring it back. Restoring commits
once, records "document_restored" in the audit log, then puts the document back in the search
index after the commit, as withdrawing took it out.
"""

import logging

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import permissions
from ..errors import InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import Document, User, record_audit
from ..unit_of_work import unit_of_work
from .results import DocumentInfo, doc_type_labels, document_info

log = logging.getLogger(__name__)

NOT_WITHDRAWN = "This document has not been withdrawn, so there is nothing to restore."


def _restorable(user, document_id: int) -> Document:
    """Return the document if the user may restore it: NotFound or NotAuthorized otherwise."""
    document = db.session.get(Document, document_id)
    known = document is not None and (
        permissions.can_view_document(user, document)
        or permissions.can_see_withdrawn_document(user, document)
    )
    if not known:
        raise NotFound("That document does not exist, or you do not have access to it.")
    if not permissions.can_restore_document(user, document):
        raise NotAuthorized("Only editors of the document's own authority can restore it.")
    return document


def document_restore_check(user, document_id: int) -> DocumentInfo:
    """Return the document (withdrawn or not) if the user may restore it."""
    return document_info(user, _restorable(user, document_id))


def withdrawn_list(user) -> list[DocumentInfo]:
    """Return the user's authority's withdrawn documents, most recently withdrawn first."""
    if user.authority_id is None or not permissions.can_upload_document(user, user.authority_id):
        raise NotAuthorized("Only editors can see their authority's withdrawn documents.")
    query = (
        select(Document)
        .where(Document.authority_id == user.authority_id, Document.deleted_at.is_not(None))
        .options(selectinload(Document.versions), selectinload(Document.authority))
        .order_by(Document.deleted_at.desc(), Document.id.desc())
    )
    labels = doc_type_labels()
    return [document_info(user, d, labels=labels) for d in db.session.scalars(query)]


def document_restore(user: User, document_id: int) -> DocumentInfo:
    """Bring a withdrawn document back: seen and found again as before it was withdrawn."""
    document = _restorable(user, document_id)
    if document.deleted_at is None:
        raise InvalidInput("not_withdrawn", NOT_WITHDRAWN, status=409)
    with unit_of_work() as work:
        withdrawn_at = document.deleted_at
        document.deleted_at = None
        record_audit(
            user,
            "document_restored",
            "document",
            document.id,
            withdrawn_at=withdrawn_at.isoformat() + "Z",
        )
        work.record_index(document.id)
    log.info("document %d restored", document.id)
    return document_info(user, document, with_versions=True)
