"""API: list packs and render one: several documents from one case, answered as one zip."""

import base64

from flask import Response, jsonify, request

from ..generation import packs, service
from . import api_user, bp
from .generate import (
    _ERROR,
    _PDF_503,
    _PDFA,
    NO_STORE,
    WARNINGS_HEADER,
    _case_json,
    _warnings_header,
)


@bp.get("/packs")
def packs_index():
    """List the packs: several documents rendered from one case in one go."""
    return jsonify({"packs": [p.as_dict() for p in packs.packs_list(api_user())]})


@bp.post("/packs/<pack>/render")
def pack_render(pack: str):
    """Render every document of the pack from the case (the JSON body); answer a zip.

    ?format=pdf makes it a zip of PDFs (&pdfa=1 for PDF/A-2b).
    """
    fmt, pdfa = service.output_format(request.args.get("format"), request.args.get("pdfa"))
    generated = packs.pack_render(api_user(), pack, _case_json(), fmt=fmt, pdfa=pdfa)
    headers = {
        **NO_STORE,
        WARNINGS_HEADER: _warnings_header(generated.warnings),
        "X-Clearinghouse-Warnings-Count": str(len(generated.warnings)),
        "X-Content-SHA256": generated.sha256,
    }
    if request.args.get("warnings") in ("1", "true", "yes"):
        body = {
            "warnings": generated.warnings,
            "documents": generated.documents,
            "filename": generated.filename,
            "media_type": generated.media_type,
            "sha256": generated.sha256,
            "encoding": "base64",
            "document": base64.b64encode(generated.content).decode("ascii"),
        }
        return jsonify(body), 200, headers
    headers["Content-Disposition"] = f'attachment; filename="{generated.filename}"'
    return Response(generated.content, mimetype=generated.media_type, headers=headers)


PATHS: dict = {
    "/packs": {
        "get": {
            "summary": "List the packs (several documents from one case)",
            "responses": {
                "200": {"description": '{"packs": [{"slug", "title", "description", "items"}]}'}
            },
        }
    },
    "/packs/{pack}/render": {
        "post": {
            "summary": "Generate every document of a pack from case data (the request body)",
            "description": "Answers a zip of .docx files, or of PDFs with format=pdf "
            "(PDF/A-2b with also pdfa=1): for items made per person with "
            "parental responsibility, one letter each, showing only that person's address and "
            "children; files are named by document type, initials and date, with -2, -3 when "
            "names would repeat. Warnings (each with the file it belongs to) are in the "
            "X-Clearinghouse-Warnings header; with warnings=1 the answer is JSON: {warnings, "
            "documents, filename, media_type, sha256, encoding, document} with the zip in "
            "base64. Case data is never stored.",
            "parameters": [
                {"name": "pack", "in": "path", "required": True, "schema": {"type": "string"}},
                {
                    "name": "format",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["docx", "pdf"], "default": "docx"},
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
                    "description": "The documents",
                    "content": {"application/zip": {}, "application/json": {}},
                },
                "400": {"description": "invalid_json or invalid_format", **_ERROR},
                "403": {"description": "You may not generate documents", **_ERROR},
                "404": {"description": "No such pack", **_ERROR},
                "413": {"description": "render_limit: too large or a list too long", **_ERROR},
                "422": {
                    "description": "invalid_case_data or recipient_required: details list "
                    "path and message; pdf_failed: a PDF could not be made in time"
                },
                "503": _PDF_503,
            },
        }
    },
}
