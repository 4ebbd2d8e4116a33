"""/api/v1/self-assessments: the authority's self-assessment history, and recording one."""

from flask import jsonify, request

from ..errors import InvalidInput
from ..self_assessment import service
from ..text import check_json
from . import api_user, bp
from .profiles import _AUTHORITY, _ERR  # the same error body and ?authority= for admins


def _slug() -> str | None:
    return request.args.get("authority") or None


def _body(overview: service.Overview) -> dict:
    return {
        "authority": overview.authority,
        "shared": overview.shared,
        "can_record": overview.can_record,
        "history": [r.as_dict() for r in overview.history],
        "others": [r.as_dict() for r in overview.others],
    }


@bp.get("/self-assessments")
def self_assessments_get():
    """Return the authority's history, newest first, and other authorities' latest shared."""
    return jsonify(_body(service.self_assessment_overview(api_user(), _slug())))


@bp.post("/self-assessments")
def self_assessments_post():
    """Record a self-assessment: {"scale": 0-10, "note": "..."}; managers of the authority."""
    body = request.get_json(silent=True)
    if isinstance(body, dict | list):
        check_json(body)  # text no request may carry is refused wherever it comes from
    service.self_assessment_record_start(api_user(), _slug())  # refuse a reader first
    if not isinstance(body, dict):
        raise InvalidInput(
            "invalid_json",
            'Send a JSON object such as {"scale": 6, "note": "Why this number"}.',
            status=400,
        )
    saved = service.self_assessment_record(
        api_user(), body.get("scale"), body.get("note"), _slug(), shared=body.get("shared")
    )
    return jsonify(saved.as_dict()), 201


_RECORD = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "authority": {"type": "string"},
        "authority_name": {"type": "string"},
        "scale": {"type": "integer", "minimum": 0, "maximum": 10},
        "note": {"type": "string"},
        "recorded_by": {"type": "string"},
        "recorded_at": {"type": "string", "format": "date-time"},
    },
}

PATHS: dict = {
    "/self-assessments": {
        "get": {
            "summary": "The implementation self-assessment: 0 (barely begun) to 10 (fully "
            "implemented)",
            "description": "history: the authority's own self-assessments, newest first (an "
            "admin names the authority, else history is empty and authority null); others: the "
            "latest self-assessment of each other authority that shares it.",
            "parameters": [_AUTHORITY],
            "responses": {
                "200": {
                    "description": '{"authority", "shared", "can_record", "history": [record], '
                    '"others": [record]}',
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "authority": {"type": ["string", "null"]},
                                    "shared": {"type": "boolean"},
                                    "can_record": {"type": "boolean"},
                                    "history": {"type": "array", "items": _RECORD},
                                    "others": {"type": "array", "items": _RECORD},
                                },
                            }
                        }
                    },
                },
                "404": {"description": "not_found", "content": _ERR},
            },
        },
        "post": {
            "summary": "Record a self-assessment (the authority's managers, admins)",
            "description": 'Body: {"scale": 0-10, "note": "why this number" (required, at most '
            '2000 characters), "shared": true/false (optional: share the latest with other '
            "authorities, or stop)}. Records are never changed: a correction is a new one.",
            "parameters": [_AUTHORITY],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "201": {
                    "description": "The record made",
                    "content": {"application/json": {"schema": _RECORD}},
                },
                "400": {
                    "description": "invalid_json, invalid_text, authority_required",
                    "content": _ERR,
                },
                "403": {
                    "description": "forbidden: not a manager of the authority",
                    "content": _ERR,
                },
                "404": {"description": "not_found", "content": _ERR},
                "422": {
                    "description": "invalid_scale, scale_out_of_range, note_required, "
                    "note_too_long, invalid_note, invalid_shared",
                    "content": _ERR,
                },
            },
        },
    }
}
