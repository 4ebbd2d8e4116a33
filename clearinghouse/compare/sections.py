"""Compared rows from aligned sections: status, word changes, counts and similarity.

Rows from alignment by meaning (two documents) also carry what each pair is for, why it
paired, its similarity and the section numbers; rows of a version diff stay as they were.
"""

import logging

from . import diff
from .align import Pair, align_sections
from .purpose import labels

log = logging.getLogger(__name__)

API_KEYS = ("left", "right", "status", "changes")
MEANING_KEYS = (
    "purpose",
    "purpose_label",
    "similarity",
    "why",
    "left_index",
    "right_index",
    "fixed",
)


def heading(section: dict | None) -> str | None:
    """Return a section's heading: None for no section, '' for an untitled opening."""
    if section is None:
        return None
    return section.get("heading") or ""


def section_row(left: dict | None, right: dict | None, moved: bool) -> dict:
    """Compare one pair of sections (either may be absent) into a result row."""
    lt = diff.tokens(left.get("text", "")) if left else []
    rt = diff.tokens(right.get("text", "")) if right else []
    lh = diff.tokens(heading(left) or "")
    rh = diff.tokens(heading(right) or "")
    if left is None:
        status = "only_right"
    elif right is None:
        status = "only_left"
    else:
        status = "same" if lt == rt and lh == rh else "changed"
    changes, counts = diff.diff_tokens(lt, rt)
    heading_changes, heading_counts = diff.diff_tokens(lh, rh)
    for key in counts:
        counts[key] += heading_counts[key]
    total = 2 * counts["words_equal"] + counts["words_added"] + counts["words_removed"]
    return {
        "left": heading(left),
        "right": heading(right),
        "status": status,
        "changes": changes,
        "heading_changes": heading_changes,
        "level": (left or right or {}).get("level", 1),
        "moved": moved,
        "similarity": round(2 * counts["words_equal"] / total, 4) if total else 1.0,
        **counts,
    }


def _meaning(row: dict, pair: Pair) -> dict:
    """Add what a pair is for, why it paired and its section numbers (counted from 1)."""
    row["words_similarity"] = row["similarity"]
    row.update(
        purpose=pair.purpose,
        purpose_label=labels().get(pair.purpose) if pair.purpose else None,
        similarity=pair.score,
        why=list(pair.why),
        left_index=None if pair.left is None else pair.left + 1,
        right_index=None if pair.right is None else pair.right + 1,
        fixed=pair.fixed,
    )
    return row


def sections_compare(left: list[dict], right: list[dict], pairs: list[Pair] | None = None) -> dict:
    """Diff each pair of two lists of sections: rows, summary and similarity.

    Without ``pairs`` the sections are paired by heading and content, as for two versions of
    one document; with the rows of an alignment by meaning, each row also says why.
    """
    rows = []
    for pair in align_sections(left, right) if pairs is None else pairs:
        row = section_row(
            left[pair.left] if pair.left is not None else None,
            right[pair.right] if pair.right is not None else None,
            pair.moved,
        )
        rows.append(row if pairs is None else _meaning(row, pair))
    statuses = [row["status"] for row in rows]
    summary = {
        "sections_same": statuses.count("same"),
        "sections_changed": statuses.count("changed"),
        "sections_added": statuses.count("only_right"),
        "sections_removed": statuses.count("only_left"),
        "sections_moved": sum(1 for row in rows if row["moved"]),
        "words_added": sum(row["words_added"] for row in rows),
        "words_removed": sum(row["words_removed"] for row in rows),
    }
    equal = sum(row["words_equal"] for row in rows)
    total = 2 * equal + summary["words_added"] + summary["words_removed"]
    similarity = round(2 * equal / total, 4) if total else 1.0
    return {"similarity": similarity, "summary": summary, "sections": rows}


def api_sections(rows: list[dict]) -> list[dict]:
    """Return rows in the API's shape: left, right, status, changes, and by meaning why."""
    by_meaning = bool(rows) and "why" in rows[0]  # version diff rows keep their four keys
    keys = API_KEYS + (MEANING_KEYS if by_meaning else ())
    return [{key: row[key] for key in keys} for row in rows]
