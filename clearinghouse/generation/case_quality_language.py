"""Plain language for families: unexplained jargon, labels in place of behaviour, reading age.

The terms and labels live in jargon.json, which authorities' editors can extend. The reading
age is textstat's Flesch-Kincaid grade plus 5 (UK school years start at 5). textstat is pinned
to a release that reads its dictionaries from installed packages: it never goes online.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

import textstat

from .case_quality_common import warning

JARGON_FILE = Path(__file__).with_name("jargon.json")
PROSE_MIN_WORDS = 30
PROSE_MIN_WORDS_PER_TEXT = 4
GRADE_TO_AGE = 5
WORDS = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(JARGON_FILE.read_text(encoding="utf-8"))


def _exact_case(term: str) -> bool:
    return term.isupper() or any(c.isdigit() for c in term)


def _patterns(terms: list[str]) -> list[re.Pattern]:
    """Return two patterns for whole-word terms: exact-case acronyms and any-case words."""
    exact, loose = [], []
    for term in sorted(terms, key=lambda t: -len(t)):
        (exact if _exact_case(term) else loose).append(re.escape(term))
    return [
        re.compile(rf"(?<![\w-])(?:{'|'.join(group)})(?![\w-])", flags)
        for group, flags in ((exact, 0), (loose, re.IGNORECASE))
        if group
    ]


@lru_cache(maxsize=1)
def _jargon() -> tuple[list[re.Pattern], dict[str, dict]]:
    entries = {}
    for entry in _data()["terms"]:
        term = entry["term"]
        entries[term if _exact_case(term) else term.lower()] = entry
    return _patterns([entry["term"] for entry in _data()["terms"]]), entries


@lru_cache(maxsize=1)
def label_patterns() -> list[re.Pattern]:
    """Return the patterns of labels that name a kind of worry (jargon.json "labels")."""
    return _patterns(list(_data().get("labels", [])))


def strings(value, path=()):
    """Yield (path, text) for every string in the case data."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))


def _explained(text: str, match: re.Match, entry: dict) -> bool:
    after = text[match.end() : match.end() + 3]
    before = text[max(0, match.start() - 2) : match.start()]
    if after.lstrip().startswith("(") or before.endswith("("):
        return True
    lowered = text.lower()
    return entry["plain"].lower() in lowered or "which means" in lowered


def jargon_warnings(case) -> list[dict]:
    """Return a warning for each unexplained jargon term, once per term and field."""
    warnings, seen = [], set()
    patterns, entries = _jargon()
    for path, text in strings(case):
        for pattern in patterns:
            for match in pattern.finditer(text):
                found = match.group(0)
                entry = entries.get(found) or entries.get(found.lower())
                if entry is None or (entry["term"], path) in seen:
                    continue
                seen.add((entry["term"], path))
                if not _explained(text, match, entry):
                    warnings.append(
                        warning(
                            "jargon",
                            f"“{entry['term']}” may not be understood by the family. Explain "
                            f"it, or say “{entry['say']}”.",
                            path,
                        )
                    )
    return warnings


def reading_age(text: str) -> float | None:
    """Return the reading age of English text (Flesch-Kincaid grade + 5), or None if too short."""
    if len(WORDS.findall(text)) < PROSE_MIN_WORDS:
        return None
    return round(max(float(textstat.flesch_kincaid_grade(text)), 0.0) + GRADE_TO_AGE, 1)


def reading_age_warm() -> None:
    """Load textstat's pronouncing dictionary (about 1 s, once per process) ahead of need."""
    reading_age(" ".join(["We will help you keep the children safe at home."] * 4))


def case_reading_age(case) -> float | None:
    """Return the reading age of the sentences in the case data (None if there are too few)."""
    prose = [t.strip() for _p, t in strings(case) if len(t.split()) >= PROSE_MIN_WORDS_PER_TEXT]
    text = " ".join(t if t.endswith((".", "!", "?")) else t + "." for t in prose)
    return reading_age(text)


def readability_warnings(age: float | None, target: int) -> list[dict]:
    """Return the reading_age warning when the text needs an older reader than the target."""
    if age is None or age <= target:
        return []
    return [
        warning(
            "reading_age",
            f"The text you entered needs a reading age of about {age:.0f}; aim for {target} or "
            "under in documents for families. Use shorter sentences and everyday words.",
            (),
        )
    ]
