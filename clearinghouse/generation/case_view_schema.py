"""What a template may read: the template's case schema plus what the case view adds.

Templates read the case view (case_view.py), not the raw case: beside the case's own fields it
gives ``meeting``, ``recipient``, ``voice_withheld``, scales by kind, names for ids, deadlines.
An uploaded template is checked against this schema, so a field the view gives is not reported
as unknown, and a field neither has still is.
"""

import copy

TEXT = {"type": "string"}
TEXT_LIST = {"type": "array", "items": TEXT}
NUMBER = {"type": "integer"}
DEADLINES = (
    "initial_conference_due",
    "assessment_due",
    "first_core_group_due",
    "first_review_due",
    "next_review_due",
    "report_due",
    "plo_review_due",
)


def _obj(**properties) -> dict:
    return {"type": "object", "properties": properties}


def _items_of(schema: dict, name: str) -> dict | None:
    """Return the item schema of a list property, or None when the schema has no such list."""
    prop = (schema.get("properties") or {}).get(name)
    items = prop.get("items") if isinstance(prop, dict) else None
    return items if isinstance(items, dict) else None


def _add(node: dict | None, **properties) -> None:
    if isinstance(node, dict):
        node.setdefault("properties", {}).update(properties)


def _with_child(item: dict | None, child: dict | None) -> dict:
    found = copy.deepcopy(item) if isinstance(item, dict) else {"type": "object"}
    _add(found, child=copy.deepcopy(child) if child else {"type": "object"})
    return found


def view_schema(form_schema: dict) -> dict:
    """Return the (dereferenced) form schema with the fields the case view adds."""
    schema = copy.deepcopy(form_schema)
    props = schema.setdefault("properties", {})
    child = _items_of(schema, "children")
    _add(child, age_years=NUMBER, pr_holders=TEXT_LIST)
    goal = _items_of(schema, "safety_goals")
    _add(goal, for_how_long_text=TEXT)
    scale = _items_of(schema, "scales")
    if scale is not None:
        kinds = {"type": "array", "items": _with_child(scale, child)}
        props.setdefault("case_scales", kinds)
        props.setdefault("child_scales", copy.deepcopy(kinds))
    danger = _items_of(schema, "danger_statements")
    _add(
        danger,
        number=NUMBER,
        goals={"type": "array", "items": copy.deepcopy(goal or {"type": "object"})},
        scales={"type": "array", "items": copy.deepcopy(scale or {"type": "object"})},
    )
    voice = _items_of(schema, "child_voice")
    if voice is not None:
        _add(voice, child=copy.deepcopy(child or {"type": "object"}), child_name=TEXT)
        props.setdefault(
            "voice_withheld", {"type": "array", "items": _obj(child=TEXT, shared_with=TEXT)}
        )
    member = _items_of(schema, "family_members")
    _add(member, pr_children=TEXT_LIST)
    if member is not None:
        props.setdefault("recipient", copy.deepcopy(member))
    meeting = _items_of(schema, "meetings")
    if meeting is not None:
        decision = _items_of(meeting, "decisions")
        _add(decision, child=copy.deepcopy(child or {"type": "object"}))
        props.setdefault("meeting", copy.deepcopy(meeting))
        props.setdefault("previous_conference", copy.deepcopy(meeting))
        _add(props.get("plo"), review_meeting=copy.deepcopy(meeting))
    plan = props.get("safety_plan")
    rule = _items_of(plan, "rules") if isinstance(plan, dict) else None
    _add(rule, who_makes_sure=TEXT, who_makes_sure_names=TEXT_LIST)
    pictures = props.get("words_and_pictures")
    agreed = _items_of(pictures, "parents_agreed") if isinstance(pictures, dict) else None
    _add(agreed, name=TEXT, known_to_children_as=TEXT)
    props.setdefault("deadlines", _obj(**dict.fromkeys(DEADLINES, TEXT)))
    return schema
