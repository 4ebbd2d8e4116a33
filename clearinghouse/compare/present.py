"""What the compare pages make of a comparison: who each side is, and how sections are paired.

Pure functions over the service's plain results (no HTTP, no database): the names the page
gives each side ("Only in Ashdown"), the explicit pairs with one more, the choices a person
has to pair a section differently, and the rows of the table of several documents.

Rows from the alignment by meaning (two different documents) carry ``left_index`` /
``right_index`` (sections counted from 1), ``why`` and ``purpose_label``; rows without them
(versions of one document) are shown without the pairing controls.
"""

import re

_COUNCIL = re.compile(
    r"\s+(?:(?:metropolitan|county|borough|city|district|town|unitary)\s+)*council$", re.I
)
_PREFIX = re.compile(r"^(?:the\s+)?(?:(?:london|royal)\s+)?(?:borough|city|county)\s+of\s+", re.I)
UNTITLED = "Untitled opening"


def short_authority_name(name: str) -> str:
    """Return an authority's name without "County Council" and the like ("Ashdown")."""
    short = _PREFIX.sub("", _COUNCIL.sub("", (name or "").strip())).strip()
    return short or name


def _sides(mode: str, left: str, right: str) -> dict:
    capital = [name[:1].upper() + name[1:] for name in (left, right)]
    return {"mode": mode, "left": left, "right": right, "Left": capital[0], "Right": capital[1]}


def comparison_sides(result: dict) -> dict:
    """Return the comparison's mode ("versions" of one document, or "across" two) and the names
    of its sides ("left", "right"; capitalised as "Left", "Right")."""
    left, right = result["left"], result["right"]
    if left["id"] == right["id"]:
        return _sides("versions", f"version {left['version']}", f"version {right['version']}")
    names = (
        short_authority_name(left["authority_name"]),
        short_authority_name(right["authority_name"]),
    )
    if left["authority"] == right["authority"]:
        names = (left["title"], right["title"])
    elif names[0] == names[1]:
        names = (left["authority_name"], right["authority_name"])
    if names[0] == names[1]:
        names = ("the first document", "the second document")
    return _sides("across", *names)


def pairs_merge(current, change: tuple) -> list[tuple]:
    """Return the explicit pairs with one change, which replaces any pair of the same sections."""
    left, right = change
    kept = [(i, j) for i, j in current if i != left and (right is None or j != right)]
    return sorted([*kept, (left, right)], key=lambda pair: pair[0])


def can_repair(result: dict, sides: dict) -> bool:
    """Return whether the page can offer re-pairing: two documents, rows numbered by section."""
    rows = result["sections"]
    return sides["mode"] == "across" and bool(rows) and all("left_index" in r for r in rows)


def _sections(rows: list[dict], side: str) -> list[tuple[int, str]]:
    found = {(r[f"{side}_index"], r[side] or UNTITLED) for r in rows if r.get(f"{side}_index")}
    return sorted(found)


def _option(number: int, heading: str) -> str:
    return f"{number}. {heading}"


def pairing_forms(result: dict, sides: dict, explicit) -> list[dict]:
    """Return, row by row, the choice of a new partner for the row's section, and whether the
    person chose the row's pairing themselves."""
    rows = result["sections"]
    lefts, rights = _sections(rows, "left"), _sections(rows, "right")
    chosen = set(explicit)
    forms = []
    for row in rows:
        i, j = row.get("left_index"), row.get("right_index")
        if i is not None:
            options = [(f"{i}:{n}", _option(n, h)) for n, h in rights]
            options.append((f"{i}:-", f"None: leave it only in {sides['left']}"))
            label = f"Pair {sides['left']}’s section {i}, “{row['left'] or UNTITLED}”, with"
            key, selected = f"left-{i}", f"{i}:{'-' if j is None else j}"
        else:
            options = [("", f"Choose a section of {sides['left']}")]
            options += [(f"{n}:{j}", _option(n, h)) for n, h in lefts]
            label = f"Pair {sides['right']}’s section {j}, “{row['right'] or UNTITLED}”, with"
            key, selected = f"right-{j}", ""
        forms.append(
            {
                "id": f"pair-{key}",
                "label": label,
                "options": options,
                "selected": selected,
                "button": f"section {i if i is not None else j} of "
                f"{sides['left'] if i is not None else sides['right']}",
                "by_you": (i, j) in chosen,
            }
        )
    return forms


def why_text(row: dict) -> str | None:
    """Return why the alignment paired a row's sections ("same purpose: Worries, position")."""
    reasons = [str(reason) for reason in row.get("why") or [] if reason]
    return ", ".join(reasons) if reasons else None


def _cell(cell) -> dict | None:
    if not cell:
        return None
    return {
        "index": cell["section"],
        "heading": cell["heading"] or UNTITLED,
        "first_words": cell["first_words"],
        "more": [
            {"index": other["section"], "heading": other["heading"] or UNTITLED}
            for other in cell.get("more") or []
        ],
    }


def purpose_rows(table: dict) -> list[dict]:
    """Return the table's rows by section purpose, each cell a section or None (a gap)."""
    return [
        {
            "label": row["label"],
            "purpose": row["purpose"],
            "cells": [_cell(cell) for cell in row["cells"]],
            "covered_by": row["covered_by"],
        }
        for row in table["purposes"]
    ]
