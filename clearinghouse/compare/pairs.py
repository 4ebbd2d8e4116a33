"""Pairs a person chooses: "3:5,4:-" pairs left section 3 with right section 5, leaves 4 alone.

Sections are counted from 1 in document order, as the compare page numbers them. The text
is parsed here (parse_pairs) and checked against the two documents' sections once they are
known (check_pairs); both refuse with InvalidInput ``invalid_pairs`` and say what to fix.
"""

import logging
import re

from ..errors import InvalidInput

log = logging.getLogger(__name__)

CODE = "invalid_pairs"
MAX_PAIRS = 500
MAX_TEXT = 5_000
_PAIR = re.compile(r"^\s*([0-9]{1,6})\s*:\s*([0-9]{1,6}|-)\s*$")  # ASCII digits only
EXAMPLE = "Write pairs like 3:5,4:- (left section 3 with right 5; left section 4 with none)."


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(CODE, message, [{"path": "pairs", "message": message}], status=422)


def _shown(item: str) -> str:
    item = item.strip()
    return item if len(item) <= 20 else item[:20] + "…"


def parse_pairs(text: str | None) -> list[tuple[int, int | None]]:
    """Return (left, right or None) section numbers from "3:5,4:-"; blank gives []."""
    if text is None or not str(text).strip():
        return []
    text = str(text)
    if len(text) > MAX_TEXT:
        raise _refuse(f"There are too many pairs. Choose at most {MAX_PAIRS}.")
    items = [item for item in text.split(",") if item.strip()]
    if len(items) > MAX_PAIRS:
        raise _refuse(f"There are too many pairs. Choose at most {MAX_PAIRS}.")
    pairs: list[tuple[int, int | None]] = []
    lefts: set[int] = set()
    rights: set[int] = set()
    for item in items:
        match = _PAIR.match(item)
        if not match:
            raise _refuse(f"“{_shown(item)}” is not a pair of section numbers. {EXAMPLE}")
        left = int(match.group(1))
        right = None if match.group(2) == "-" else int(match.group(2))
        if left == 0 or right == 0:
            raise _refuse(f"“{_shown(item)}”: sections are counted from 1. {EXAMPLE}")
        if left in lefts:
            raise _refuse(f"Left section {left} is given twice. Give each section once.")
        if right is not None and right in rights:
            raise _refuse(f"Right section {right} is paired twice. Pair it with one section.")
        lefts.add(left)
        if right is not None:
            rights.add(right)
        pairs.append((left, right))
    return pairs


def _plural(count: int) -> str:
    return f"{count} section" + ("" if count == 1 else "s")


def check_pairs(
    pairs: list[tuple[int, int | None]], left_count: int, right_count: int
) -> dict[int, int | None]:
    """Return pairs as 0-based left index -> right index or None, checked against the counts."""
    fixed: dict[int, int | None] = {}
    rights: set[int] = set()
    for left, right in pairs:
        if not 0 < left <= left_count:
            raise _refuse(
                f"There is no left section {left}: the left document has {_plural(left_count)}."
            )
        if right is not None and not 0 < right <= right_count:
            raise _refuse(
                f"There is no right section {right}: the right document has {_plural(right_count)}."
            )
        if left - 1 in fixed or (right is not None and right in rights):
            raise _refuse("A section is paired twice. Pair each section once.")
        if right is not None:
            rights.add(right)
        fixed[left - 1] = None if right is None else right - 1
    return fixed


def pairs_text(pairs: list[tuple[int, int | None]]) -> str:
    """Return pairs written as the pairs= parameter takes them: "3:5,4:-"."""
    return ",".join(f"{left}:{'-' if right is None else right}" for left, right in pairs)
