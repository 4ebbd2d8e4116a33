"""Quality checks on the mapping: danger statements, safety goals, scales and next steps."""

import re

from ..working_days import add_months
from .case_quality_common import as_date, document_date, filled, items, warning
from .case_quality_language import label_patterns

SCORE_RANGE = (0, 10)
MAX_DANGER_STATEMENTS = 3
LABEL_MIN_WORDS = 8
LABEL_MIN_OTHER_WORDS = 3
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Words that add nothing to a label: "Concerns about domestic abuse" is still only the label.
FILLER = frozenset(
    "a an and or of the in on at to for with about around re regarding relating related due "
    "there is are was were has have had be been being it its this that these those "
    "concern concerns concerned worry worries worried issue issues problem problems "
    "history ongoing risk risks possible possibly current historic historical alleged "
    "parent parents parental mum mother dad father carer carers family home child children "
    "mum's dad's mother's father's".split()
)


def _danger_scales(scales, danger_id) -> list[tuple[int, dict]]:
    return [
        (index, scale)
        for index, scale in scales
        if scale.get("about", "danger_statement") == "danger_statement"
        and danger_id is not None
        and scale.get("danger_statement_id") == danger_id
    ]


def _is_label(text) -> bool:
    """Return whether the text names a label without saying what happens and its impact."""
    if not isinstance(text, str):
        return False
    matches = [m for pattern in label_patterns() for m in pattern.finditer(text)]
    if not matches:
        return False
    words = WORD.findall(text)
    if len(words) < LABEL_MIN_WORDS:
        return True
    rest = text
    for match in matches:
        rest = rest.replace(match.group(0), " ")
    other = [w for w in WORD.findall(rest) if w.lower() not in FILLER]
    return len(other) < LABEL_MIN_OTHER_WORDS


def _danger_warnings(case: dict, goals: list, scales: list) -> list[dict]:
    warnings = []
    dangers = items(case.get("danger_statements"))
    if len(dangers) > MAX_DANGER_STATEMENTS:
        warnings.append(
            warning(
                "too_many_danger_statements",
                f"There are {len(dangers)} danger statements. Most families can hold no more "
                f"than {MAX_DANGER_STATEMENTS} in mind: bring together those about the same "
                "worry.",
                ("danger_statements",),
            )
        )
    for index, danger in dangers:
        number, path, danger_id = index + 1, ("danger_statements", index), danger.get("id")
        if not any(
            danger_id is not None and g.get("danger_statement_id") == danger_id for g in goals
        ):
            warnings.append(
                warning(
                    "danger_without_goal",
                    f"Danger statement {number} has no safety goal. Pair each danger "
                    "statement with a safety goal that says what must change.",
                    path,
                )
            )
        if not _danger_scales(scales, danger_id):
            warnings.append(
                warning(
                    "danger_without_scale",
                    f"Danger statement {number} has no scale. Ask the family and each "
                    "professional to rate it from 0 to 10.",
                    path,
                )
            )
        if not any(filled(e.get("description")) for _i, e in items(danger.get("examples"))):
            warnings.append(
                warning(
                    "no_examples",
                    f"Danger statement {number} has no examples. Add what happened, with "
                    "dates, under “Examples, with dates”, so the family can see why people "
                    "are worried.",
                    path,
                )
            )
        if _is_label(danger.get("worried_about")):
            warnings.append(
                warning(
                    "label_not_behaviour",
                    f"Danger statement {number} names the kind of worry, not what happens. "
                    "In “What people are worried about”, say what the adults do and how it "
                    "affects the children, in words the family use.",
                    (*path, "worried_about"),
                )
            )
    return warnings


def _scale_warnings(scales: list) -> list[dict]:
    warnings = []
    for index, scale in scales:
        number, path = index + 1, ("scales", index)
        if not filled(scale.get("rater")):
            warnings.append(
                warning(
                    "scale_without_rater",
                    f"Scale {number} does not say who rated it (“Who scored”).",
                    path,
                )
            )
        score = scale.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float):
            warnings.append(
                warning("scale_without_score", f"Scale {number} has no score from 0 to 10.", path)
            )
        elif not SCORE_RANGE[0] <= score <= SCORE_RANGE[1]:
            warnings.append(
                warning("scale_score_range", f"Scale {number} must score from 0 to 10.", path)
            )
        if not filled(scale.get("reason")):
            warnings.append(
                warning(
                    "scale_without_reason",
                    f"Scale {number} has no reason. Say why the rater chose that score "
                    "(“Reason for the score”).",
                    path,
                )
            )
    return warnings


def _raters(group: list[tuple[int, dict]]) -> set[str]:
    return {
        " ".join(scale["rater"].split()).casefold()
        for _i, scale in group
        if isinstance(scale.get("rater"), str) and scale["rater"].strip()
    }


def _single_rater_warnings(case: dict, scales: list) -> list[dict]:
    warnings = []
    for index, danger in items(case.get("danger_statements")):
        if len(_raters(_danger_scales(scales, danger.get("id")))) == 1:
            warnings.append(
                warning(
                    "single_rater",
                    f"Only one person has scaled danger statement {index + 1}. Ask the "
                    "parents, the children, the network and each professional too.",
                    ("danger_statements", index),
                )
            )
    closure = [(i, s) for i, s in scales if s.get("about") == "case_closure"]
    if len(_raters(closure)) == 1:
        warnings.append(
            warning(
                "single_rater",
                "Only one person has answered the scaling question about closing the case. "
                "Ask the parents, the children, the network and each professional too.",
                ("scales", closure[0][0]),
            )
        )
    return warnings


def _next_step_warnings(case: dict) -> list[dict]:
    warnings = []
    for index, step in items(case.get("next_steps")):
        missing = [
            word
            for word, key in (("who", "who"), ("by when", "by_when"))
            if not filled(step.get(key))
        ]
        if missing:
            warnings.append(
                warning(
                    "next_step_incomplete",
                    f"Next step {index + 1} does not say {' or '.join(missing)}.",
                    ("next_steps", index),
                )
            )
    return warnings


def _shown_until(start, duration):
    """Return the date safety must be shown until, from start for {number, unit}, or None."""
    if not isinstance(duration, dict):
        return None
    number, unit = duration.get("number"), duration.get("unit")
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number <= 120:
        return None
    if unit == "months":
        return add_months(start, number)
    if unit == "weeks":
        return start.fromordinal(start.toordinal() + 7 * number)
    return None


def _goal_warnings(case: dict, goals: list[tuple[int, dict]]) -> list[dict]:
    start = document_date(case)
    if start is None:
        return []
    warnings = []
    for index, goal in goals:
        by_when, until = as_date(goal.get("by_when")), _shown_until(start, goal.get("for_how_long"))
        if by_when is not None and until is not None and by_when < until:
            warnings.append(
                warning(
                    "deadline_shorter_than_duration",
                    f"Safety goal {index + 1} must be shown for longer (“For how long”) than "
                    "the time left before its deadline (“By when”) allows, counted from the "
                    "date of the document. Give a later deadline or a shorter period.",
                    ("safety_goals", index),
                )
            )
    return warnings


def mapping_warnings(case: dict) -> list[dict]:
    """Return the warnings on danger statements, safety goals, scales and next steps."""
    goal_items, scales = items(case.get("safety_goals")), items(case.get("scales"))
    goals = [goal for _i, goal in goal_items]
    return [
        *_danger_warnings(case, goals, scales),
        *_scale_warnings(scales),
        *_single_rater_warnings(case, scales),
        *_next_step_warnings(case),
        *_goal_warnings(case, goal_items),
    ]
