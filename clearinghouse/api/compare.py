"""API endpoints for comparing documents and versions, and the coverage matrix."""

from flask import jsonify, request

from ..compare import coverage, service
from . import api_user, bp


def _trimmed(result: dict) -> dict:
    return {**result, "sections": service.api_sections(result["sections"])}


@bp.get("/documents/<int:document_id>/diff")
def document_diff(document_id: int):
    """Diff two versions of a document, section by section."""
    result = service.version_diff(
        api_user(), document_id, request.args.get("from"), request.args.get("to")
    )
    return jsonify(_trimmed(result))


@bp.get("/compare")
def compare_documents():
    """Compare two documents (any authorities, any versions), section by section."""
    result = service.documents_compare(
        api_user(),
        request.args.get("left"),
        request.args.get("right"),
        pairs=request.args.get("pairs"),
    )
    return jsonify(_trimmed(result))


@bp.get("/compare/table")
def compare_table():
    """Show which sections each of several documents covers."""
    raw = ",".join(request.args.getlist("documents"))
    refs = [part for part in raw.split(",") if part.strip()]
    return jsonify(service.documents_table(api_user(), refs))


@bp.get("/coverage")
def coverage_get():
    """Return the coverage matrix: authorities by document type, grouped by stage."""
    matrix = coverage.coverage_matrix(
        api_user(), stage=request.args.get("stage"), authority=request.args.get("authority")
    )
    return jsonify(matrix)


_CHANGE = {
    "type": "object",
    "properties": {
        "op": {"enum": ["equal", "insert", "delete"]},
        "text": {"type": "string"},
    },
    "required": ["op", "text"],
}
_SECTION = {
    "type": "object",
    "properties": {
        "left": {"type": ["string", "null"], "description": "Heading; '' for an untitled opening"},
        "right": {"type": ["string", "null"]},
        "status": {"enum": ["same", "changed", "only_left", "only_right"]},
        "changes": {"type": "array", "items": _CHANGE},
        "purpose": {
            "type": ["string", "null"],
            "description": "Two documents only: the practice thesaurus purpose the row is for",
        },
        "purpose_label": {"type": ["string", "null"]},
        "similarity": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "Two documents only: how alike the pair is in meaning (0 unpaired)",
        },
        "why": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Two documents only: 'same purpose: <label>', 'similar words', "
            "'position'",
        },
        "left_index": {
            "type": ["integer", "null"],
            "description": "Two documents only: the left section's number, counted from 1",
        },
        "right_index": {"type": ["integer", "null"]},
        "fixed": {"type": "boolean", "description": "Paired (or unpaired) by the pairs asked"},
    },
    "required": ["left", "right", "status", "changes"],
}
_COMPARISON = {
    "type": "object",
    "properties": {
        "similarity": {"type": "number", "minimum": 0, "maximum": 1},
        "sections": {"type": "array", "items": _SECTION},
        "summary": {"type": "object"},
    },
    "required": ["similarity", "sections", "summary"],
}
_ERRORS = {
    "400": {"description": "A parameter is missing", "content": {"application/json": {}}},
    "404": {"description": "No such document or version, or not visible to you"},
    "422": {"description": "A parameter is not valid"},
}


def _param(name: str, description: str, required: bool = False, where: str = "query") -> dict:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": {"type": "integer" if where == "path" else "string"},
    }


PATHS: dict = {
    "/documents/{document_id}/diff": {
        "get": {
            "summary": "What changed between two versions of a document, word by word",
            "parameters": [
                _param("document_id", "Document id", True, "path"),
                _param("from", "Earlier version number (default: the one before 'to')"),
                _param("to", "Later version number (default: the latest)"),
            ],
            "responses": {
                "200": {
                    "description": "Sections with their changes, a summary and similarity",
                    "content": {"application/json": {"schema": _COMPARISON}},
                },
                **_ERRORS,
            },
        }
    },
    "/compare": {
        "get": {
            "summary": "Compare two documents section by section: two documents' sections "
            "paired by meaning (purpose, words, position), two versions' by heading and content",
            "parameters": [
                _param("left", "<id> or <id>@<version> (default version: the latest)", True),
                _param("right", "<id> or <id>@<version>", True),
                _param(
                    "pairs",
                    "Pairs to fix, sections counted from 1: 3:5,4:- pairs left section 3 with "
                    "right section 5 and leaves left section 4 unpaired (422 invalid_pairs if "
                    "malformed, out of range, repeated, or for two versions of one document)",
                ),
            ],
            "responses": {
                "200": {
                    "description": "Similarity 0..1 and the paired sections",
                    "content": {"application/json": {"schema": _COMPARISON}},
                },
                **_ERRORS,
            },
        }
    },
    "/compare/table": {
        "get": {
            "summary": "Which sections each of 2 to 6 documents covers",
            "parameters": [_param("documents", "Comma-separated <id> or <id>@<version>", True)],
            "responses": {
                "200": {
                    "description": "documents; rows: sections by document; purposes: a row per "
                    "section purpose (purpose, label, covered_by, gap, cells: per document "
                    "null for a gap or section, heading, first_words, purpose, purpose_label, more)"
                },
                **_ERRORS,
            },
        }
    },
    "/coverage": {
        "get": {
            "summary": "Authorities by document type: who has a current shared document",
            "parameters": [
                _param("stage", "Only document types of this practice stage"),
                _param("authority", "Only this authority (slug)"),
            ],
            "responses": {
                "200": {
                    "description": (
                        "stages: each practice stage with its document types (slug, label, "
                        "shared: authorities with a shared one); rows: per authority, a cell "
                        "per stage and type (stage, doc_type, status, documents). A document "
                        "counts under its own stage, so a type may appear under several. Each "
                        "row's self_assessment is its latest implementation self-assessment "
                        "({scale: 0-10, date}): the user's own authority's, and others' only "
                        "while they share it; else null"
                    )
                },
                "422": {"description": "Unknown stage or authority"},
            },
        }
    },
}
