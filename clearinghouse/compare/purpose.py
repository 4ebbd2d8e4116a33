"""Name what each section is for, from the practice thesaurus's purposes.

A heading names its purpose when it holds every word (stemmed) of one of the purpose's terms:
"Our worries about Sam" holds "worries". When several terms fit, the one whose words start
first in the heading wins ("Recording the meeting" is about recording, "Strengths in the
family network" about strengths), then the one with the most words ("Parents' views" is
about views, not parents). A section whose heading names nothing may still
show its purpose in its text: the terms found there as phrases, counted, must clearly favour
one purpose. An untitled opening section is the document's opening words.

A dotted slug names a purpose within a family ("worries.harm" within "worries"): two
sections of one family are related, if not the same.
"""

import logging
from collections import Counter
from dataclasses import dataclass
from functools import cache

from .. import thesaurus
from .words import stems

log = logging.getLogger(__name__)

OPENING = "opening"
BODY_MIN = 4  # term words found in a section's text before its text may name its purpose
BODY_MARGIN = 2.0  # how far the text's first purpose must lead its second
BODY_WORDS = 600  # only a section's first words are read for its purpose
HEADING_CONFIDENCE, BODY_CONFIDENCE = 1.0, 0.6


@dataclass(frozen=True)
class SectionPurpose:
    """A section's purpose slug and how sure we are of it (1 from its heading, less from text)."""

    slug: str | None
    confidence: float = 0.0


@cache
def _terms() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Return every (stemmed term, purpose slug), longest terms first."""
    found = {}
    for purpose in thesaurus.purposes():
        for term in purpose.terms:
            key = tuple(stems(term))
            if key and key not in found:
                found[key] = purpose.slug
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


@cache
def labels() -> dict[str, str]:
    """Return each purpose's label by slug."""
    return {p.slug: p.label for p in thesaurus.purposes()}


@cache
def order() -> dict[str, int]:
    """Return each purpose's place in the thesaurus (the order documents usually follow)."""
    return {p.slug: i for i, p in enumerate(thesaurus.purposes())}


def family(slug: str | None) -> str | None:
    """Return the family a purpose belongs to: "worries" for "worries.harm"."""
    return slug.split(".", 1)[0] if slug else None


def heading_purpose(heading: str | None) -> str | None:
    """Return the slug of the purpose a heading names, or None."""
    words = stems(heading)
    if not words:
        return None
    first = {}
    for position, word in enumerate(words):
        first.setdefault(word, position)
    best = None
    for term, slug in _terms():
        if all(word in first for word in term):
            key = (-min(first[word] for word in term), len(term), -order()[slug])
            if best is None or key > best[:3]:
                best = (*key, slug)
    return best[-1] if best else None


def body_purpose(text: str | None) -> str | None:
    """Return the slug of the purpose a section's text clearly shows, or None."""
    words = stems(text)[:BODY_WORDS]
    places: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        places.setdefault(word, []).append(position)
    scores: Counter = Counter()
    for term, slug in _terms():
        found = sum(1 for p in places.get(term[0], ()) if tuple(words[p : p + len(term)]) == term)
        scores[slug] += found * len(term)
    ranked = [item for item in scores.most_common(2) if item[1]]
    if not ranked or ranked[0][1] < BODY_MIN:
        return None
    if len(ranked) > 1 and ranked[0][1] < BODY_MARGIN * ranked[1][1]:
        return None
    return ranked[0][0]


def section_purpose(section: dict, index: int) -> SectionPurpose:
    """Return what a section is for: from its heading, else from its text."""
    heading = section.get("heading")
    if not heading:
        return SectionPurpose(OPENING, HEADING_CONFIDENCE) if index == 0 else SectionPurpose(None)
    slug = heading_purpose(heading)
    if slug:
        return SectionPurpose(slug, HEADING_CONFIDENCE)
    slug = body_purpose(section.get("text"))
    return SectionPurpose(slug, BODY_CONFIDENCE) if slug else SectionPurpose(None)
