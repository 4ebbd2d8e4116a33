"""/api/v1/feedback/summary: families' feedback summed by team and quarter, for managers."""

from flask import jsonify

from ..feedback import service
from . import api_user, bp


@bp.get("/feedback/summary")
def feedback_summary():
    """Return the manager's authority's feedback by team and quarter, small groups withheld."""
    return jsonify(service.feedback_summary(api_user()))


_ERR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

PATHS: dict = {
    "/feedback/summary": {
        "get": {
            "summary": "Families' feedback for the manager's authority, by team and quarter",
            "description": 'Answers {"authority": {"slug", "name"}, "min_group": 5, "groups": '
            '[{"team", "team_id", "quarter": "2026-Q4", "quarter_label", "suppressed", '
            '"responses", "explained_mean" (mean 0-10 answer to "Did we explain clearly why '
            'we were worried?"), "listened": {"yes", "a_bit", "no"}}]}. A group of fewer than '
            "min_group responses is suppressed: its figures are null. Never single responses; "
            "only the manager's own authority.",
            "responses": {
                "200": {"description": "The summary"},
                "403": {"description": "forbidden: not a manager of an authority", "content": _ERR},
            },
        }
    }
}
