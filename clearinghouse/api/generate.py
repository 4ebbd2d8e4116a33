"""API: list templates, read their schema and sample, render a document from case JSON."""

import base64
import json
import logging

from flask import Response, current_app, jsonify, request

from .. import jsonio
from ..errors import InvalidInput
from ..generation import service
from . import api_user, bp
from .openapi import ERROR_RESPONSE as _ERROR

log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
WARNINGS_HEADER = "X-Clearinghouse-Warnings"
MAX_HEADER_CHARS = 6000


@bp.get("/templates")
def templates_index():
    """List the templates the token's user may generate from."""
    templates = service.templates_list(api_user())
    return jsonify({"templates": [t.as_dict() for t in templates]})


@bp.get("/templates/<slug>/schema")
def template_schema(slug: str):
    """Return the template's JSON Schema (draft 2020-12, case model embedded)."""
    response = jsonify(service.template_schema(api_user(), slug))
    response.mimetype = "application/schema+json"
    return response


@bp.get("/templates/<slug>/sample")
def template_sample(slug: str):
    """Return the template's fictional sample case data."""
    return jsonify(service.template_sample(api_user(), slug))


def _case_json():
    """Return the request's JSON body, refusing bodies too large or not JSON."""
    max_bytes = current_app.config["CLEARINGHOUSE"]["RENDER_MAX_INPUT_KB"] * 1024
    if request.content_length is not None and request.content_length > max_bytes:
        raise InvalidInput(
            "render_limit",
            f"The case data is too large: the most accepted is {max_bytes // 1024} KB.",
            status=413,
        )
    raw = request.get_data(cache=False)
    if len(raw) > max_bytes:
        raise InvalidInput(
            "render_limit",
            f"The case data is too large: the most accepted is {max_bytes // 1024} KB.",
            status=413,
        )
    try:
        return jsonio.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput(
            "invalid_json", "The request body is not valid JSON.", status=400
        ) from None


def _warnings_header(warnings: list[dict]) -> str:
    """Return the warnings as JSON short enough for a header (the count header says if cut)."""
    shown = list(warnings)
    text = json.dumps(shown, ensure_ascii=True)
    while len(text) > MAX_HEADER_CHARS and shown:
        shown.pop()
        text = json.dumps(shown, ensure_ascii=True)
    return text


@bp.post("/templates/<slug>/render")
def template_render(slug: str):
    """Render the case data (the JSON body) to .docx, PDF (?format=pdf, &pdfa=1) or HTML."""
    fmt, pdfa = service.output_format(request.args.get("format"), request.args.get("pdfa"))
    case_data = _case_json()
    generated = service.document_generate(api_user(), slug, case_data, fmt=fmt, pdfa=pdfa)
    headers = {
        **NO_STORE,
        WARNINGS_HEADER: _warnings_header(generated.warnings),
        "X-Clearinghouse-Warnings-Count": str(len(generated.warnings)),
        "X-Content-SHA256": generated.sha256,
    }
    if request.args.get("warnings") in ("1", "true", "yes"):
        document = (
            generated.content
            if fmt == "html"
            else base64.b64encode(generated.content).decode("ascii")
        )
        body = {
            "warnings": generated.warnings,
            "reading_age": generated.reading_age,
            "reading_age_target": generated.reading_age_target,
            "filename": generated.filename,
            "media_type": generated.media_type,
            "sha256": generated.sha256,
            "encoding": "text" if fmt == "html" else "base64",
            "document": document,
        }
        return jsonify(body), 200, headers
    disposition = "inline" if fmt == "html" else "attachment"
    headers["Content-Disposition"] = f'{disposition}; filename="{generated.filename}"'
    return Response(generated.content, mimetype=generated.media_type, headers=headers)


_PDFA = {
    "name": "pdfa",
    "in": "query",
    "description": "1 for PDF/A-2b (with format=pdf)",
    "schema": {"type": "string", "enum": ["0", "1"]},
}
_PDF_503 = {"description": "pdf_unavailable or pdf_busy (with Retry-After)", **_ERROR}
_SLUG = [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}]
PATHS: dict = {
    "/templates": {
        "get": {
            "summary": "List the templates you may generate from",
            "responses": {
                "200": {
                    "description": '{"templates": [{"slug", "title", "doc_type", "audience", '
                    '"source", ...}]}',
                }
            },
        }
    },
    "/templates/{slug}/schema": {
        "get": {
            "summary": "The template's JSON Schema (draft 2020-12) for its case data",
            "parameters": _SLUG,
            "responses": {"200": {"description": "JSON Schema"}, "404": _ERROR},
        }
    },
    "/templates/{slug}/sample": {
        "get": {
            "summary": "Fictional sample case data for the template",
            "parameters": _SLUG,
            "responses": {"200": {"description": "Case data"}, "404": _ERROR},
        }
    },
    "/templates/{slug}/render": {
        "post": {
            "summary": "Generate a document from case data (the request body)",
            "description": "Answers the .docx, a tagged PDF with format=pdf (PDF/A-2b with "
            "also pdfa=1, for court bundles and archiving), or HTML with format=html. PDF "
            "needs LibreOffice on the server: without it the answer is 503 pdf_unavailable; "
            "when every converter is busy, 503 pdf_busy with Retry-After. Quality warnings "
            "are always in the X-Clearinghouse-Warnings header as a JSON list; with "
            "warnings=1 the answer is JSON: {warnings, filename, media_type, sha256, "
            "encoding, document} where document is base64 (.docx) or text (HTML). Case "
            "data is never stored.",
            "parameters": [
                *_SLUG,
                {
                    "name": "format",
                    "in": "query",
                    "schema": {
                        "type": "string",
                        "enum": ["docx", "pdf", "html"],
                        "default": "docx",
                    },
                },
                _PDFA,
                {"name": "warnings", "in": "query", "schema": {"type": "string", "enum": ["1"]}},
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "200": {
                    "description": "The document",
                    "content": {
                        "application/vnd.openxmlformats-officedocument.wordprocessingml"
                        ".document": {},
                        "application/pdf": {},
                        "text/html": {},
                        "application/json": {},
                    },
                },
                "400": {"description": "invalid_json or invalid_format", **_ERROR},
                "404": {"description": "No such template", **_ERROR},
                "413": {"description": "render_limit: too large or a list too long", **_ERROR},
                "422": {
                    "description": "invalid_case_data: details list path and message; "
                    "pdf_failed: the PDF could not be made in time"
                },
                "503": _PDF_503,
            },
        }
    },
}
