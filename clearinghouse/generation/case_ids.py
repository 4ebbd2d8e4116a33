"""Identifiers the service makes for the items of a case, so nobody types or sees one.

Other parts of the case point to an item by its ``id`` (a goal to its danger statement, a
letter to its recipient). The form offers those items by name; the id itself is made here when
an item is added, and kept unchanged after.
"""

import re

from .case_validation import dicts_in

PREFIXES = {
    "children": "C",
    "family_members": "P",
    "safety_network": "N",
    "professionals": "A",
    "danger_statements": "D",
    "safety_goals": "G",
    "scales": "S",
    "meetings": "M",
    "next_steps": "X",
}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def _prefix(list_key: str) -> str:
    return PREFIXES.get(list_key) or (re.sub(r"[^A-Za-z]", "", list_key)[:1].upper() or "I")


def id_new(list_key: str, items) -> str:
    """Return an id for a new item of the list, unused by the items already in it."""
    prefix = _prefix(list_key)
    taken = {str(item.get("id")) for item in dicts_in(items)}
    numbers = [
        int(found.group(1))
        for value in taken
        if (found := re.fullmatch(re.escape(prefix) + r"(\d{1,6})", value))
    ]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def ids_fill(items, list_key: str) -> None:
    """Give every item of the list that has no usable id a new one (in place)."""
    for item in dicts_in(items):
        value = item.get("id")
        if not (isinstance(value, str) and ID_PATTERN.match(value)) and value in (None, ""):
            item["id"] = id_new(list_key, items)
