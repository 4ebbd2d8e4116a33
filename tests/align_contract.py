"""A stand-in for the align branch's contract (issue 15), for the compare page tests only.

Until ``compare.service`` has ``parse_pairs`` and ``documents_compare(..., pairs=)``,
``install()`` puts these in its place: explicit pairs fixed first, the rest paired as the
current alignment pairs them, each row numbered (``left_index`` / ``right_index``, from 1) with
``why``, ``purpose`` and ``purpose_label``; ``documents_table`` gains ``purposes`` rows. Once the
real service has them, ``install()`` does nothing and the tests run against the real thing.
Never imported by the app: the browser tests serve ``shimmed_app()`` only while it is needed.
"""

import re

from clearinghouse.compare import service
from clearinghouse.compare.align import align_sections
from clearinghouse.errors import InvalidInput

_PAIR = re.compile(r"^\s*(\d{1,6})\s*:\s*(\d{1,6}|-)\s*$")
GAP_PURPOSE = "Complaints"  # a purpose row no document covers, so the table shows a gap


def needed() -> bool:
    """Return whether the real service still lacks the contract."""
    return not hasattr(service, "parse_pairs")


def _invalid(message: str) -> InvalidInput:
    return InvalidInput("invalid_pairs", message, [{"path": "pairs", "message": message}])


def parse_pairs(text) -> list[tuple[int, int | None]]:
    """Parse "3:5,4:-" into [(3, 5), (4, None)], as the contract says."""
    pairs, lefts, rights = [], set(), set()
    for part in str(text or "").split(","):
        if not part.strip():
            continue
        match = _PAIR.match(part)
        if not match:
            raise _invalid(f"“{part.strip()}” is not a pair. Write pairs like 3:5 or 4:-.")
        left = int(match.group(1))
        right = None if match.group(2) == "-" else int(match.group(2))
        if left == 0 or right == 0:
            raise _invalid("Sections are counted from 1.")
        if left in lefts or (right is not None and right in rights):
            raise _invalid("Each section can be in one pair only.")
        lefts.add(left)
        rights.add(right)
        pairs.append((left, right))
    return pairs


def _placed(mapping: dict, n_left: int, n_right: int) -> list[tuple]:
    rows = [(i, mapping.get(i)) for i in range(n_left)]
    used = set(mapping.values())
    for j in range(n_right):
        if j in used:
            continue
        at = 0
        for pos, (_i, r) in enumerate(rows):
            if r is not None and r < j:
                at = pos + 1
        rows.insert(at, (None, j))
    return rows


def _summary(rows: list[dict]) -> dict:
    statuses = [row["status"] for row in rows]
    summary = {
        "sections_same": statuses.count("same"),
        "sections_changed": statuses.count("changed"),
        "sections_added": statuses.count("only_right"),
        "sections_removed": statuses.count("only_left"),
        "sections_moved": 0,
        "words_added": sum(row["words_added"] for row in rows),
        "words_removed": sum(row["words_removed"] for row in rows),
    }
    equal = sum(row["words_equal"] for row in rows)
    total = 2 * equal + summary["words_added"] + summary["words_removed"]
    return {"similarity": round(2 * equal / total, 4) if total else 1.0, "summary": summary}


def documents_compare(user, left, right, pairs=None) -> dict:
    """Compare two documents; for two different ones, fix the explicit pairs first."""
    service._check(user)
    lv = service._version(user, *service.parse_ref(left, "left"))
    rv = service._version(user, *service.parse_ref(right, "right"))
    labels = service.doc_type_labels()
    info = {"left": service._doc_info(lv, labels), "right": service._doc_info(rv, labels)}
    ls, rs = lv.sections or [], rv.sections or []
    if lv.document_id == rv.document_id:
        return {**service.sections_compare(ls, rs), **info}
    fixed = {}
    for i, j in pairs or []:
        if i > len(ls) or (j is not None and j > len(rs)):
            raise _invalid(f"There is no section {i if i > len(ls) else j} to pair.")
        fixed[i - 1] = None if j is None else j - 1
    taken = {j for j in fixed.values() if j is not None}
    auto = [p for p in align_sections(ls, rs) if p.left is not None and p.right is not None]
    mapping = {p.left: p.right for p in auto if p.left not in fixed and p.right not in taken}
    mapping.update({i: j for i, j in fixed.items() if j is not None})
    rows = []
    for i, j in _placed(mapping, len(ls), len(rs)):
        row = service._section_row(
            ls[i] if i is not None else None, rs[j] if j is not None else None, False
        )
        paired = i is not None and j is not None
        why = ["similar words" if row["similarity"] >= 0.3 else "position"] if paired else []
        row.update(
            left_index=None if i is None else i + 1,
            right_index=None if j is None else j + 1,
            purpose=None,
            purpose_label=None,
            why=why,
        )
        rows.append(row)
    return {**_summary(rows), "sections": rows, **info}


_real_table = service.documents_table


def _first_words(text: str, count: int = 12) -> str:
    words = (text or "").split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def documents_table(user, refs) -> dict:
    """Return the table of sections, with "purposes" rows: one per section row, plus a gap."""
    table = _real_table(user, refs)
    versions = [service._version(user, *service.parse_ref(r, "documents")) for r in refs]
    purposes = []
    for row in table["rows"]:
        cells = []
        for version, cell in zip(versions, row["cells"], strict=True):
            sections = version.sections or []
            number = next(
                (
                    n
                    for n, s in enumerate(sections, 1)
                    if (s.get("heading") or "") == cell["heading"]
                ),
                None,
            )
            if cell["heading"] is None or number is None:
                cells.append(None)
                continue
            words = _first_words(sections[number - 1].get("text", ""))
            cells.append({"index": number, "heading": cell["heading"], "first_words": words})
        label = row["heading"] or "Opening"
        purposes.append({"purpose": label.lower(), "purpose_label": label, "cells": cells})
    purposes.append(
        {"purpose": "complaints", "purpose_label": GAP_PURPOSE, "cells": [None] * len(refs)}
    )
    return {**table, "purposes": purposes}


def install(monkeypatch=None) -> bool:
    """Put the stand-ins in the service while it lacks the contract; return whether it did."""
    if not needed():
        return False
    stand_ins = {
        "parse_pairs": parse_pairs,
        "documents_compare": documents_compare,
        "documents_table": documents_table,
    }
    for name, function in stand_ins.items():
        if monkeypatch is not None:
            monkeypatch.setattr(service, name, function, raising=False)
        else:
            setattr(service, name, function)
    return True


def shimmed_app():
    """Return the app with the stand-ins installed (gunicorn: "align_contract:shimmed_app()")."""
    install()
    from clearinghouse import create_app

    return create_app()
