"""/api/v1/practice-figures: an authority's practice figures by completed quarter, for managers."""

from flask import jsonify, request

from ..models import utcnow
from ..practice_figures import service
from . import api_user, bp

_ERR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_WITHHELD = '{"quarter", "quarter_label", ("team"), "suppressed": true, "reason"}'


@bp.get("/practice-figures")
def practice_figures_get():
    """Return the authority's figures for the last eight completed quarters, small groups
    withheld (``?authority=SLUG``: another authority that shares them; admins: any)."""
    data = service.practice_figures(
        api_user(), request.args.get("authority") or None, utcnow().date()
    )
    return jsonify(data)


PATHS: dict = {
    "/practice-figures": {
        "get": {
            "summary": "Practice figures: audit ratings, mapping scales and families' feedback",
            "description": "For the last 8 completed calendar quarters (never the one in "
            'progress), oldest first: {"authority": {"slug", "name"}, "shared", "can_share", '
            '"min_group": 5, "quarters": ["2026-Q3", ...], "audit_ratings": [{"quarter", '
            '"quarter_label", "suppressed": false, "audits", "elements": [{"element", "label", '
            '"met", "partly", "not_met"}]}], "scales": [{..., "audits", "bands": {"0-3", '
            '"4-6", "7-10"}, "median"}], "feedback": {"all_teams": [...], "by_team": [{..., '
            '"team", "responses", "explained_median", "explained_mean", '
            '"explained_7_or_more_percent", "listened_percent": {"yes", "a_bit", "no"}}]}, '
            '"self_assessments": [{"date", "scale"}] (oldest first; null for another '
            "authority's managers: its history stays within it)}. "
            f"A group of 1 to min_group - 1 audits or responses is withheld: {_WITHHELD}, with "
            'no numbers; reason "fewer_than_min", or for an all-teams figure '
            '"would_reveal_a_small_team" when the teams withheld that quarter hold together '
            "1 to min_group - 1 responses. Only completed (signed-off) audits count. Never an "
            "individual audit or response.",
            "parameters": [
                {
                    "name": "authority",
                    "in": "query",
                    "required": False,
                    "description": "The authority's slug: by default the manager's own; another "
                    "authority only while it shares its figures; a site admin names any.",
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": {"description": "The figures"},
                "400": {
                    "description": "authority_required (a site admin named none)",
                    "content": _ERR,
                },  # fmt: skip
                "403": {"description": "forbidden: not a manager or site admin", "content": _ERR},
                "404": {
                    "description": "authority_not_found (no authority has that slug), "
                    "figures_not_shared (it does not share its figures)",
                    "content": _ERR,
                },
            },
        }
    }
}
