"""Quality checks on case data (case model v2), returned as warnings that never block a document.

Each warning is ``{"code", "message", "path"}``: path is a JSON pointer to the item; messages
name the field in plain English and never repeat what was typed (beyond a jargon word from
jargon.json). Every check runs only where its inputs exist and skips odd shapes rather than
raise. The checks live in:

- case_quality_mapping.py: danger statements, safety goals, scales, next steps;
- case_quality_people.py: the child's voice, seeing each child alone, interpreters;
- case_quality_dates.py: records dated before their meeting, reports shared late, timescales;
- case_quality_language.py: jargon, labels in place of behaviour, reading age (textstat).

``after_document_date`` is not here: the projection (case_view.py) removes later facts and warns.
"""

from .case_quality_dates import record_warnings, report_warnings, timescale_warnings
from .case_quality_language import (
    case_reading_age,
    jargon_warnings,
    readability_warnings,
    reading_age,
)
from .case_quality_mapping import mapping_warnings
from .case_quality_people import (
    VOICE_KEYS,
    child_voice_warnings,
    interpreter_warnings,
    seen_alone_warnings,
)

__all__ = ["VOICE_KEYS", "case_reading_age", "quality_warnings", "reading_age"]


def quality_warnings(
    case: dict,
    *,
    audience: str,
    about_child: bool,
    reading_age_target: int,
    age: float | None = None,
    report_days_initial: int = 3,
    report_days_review: int = 5,
    records_meeting: bool = False,
    conference_report: bool = False,
    prose: dict | None = None,
    visits_shown: bool = True,
) -> list[dict]:
    """Return every quality warning for the case data and the document's audience.

    ``age`` is the case's reading age when the caller has already worked it out.
    ``report_days_initial`` and ``report_days_review`` are the settings
    REPORT_DAYS_BEFORE_INITIAL and REPORT_DAYS_BEFORE_REVIEW. ``records_meeting`` is true when
    the document records the meeting named by document.meeting_id (rather than announcing it);
    ``conference_report`` when it is the report to that conference, which must say when it
    was shared with the parents. ``prose`` is the text the document prints (case_printed.py),
    which the jargon and reading-age checks read instead of the whole case; ``visits_shown``
    is false for a document that does not say when the children were seen.
    """
    if not isinstance(case, dict):
        return []
    warnings = [
        *mapping_warnings(case),
        *(seen_alone_warnings(case) if visits_shown else []),
        *interpreter_warnings(case, audience=audience),
        *record_warnings(case, records_meeting=records_meeting),
        *report_warnings(
            case,
            days_initial=report_days_initial,
            days_review=report_days_review,
            conference_report=conference_report,
        ),
        *timescale_warnings(case),
    ]
    if about_child:
        warnings.extend(child_voice_warnings(case))
    if audience == "family":
        text = case if prose is None else prose
        warnings.extend(jargon_warnings(text))
        age = case_reading_age(text) if age is None else age
        warnings.extend(readability_warnings(age, reading_age_target))
    return warnings
