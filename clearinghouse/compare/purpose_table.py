"""The table of several documents by purpose: a row per section purpose, a cell per document.

Each row is a family of purposes from the practice thesaurus (worries holds harm, danger
statements and complicating factors); each cell is the document's first section for it, with
any further ones, or None: a gap, the document has no section for that purpose. The Signs of
Safety mapping's purposes are always rows, so a purpose no document has is seen too. A
section whose heading and text name no purpose takes the purpose of the section it pairs
with best in another document; sections still without one share a last row.
"""

import logging

from .align_meaning import align_by_meaning
from .purpose import OPENING, family, labels, order, section_purpose

log = logging.getLogger(__name__)

ALWAYS = ("worries", "strengths", "goals", "scaling", "voice")
FIRST_WORDS = 12
OTHER_LABEL = "Sections with no purpose found"
MAX_BORROW_PAIRS = 160_000  # sections' pairs scored, over all documents, to borrow purposes


def first_words(text: str | None, count: int = FIRST_WORDS) -> str:
    """Return a text's first words, with an ellipsis when there are more."""
    words = (text or "").split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _purposes(documents: list[list[dict]]) -> list[list[str | None]]:
    """Return each section's purpose, borrowing its best partner's where it names none."""
    found = [[section_purpose(s, i).slug for i, s in enumerate(doc)] for doc in documents]
    offers: dict[tuple[int, int], tuple[float, str]] = {}

    def offer(mine: tuple[int, int], theirs: tuple[int, int], score: float) -> None:
        slug = found[theirs[0]][theirs[1]]
        if slug and not found[mine[0]][mine[1]] and score > offers.get(mine, (0.0, ""))[0]:
            offers[mine] = (score, slug)

    lend = [
        (a, b)
        for a in range(len(documents))
        for b in range(a + 1, len(documents))
        if None in found[a] or None in found[b]  # else every section names its purpose
    ]
    work = sum(len(documents[a]) * len(documents[b]) for a, b in lend)
    if work > MAX_BORROW_PAIRS:
        log.info("table by purpose: %d pairs of sections to score; no purposes borrowed", work)
        lend = []
    for a, b in lend:
        for row in align_by_meaning(documents[a], documents[b]):
            if row.left is not None and row.right is not None:
                offer((a, row.left), (b, row.right), row.score)
                offer((b, row.right), (a, row.left), row.score)
    return [
        [slug or offers.get((d, i), (0.0, None))[1] for i, slug in enumerate(slugs)]
        for d, slugs in enumerate(found)
    ]


def _cell(number: int, section: dict, slug: str | None) -> dict:
    return {
        "section": number,
        "heading": section.get("heading") or "",
        "first_words": first_words(section.get("text")),
        "purpose": slug,
        "purpose_label": labels().get(slug) if slug else None,
    }


def purpose_rows(documents: list[list[dict]]) -> list[dict]:
    """Return the rows of the table by purpose for several documents' sections."""
    purposes = _purposes(documents)
    grouped: dict[str | None, list[list[dict]]] = {}
    for d, (sections, slugs) in enumerate(zip(documents, purposes, strict=True)):
        for i, (section, slug) in enumerate(zip(sections, slugs, strict=True)):
            key = None if slug in (None, OPENING) else family(slug)
            cells = grouped.setdefault(key, [[] for _ in documents])
            cells[d].append(_cell(i + 1, section, slug))
    keys = sorted(
        (k for k in set(grouped) | set(ALWAYS) if k is not None), key=lambda k: order().get(k, 0)
    )
    rows = [_row(key, grouped.get(key), len(documents)) for key in keys]
    if None in grouped:
        rows.append(_row(None, grouped[None], len(documents)))
    return rows


def _row(key: str | None, cells: list[list[dict]] | None, count: int) -> dict:
    cells = cells or [[] for _ in range(count)]
    shown = [{**found[0], "more": found[1:]} if found else None for found in cells]
    covered = sum(1 for cell in shown if cell)
    return {
        "purpose": key,
        "label": labels().get(key, key) if key else OTHER_LABEL,
        "covered_by": covered,
        "gap": key is not None and covered < count,
        "cells": shown,
    }
