"""The JSON API, /api/v1: thin wrappers over the same services the web pages use.

Each area's endpoints live in their own module here and add themselves to ``bp``; each
module also declares its OpenAPI ``PATHS``, which openapi.py merges.
"""

from flask import Blueprint, g, jsonify, request

from ..auth.service import token_user
from ..errors import error_body

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _authenticate():
    """Refuse any request without a valid bearer token."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    user = token_user(secret.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        body = error_body("unauthorized", "A valid API token is required.")
        return jsonify(body), 401, {"WWW-Authenticate": 'Bearer realm="clearinghouse"'}
    g.api_user = user
    return None


def api_user():
    """Return the user the request's bearer token belongs to."""
    return g.api_user


from . import (  # noqa: E402,F401
    audits,
    compare,
    documents,
    feedback,
    generate,
    openapi,
    packs,
    practice_figures,
    profiles,
    search,
    self_assessments,
    templates,
)
