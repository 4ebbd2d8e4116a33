"""Dates in the case: what a document dated D may say, and the statutory dates that follow.

A document speaks from its date. Past facts dated after it (harm, chronology, examples, scores,
views, the child's words, visits, help given, agreements) are left out of that document, each
with an ``after_document_date`` warning naming the item, never its content.
"""

from datetime import date, timedelta

from .. import working_days
from .case_validation import pointer

# (path to a list, what one item is called). Items without a date stay.
DATED_LISTS = (
    (("harm",), "Harm"),
    (("chronology",), "Chronology entry"),
    (("complicating_factors",), "Complicating factor"),
    (("strengths",), "Strength"),
    (("existing_safety",), "Existing safety"),
    (("danger_statements",), "Danger statement"),
    (("scales",), "Score"),
    (("views", "parents"), "Parent's view"),
    (("views", "network"), "Network member's view"),
    (("child_voice",), "Child's voice"),
    (("plo", "help_given"), "Help given"),
    (("safety_plan", "agreed_by"), "Agreement to the safety plan"),
    (("words_and_pictures", "parents_agreed"), "Parent's agreement to the story"),
)
# Announcements with the date they were agreed: left out of documents from before that date.
AGREED_LISTS = ((("next_steps",), "Next step"),)
# Lists inside each item of a list: (outer list, inner list, what one inner item is called).
NESTED_DATED = (
    ("children", "seen", "Visit"),
    ("danger_statements", "examples", "Example"),
)
WEEKS, MONTHS = "weeks", "months"
ANNOUNCED_KEY_DATES = {"review"}  # a date still to come; every other key date is a past fact


def parse(value) -> date | None:
    """Return a date from YYYY-MM-DD text, or None when it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def on_or_before(value, when: date) -> bool:
    """Return whether a date is on or before ``when`` (an unknown date counts as before)."""
    day = parse(value)
    return day is None or day <= when


def _after(item, when: date, key: str = "date") -> bool:
    day = parse(item.get(key)) if isinstance(item, dict) else None
    return day is not None and day > when


def _message(label: str, number: int | None, when: date) -> str:
    named = label if number is None else f"{label} {number}"
    return (
        f"{named} is dated after this document's date ({when.day} {when:%B %Y}), so it "
        "was left out. A document says only what was known on its date."
    )


def _warn(path, label: str, number: int | None, when: date) -> dict:
    return {
        "code": "after_document_date",
        "message": _message(label, number, when),
        "path": pointer(path),
    }


def _container(view: dict, path: tuple):
    node = view
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def drop_after(view: dict, when: date) -> list[dict]:
    """Remove past facts dated after ``when`` from the view; return one warning for each."""
    warnings = []
    for outer, inner, label in NESTED_DATED:
        for i, item in enumerate(view.get(outer) or []):
            if not isinstance(item, dict) or not isinstance(item.get(inner), list):
                continue
            kept = []
            for j, sub in enumerate(item[inner]):
                if _after(sub, when):
                    warnings.append(_warn((outer, i, inner, j), label, j + 1, when))
                else:
                    kept.append(sub)
            item[inner] = kept
    for path, label in DATED_LISTS:
        parent = _container(view, path)
        items = parent.get(path[-1]) if parent else None
        if not isinstance(items, list):
            continue
        kept = []
        for index, item in enumerate(items):
            if _after(item, when):
                warnings.append(_warn((*path, index), label, index + 1, when))
            else:
                kept.append(item)
        parent[path[-1]] = kept
    key_dates = view.get("key_dates")
    if isinstance(key_dates, dict):
        for key in [k for k in key_dates if k not in ANNOUNCED_KEY_DATES]:
            day = parse(key_dates[key])
            if day is not None and day > when:
                del key_dates[key]
                label = f"The key date “{key.replace('_', ' ')}”"
                warnings.append(_warn(("key_dates", key), label, None, when))
    for path, label in AGREED_LISTS:
        items = view.get(path[0])
        if isinstance(items, list):
            kept = []
            for index, item in enumerate(items):
                if _after(item, when, "agreed_on"):
                    warnings.append(_warn((*path, index), label, index + 1, when))
                else:
                    kept.append(item)
            view[path[0]] = kept
    for index, member in enumerate(view.get("safety_network") or []):
        if isinstance(member, dict) and _after(member, when, "heard_worries_on"):
            member.pop("heard_worries_on")
            path = ("safety_network", index, "heard_worries_on")
            label = f"Safety network member {index + 1}'s date for hearing the worries"
            warnings.append(_warn(path, label, None, when))
    _drop_orphans(view)
    _drop_earlier_scores(view, when)
    return warnings


def _drop_earlier_scores(view: dict, when: date) -> None:
    """Leave out scores from before the referral in documents about this involvement.

    A score answers "where are things now?" for the plan of its time: an early help score from
    a closed involvement years ago would read as today's. The history stays in the chronology.
    """
    key_dates = view.get("key_dates") if isinstance(view.get("key_dates"), dict) else {}
    referral = parse(key_dates.get("referral"))
    if referral is None or when < referral or not isinstance(view.get("scales"), list):
        return
    view["scales"] = [
        s
        for s in view["scales"]
        if not isinstance(s, dict) or (parse(s.get("date")) or referral) >= referral
    ]


def _drop_orphans(view: dict) -> None:
    """Drop goals and scales whose danger statement was left out with it."""
    dangers = view.get("danger_statements")
    if not isinstance(dangers, list):
        return
    ids = {d.get("id") for d in dangers if isinstance(d, dict)}
    if isinstance(view.get("safety_goals"), list):
        view["safety_goals"] = [
            g
            for g in view["safety_goals"]
            if not isinstance(g, dict) or g.get("danger_statement_id") in ids
        ]
    if isinstance(view.get("scales"), list):
        view["scales"] = [
            s
            for s in view["scales"]
            if not isinstance(s, dict)
            or s.get("about") != "danger_statement"
            or s.get("danger_statement_id") in ids
        ]


def age_on(born, when: date) -> int | None:
    """Return a person's age in whole years on a date, or None when not born or unknown."""
    day = parse(born)
    if day is None or day > when:
        return None
    return when.year - day.year - ((when.month, when.day) < (day.month, day.day))


def duration_end(start: date, duration) -> date | None:
    """Return the date a duration {number, unit} from start ends, or None if not understood."""
    if not isinstance(duration, dict):
        return None
    number, unit = duration.get("number"), duration.get("unit")
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        return None
    if unit == WEEKS:
        return date.fromordinal(start.toordinal() + 7 * number)
    if unit == MONTHS:
        return working_days.add_months(start, number)
    return None


def duration_text(duration) -> str:
    """Return a duration {number, unit} in words, like "12 weeks" or "1 month"."""
    if not isinstance(duration, dict) or duration.get("unit") not in (WEEKS, MONTHS):
        return ""
    number = duration.get("number")
    if isinstance(number, bool) or not isinstance(number, int):
        return ""
    unit = duration["unit"] if number != 1 else duration["unit"][:-1]
    return f"{number} {unit}"


def _latest(meetings: list, kind: str, before: date | None = None) -> dict | None:
    """Return the last meeting of a kind (on or before a date): this episode's, not the first."""
    found = None
    for meeting in meetings:
        day = parse(meeting.get("date"))
        if meeting.get("type") == kind and day and (before is None or day <= before):
            found = meeting
    return found


def deadlines(view: dict, settings: dict) -> dict:
    """Return the statutory and planned dates that follow from the case (ISO dates).

    Each is worked out from this episode: the last initial conference on or before the
    document's meeting or date, and the last strategy discussion before it. A date too far in
    the future to count from is left out rather than failing.
    """
    found: dict[str, date] = {}
    meetings = sorted(
        (m for m in view.get("meetings") or [] if isinstance(m, dict) and parse(m.get("date"))),
        key=lambda m: m["date"],
    )
    own = view.get("meeting") if isinstance(view.get("meeting"), dict) else {}
    if own and own not in meetings and parse(own.get("date")):
        meetings = sorted([*meetings, own], key=lambda m: m["date"])
    key_dates = view.get("key_dates") if isinstance(view.get("key_dates"), dict) else {}
    now = parse(own.get("date")) or parse((view.get("document") or {}).get("date"))
    initial = _latest(meetings, "initial_conference", now)
    initial_day = parse(initial["date"]) if initial else None
    strategy_meeting = _latest(meetings, "strategy", initial_day or now)
    strategy = parse(strategy_meeting["date"]) if strategy_meeting else None
    strategy = strategy or parse(key_dates.get("strategy_discussion"))
    referral = parse(key_dates.get("referral"))
    start = parse(key_dates.get("pre_proceedings_start"))
    plo = view.get("plo") if isinstance(view.get("plo"), dict) else {}
    weeks = plo.get("timetable_weeks")
    weeks = weeks if isinstance(weeks, int) and not isinstance(weeks, bool) else 16
    steps = [
        ("initial_conference_due", strategy, lambda d: working_days.add_working_days(d, 15)),
        ("assessment_due", referral, lambda d: working_days.add_working_days(d, 45)),
        ("first_core_group_due", initial_day, lambda d: working_days.add_working_days(d, 10)),
        ("first_review_due", initial_day, lambda d: working_days.add_months(d, 3)),
        ("plo_review_due", start, lambda d: d + timedelta(weeks=weeks)),
    ]
    if own.get("type") in ("initial_conference", "review_conference") and parse(own.get("date")):
        initial_own = own["type"] == "initial_conference"
        days_before = settings.get(
            "REPORT_DAYS_BEFORE_INITIAL" if initial_own else "REPORT_DAYS_BEFORE_REVIEW",
            3 if initial_own else 5,
        )
        months = 3 if initial_own else 6
        day = parse(own["date"])
        steps += [
            ("next_review_due", day, lambda d: working_days.add_months(d, months)),
            ("report_due", day, lambda d: working_days.add_working_days(d, -int(days_before))),
        ]
    for key, start_day, step in steps:
        if start_day is None:
            continue
        try:
            found[key] = step(start_day)
        except (OverflowError, ValueError):
            continue  # a date at the end of the calendar: nothing sensible to count to
    return {key: value.isoformat() for key, value in found.items()}
