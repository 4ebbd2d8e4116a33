"""The practice thesaurus: the field's words for section purposes, and its synonyms.

One data file (practice_thesaurus.json), kept apart from the controlled vocabulary of
document types (vocabulary.py):

- ``purposes``: what a section of a policy or form is for (worries, strengths, next steps...),
  each with the headings and words that name it; compare pairs sections by purpose.
- ``synonyms``: groups of words and abbreviations that mean the same in the field (PLO, letter
  before proceedings...); search expands a query with them.
- ``everyday``: groups of everyday words that mean much the same in plans, letters and
  procedures (agree, commitment, promise; travel, transport); compare counts two sections'
  words alike when they are of one group, as well as when they are the same.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

THESAURUS_FILE = Path(__file__).with_name("practice_thesaurus.json")


@dataclass(frozen=True)
class Purpose:
    """A section purpose: its slug, its label, and the words that name it."""

    slug: str
    label: str
    terms: tuple[str, ...]


@cache
def _data() -> dict:
    return json.loads(THESAURUS_FILE.read_text(encoding="utf-8"))


def purposes() -> tuple[Purpose, ...]:
    """Return the section purposes, in the order a document usually has them."""
    return tuple(
        Purpose(p["slug"], p["label"], tuple(p["terms"])) for p in _data().get("purposes", [])
    )


def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Return the groups of words and phrases that mean the same in the field."""
    return tuple(tuple(group) for group in _data().get("synonyms", []))


def everyday_groups() -> tuple[tuple[str, ...], ...]:
    """Return the groups of everyday single words that mean much the same."""
    return tuple(tuple(group) for group in _data().get("everyday", []))
