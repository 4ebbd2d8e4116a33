"""Reading documents: lists, one document, one version, its file and its HTML."""

import logging

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import permissions, storage
from ..errors import InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import Authority, DocType, Document, DocumentVersion
from . import extract
from .limits import MarkdownLimits, XmlLimits
from .markdown_html import ALLOWED_TAGS as ALLOWED_TAGS  # re-exported by service
from .markdown_html import TOO_COMPLEX_NOTICE, markdown_page
from .results import (
    DocumentInfo,
    DocumentPage,
    DocumentVersionInfo,
    doc_type_labels,
    document_info,
    version_info,
)
from .xml_parts import word_parts

log = logging.getLogger(__name__)


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


def editable_document(user, document_id: int) -> Document:
    """Return the document if the user may change it: NotFound or NotAuthorized otherwise."""
    document = visible_document(user, document_id)
    if not permissions.can_edit_document(user, document):
        raise NotAuthorized("Only editors of the document's own authority can change it.")
    return document


# Each order ends with the id, so equal dates or titles never swap places between pages.
SORTS = {
    "updated-newest": ("Recently updated first", (Document.updated_at.desc(), Document.id.desc())),
    "updated-oldest": ("Least recently updated first", (Document.updated_at, Document.id)),
    "title": ("Title, A to Z", (func.lower(Document.title), Document.id)),
}
DEFAULT_SORT = "updated-newest"
PER_PAGE = 25
MAX_PER_PAGE = 100


def _listing(user, authority: str | None, doc_type: str | None, stage: str | None):
    query = select(Document).join(Authority).where(permissions.visible_documents_clause(user))
    if authority:
        query = query.where(Authority.slug == authority)
    if doc_type:
        query = query.where(Document.doc_type == doc_type)
    if stage:
        query = query.where(Document.stage == stage)
    return query


def _infos(user, query) -> list[DocumentInfo]:
    query = query.options(selectinload(Document.versions), selectinload(Document.authority))
    labels = doc_type_labels()
    return [document_info(user, d, labels=labels) for d in db.session.scalars(query)]


def document_list(
    user, authority: str | None = None, doc_type: str | None = None, stage: str | None = None
) -> list[DocumentInfo]:
    """Return the documents the user may see, filtered, most recently updated first."""
    query = _listing(user, authority, doc_type, stage)
    return _infos(user, query.order_by(*SORTS[DEFAULT_SORT][1]))


def _whole_number(value, name: str, default: int, highest: int) -> int:
    if value is None or str(value).strip() == "":
        return default
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= highest:
        message = f"“{name}” must be a whole number from 1 to {highest}."
        raise InvalidInput(
            "invalid_parameter", message, [{"path": name, "message": message}], status=400
        )
    return int(text)


def document_page(
    user,
    authority: str | None = None,
    doc_type: str | None = None,
    stage: str | None = None,
    sort: str | None = None,
    page=None,
    per_page=None,
) -> DocumentPage:
    """Return one page of the documents the user may see, filtered and in a stable order."""
    sort = (sort or "").strip() or DEFAULT_SORT
    if sort not in SORTS:
        message = f"“sort” must be one of: {', '.join(SORTS)}."
        raise InvalidInput(
            "invalid_parameter", message, [{"path": "sort", "message": message}], 400
        )
    per_page = _whole_number(per_page, "per_page", PER_PAGE, MAX_PER_PAGE)
    page = _whole_number(page, "page", 1, 10**6)
    query = _listing(user, authority, doc_type, stage)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    last = max(1, -(-total // per_page))
    page = min(page, last)  # past the end: the last page rather than an empty one
    ordered = query.order_by(*SORTS[sort][1]).limit(per_page).offset((page - 1) * per_page)
    return DocumentPage(_infos(user, ordered), total, page, per_page, sort)


def document_edit_check(user, document_id: int) -> DocumentInfo:
    """Return the document if the user may change it: NotFound or NotAuthorized otherwise."""
    return document_info(user, editable_document(user, document_id))


def document_get(user, document_id: int) -> DocumentInfo:
    """Return one document with its version history."""
    return document_info(user, visible_document(user, document_id), with_versions=True)


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


def version_get(user, document_id: int, number: int) -> DocumentVersionInfo:
    """Return one version's details."""
    return version_info(visible_version(user, document_id, number))


def _stored_file(version: DocumentVersion) -> bytes:
    return _opened(version, storage.get_blob)


def _opened(version: DocumentVersion, read):
    """Return read(version's sha256), a missing or damaged file logged and told plainly."""
    try:
        return read(version.sha256)
    except FileNotFoundError:
        log.error("blob missing for document %s version %s", version.document_id, version.number)
        raise storage.BlobCorrupted(
            "A stored file is missing. Please tell your site administrator."
        ) from None
    except storage.BlobCorrupted:
        log.error("blob corrupted for document %s version %s", version.document_id, version.number)
        raise


def version_file(user, document_id: int, number: int) -> tuple[bytes, str, str]:
    """Return (bytes, file name, media type) of a version, verified against its sha256."""
    version = visible_version(user, document_id, number)
    return _stored_file(version), version.filename, version.media_type


def version_stream(user, document_id: int, number: int) -> tuple[storage.BlobStream, str, str]:
    """Return (chunks, file name, media type) of a version, for a download of any size.

    The file is checked against its sha256 before this returns, and again as it is read.
    """
    version = visible_version(user, document_id, number)
    return _opened(version, storage.open_blob), version.filename, version.media_type


def version_html(user, document_id: int, number: int) -> str:
    """Return a version as safe HTML: the HTML made at upload, or made now for older versions.

    Made now, it is bounded as at upload: Markdown too costly to render is shown as escaped
    text, and a .docx too complex to read as a notice.
    """
    version = visible_version(user, document_id, number)
    if version.html is not None:
        return version.html
    return html_made_now(version)


def html_made_now(version: DocumentVersion) -> str:
    """Return the safe HTML of a version stored without it, made under the upload limits."""
    data = _stored_file(version)
    settings = current_app.config["CLEARINGHOUSE"]
    if version.filename.lower().endswith(".md"):
        return markdown_page(data.decode("utf-8"), MarkdownLimits.from_settings(settings))
    try:
        parts = word_parts(data, XmlLimits.from_settings(settings))
    except InvalidInput:
        return TOO_COMPLEX_NOTICE
    return extract.blocks_to_html(extract.docx_blocks(parts))


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
    return document_info(user, document, with_versions=True) if document else None
