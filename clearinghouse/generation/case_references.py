"""References between parts of a case: each must point at something that is in the case.

A goal names its danger statement, a scale its danger statement or child, a rule the people
who make sure of it. A reference to nothing is a validation error with the field's path,
never a silent drop (a mistyped "D9" must not lose a safety goal).
"""

from .case_validation import dicts_in, pointer

SHARE_CODES = ("conference", "court", "professionals", "network")
# target list -> what one of its items is called, for messages
KINDS = {
    "children": "a child",
    "family_members": "a family member",
    "danger_statements": "a danger statement",
    "safety_goals": "a safety goal",
    "meetings": "a meeting",
    "people": "a family member or safety network member",
}


def _ids(items) -> list:
    return [i.get("id") for i in dicts_in(items) if isinstance(i.get("id"), str)]


def _get(node, *keys):
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _one(path, value, targets: dict, kind: str, problems: list) -> None:
    if value is None:
        return
    if not isinstance(value, str) or value not in targets[kind]:
        problems.append(
            {"path": pointer(path), "message": f"Choose {KINDS[kind]} that is in this case"}
        )


def _many(path, values, targets: dict, kind: str, problems: list) -> None:
    if isinstance(values, list):
        for index, value in enumerate(values):
            _one((*path, index), value, targets, kind, problems)


def _duplicates(case: dict, problems: list) -> None:
    for key in ("children", "family_members", "safety_network", "professionals", "meetings"):
        seen = set()
        for index, item in enumerate(dicts_in(case.get(key))):
            ident = item.get("id")
            if isinstance(ident, str) and ident in seen:
                problems.append(
                    {
                        "path": pointer((key, index, "id")),
                        "message": "This identifier is used twice; give each one its own",
                    }
                )
            if isinstance(ident, str):  # anything else is named by the schema check
                seen.add(ident)
    seen = set()
    for key in ("danger_statements", "safety_goals"):
        for index, item in enumerate(dicts_in(case.get(key))):
            ident = item.get("id")
            if isinstance(ident, str) and (key, ident) in seen:
                problems.append(
                    {
                        "path": pointer((key, index, "id")),
                        "message": "This identifier is used twice; give each one its own",
                    }
                )
            if isinstance(ident, str):
                seen.add((key, ident))


def reference_errors(case: dict) -> list[dict]:
    """Return every reference in the case that points at nothing, as path and message."""
    if not isinstance(case, dict):
        return []
    family = set(_ids(case.get("family_members")))
    targets = {
        "children": set(_ids(case.get("children"))),
        "family_members": family,
        "danger_statements": set(_ids(case.get("danger_statements"))),
        "safety_goals": set(_ids(case.get("safety_goals"))),
        "meetings": set(_ids(case.get("meetings"))),
        "people": family | set(_ids(case.get("safety_network"))),
    }
    problems: list[dict] = []
    _duplicates(case, problems)
    _one(("document", "meeting_id"), _get(case, "document", "meeting_id"), targets, "meetings",
         problems)  # fmt: skip
    _one(("document", "recipient_id"), _get(case, "document", "recipient_id"), targets,
         "family_members", problems)  # fmt: skip
    for i, member in enumerate(dicts_in(case.get("family_members"))):
        path = ("family_members", i, "parental_responsibility_for")
        _many(path, member.get("parental_responsibility_for"), targets, "children", problems)
    for i, member in enumerate(dicts_in(case.get("safety_network"))):
        path = ("safety_network", i, "family_member_id")
        _one(path, member.get("family_member_id"), targets, "family_members", problems)
    for key in ("danger_statements", "harm"):
        for i, item in enumerate(dicts_in(case.get(key))):
            _many((key, i, "child_ids"), item.get("child_ids"), targets, "children", problems)
    for i, goal in enumerate(dicts_in(case.get("safety_goals"))):
        path = ("safety_goals", i, "danger_statement_id")
        _one(path, goal.get("danger_statement_id"), targets, "danger_statements", problems)
    for i, scale in enumerate(dicts_in(case.get("scales"))):
        path = ("scales", i, "danger_statement_id")
        _one(path, scale.get("danger_statement_id"), targets, "danger_statements", problems)
        _one(("scales", i, "child_id"), scale.get("child_id"), targets, "children", problems)
    for i, voice in enumerate(dicts_in(case.get("child_voice"))):
        _one(("child_voice", i, "child_id"), voice.get("child_id"), targets, "children", problems)
        share = voice.get("share_with")
        if isinstance(share, list):
            for j, code in enumerate(share):
                if code not in SHARE_CODES:
                    path = ("child_voice", i, "share_with", j)
                    _one(path, code, targets, "family_members", problems)
    for i, meeting in enumerate(dicts_in(case.get("meetings"))):
        for j, decision in enumerate(dicts_in(meeting.get("decisions"))):
            path = ("meetings", i, "decisions", j, "child_id")
            _one(path, decision.get("child_id"), targets, "children", problems)
        for j, progress in enumerate(dicts_in(meeting.get("goal_progress"))):
            path = ("meetings", i, "goal_progress", j, "safety_goal_id")
            _one(path, progress.get("safety_goal_id"), targets, "safety_goals", problems)
    _one(("plo", "review_meeting_id"), _get(case, "plo", "review_meeting_id"), targets,
         "meetings", problems)  # fmt: skip
    for i, rule in enumerate(dicts_in(_get(case, "safety_plan", "rules"))):
        path = ("safety_plan", "rules", i, "who_makes_sure_ids")
        _many(path, rule.get("who_makes_sure_ids"), targets, "people", problems)
    for i, agreed in enumerate(dicts_in(_get(case, "words_and_pictures", "parents_agreed"))):
        path = ("words_and_pictures", "parents_agreed", i, "family_member_id")
        _one(path, agreed.get("family_member_id"), targets, "family_members", problems)
    for i, view in enumerate(dicts_in(_get(case, "views", "parents"))):
        path = ("views", "parents", i, "family_member_id")
        _one(path, view.get("family_member_id"), targets, "family_members", problems)
    return problems
