"""What of the case a template prints: the language checks read only that.

A family document is checked for jargon and reading age, but only in the words it shows: a
proper name it never prints, a code, or another meeting's notes are not the family's reading.
The template's data paths (found once per template file by the renderer's inspection, cached
by its sha256) name what it reads from the case view; each case path is matched against the
view paths it appears under (the document's own meeting is ``meeting``, a letter's recipient is
``recipient``, a danger statement's goals are ``danger_statements[].goals``, and so on).
"""

import re
from collections.abc import Callable
from functools import lru_cache

from . import rendering

INDEX = re.compile(r"\[\d+\]")
CODE_KEYS = {"id", "type", "about", "unit", "rater_kind", "how"}
_PATHS: dict[str, frozenset[str]] = {}
MAX_REMEMBERED = 512


def template_paths(sha256: str, load: Callable[[], bytes]) -> frozenset[str]:
    """Return the data paths a template reads (cached by the template's sha256)."""
    if sha256 not in _PATHS:
        if len(_PATHS) >= MAX_REMEMBERED:
            _PATHS.clear()
        _PATHS[sha256] = frozenset(rendering.template_inspect(load()).get("paths") or {})
    return _PATHS[sha256]


@lru_cache(maxsize=64)
def _parents(paths: frozenset[str]) -> frozenset[str]:
    """Return the paths that have a named path under them."""
    found = set()
    for path in paths:
        for cut, char in enumerate(path):
            if char in ".[" and cut:
                found.add(path[:cut])
    return frozenset(found)


@lru_cache(maxsize=8192)
def _reads(paths: frozenset[str], view_path: str) -> bool:
    """Return whether the template reads view_path, or all of a part that holds it."""
    if view_path in paths:
        return True
    parents = _parents(paths)
    for cut in range(len(view_path) - 1, 0, -1):
        if view_path[cut] in ".[" and view_path[:cut] in paths:
            # a part read whole (looped over or passed to a filter, nothing under it named)
            return view_path[:cut] not in parents
    return False


def _aliases(case: dict) -> dict[str, list[str]]:
    """Return, for case path prefixes, the view paths the same data appears under."""
    found: dict[str, list[str]] = {}
    own = (case.get("document") or {}).get("meeting_id")
    recipient = (case.get("document") or {}).get("recipient_id")
    review = (
        (case.get("plo") or {}).get("review_meeting_id")
        if isinstance(case.get("plo"), dict)
        else None
    )
    for i, meeting in enumerate(case.get("meetings") or []):
        names = ["meetings[]", "previous_conference"]
        if isinstance(meeting, dict) and meeting.get("id") == own:
            names.append("meeting")
        if isinstance(meeting, dict) and meeting.get("id") == review:
            names.append("plo.review_meeting")
        found[f"meetings[{i}]"] = names
    for i, member in enumerate(case.get("family_members") or []):
        names = ["family_members[]"]
        if isinstance(member, dict) and member.get("id") == recipient:
            names.append("recipient")
        found[f"family_members[{i}]"] = names
    kinds = {
        "danger_statement": "danger_statements[].scales[]",
        "case_closure": "case_scales[]",
        "child": "child_scales[]",
    }
    for i, scale in enumerate(case.get("scales") or []):
        about = scale.get("about") if isinstance(scale, dict) else None
        found[f"scales[{i}]"] = ["scales[]", kinds.get(about, "case_scales[]")]
    for i, _goal in enumerate(case.get("safety_goals") or []):
        found[f"safety_goals[{i}]"] = ["safety_goals[]", "danger_statements[].goals[]"]
    for i, _child in enumerate(case.get("children") or []):
        found[f"children[{i}]"] = [
            "children[]",
            "child_voice[].child",
            "meeting.decisions[].child",
            "child_scales[].child",
        ]
    return found


def _view_paths(path: str, aliases: dict[str, list[str]]) -> list[str]:
    head = re.match(r"^[a-z_]+\[\d+\]", path)
    if head and head.group(0) in aliases:
        rest = INDEX.sub("[]", path[head.end() :])
        return [name + rest for name in aliases[head.group(0)]]
    return [INDEX.sub("[]", path)]


def printed_case(case: dict, paths: frozenset[str]):
    """Return the case with only the text the template prints (codes, ids and the rest out)."""
    aliases = _aliases(case)

    def keep(value, path: str):
        if isinstance(value, dict):
            kept = {}
            for key, item in value.items():
                if key in CODE_KEYS or key.endswith(("_id", "_ids")):
                    continue
                found = keep(item, f"{path}.{key}" if path else key)
                if found not in (None, {}, []):
                    kept[key] = found
            return kept
        if isinstance(value, list):
            items = [keep(item, f"{path}[{i}]") for i, item in enumerate(value)]
            return [item for item in items if item not in (None, {}, [])]
        if isinstance(value, str):
            return value if any(_reads(paths, v) for v in _view_paths(path, aliases)) else None
        return None

    return keep(case, "")


def reads_visits(paths: frozenset[str]) -> bool:
    """Return whether the template shows when the children were seen."""
    return any(p.startswith("children[].seen") for p in paths)
