"""Writing documents: create, add a version, share or withdraw; each commits once.

Every change checks permissions, then in one unit of work records an audit entry and the
search update, commits once, and brings the search index up to date. A file's blob is stored
before the commit and never removed here: ``storage.blob_gc`` removes it later if no version
was committed with it.
"""

import logging

from flask import current_app
from sqlalchemy import func, select

from .. import permissions, storage
from ..errors import InvalidInput, NotAuthorized
from ..extensions import db
from ..models import VISIBILITIES, DocType, Document, DocumentVersion, User, record_audit, utcnow
from ..unit_of_work import unit_of_work
from ..vocabulary import STAGE_LABELS
from . import extract, metadata
from .reading import editable_document
from .results import DocumentInfo, DocumentVersionInfo, document_info, version_info
from .validate import CheckedUpload, UploadLimits, check_upload

log = logging.getLogger(__name__)

MAX_TAGS = 20
CREATE_CONFLICT = "Someone else changed this document at the same moment. Try again."
VERSION_CONFLICT = (
    "Someone else uploaded a new version of this document at the same moment. "
    "Check the document's versions, then upload yours again if it is still needed."
)


def upload_authority(user) -> int:
    """Return the authority the user uploads for, or raise NotAuthorized if they may not."""
    if user.authority_id is None or not permissions.can_upload_document(user, user.authority_id):
        raise NotAuthorized("Only editors can upload documents, and only for their own authority.")
    return user.authority_id


def _clean_metadata(
    title: str, doc_type: str, visibility: str, stage: str | None, tags
) -> tuple[str, str, str, str, str]:
    problems: list[dict] = []
    title = metadata.clean_title(title, "document", problems)
    doc_type_row = db.session.scalar(select(DocType).where(DocType.slug == (doc_type or "")))
    if doc_type_row is None:
        problems.append({"path": "doc_type", "message": "Choose a document type from the list."})
    metadata.check_visibility(
        visibility, "Choose whether to share the document or keep it internal.", problems
    )
    if stage and stage not in STAGE_LABELS:
        problems.append({"path": "stage", "message": "Choose a practice stage from the list."})
    if isinstance(tags, str):
        tags = tags.split(",")
    tag_list = sorted({" ".join(t.split()).lower()[:40] for t in (tags or []) if t and t.strip()})
    if len(tag_list) > MAX_TAGS:
        problems.append({"path": "tags", "message": f"Use {MAX_TAGS} tags or fewer."})
    metadata.refuse_problems("invalid_document", problems)
    return title, doc_type, visibility, stage or doc_type_row.stage, ",".join(tag_list)


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
        html=extracted.html,
    )
    db.session.add(version)
    return version


def _next_version_number(document: Document) -> int:
    """Return the number the document's next version takes."""
    latest = db.session.scalar(
        select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == document.id)
    )
    return (latest or 0) + 1


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
) -> DocumentVersionInfo:
    """Create a document for the user's authority from an uploaded file (version 1)."""
    authority_id = authority_id or user.authority_id
    if authority_id is None or not permissions.can_upload_document(user, authority_id):
        raise NotAuthorized("Only editors can upload documents, and only for their own authority.")
    title, doc_type, visibility, stage, tag_text = _clean_metadata(
        title, doc_type, visibility, stage, tags
    )
    note = metadata.checked_note(change_note, "invalid_change_note") or "First version"
    upload = check_file(data, filename)
    now = utcnow()
    with unit_of_work(CREATE_CONFLICT) as work:
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
        work.record_index(document.id)
        work.stage_blob(upload.data)
    return version_info(version)


def version_add(
    user: User, document_id: int, data: bytes, filename: str, change_note: str | None
) -> DocumentVersionInfo:
    """Add version n+1 to a document; older versions are never changed."""
    document = editable_document(user, document_id)
    note = metadata.version_note(change_note, "invalid_change_note")
    upload = check_file(data, filename)
    with unit_of_work(VERSION_CONFLICT) as work:
        work.lock(document)  # concurrent uploads to this document take numbers in turn
        number = _next_version_number(document)
        version = _new_version(user, document, number, upload, note)
        document.updated_at = utcnow()
        record_audit(
            user, "version_added", "document", document.id, version=number, sha256=version.sha256
        )
        work.record_index(document.id)
        work.stage_blob(upload.data)
    log.info("document %d version %d uploaded", document.id, number)
    return version_info(version)


def document_set_visibility(user: User, document_id: int, visibility: str) -> DocumentInfo:
    """Share a document with every authority or keep it internal."""
    document = editable_document(user, document_id)
    if visibility not in VISIBILITIES:
        raise InvalidInput(
            "invalid_visibility", "Choose whether to share the document or keep it internal."
        )
    if document.visibility != visibility:
        with unit_of_work() as work:
            document.visibility = visibility
            record_audit(user, "visibility_changed", "document", document.id, visibility=visibility)
            work.record_index(document.id)
    return document_info(user, document)


def document_delete(user: User, document_id: int) -> None:
    """Withdraw a document: hidden everywhere, versions kept for the audit trail."""
    document = editable_document(user, document_id)
    with unit_of_work() as work:
        document.deleted_at = utcnow()
        record_audit(user, "document_withdrawn", "document", document.id)
        work.record_index(document.id)
