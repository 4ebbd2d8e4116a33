"""The clearing house: documents and their immutable versions.

Web pages, the API and the CLI all call these functions with the acting user; each
operation checks permissions, commits once, then brings the search index up to date.

This module is the one views, the API, the CLI and tests import; the work is in
results.py (what callers get back), reading.py and writing.py.
"""

from .reading import (
    ALLOWED_TAGS,
    SORTS,
    doc_types_list,
    document_edit_check,
    document_find,
    document_get,
    document_list,
    document_page,
    version_file,
    version_get,
    version_html,
    version_stream,
    visible_document,
    visible_version,
)
from .restore import document_restore, document_restore_check, withdrawn_list
from .results import DocumentInfo, DocumentPage, DocumentVersionInfo, doc_type_labels
from .writing import (
    MAX_TAGS,
    check_file,
    document_create,
    document_delete,
    document_set_visibility,
    upload_authority,
    version_add,
)

__all__ = [
    "ALLOWED_TAGS",
    "MAX_TAGS",
    "SORTS",
    "DocumentInfo",
    "DocumentPage",
    "DocumentVersionInfo",
    "check_file",
    "doc_type_labels",
    "doc_types_list",
    "document_create",
    "document_delete",
    "document_edit_check",
    "document_find",
    "document_get",
    "document_list",
    "document_page",
    "document_restore",
    "document_restore_check",
    "document_set_visibility",
    "upload_authority",
    "version_add",
    "version_file",
    "version_get",
    "version_html",
    "version_stream",
    "visible_document",
    "visible_version",
    "withdrawn_list",
]
