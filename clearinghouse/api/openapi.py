"""GET /api/v1/openapi.json: the API described, merged from each module's PATHS."""

from flask import jsonify

from . import bp

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "array", "items": {}},
            },
            "required": ["code", "message", "details"],
        }
    },
}


def build_spec() -> dict:
    """Return the OpenAPI 3.1 document for the whole API."""
    from . import audits, compare, documents, feedback, generate, packs, profiles, search, templates

    paths: dict = {
        "/openapi.json": {
            "get": {
                "summary": "This description of the API",
                "responses": {"200": {"description": "OpenAPI"}},
            }
        }
    }
    for module in (
        documents,
        search,
        generate,
        packs,
        templates,
        compare,
        profiles,
        feedback,
        audits,
    ):
        paths.update(getattr(module, "PATHS", {}))
    from . import practice_figures, self_assessments

    paths.update(self_assessments.PATHS)
    paths.update(practice_figures.PATHS)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Clearinghouse API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR_SCHEMA},
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }


@bp.get("/openapi.json")
def openapi_json():
    """Return the OpenAPI description of the API."""
    return jsonify(build_spec())
