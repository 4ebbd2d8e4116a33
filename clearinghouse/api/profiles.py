"""/api/v1/authority/profile: the authority profile as JSON, read and replaced whole."""

from flask import jsonify, request

from ..errors import InvalidInput
from ..profiles import service
from . import api_user, bp


def _body(profile: service.Profile) -> dict:
    return {
        "authority": profile.authority_slug,
        "version": profile.number,
        "has_logo": profile.has_logo,
        "can_edit": profile.can_edit,
        "profile": profile.data,
    }


def _slug() -> str | None:
    return request.args.get("authority") or None


@bp.get("/authority/profile")
def profile_get():
    """Return the current profile of the user's authority (an admin names one)."""
    return jsonify(_body(service.profile_show(api_user(), _slug())))


@bp.put("/authority/profile")
def profile_put():
    """Replace the profile with the body's "profile" object; the logo is kept."""
    service.profile_edit_start(api_user(), _slug())  # refuse a reader before reading the body
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("profile"), dict):
        raise InvalidInput(
            "invalid_json",
            'Send a JSON object such as {"profile": {"name": "..."}, "base_version": 3}.',
            status=400,
        )
    base = body.get("base_version")
    if base is not None and (not isinstance(base, int) or isinstance(base, bool) or base < 0):
        raise InvalidInput(
            "invalid_json", "base_version must be a whole number of 0 or more.", status=400
        )
    saved, changes = service.profile_update(
        api_user(), body["profile"], authority_slug=_slug(), base_number=base
    )
    return jsonify({**_body(saved), "changed": changes})


_ERR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_AUTHORITY = {
    "name": "authority",
    "in": "query",
    "description": "An authority's slug: for site admins, who belong to none.",
    "schema": {"type": "string"},
}
_PROFILE = (
    '{"authority": slug, "version": n (0: none yet), "has_logo", "can_edit", "profile": the '
    "case model's authority object ($defs/authority of the case schema)}"
)

PATHS: dict = {
    "/authority/profile": {
        "get": {
            "summary": "The authority profile: details every document for the authority uses",
            "parameters": [_AUTHORITY],
            "responses": {
                "200": {"description": _PROFILE},
                "400": {"description": "authority_required: an admin names no authority"},
                "404": {"description": "not_found", "content": _ERR},
            },
        },
        "put": {
            "summary": "Save a new version of the profile (editors of the authority, admins)",
            "description": 'Body: {"profile": {...}, "base_version": n (optional)}. The profile '
            "is validated against the case model's $defs/authority; the logo is kept (upload it "
            'on the profile page). Answers the profile with "changed": the field paths that '
            "changed (empty when nothing did, and no version is added).",
            "parameters": [_AUTHORITY],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "200": {"description": _PROFILE},
                "400": {
                    "description": "invalid_json, invalid_text, authority_required",
                    "content": _ERR,
                },
                "403": {"description": "forbidden: not the authority's editor", "content": _ERR},
                "404": {"description": "not_found", "content": _ERR},
                "409": {
                    "description": "profile_changed: base_version is not the newest version",
                    "content": _ERR,
                },
                "413": {"description": "profile_too_large", "content": _ERR},
                "422": {
                    "description": "invalid_profile: details give each field's path and problem",
                    "content": _ERR,
                },
            },
        },
    }
}
