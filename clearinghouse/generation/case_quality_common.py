"""Shared helpers for the quality checks: warnings, tolerant readers of case data, dates.

Every reader tolerates odd shapes (v1 data, wrong types): it returns nothing rather than raise,
so a check runs only where its inputs exist.
"""

from datetime import date

from .case_validation import pointer

# Dates outside these years are typing slips; skipping them keeps date sums from overflowing.
YEARS = range(1900, 2200)


def warning(code: str, message: str, path) -> dict:
    """Return one warning with its JSON pointer built from path parts."""
    return {"code": code, "message": message, "path": pointer(path)}


def items(value) -> list[tuple[int, dict]]:
    """Return (index, item) for the objects in a list; nothing for anything else."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def section(case, key: str) -> dict:
    """Return the object under a top-level key, or {}."""
    value = case.get(key) if isinstance(case, dict) else None
    return value if isinstance(value, dict) else {}


def filled(value) -> bool:
    """Return whether a value has content (not blank text, an empty list or None)."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return value is not None


def as_date(value) -> date | None:
    """Return the date of an ISO date (or date-time) string in a plausible year, or None."""
    if isinstance(value, date):
        day = value
    elif not isinstance(value, str) or len(value) < 10:
        return None
    else:
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return None
    return day if day.year in YEARS else None


def document_date(case) -> date | None:
    """Return the date the document speaks from: document.date, today when absent."""
    value = section(case, "document").get("date")
    if value is None:
        return date.today()
    return as_date(value)


def find_by_id(case, key: str, item_id) -> tuple[int, dict] | tuple[None, None]:
    """Return (index, item) of the item with an id in a top-level list, or (None, None)."""
    if item_id is None:
        return None, None
    for index, item in items(case.get(key)):
        if item.get("id") == item_id:
            return index, item
    return None, None
