"""Scales with their question: each score shown with what was asked and what 0 and 10 mean.

Danger statement scales, the case-closure scale and a child's own scale are different
questions. The view attaches each danger statement's goals and scales to it, and gives the
other two kinds as ``case_scales`` and ``child_scales``, every one with its question filled in.
"""

from . import case_dates
from .case_validation import dicts_in

CASE_CLOSURE = {
    "question": (
        "On a scale of 0 to 10, where 10 means everyone knows the children are safe enough for "
        "the case to close and 0 means things are so bad the children cannot live at home, "
        "where do you rate this?"
    ),
    "ten_means": "everyone knows the children are safe enough for the case to close",
    "zero_means": "things are so bad the children cannot live at home",
}
DANGER = {
    "question": "How safe are the children from this worry happening?",
    "ten_means": "everyone is confident this will not happen",
    "zero_means": "it is certain to happen again",
}
CHILD = {
    "question": "How safe do you feel at home?",
    "ten_means": "I feel completely safe",
    "zero_means": "I do not feel safe at all",
}
DEFAULTS = {"case_closure": CASE_CLOSURE, "danger_statement": DANGER, "child": CHILD}


def with_question(scale: dict) -> dict:
    """Fill a scale's question and what 0 and 10 mean from its kind, where they are missing."""
    about = scale.get("about") or (
        "danger_statement" if scale.get("danger_statement_id") else "case_closure"
    )
    scale["about"] = about
    for key, value in DEFAULTS.get(about, CASE_CLOSURE).items():
        if not scale.get(key):
            scale[key] = value
    return scale


def attach(view: dict) -> None:
    """Attach goals and scales to danger statements; split the other scales by kind."""
    scales = [with_question(s) for s in dicts_in(view.get("scales"))]
    goals = dicts_in(view.get("safety_goals"))
    for goal in goals:
        goal["for_how_long_text"] = case_dates.duration_text(goal.get("for_how_long"))
    children = {c.get("id"): c for c in dicts_in(view.get("children"))}
    for number, danger in enumerate(dicts_in(view.get("danger_statements")), start=1):
        danger["number"] = number
        danger["goals"] = [g for g in goals if g.get("danger_statement_id") == danger.get("id")]
        danger["scales"] = [
            s
            for s in scales
            if s["about"] == "danger_statement" and s.get("danger_statement_id") == danger.get("id")
        ]
    view["case_scales"] = [s for s in scales if s["about"] == "case_closure"]
    child_scales = []
    for scale in scales:
        if scale["about"] == "child" and scale.get("child_id") in children:
            scale["child"] = children[scale["child_id"]]
            child_scales.append(scale)
    view["child_scales"] = child_scales
    view["scales"] = scales
