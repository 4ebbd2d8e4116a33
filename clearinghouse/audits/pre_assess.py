"""The service's own look at a case file, element by element, before the two agree ratings.

Each element gets a suggested rating and its evidence: sentences that point at an item by its
number ("Danger statement 2 has no examples"), never repeating what the case says. The result
lives only for the page that shows it: nothing here is stored or logged.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..generation.case_pipeline import pr_holders
from ..generation.case_quality_common import as_date, filled, items, section
from ..generation.case_quality_language import jargon_warnings
from ..generation.case_quality_mapping import mapping_warnings
from ..generation.case_quality_people import (
    child_voice_warnings,
    seen_alone_warnings,
    voice_present,
)
from .elements import elements

STALE_DAYS = 92  # about three months: a mapping older than a review cycle is out of date
GOAL_PARTS = (
    ("parents_will", "what the parents will do"),
    ("child_will_experience", "what the children will experience"),
    ("professionals_will_see", "what professionals will see"),
    ("for_how_long", "for how long"),
    ("by_when", "by when (a deadline)"),
)


@dataclass
class Finding:
    """The service's suggestion for one element, with the evidence for it."""

    element: str
    suggested: str
    evidence: list[str] = field(default_factory=list)


def _codes(warnings: list[dict], *codes: str) -> list[str]:
    return [w["message"] for w in warnings if w["code"] in codes]


def _key(value):
    """Return an id as a set can hold it; an id of another shape (a list, an object) is none."""
    return value if isinstance(value, str | int) else None


def _finding(code: str, evidence: list[str], missing: bool) -> Finding:
    """Return not met when the element's inputs are missing, partly with evidence, else met."""
    suggested = "not_met" if missing else ("partly" if evidence else "met")
    return Finding(code, suggested, evidence)


def _family_understand(case, _warnings) -> Finding:
    members = [m for _i, m in items(case.get("family_members"))]
    holders = pr_holders(case) or members
    views = items(section(case, "views").get("parents"))
    heard = {_key(v.get("family_member_id")) for _i, v in views if filled(v.get("view"))}
    evidence = [
        f"Family member {members.index(m) + 1} has no view recorded under “Parents’ views”."
        for m in holders
        if _key(m.get("id")) not in heard
    ]
    for index, danger in items(case.get("danger_statements")):
        if not filled(danger.get("family_view")):
            evidence.append(f"Danger statement {index + 1} does not record the family’s view.")
    if items(case.get("children")) and not filled(case.get("words_and_pictures")):
        evidence.append("There is no Words and Pictures explanation for the children.")
    return _finding("family_understand", evidence, not views and not holders)


def _plain_statements(case, warnings) -> Finding:
    mapped = {k: case.get(k) for k in ("harm", "danger_statements", "safety_goals")}
    evidence = [w["message"] for w in jargon_warnings(mapped)]
    evidence += _codes(warnings, "label_not_behaviour")
    harm = [h for _i, h in items(case.get("harm")) if filled(h.get("statement"))]
    if not harm:
        evidence.insert(0, "No harm is recorded (what has actually happened).")
    return _finding("plain_statements", evidence, not harm and not evidence[1:])


def _impact(case, _warnings) -> Finding:
    dangers = items(case.get("danger_statements"))
    evidence = [
        f"Danger statement {index + 1} does not say the impact on the children."
        for index, danger in dangers
        if not filled(danger.get("impact_on_child"))
    ]
    if not dangers:
        evidence.append("There are no danger statements to say the impact on the children.")
    return _finding("impact_on_children", evidence, not dangers or len(evidence) == len(dangers))


def _dates(case) -> list[tuple[str, date]]:
    found = []
    for key, label in (("harm", "Harm"), ("scales", "Scale"), ("child_voice", "Child’s voice")):
        for index, item in items(case.get(key)):
            if (day := as_date(item.get("date"))) is not None:
                found.append((f"{label} {index + 1}", day))
    for index, danger in items(case.get("danger_statements")):
        for _j, example in items(danger.get("examples")):
            if (day := as_date(example.get("date"))) is not None:
                found.append((f"An example of danger statement {index + 1}", day))
    for _i, entry in items(case.get("chronology")):
        if (day := as_date(entry.get("date"))) is not None:
            found.append(("The chronology", day))
    return found


def _up_to_date(case, _warnings, today: date) -> Finding:
    dated = _dates(case)
    cutoff = today - timedelta(days=STALE_DAYS)
    if not dated:
        return _finding("up_to_date", ["Nothing in the mapping has a date."], True)
    newest = max(day for _label, day in dated)
    evidence = []
    if newest < cutoff:
        evidence.append("Nothing in the mapping is dated in the last three months.")
    for index, scale in items(case.get("scales")):
        if (day := as_date(scale.get("date"))) is not None and day < cutoff:
            evidence.append(f"Scale {index + 1} is more than three months old.")
    return _finding("up_to_date", evidence, newest < cutoff)


def _whole_family(case, _warnings) -> Finding:
    children, members = items(case.get("children")), items(case.get("family_members"))
    evidence = []
    if not children:
        evidence.append("No child is named.")
    if not members:
        evidence.append("No parent, carer or relative is named.")
    if not items(case.get("safety_network")):
        evidence.append("No safety network (family and friends who help) is named.")
    evidence += [w["message"] for w in seen_alone_warnings(case)]
    return _finding("whole_family", evidence, not children or not members)


def _outside_opinion(case, _warnings) -> Finding:
    professionals = items(case.get("professionals"))
    scaled = [s for _i, s in items(case.get("scales")) if s.get("rater_kind") == "professional"]
    evidence = []
    if not professionals:
        evidence.append(
            "No professional outside Children’s Services (such as the school) is named."
        )
    if not scaled:
        evidence.append("No professional has given their own scale.")
    return _finding("outside_opinion", evidence, not professionals and not scaled)


def _danger_goal_pairs(case, warnings) -> Finding:
    dangers = items(case.get("danger_statements"))
    ids = {_key(d.get("id")) for _i, d in dangers}
    evidence = _codes(warnings, "too_many_danger_statements", "danger_without_goal")
    for index, goal in items(case.get("safety_goals")):
        if _key(goal.get("danger_statement_id")) not in ids:
            evidence.append(f"Safety goal {index + 1} is not linked to a danger statement.")
    if not dangers:
        evidence.append("There are no danger statements.")
    return _finding("danger_goal_pairs", evidence, not dangers)


def _clear_goals(case, warnings) -> Finding:
    goals = items(case.get("safety_goals"))
    evidence = []
    for index, goal in goals:
        missing = [words for key, words in GOAL_PARTS if not filled(goal.get(key))]
        if missing:
            evidence.append(f"Safety goal {index + 1} does not say {', '.join(missing)}.")
    evidence += _codes(warnings, "deadline_shorter_than_duration")
    if not goals:
        evidence.append("There are no safety goals.")
    return _finding("clear_goals", evidence, not goals)


def _examples(case, warnings) -> Finding:
    dangers = items(case.get("danger_statements"))
    evidence = _codes(warnings, "no_examples")
    for index, danger in dangers:
        examples = [e for _j, e in items(danger.get("examples")) if filled(e.get("description"))]
        if any(as_date(e.get("date")) is None for e in examples):
            evidence.append(f"An example of danger statement {index + 1} has no date.")
    none = not any(items(d.get("examples")) for _i, d in dangers)
    return _finding("examples", evidence, none)


def _child_voice(case, _warnings) -> Finding:
    evidence = [w["message"] for w in child_voice_warnings(case)]
    heard = {_key(v.get("child_id")) for _i, v in items(case.get("child_voice"))}
    for index, child in items(case.get("children")):
        if _key(child.get("id")) not in heard and evidence == []:
            evidence.append(f"Child {index + 1} has no entry under “The child’s voice”.")
    return _finding("child_voice", evidence, not voice_present(case))


def _timeline(case, warnings) -> Finding:
    evidence = []
    if not items(case.get("chronology")):
        evidence.append("There is no chronology (what happened, when).")
    steps = items(case.get("next_steps"))
    if not steps:
        evidence.append("There are no next steps.")
    evidence += _codes(warnings, "next_step_incomplete")
    return _finding("timeline_progress", evidence, not steps and not items(case.get("chronology")))


def _strengths(case, _warnings) -> Finding:
    strengths, safety = items(case.get("strengths")), items(case.get("existing_safety"))
    evidence = []
    if not safety:
        evidence.append(
            "No existing safety is recorded (protection shown over time, not only strengths)."
        )
    for index, item in safety:
        if as_date(item.get("date")) is None:
            evidence.append(f"Existing safety {index + 1} has no date to show it over time.")
    return _finding("strengths_as_safety", evidence, not strengths and not safety)


CHECKS = {
    "family_understand": _family_understand,
    "plain_statements": _plain_statements,
    "impact_on_children": _impact,
    "whole_family": _whole_family,
    "outside_opinion": _outside_opinion,
    "danger_goal_pairs": _danger_goal_pairs,
    "clear_goals": _clear_goals,
    "examples": _examples,
    "child_voice": _child_voice,
    "timeline_progress": _timeline,
    "strengths_as_safety": _strengths,
}


def pre_assess(case: dict, today: date | None = None) -> list[Finding]:
    """Return a finding for each element, in the elements' order, from the case data."""
    today = today or date.today()
    warnings = mapping_warnings(case)
    found = []
    for element in elements():
        if element.code == "up_to_date":
            found.append(_up_to_date(case, warnings, today))
        else:
            found.append(CHECKS[element.code](case, warnings))
    return found
