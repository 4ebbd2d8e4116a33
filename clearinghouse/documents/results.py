"""What the documents service returns: documents and versions as callers see them."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import permissions
from ..extensions import db
from ..models import DocType, Document, DocumentVersion
from ..vocabulary import STAGE_LABELS


@dataclass
class DocumentVersionInfo:
    """One version of a document, as callers see it."""

    number: int
    sha256: str
    size: int
    filename: str
    media_type: str
    change_note: str
    uploaded_at: datetime
    uploaded_by: str
    document_id: int

    def as_dict(self) -> dict:
        """Return the version as the API shows it."""
        return {
            "number": self.number,
            "sha256": self.sha256,
            "size": self.size,
            "filename": self.filename,
            "change_note": self.change_note,
            "uploaded_at": self.uploaded_at.isoformat() + "Z",
            "uploaded_by": self.uploaded_by,
        }


@dataclass
class DocumentInfo:
    """A document as callers see it, with its versions when asked for."""

    id: int
    title: str
    authority: str
    authority_name: str
    authority_id: int
    doc_type: str
    doc_type_label: str
    stage: str
    stage_label: str
    tags: list[str]
    visibility: str
    latest_version: int
    updated_at: datetime
    can_edit: bool
    versions: list[DocumentVersionInfo] | None = None
    withdrawn_at: datetime | None = None

    def as_dict(self) -> dict:
        """Return the document as the API shows it."""
        data = {
            "id": self.id,
            "title": self.title,
            "authority": self.authority,
            "doc_type": self.doc_type,
            "stage": self.stage,
            "tags": self.tags,
            "visibility": self.visibility,
            "latest_version": self.latest_version,
        }
        if self.versions is not None:
            data["versions"] = [v.as_dict() for v in self.versions]
        return data


def version_info(version: DocumentVersion) -> DocumentVersionInfo:
    """Return a stored version as callers see it."""
    return DocumentVersionInfo(
        version.number,
        version.sha256,
        version.size,
        version.filename,
        version.media_type,
        version.change_note,
        version.uploaded_at,
        version.uploaded_by.name if version.uploaded_by else "",
        version.document_id,
    )


def document_info(
    user, document: Document, with_versions: bool = False, labels: dict | None = None
) -> DocumentInfo:
    """Return a document as callers see it, with its versions when asked for."""
    labels = labels if labels is not None else doc_type_labels()
    latest = document.latest
    return DocumentInfo(
        id=document.id,
        title=document.title,
        authority=document.authority.slug,
        authority_name=document.authority.name,
        authority_id=document.authority_id,
        doc_type=document.doc_type,
        doc_type_label=labels.get(document.doc_type, document.doc_type),
        stage=document.stage,
        stage_label=STAGE_LABELS.get(document.stage, document.stage),
        tags=document.tag_list,
        visibility=document.visibility,
        latest_version=latest.number if latest else 0,
        updated_at=document.updated_at,
        can_edit=permissions.can_edit_document(user, document),
        versions=[version_info(v) for v in document.versions] if with_versions else None,
        withdrawn_at=document.deleted_at,
    )


def doc_type_labels() -> dict[str, str]:
    """Return {slug: label} for every document type."""
    return dict(db.session.execute(select(DocType.slug, DocType.label)).all())


@dataclass
class DocumentPage:
    """One page of a sorted, filtered document list, with what is needed to page through it."""

    documents: list[DocumentInfo]
    total: int
    page: int
    per_page: int
    sort: str

    @property
    def pages(self) -> int:
        """Return how many pages the whole list fills (at least one)."""
        return max(1, -(-self.total // self.per_page))

    def as_dict(self) -> dict:
        """Return the page as the API shows it."""
        return {
            "documents": [d.as_dict() for d in self.documents],
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
            "sort": self.sort,
        }
