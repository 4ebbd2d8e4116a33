"""Quality checks on dates: records after their meeting, reports shared in time, timescales.

Statutory timescales are those of Working Together to Safeguard Children 2023, in working days
in England and Wales (``clearinghouse.working_days``) or calendar months.
"""

from ..working_days import add_months, add_working_days
from .case_quality_common import as_date, document_date, filled, find_by_id, items, section, warning

INITIAL, REVIEW = "initial_conference", "review_conference"
CONFERENCE_NAMES = {INITIAL: "initial", REVIEW: "review"}
STRATEGY, CORE_GROUP = "strategy", "core_group"
DAYS_TO_INITIAL, DAYS_TO_ASSESSMENT, DAYS_TO_CORE_GROUP = 15, 45, 10
MONTHS_TO_FIRST_REVIEW, MONTHS_BETWEEN_REVIEWS = 3, 6
WT = "Working Together 2023"


def _meetings(case: dict) -> list[tuple[int, dict, object]]:
    """Return (index, meeting, date) for the dated meetings, in date order."""
    dated = [(i, m, as_date(m.get("date"))) for i, m in items(case.get("meetings"))]
    return sorted((entry for entry in dated if entry[2] is not None), key=lambda e: e[2])


def record_warnings(case: dict, *, records_meeting: bool) -> list[dict]:
    """Return record_meeting_not_chosen when a record names none of the case's meetings, and
    record_before_meeting when it is dated before the meeting it records."""
    if not records_meeting:
        return []
    _index, meeting = find_by_id(case, "meetings", section(case, "document").get("meeting_id"))
    if meeting is None and items(case.get("meetings")):
        # Without it, what was decided is left to the worker to tell, and the dates that
        # follow a meeting (the first core group, the next conference) are counted from
        # whichever meeting came first, perhaps long past.
        return [
            warning(
                "record_meeting_not_chosen",
                "This document records a meeting, but the case does not say which one. Choose "
                "it (“Meeting this document records or announces”), or what was decided and "
                "the dates that follow it cannot be given.",
                ("document", "meeting_id"),
            )
        ]
    held, written = as_date((meeting or {}).get("date")), document_date(case)
    if held is None or written is None or written >= held:
        return []
    return [
        warning(
            "record_before_meeting",
            "The date of the document (“Date of the document”) is before the meeting it "
            "records. Date the record on or after the meeting.",
            ("document", "date"),
        )
    ]


def report_warnings(
    case: dict, *, days_initial: int, days_review: int, conference_report: bool
) -> list[dict]:
    """Return report_not_shared_in_time for conferences whose report reached parents late."""
    own_meeting = section(case, "document").get("meeting_id")
    warnings = []
    for index, meeting, held in _meetings(case):
        kind = meeting.get("type")
        if kind not in CONFERENCE_NAMES:
            continue
        days, name = (days_initial if kind == INITIAL else days_review), CONFERENCE_NAMES[kind]
        shared = as_date(meeting.get("report_shared"))
        if shared is None and conference_report and own_meeting == meeting.get("id"):
            message = (
                f"Say when the report for the {name} conference (meeting {index + 1}) is "
                "shared with the parents (“Report shared with the parents on”): at least "
                f"{days} working days before it."
            )
        elif shared is not None and shared > add_working_days(held, -days):
            message = (
                f"The report for the {name} conference (meeting {index + 1}) reached the "
                f"parents fewer than {days} working days before it (“Report shared with the "
                "parents on”). Share it in time for them to read it and get advice."
            )
        else:
            continue
        warnings.append(warning("report_not_shared_in_time", message, ("meetings", index)))
    return warnings


def _late(index: int, message: str) -> dict:
    return warning("timescale_missed", message, ("meetings", index))


def _episode_warnings(case: dict, meetings: list, previous, start, end) -> list[dict]:
    """Return the warnings for one initial conference (start), between the one before and after.

    The clock starts at the last strategy discussion before the conference (Working Together).
    """
    index, _meeting, held = start
    later = [m for m in meetings if held <= m[2] and (end is None or m[2] < end[2])]
    warnings = []
    discussed = as_date(section(case, "key_dates").get("strategy_discussion"))
    strategies = [d for _i, m, d in meetings if m.get("type") == STRATEGY]
    strategies = [
        d
        for d in [*strategies, discussed]
        if d is not None and d <= held and (previous is None or d > previous[2])
    ]
    if strategies and held > add_working_days(max(strategies), DAYS_TO_INITIAL):
        warnings.append(
            _late(
                index,
                f"The initial child protection conference (meeting {index + 1}) is more than "
                f"{DAYS_TO_INITIAL} working days after the strategy discussion. {WT} expects "
                f"it within {DAYS_TO_INITIAL} working days: record why.",
            )
        )
    core = next((m for m in later if m[1].get("type") == CORE_GROUP), None)
    if core is not None and core[2] > add_working_days(held, DAYS_TO_CORE_GROUP):
        warnings.append(
            _late(
                core[0],
                f"The first core group (meeting {core[0] + 1}) is more than "
                f"{DAYS_TO_CORE_GROUP} working days after the initial child protection "
                f"conference. {WT} expects it within {DAYS_TO_CORE_GROUP} working days.",
            )
        )
    review = next((m for m in later if m[1].get("type") == REVIEW and m[2] > held), None)
    if review is not None and review[2] > add_months(held, MONTHS_TO_FIRST_REVIEW):
        warnings.append(
            _late(
                review[0],
                f"The first review conference (meeting {review[0] + 1}) is more than "
                f"{MONTHS_TO_FIRST_REVIEW} months after the initial child protection "
                f"conference. {WT} expects it within {MONTHS_TO_FIRST_REVIEW} months.",
            )
        )
    return warnings


def _review_warnings(meetings: list) -> list[dict]:
    """Return the warnings for reviews more than six months after the previous review."""
    warnings, previous = [], None
    for index, meeting, held in meetings:
        if meeting.get("type") == INITIAL:
            previous = None
        elif meeting.get("type") == REVIEW:
            if previous is not None and held > add_months(previous, MONTHS_BETWEEN_REVIEWS):
                warnings.append(
                    _late(
                        index,
                        f"Review conference (meeting {index + 1}) is more than "
                        f"{MONTHS_BETWEEN_REVIEWS} months after the review before it. {WT} "
                        f"expects reviews at least every {MONTHS_BETWEEN_REVIEWS} months.",
                    )
                )
            previous = held
    return warnings


def _assessment_warnings(case: dict) -> list[dict]:
    dates = section(case, "key_dates")
    referral, completed = as_date(dates.get("referral")), as_date(dates.get("assessment_completed"))
    if referral is None or completed is None:
        return []
    if completed <= add_working_days(referral, DAYS_TO_ASSESSMENT):
        return []
    reasons = (
        "The reasons for the delay are recorded."
        if filled(section(case, "assessment").get("reason_for_delay"))
        else "Record the reasons for the delay in the assessment."
    )
    return [
        warning(
            "timescale_missed",
            f"The assessment was completed more than {DAYS_TO_ASSESSMENT} working days after "
            f"the referral. {WT} expects it within {DAYS_TO_ASSESSMENT} working days. {reasons}",
            ("key_dates", "assessment_completed"),
        )
    ]


def timescale_warnings(case: dict) -> list[dict]:
    """Return timescale_missed for each statutory timescale the dates show was missed."""
    meetings = _meetings(case)
    initials = [m for m in meetings if m[1].get("type") == INITIAL]
    warnings = _assessment_warnings(case)
    for position, start in enumerate(initials):
        previous = initials[position - 1] if position else None
        end = initials[position + 1] if position + 1 < len(initials) else None
        warnings.extend(_episode_warnings(case, meetings, previous, start, end))
    return warnings + _review_warnings(meetings)
