"""Quality checks on case data, returned as warnings that never block a document.

Each warning is ``{"code", "message", "path"}``; messages name the field, never its content
beyond a jargon word. The mapping may sit at the top level of the case or under "mapping".
"""

import json
import re
from functools import lru_cache
from pathlib import Path

from .case_validation import pointer

JARGON_FILE = Path(__file__).with_name("jargon.json")
SCORE_RANGE = (0, 10)
VOICE_KEYS = ("child_voice", "childs_voice", "voice_of_the_child", "three_houses", "voice")
HOUSE_KEYS = ("worries", "good_things", "dreams", "house_of_worries", "house_of_good_things")
PROSE_MIN_WORDS = 30
VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def _warning(code: str, message: str, path) -> dict:
    return {"code": code, "message": message, "path": pointer(path)}


def _find(case: dict, key: str):
    """Return (path, value) of a mapping key at the top level or under "mapping"."""
    mapping = case.get("mapping")
    if isinstance(mapping, dict) and key in mapping:
        return ("mapping", key), mapping[key]
    if key in case:
        return (key,), case[key]
    return (key,), None


def _items(value) -> list:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return value is not None


def _first(item: dict, *keys):
    for key in keys:
        if _filled(item.get(key)):
            return item.get(key)
    return None


def _mapping_warnings(case: dict) -> list[dict]:
    warnings = []
    dangers_path, dangers = _find(case, "danger_statements")
    goals_path, goals = _find(case, "safety_goals")
    scales_path, scales = _find(case, "scales")
    goals, scales = _items(goals), _items(scales)
    for index, danger in enumerate(_items(dangers)):
        danger_id = danger.get("id")
        own_goals = [
            g for g in goals if danger_id is not None and g.get("danger_statement_id") == danger_id
        ]
        goal_ids = {g.get("id") for g in own_goals if g.get("id") is not None}
        has_scale = any(
            (danger_id is not None and s.get("danger_statement_id") == danger_id)
            or (s.get("safety_goal_id") is not None and s.get("safety_goal_id") in goal_ids)
            for s in scales
        ) or any(_filled(g.get("scales")) or _filled(g.get("scale")) for g in own_goals)
        if not own_goals:
            warnings.append(
                _warning(
                    "danger_without_goal",
                    f"Danger statement {index + 1} has no safety goal. Pair each danger "
                    "statement with a safety goal that says what must change.",
                    (*dangers_path, index),
                )
            )
        if not has_scale:
            warnings.append(
                _warning(
                    "danger_without_scale",
                    f"Danger statement {index + 1} has no scale. Ask the family and each "
                    "professional to rate it from 0 to 10.",
                    (*dangers_path, index),
                )
            )
    for index, scale in enumerate(scales):
        path = (*scales_path, index)
        if not _filled(_first(scale, "rater", "who")):
            warnings.append(
                _warning(
                    "scale_without_rater", f"Scale {index + 1} does not say who rated it.", path
                )
            )
        score = scale.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float):
            warnings.append(
                _warning(
                    "scale_without_score", f"Scale {index + 1} has no score from 0 to 10.", path
                )
            )
        elif not SCORE_RANGE[0] <= score <= SCORE_RANGE[1]:
            warnings.append(
                _warning("scale_score_range", f"Scale {index + 1} must score from 0 to 10.", path)
            )
        if not _filled(scale.get("reason")):
            warnings.append(
                _warning(
                    "scale_without_reason",
                    f"Scale {index + 1} has no reason. Say why the rater chose that score.",
                    path,
                )
            )
    steps_path, steps = _find(case, "next_steps")
    for index, step in enumerate(_items(steps)):
        missing = [
            word
            for word, keys in (("who", ("who", "owner")), ("by when", ("when", "by_when", "due")))
            if not _filled(_first(step, *keys))
        ]
        if missing:
            warnings.append(
                _warning(
                    "next_step_incomplete",
                    f"Next step {index + 1} does not say {' or '.join(missing)}.",
                    (*steps_path, index),
                )
            )
    return warnings


def _voice_present(case: dict) -> bool:
    for key in VOICE_KEYS:
        if _filled(case.get(key)):
            return True
    for child in _items(case.get("children")):
        if any(_filled(child.get(key)) for key in (*VOICE_KEYS, *HOUSE_KEYS, "views", "wishes")):
            return True
    return False


@lru_cache(maxsize=1)
def _jargon() -> tuple[list[re.Pattern], dict[str, dict]]:
    """Return two patterns (exact-case acronyms, any-case words) and the entries by term."""
    data = json.loads(JARGON_FILE.read_text(encoding="utf-8"))
    exact, loose, entries = [], [], {}
    for entry in sorted(data["terms"], key=lambda e: -len(e["term"])):
        term = entry["term"]
        exact_case = term.isupper() or any(c.isdigit() for c in term)
        (exact if exact_case else loose).append(re.escape(term))
        entries[term if exact_case else term.lower()] = entry
    patterns = [
        re.compile(rf"(?<![\w-])(?:{'|'.join(terms)})(?![\w-])", flags)
        for terms, flags in ((exact, 0), (loose, re.IGNORECASE))
        if terms
    ]
    return patterns, entries


def _strings(value, path=()):
    """Yield (path, text) for every string in the case data."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _explained(text: str, match: re.Match, entry: dict) -> bool:
    after = text[match.end() : match.end() + 3]
    before = text[max(0, match.start() - 2) : match.start()]
    if after.lstrip().startswith("(") or before.endswith("("):
        return True
    lowered = text.lower()
    return entry["plain"].lower() in lowered or "which means" in lowered


def _jargon_warnings(case: dict) -> list[dict]:
    warnings, seen = [], set()
    patterns, entries = _jargon()
    for path, text in _strings(case):
        for pattern in patterns:
            for match in pattern.finditer(text):
                found = match.group(0)
                entry = entries.get(found) or entries.get(found.lower())
                if entry is None or (entry["term"], path) in seen:
                    continue
                seen.add((entry["term"], path))
                if not _explained(text, match, entry):
                    warnings.append(
                        _warning(
                            "jargon",
                            f"“{entry['term']}” may not be understood by the family. Explain "
                            f"it, or say “{entry['say']}”.",
                            path,
                        )
                    )
    return warnings


@lru_cache(maxsize=8192)
def _syllables(word: str) -> int:
    word = word.lower()
    count = len(VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def reading_age(text: str) -> float | None:
    """Return the reading age of English text (Flesch-Kincaid grade + 5), or None if too short."""
    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)
    if len(words) < PROSE_MIN_WORDS:
        return None
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text.strip() + " ")))
    syllables = sum(_syllables(w) for w in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
    return round(max(grade, 0) + 5, 1)


def case_reading_age(case) -> float | None:
    """Return the reading age of the sentences in the case data (None if there are too few)."""
    prose = [t.strip() for _p, t in _strings(case) if len(t.split()) >= 4]
    text = " ".join(t if t.endswith((".", "!", "?")) else t + "." for t in prose)
    return reading_age(text)


def _readability_warnings(age: float | None, target: int) -> list[dict]:
    if age is None or age <= target:
        return []
    return [
        _warning(
            "reading_age",
            f"The text you entered needs a reading age of about {age:.0f}; aim for {target} or "
            "under in documents for families. Use shorter sentences and everyday words.",
            (),
        )
    ]


def quality_warnings(
    case: dict,
    *,
    audience: str,
    about_child: bool,
    reading_age_target: int,
    age: float | None = None,
) -> list[dict]:
    """Return every quality warning for the case data and document audience.

    ``age`` is the case's reading age when the caller has already worked it out.
    """
    warnings = _mapping_warnings(case)
    if about_child and not _voice_present(case):
        warnings.append(
            _warning(
                "child_voice_missing",
                "The child's voice is missing. Add what the child said (for example their "
                "three houses) and when they were seen.",
                (),
            )
        )
    if audience == "family":
        warnings.extend(_jargon_warnings(case))
        age = case_reading_age(case) if age is None else age
        warnings.extend(_readability_warnings(age, reading_age_target))
    return warnings
