"""Renaming an authority or a document type (site administrators).

The name is what every page shows, and search finds documents by it: the documents it names
are re-indexed after the same commit, through the unit of work's index tasks, so the index
never holds the old name once the rename is committed (``check-index`` compares it).
"""

from dataclasses import dataclass

from sqlalchemy import select

from .. import permissions
from ..errors import Conflict, InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import Authority, DocType, Document, record_audit
from ..search.field_names import name_key
from ..unit_of_work import unit_of_work

MAX_NAME = 200


@dataclass
class Renamed:
    """What a rename changed: the slug, the names before and after, documents re-indexed."""

    slug: str
    old: str
    new: str
    documents: int


def _clean(name: str, code: str, message: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(code, message)
    return name


def _reindex(work, where) -> int:
    """Record an index task for each document (not withdrawn) the clause selects."""
    ids = list(db.session.scalars(select(Document.id).where(where, Document.deleted_at.is_(None))))
    for document_id in ids:
        work.record_index(document_id)
    return len(ids)


def _get(model, slug: str, allowed: bool, missing: str):
    if not allowed:
        raise NotAuthorized("Only site administrators can do this.")
    row = db.session.scalar(select(model).where(model.slug == slug))
    if row is None:
        raise NotFound(missing)
    return row


def _refuse_taken(row, attribute: str, new: str, what: str) -> None:
    """Refuse a name another row has as its name or short name: ``type:`` and ``authority:``
    take either, so two rows answering to one name would make a search find the wrong one."""
    key = name_key(new)
    model = type(row)
    for other in db.session.scalars(select(model).where(model.slug != row.slug)):
        if key in (name_key(other.slug), name_key(getattr(other, attribute))):
            raise Conflict(
                f"Another {what} is already called “{getattr(other, attribute)}” or has that "
                "short name. Choose a name no other one uses.",
                "name_taken",
            )


def _rename(actor, row, attribute: str, new: str, where, audit: tuple) -> Renamed:
    """Set the row's name, audit it and re-index the documents ``where`` selects, in one commit.

    ``audit`` is (action, object type, object id, the authority the event is about or None).
    """
    old = getattr(row, attribute)
    if new == old:
        return Renamed(row.slug, old, new, 0)
    action, object_type, object_id, about = audit
    with unit_of_work() as work:
        setattr(row, attribute, new)
        record_audit(
            actor, action, object_type, object_id, about_authority_id=about, old=old, new=new
        )
        count = _reindex(work, where)
    return Renamed(row.slug, old, new, count)


def authority_get(actor, slug: str) -> Authority:
    """Return an authority by its slug, for admins."""
    allowed = permissions.can_manage_authorities(actor)
    return _get(Authority, slug, allowed, "There is no such authority.")


def authority_rename(actor, slug: str, name: str) -> Renamed:
    """Give an authority a new name; re-index the documents it holds."""
    authority = authority_get(actor, slug)
    name = _clean(name, "invalid_name", "Enter the authority's name (200 characters at most).")
    _refuse_taken(authority, "name", name, "authority")
    where = Document.authority_id == authority.id
    audit = ("authority_renamed", "authority", authority.id, authority.id)
    return _rename(actor, authority, "name", name, where, audit)


def doc_type_get(actor, slug: str) -> DocType:
    """Return a document type by its slug, for admins."""
    allowed = permissions.can_manage_doc_types(actor)
    return _get(DocType, slug, allowed, "There is no such document type.")


def doc_type_rename(actor, slug: str, label: str) -> Renamed:
    """Give a document type a new name; re-index the documents of that type."""
    doc_type = doc_type_get(actor, slug)
    message = "Enter a name for the document type (200 characters at most)."
    label = _clean(label, "invalid_label", message)
    _refuse_taken(doc_type, "label", label, "document type")
    where = Document.doc_type == slug
    return _rename(
        actor, doc_type, "label", label, where, ("doc_type_renamed", "doc_type", slug, None)
    )
