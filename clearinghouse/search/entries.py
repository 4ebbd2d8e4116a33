"""What the index should hold for each document version, read from the database.

An entry carries the names the page shows for the document (its type's name and its
authority's name) as well as their slugs, so renaming a type or an authority changes the
entries of the documents it names, and the stamp ``check-index`` compares.
"""

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, joinedload, object_session

from ..models import DocType, Document, DocumentVersion
from .engine import IndexEntry


def type_labels(session: Session) -> dict[str, str]:
    """Return {document type slug: the name the page shows}."""
    return dict(session.execute(select(DocType.slug, DocType.label)).all())


def _stamp(document: Document, version: DocumentVersion, current: bool, label: str) -> str:
    parts = [
        version.id,
        document.title,
        document.visibility,
        document.authority_id,
        document.doc_type,
        document.stage,
        document.tags,
        current,
        document.updated_at.isoformat() if document.updated_at else "",
        label,
        document.authority.name,
    ]
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def version_entry(
    document: Document, version: DocumentVersion, current: bool, labels: dict[str, str]
) -> IndexEntry:
    """Return the index entry of one version of a document (``labels``: type names by slug)."""
    label = labels.get(document.doc_type, document.doc_type)
    return IndexEntry(
        document_id=document.id,
        version=version.number,
        current=current,
        title=document.title,
        body=version.extracted_text or "",
        authority=document.authority.slug,
        authority_id=document.authority_id,
        doc_type=document.doc_type,
        stage=document.stage,
        tags=document.tag_list,
        visibility=document.visibility,
        updated=version.uploaded_at if not current else document.updated_at,
        stamp=_stamp(document, version, current, label),
        doc_type_label=label,
        authority_name=document.authority.name,
    )


def document_entries(
    document: Document | None, all_versions: bool, labels: dict[str, str] | None = None
) -> list[IndexEntry]:
    """Return what the index should hold for a document: nothing when withdrawn or gone."""
    if document is None or document.deleted_at is not None or not document.versions:
        return []
    if labels is None:
        labels = type_labels(object_session(document))
    latest = document.versions[-1]
    chosen = document.versions if all_versions else [latest]
    return [version_entry(document, v, v is latest, labels) for v in chosen]


def current_entries(session: Session, doc_ids: list[int]) -> dict[int, list[IndexEntry]]:
    """Return each document's entry for its latest version, reading only that version."""
    documents = {
        d.id: d
        for d in session.scalars(
            select(Document)
            .where(Document.id.in_(doc_ids), Document.deleted_at.is_(None))
            .options(joinedload(Document.authority))
        )
    }
    latest = (
        select(func.max(DocumentVersion.id))
        .where(DocumentVersion.document_id.in_(list(documents)))
        .group_by(DocumentVersion.document_id)
    )
    versions = session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.id.in_(latest))
        .options(defer(DocumentVersion.html), defer(DocumentVersion.sections))
    )
    labels = type_labels(session)
    found = {
        v.document_id: [version_entry(documents[v.document_id], v, True, labels)] for v in versions
    }
    return {i: found.get(i, []) for i in doc_ids}


def all_entries(session: Session, doc_ids: list[int]) -> dict[int, list[IndexEntry]]:
    """Return every version's entry of each document (none for one withdrawn or gone)."""
    documents = {
        d.id: d
        for d in session.scalars(
            select(Document)
            .where(Document.id.in_(doc_ids))
            .options(joinedload(Document.authority), joinedload(Document.versions))
        ).unique()
    }
    labels = type_labels(session)
    return {i: document_entries(documents.get(i), True, labels) for i in doc_ids}


def wanted_versions(session: Session, all_versions: bool) -> list[int]:
    """Return the ids of the versions the index should hold, in id order."""
    live = select(Document.id).where(Document.deleted_at.is_(None))
    query = select(DocumentVersion.id).where(DocumentVersion.document_id.in_(live))
    if not all_versions:
        latest = (
            select(func.max(DocumentVersion.id))
            .where(DocumentVersion.document_id.in_(live))
            .group_by(DocumentVersion.document_id)
        )
        query = select(DocumentVersion.id).where(DocumentVersion.id.in_(latest))
    return list(session.scalars(query.order_by(DocumentVersion.id)))


def entries_for_versions(session: Session, version_ids: list[int]) -> list[IndexEntry]:
    """Return the index entries of these versions, read in one query."""
    rows = session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.id.in_(version_ids))
        .options(
            joinedload(DocumentVersion.document).joinedload(Document.authority),
        )
    ).all()
    doc_ids = {r.document_id for r in rows}
    latest = dict(
        session.execute(
            select(DocumentVersion.document_id, func.max(DocumentVersion.number))
            .where(DocumentVersion.document_id.in_(doc_ids))
            .group_by(DocumentVersion.document_id)
        ).all()
    )
    labels = type_labels(session)
    return [version_entry(r.document, r, latest[r.document_id] == r.number, labels) for r in rows]
