"""Answers chosen from the case itself: a goal's danger statement, a letter's recipient.

A schema property marked ``"x-choose-from": ["danger_statements"]`` refers to items of those
top-level lists by their ``id``. The form offers them by name (a select for one, checkboxes for
several) instead of a box to type an id into; an answer that names nothing in the case is kept
and shown, so the validation error beside it can be seen and corrected.
"""

from datetime import date

from .schema_fields import singular

LABEL_KEYS = (
    "name", "worried_about", "parents_will", "statement", "firm", "title", "rule", "what",
    "step", "question", "text", "description", "summary",
)  # fmt: skip
MAX_LABEL = 70


def _day(text: str) -> str:
    """Return an ISO date as people write it (14 December 2026); anything else as it is."""
    try:
        when = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{when.day} {when:%B %Y}"


def item_label(list_name: str, item: dict, position: int, type_names: dict) -> str:
    """Return how an item of a case list is named to people: its name or first words."""
    if not isinstance(item, dict):
        return f"{singular(list_name).capitalize()} {position}"
    if list_name == "meetings":
        kind = item.get("type")
        kind = type_names.get(kind, "Meeting") if isinstance(kind, str) else "Meeting"
        when = item.get("date")
        return f"{kind}, {_day(when)}" if isinstance(when, str) and when else kind
    for key in LABEL_KEYS:
        text = item.get(key)
        if isinstance(text, str) and text.strip():
            text = " ".join(text.split())
            text = text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"
            return text
    return f"{singular(list_name).capitalize()} {position}"  # ids are never shown


def choices(
    sources: list[str], data: dict, type_names: dict | None = None
) -> list[tuple[str, str]]:
    """Return (id, label) for every item with an id in the named top-level lists of the case.

    ``type_names`` names each kind of item by its ``type`` (the schema's enum labels).
    """
    found = []
    for list_name in sources:
        items = data.get(list_name) if isinstance(data, dict) else None
        for position, item in enumerate(items if isinstance(items, list) else [], start=1):
            if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
                found.append((item["id"], item_label(list_name, item, position, type_names or {})))
    return found


def with_current(options: list, current) -> list:
    """Return the options plus any current answer that is not among them (so it shows)."""
    known = {str(value) for value, _label in options}
    extra = [current] if isinstance(current, str) else current if isinstance(current, list) else []
    missing = [v for v in extra if isinstance(v, str) and v and v not in known]
    return options + [(v, "One that is no longer in this case") for v in missing]
