"""API endpoints for authorities' own templates: upload, check, versions, publish, choice.

Published templates also appear in GET /templates and render through
POST /templates/<slug>/render (api/generate.py), as template sources.
"""

from flask import jsonify, request

from ..authority_templates import service
from ..errors import InvalidInput, error_body
from . import api_user, bp
from .multipart import require_fields, uploaded_file

MISSING = {
    "file": "Attach the template (.docx) as the multipart field 'file'.",
    "doc_type": "Give the document type: the slug of a library template (see GET /templates).",
    "title": "Give the template a title.",
    "change_note": "Say what changed in this version.",
}


def _uploaded(template, version):
    """201 with the report, or 422 with the report when it has errors (kept as a draft)."""
    body = {
        "template": template.as_dict(),
        "version": version.as_dict(with_report=False),
        "report": version.report,
    }
    if version.report.get("errors"):
        message = (
            f"The template has errors, so version {version.number} was kept as a draft and "
            "cannot be published until they are fixed."
        )
        body.update(error_body("template_has_errors", message, version.report["errors"]))
        return jsonify(body), 422
    return jsonify(body), 201


@bp.post("/templates")
def templates_upload():
    """Upload a new authority template (multipart: file, doc_type, title, visibility)."""
    require_fields(MISSING, "file", "doc_type", "title")
    data, filename = uploaded_file()
    template, version = service.template_upload(
        api_user(),
        data=data,
        filename=filename,
        doc_type=request.form["doc_type"],
        title=request.form["title"],
        visibility=request.form.get("visibility", "internal"),
        change_note=request.form.get("change_note"),
    )
    return _uploaded(template, version)


@bp.post("/templates/check")
def templates_check():
    """Check a template file against a document type; nothing is stored."""
    require_fields(MISSING, "file", "doc_type")
    data, filename = uploaded_file()
    report = service.template_check(
        api_user(), data=data, filename=filename, doc_type=request.form["doc_type"]
    )
    return jsonify({"report": report})


@bp.get("/templates/<slug>/versions")
def templates_versions(slug: str):
    """Return an authority template and the versions the user may see."""
    return jsonify(service.template_get(api_user(), slug).as_dict())


@bp.post("/templates/<slug>/versions")
def templates_version_add(slug: str):
    """Upload version n+1 of an authority template (multipart: file, change_note)."""
    require_fields(MISSING, "file", "change_note")
    data, filename = uploaded_file()
    template, version = service.template_upload(
        api_user(),
        slug=slug,
        data=data,
        filename=filename,
        change_note=request.form["change_note"],
    )
    return _uploaded(template, version)


@bp.get("/templates/<slug>/versions/<int:number>")
def templates_version_get(slug: str, number: int):
    """Return one version with its check report."""
    _, version = service.template_version_get(api_user(), slug, number)
    return jsonify(version.as_dict())


@bp.post("/templates/<slug>/versions/<int:number>/check")
def templates_version_recheck(slug: str, number: int):
    """Check a stored version again and return it with the new report."""
    return jsonify(service.template_recheck(api_user(), slug, number).as_dict())


@bp.post("/templates/<slug>/versions/<int:number>/publish")
def templates_version_publish(slug: str, number: int):
    """Publish a version; 422 template_has_errors while its report has errors."""
    return jsonify(service.template_publish(api_user(), slug, number).as_dict())


@bp.get("/template-choices/<doc_type>")
def template_choice_get(doc_type: str):
    """Return the templates the user may choose for a document type, and their choice."""
    user = api_user()
    return jsonify(
        {
            "doc_type": doc_type,
            "choice": service.template_choice_get(user, doc_type),
            "options": service.template_options(user, doc_type),
        }
    )


@bp.put("/template-choices/<doc_type>")
def template_choice_put(doc_type: str):
    """Remember the user's choice for a document type: {"choice": "library" | slug}."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(
            "invalid_json", 'Send a JSON object such as {"choice": "library"}.', status=400
        )
    choice = service.template_choice_set(api_user(), doc_type, str(body.get("choice", "")))
    return jsonify({"doc_type": doc_type, "choice": choice})


_ERR = {"$ref": "#/components/schemas/Error"}
_CONFLICT = (
    "Code version_conflict: another upload to this template (or of the same new template) was "
    "saved at the same moment; yours was not saved. Read the versions, then upload again."
)


def _responses(ok: str, **codes: str) -> dict:
    found = {"200": {"description": ok}} if "201" not in codes else {}
    found.update({code: {"description": text} for code, text in codes.items()})
    for code in found:
        if code.startswith("4"):
            found[code]["content"] = {"application/json": {"schema": _ERR}}
    return found


_MULTIPART = {
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file", "doc_type", "title"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "doc_type": {"type": "string", "description": "a library template slug"},
                    "title": {"type": "string"},
                    "visibility": {"type": "string", "enum": ["internal", "shared"]},
                    "change_note": {"type": "string"},
                },
            }
        }
    }
}


def _in_path(name: str, kind: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": kind},
    }


_SLUG = _in_path("slug", "string", "The authority template's slug")
_NUMBER = _in_path("number", "integer", "Version number, from 1")

PATHS: dict = {
    "/templates": {
        "post": {
            "summary": "Upload an authority template (checked at once; kept as a draft)",
            "requestBody": _MULTIPART,
            "responses": _responses(
                "",
                **{
                    "201": "The template and its check report",
                    "422": "Refused, or stored as a draft with a report that has errors",
                    "403": "Only editors may upload",
                    "409": _CONFLICT,
                },
            ),
        }
    },
    "/templates/check": {
        "post": {
            "summary": "Check a template file against a document type, storing nothing",
            "responses": _responses("The check report", **{"422": "Not a usable .docx"}),
        }
    },
    "/templates/{slug}/versions": {
        "parameters": [_SLUG],
        "get": {
            "summary": "An authority template and its versions",
            "responses": _responses("The template", **{"404": "No such template"}),
        },
        "post": {
            "summary": "Upload version n+1 (multipart: file, change_note)",
            "responses": _responses(
                "",
                **{
                    "201": "The new version and report",
                    "422": "Refused or has errors",
                    "409": _CONFLICT,
                },
            ),
        },
    },
    "/templates/{slug}/versions/{number}": {
        "parameters": [_SLUG, _NUMBER],
        "get": {
            "summary": "One version with its check report",
            "responses": _responses("The version", **{"404": "No such version"}),
        },
    },
    "/templates/{slug}/versions/{number}/check": {
        "parameters": [_SLUG, _NUMBER],
        "post": {
            "summary": "Check a stored version again",
            "responses": _responses("The version with its new report", **{"403": "Not an editor"}),
        },
    },
    "/templates/{slug}/versions/{number}/publish": {
        "parameters": [_SLUG, _NUMBER],
        "post": {
            "summary": "Publish a version for practitioners",
            "responses": _responses("The published version", **{"422": "The report has errors"}),
        },
    },
    "/template-choices/{doc_type}": {
        "parameters": [_in_path("doc_type", "string", "A document type's slug")],
        "get": {
            "summary": "The templates a user may choose for a document type, and their choice",
            "responses": _responses("Options and choice", **{"422": "Unknown document type"}),
        },
        "put": {
            "summary": 'Remember the user\'s choice: {"choice": "library" | template slug}',
            "responses": _responses("The saved choice", **{"422": "Not one of the options"}),
        },
    },
}
