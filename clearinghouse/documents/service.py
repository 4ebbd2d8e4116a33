"""The clearing house: documents and their immutable versions.

Web pages, the API and the CLI all call these functions with the acting user; each
operation checks permissions, commits once, then brings the search index up to date.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

import markdown
import nh3
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import permissions, storage
from ..errors import Conflict, InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import (
    VISIBILITIES,
    Authority,
    DocType,
    Document,
    DocumentVersion,
    User,
    record_audit,
    utcnow,
)
from ..search import indexing
from . import extract
from .validate import CheckedUpload, UploadLimits, check_upload
from .vocabulary import STAGE_LABELS

log = logging.getLogger(__name__)
MAX_TAGS = 20


@dataclass
class VersionInfo:
    """One version as callers see it."""

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
    versions: list[VersionInfo] | None = None

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


def _version_info(version: DocumentVersion) -> VersionInfo:
    return VersionInfo(
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


def _document_info(
    user, document: Document, with_versions: bool = False, labels: dict | None = None
) -> DocumentInfo:
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
        versions=[_version_info(v) for v in document.versions] if with_versions else None,
    )


def doc_type_labels() -> dict[str, str]:
    """Return {slug: label} for every document type."""
    return dict(db.session.execute(select(DocType.slug, DocType.label)).all())


def doc_types_list() -> list[dict]:
    """Return the controlled vocabulary of document types, in order."""
    rows = db.session.scalars(select(DocType).order_by(DocType.position, DocType.label))
    return [{"slug": t.slug, "label": t.label, "stage": t.stage} for t in rows]


def visible_document(user, document_id: int) -> Document:
    """Return the document if the user may see it; otherwise NotFound."""
    document = db.session.get(Document, document_id)
    if document is None or not permissions.can_view_document(user, document):
        raise NotFound("That document does not exist, or you do not have access to it.")
    return document


def _editable_document(user, document_id: int) -> Document:
    document = visible_document(user, document_id)
    if not permissions.can_edit_document(user, document):
        raise NotAuthorized("Only editors of the document's own authority can change it.")
    return document


def document_list(
    user, authority: str | None = None, doc_type: str | None = None, stage: str | None = None
) -> list[DocumentInfo]:
    """Return the documents the user may see, filtered, most recently updated first."""
    query = select(Document).join(Authority).where(permissions.visible_documents_clause(user))
    if authority:
        query = query.where(Authority.slug == authority)
    if doc_type:
        query = query.where(Document.doc_type == doc_type)
    if stage:
        query = query.where(Document.stage == stage)
    query = query.options(selectinload(Document.versions), selectinload(Document.authority))
    query = query.order_by(Document.updated_at.desc(), Document.id.desc())
    labels = doc_type_labels()
    return [_document_info(user, d, labels=labels) for d in db.session.scalars(query)]


def upload_authority(user) -> int:
    """Return the authority the user uploads for, or raise NotAuthorized if they may not."""
    if user.authority_id is None or not permissions.can_upload_document(user, user.authority_id):
        raise NotAuthorized("Only editors can upload documents, and only for their own authority.")
    return user.authority_id


def document_edit_check(user, document_id: int) -> DocumentInfo:
    """Return the document if the user may change it: NotFound or NotAuthorized otherwise."""
    return _document_info(user, _editable_document(user, document_id))


def document_get(user, document_id: int) -> DocumentInfo:
    """Return one document with its version history."""
    return _document_info(user, visible_document(user, document_id), with_versions=True)


def _clean_metadata(
    title: str, doc_type: str, visibility: str, stage: str | None, tags
) -> tuple[str, str, str, str, str]:
    problems = []
    title = " ".join((title or "").split())
    if not title:
        problems.append({"path": "title", "message": "Enter a title for the document."})
    elif len(title) > 300:
        problems.append({"path": "title", "message": "Title must be 300 characters or fewer."})
    doc_type_row = db.session.scalar(select(DocType).where(DocType.slug == (doc_type or "")))
    if doc_type_row is None:
        problems.append({"path": "doc_type", "message": "Choose a document type from the list."})
    if visibility not in VISIBILITIES:
        problems.append(
            {
                "path": "visibility",
                "message": "Choose whether to share the document or keep it internal.",
            }
        )
    if stage and stage not in STAGE_LABELS:
        problems.append({"path": "stage", "message": "Choose a practice stage from the list."})
    if isinstance(tags, str):
        tags = tags.split(",")
    tag_list = sorted({" ".join(t.split()).lower()[:40] for t in (tags or []) if t and t.strip()})
    if len(tag_list) > MAX_TAGS:
        problems.append({"path": "tags", "message": f"Use {MAX_TAGS} tags or fewer."})
    if problems:
        raise InvalidInput("invalid_document", problems[0]["message"], problems)
    return title, doc_type, visibility, stage or doc_type_row.stage, ",".join(tag_list)


def _check_change_note(change_note: str | None) -> str:
    note = (change_note or "").strip()
    if len(note) > 2000:
        raise InvalidInput(
            "invalid_change_note",
            "Change note must be 2000 characters or fewer.",
            [{"path": "change_note", "message": "Change note must be 2000 characters or fewer."}],
        )
    return note


def check_file(data: bytes, filename: str) -> CheckedUpload:
    """Run the upload checks with this instance's limits."""
    return check_upload(
        data, filename, UploadLimits.from_settings(current_app.config["CLEARINGHOUSE"])
    )


def _new_version(
    user, document: Document, number: int, upload: CheckedUpload, change_note: str
) -> DocumentVersion:
    extracted = extract.extract(upload.data, upload.extension, upload.parts)
    version = DocumentVersion(
        document=document,
        number=number,
        sha256=storage.sha256_of(upload.data),
        filename=upload.filename,
        media_type=upload.media_type,
        size=len(upload.data),
        change_note=change_note,
        uploaded_by_id=user.id,
        extracted_text=extracted.text,
        sections=extracted.sections,
    )
    db.session.add(version)
    return version


def _commit_with_blob(data: bytes) -> None:
    """Store the blob, then commit; if the commit fails, remove a blob nothing else uses."""
    digest = storage.put_blob(data)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        _forget_blob(digest)
        raise Conflict(
            "Someone else changed this document at the same moment. Try again.", "version_conflict"
        ) from None
    except Exception:
        db.session.rollback()
        _forget_blob(digest)
        raise
    indexing.apply_pending()


def _forget_blob(digest: str) -> None:
    used = db.session.scalar(select(func.count()).where(DocumentVersion.sha256 == digest))
    storage.delete_blob_if_unused(digest, bool(used))


def document_create(
    user: User,
    *,
    title: str,
    doc_type: str,
    visibility: str,
    data: bytes,
    filename: str,
    stage: str | None = None,
    tags=None,
    change_note: str | None = None,
    authority_id: int | None = None,
) -> VersionInfo:
    """Create a document for the user's authority from an uploaded file (version 1)."""
    authority_id = authority_id or user.authority_id
    if authority_id is None or not permissions.can_upload_document(user, authority_id):
        raise NotAuthorized("Only editors can upload documents, and only for their own authority.")
    title, doc_type, visibility, stage, tag_text = _clean_metadata(
        title, doc_type, visibility, stage, tags
    )
    note = _check_change_note(change_note) or "First version"
    upload = check_file(data, filename)
    now = utcnow()
    document = Document(
        authority_id=authority_id,
        title=title,
        doc_type=doc_type,
        stage=stage,
        tags=tag_text,
        visibility=visibility,
        created_by_id=user.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(document)
    version = _new_version(user, document, 1, upload, note)
    db.session.flush()
    record_audit(
        user, "document_created", "document", document.id, version=1, sha256=version.sha256
    )
    indexing.record(document.id)
    _commit_with_blob(upload.data)
    return _version_info(version)


def version_add(
    user: User, document_id: int, data: bytes, filename: str, change_note: str | None
) -> VersionInfo:
    """Add version n+1 to a document; older versions are never changed."""
    document = _editable_document(user, document_id)
    note = _check_change_note(change_note)
    if not note:
        raise InvalidInput(
            "change_note_required",
            "Enter a change note saying what changed in this version.",
            [
                {
                    "path": "change_note",
                    "message": "Enter a change note saying what changed in this version.",
                }
            ],
        )
    upload = check_file(data, filename)
    number = (
        db.session.scalar(
            select(func.max(DocumentVersion.number)).where(
                DocumentVersion.document_id == document.id
            )
        )
        or 0
    ) + 1
    version = _new_version(user, document, number, upload, note)
    document.updated_at = utcnow()
    record_audit(
        user, "version_added", "document", document.id, version=number, sha256=version.sha256
    )
    indexing.record(document.id)
    _commit_with_blob(upload.data)
    return _version_info(version)


def visible_version(user, document_id: int, number: int) -> DocumentVersion:
    """Return version n of a document the user may see; otherwise NotFound."""
    document = visible_document(user, document_id)
    version = db.session.scalar(
        select(DocumentVersion).where(
            DocumentVersion.document_id == document.id, DocumentVersion.number == number
        )
    )
    if version is None:
        raise NotFound("That version does not exist.")
    return version


def version_get(user, document_id: int, number: int) -> VersionInfo:
    """Return one version's details."""
    return _version_info(visible_version(user, document_id, number))


def version_file(user, document_id: int, number: int) -> tuple[bytes, str, str]:
    """Return (bytes, file name, media type) of a version, verified against its sha256."""
    version = visible_version(user, document_id, number)
    try:
        data = storage.get_blob(version.sha256)
    except FileNotFoundError:
        log.error("blob missing for document %s version %s", document_id, number)
        raise storage.BlobCorrupted(
            "A stored file is missing. Please tell your site administrator."
        ) from None
    except storage.BlobCorrupted:
        log.error("blob corrupted for document %s version %s", document_id, number)
        raise
    return data, version.filename, version.media_type


ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "hr",
}


def version_html(user, document_id: int, number: int) -> str:
    """Return a version as safe HTML: Markdown rendered and sanitised, .docx converted."""
    data, filename, _media = version_file(user, document_id, number)
    if filename.lower().endswith(".md"):
        rendered = markdown.markdown(data.decode("utf-8"), extensions=["tables", "sane_lists"])
        return nh3.clean(
            rendered,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    return extract.blocks_to_html(extract.docx_blocks(extract.docx_parts(data)))


def document_set_visibility(user: User, document_id: int, visibility: str) -> DocumentInfo:
    """Share a document with every authority or keep it internal."""
    document = _editable_document(user, document_id)
    if visibility not in VISIBILITIES:
        raise InvalidInput(
            "invalid_visibility", "Choose whether to share the document or keep it internal."
        )
    if document.visibility != visibility:
        document.visibility = visibility
        record_audit(user, "visibility_changed", "document", document.id, visibility=visibility)
        indexing.record(document.id)
        db.session.commit()
        indexing.apply_pending()
    return _document_info(user, document)


def document_delete(user: User, document_id: int) -> None:
    """Withdraw a document: hidden everywhere, versions kept for the audit trail."""
    document = _editable_document(user, document_id)
    document.deleted_at = utcnow()
    record_audit(user, "document_withdrawn", "document", document.id)
    indexing.record(document.id)
    db.session.commit()
    indexing.apply_pending()


def document_find(user, authority_id: int, title: str) -> DocumentInfo | None:
    """Return the user-visible document of an authority with exactly this title, if any."""
    title = " ".join((title or "").split())
    document = db.session.scalar(
        select(Document)
        .where(
            permissions.visible_documents_clause(user),
            Document.authority_id == authority_id,
            Document.title == title,
        )
        .order_by(Document.id)
        .limit(1)
    )
    return _document_info(user, document, with_versions=True) if document else None
