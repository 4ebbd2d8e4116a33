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


# Any call may find SQLite's write lock held too long by another worker (a new token's first
# use notes it, so even a GET may write); the answer is then 503 busy, with Retry-After.
BUSY = "busy, with Retry-After: the database stayed locked; try again in a few seconds"
# A response whose body is the API's error shape, for the modules' PATHS to use.
ERROR_RESPONSE = {
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
}


def _add_busy(paths: dict) -> None:
    """Add the 503 busy answer to every operation, beside any 503 of its own."""
    for item in paths.values():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation.setdefault("responses", {})
            own = responses.get("503")
            description = f"{own['description']}; or {BUSY}" if own else BUSY
            responses["503"] = {**ERROR_RESPONSE, **(own or {}), "description": description}


def _merge(paths: dict, more: dict) -> None:
    """Add more's paths, joining the methods of a path two modules describe (GET and POST)."""
    for path, item in more.items():
        both = paths.setdefault(path, {})
        clash = set(both) & set(item) - {"parameters"}
        if clash:
            raise ValueError(f"{path} {sorted(clash)} is described twice")
        both.update(item)


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
    from . import practice_figures, self_assessments

    modules = (documents, search, generate, packs, templates, compare, profiles, feedback, audits)
    for module in (*modules, self_assessments, practice_figures):
        _merge(paths, module.PATHS)
    _add_busy(paths)
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
