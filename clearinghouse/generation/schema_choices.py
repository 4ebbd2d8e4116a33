"""Answers chosen from the case itself: a goal's danger statement, a letter's recipient.

A schema property marked ``"x-choose-from": ["danger_statements"]`` refers to items of those
top-level lists by their ``id``. The form offers them by name (a select for one, checkboxes for
several) instead of a box to type an id into; an answer that names nothing in the case is kept
and shown, so the validation error beside it can be seen and corrected.
"""

LABEL_KEYS = ("name", "worried_about", "parents_will", "statement")
MAX_LABEL = 70


def _label(list_name: str, item: dict, type_names: dict) -> str:
    if list_name == "meetings":
        kind = item.get("type")
        kind = type_names.get(kind, "Meeting") if isinstance(kind, str) else "Meeting"
        when = item.get("date")
        return f"{kind}, {when}" if isinstance(when, str) and when else kind
    for key in LABEL_KEYS:
        text = item.get(key)
        if isinstance(text, str) and text.strip():
            text = " ".join(text.split())
            text = text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"
            return f"{item['id']}: {text}" if list_name != "children" and key != "name" else text
    return str(item["id"])


def choices(
    sources: list[str], data: dict, type_names: dict | None = None
) -> list[tuple[str, str]]:
    """Return (id, label) for every item with an id in the named top-level lists of the case.

    ``type_names`` names each kind of item by its ``type`` (the schema's enum labels).
    """
    found = []
    for list_name in sources:
        items = data.get(list_name) if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
                found.append((item["id"], _label(list_name, item, type_names or {})))
    return found


def with_current(options: list, current) -> list:
    """Return the options plus any current answer that is not among them (so it shows)."""
    known = {str(value) for value, _label in options}
    extra = [current] if isinstance(current, str) else current if isinstance(current, list) else []
    missing = [v for v in extra if isinstance(v, str) and v and v not in known]
    return options + [(v, f"{v} (not in this case)") for v in missing]
