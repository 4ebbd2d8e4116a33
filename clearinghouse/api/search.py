"""GET /api/v1/search: the same search service as the search page, as JSON."""

from flask import jsonify, request

from ..search.query import search_args, search_documents
from . import api_user, bp


@bp.get("/search")
def search_api():
    """Search the documents the token's user may see."""
    result = search_documents(api_user(), **search_args(request.args))
    return jsonify(result.as_dict())


def _param(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


SNIPPET = {
    "type": "string",
    "description": (
        "HTML, as the search page shows it: the text escaped, each matching word in "
        "<mark>...</mark>. Clients that do not render HTML use snippet_text and snippet_marks."
    ),
}
SNIPPET_TEXT = {
    "type": "string",
    "description": "The same snippet as plain text: no tags, no character references",
}
SNIPPET_MARKS = {
    "type": "array",
    "description": (
        "The matching words: [start, end] offsets into snippet_text, end excluded, in order, "
        "counted in Unicode code points (in JavaScript, index Array.from(snippet_text)); "
        "snippet_text.slice(start, end) is a matched word"
    ),
    "items": {
        "type": "array",
        "items": {"type": "integer", "minimum": 0},
        "minItems": 2,
        "maxItems": 2,
    },
}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
PATHS = {
    "/search": {
        "get": {
            "summary": "Search the documents you may see",
            "description": (
                'Words are all required; "phrases", OR, NOT, -word, prefix*, and '
                "title:, authority:, type:, stage:, tag: are understood. A query that cannot "
                "be parsed is searched as plain words."
            ),
            "parameters": [
                _param("q", "The query"),
                _param("authority", "Authority slug(s), comma-separated or repeated"),
                _param("doc_type", "Document type slug(s)"),
                _param("stage", "Practice stage slug(s)"),
                _param("versions", "current (default) or all", {"enum": ["current", "all"]}),
                _param("sort", "relevance (default) or newest", {"enum": ["relevance", "newest"]}),
                _param("page", "Page number, from 1", {"type": "integer", "minimum": 1}),
                _param(
                    "per_page",
                    "Results a page (1 to 100, default 20)",
                    {"type": "integer", "minimum": 1, "maximum": 100},
                ),
            ],
            "responses": {
                "200": {
                    "description": "A page of results",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["total", "page", "results", "facets", "suggestion"],
                                "properties": {
                                    "total": {"type": "integer"},
                                    "page": {"type": "integer"},
                                    "results": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "document_id": {"type": "integer"},
                                                "title": {"type": "string"},
                                                "authority": {"type": "string"},
                                                "doc_type": {"type": "string"},
                                                "version": {"type": "integer"},
                                                "snippet": SNIPPET,
                                                "snippet_text": SNIPPET_TEXT,
                                                "snippet_marks": SNIPPET_MARKS,
                                                "score": {"type": "number"},
                                            },
                                        },
                                    },
                                    "facets": {
                                        "type": "object",
                                        "properties": {
                                            "authority": COUNTS,
                                            "doc_type": COUNTS,
                                            "stage": COUNTS,
                                        },
                                    },
                                    "suggestion": {"type": ["string", "null"]},
                                },
                            }
                        }
                    },
                },
                "400": {
                    "description": "A bad page, per_page, sort or versions",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "401": {"description": "No valid token"},
            },
        }
    }
}
