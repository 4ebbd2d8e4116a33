"""/api/v1/feedback/summary and /comments: families' feedback by team and quarter, for managers."""

from flask import jsonify

from ..feedback import comments, service
from . import api_user, bp


@bp.get("/feedback/summary")
def feedback_summary():
    """Return the manager's authority's feedback by team and quarter, small groups withheld."""
    return jsonify(service.feedback_summary(api_user()))


@bp.get("/feedback/comments")
def feedback_comments():
    """Return what families wrote to the manager's authority, small groups withheld."""
    return jsonify(comments.feedback_comments(api_user()))


_ERR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def _for_managers(summary: str, description: str, answer: str) -> dict:
    """Return the OpenAPI description of a GET only an authority's managers may make."""
    return {
        "get": {
            "summary": summary,
            "description": description,
            "responses": {
                "200": {"description": answer},
                "403": {"description": "forbidden: not a manager of an authority", "content": _ERR},
            },
        }
    }


PATHS: dict = {
    "/feedback/summary": _for_managers(
        "Families' feedback for the manager's authority, by team and quarter",
        'Answers {"authority": {"slug", "name"}, "min_group": 5, "groups": '
        '[{"team", "team_id", "quarter": "2026-Q4", "quarter_label", "suppressed", '
        '"responses", "explained_mean" (mean 0-10 answer to "Did we explain clearly why '
        'we were worried?"), "listened": {"yes", "a_bit", "no"}}]}. A group of fewer than '
        "min_group responses is suppressed: its figures are null. Only quarters that are over; "
        "never single responses; only the manager's own authority.",
        "The summary",
    ),
    "/feedback/comments": _for_managers(
        "What families wrote to the manager's authority, by quarter and team",
        'Answers {"authority", "min_group": 5, "quarters": [{"quarter", '
        '"quarter_label"}] (the last four quarters that are over), "in_progress" (the '
        'quarter not shown yet), "groups": [{"quarter", "quarter_label", "team", '
        '"suppressed", "responses", "helped": [text], "better": [text]}]}. Only quarters '
        "that are over, only groups of at least min_group responses (others suppressed, "
        "their lists null), each list in alphabetical order with no date, source or score. "
        "Each reading is recorded in the audit log.",
        "The families' words",
    ),
}
