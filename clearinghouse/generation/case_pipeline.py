"""From the case data sent to the one context a template renders, with every warning found.

The steps, in order: size limits; a version 1 case converted to version 2 (with warnings, on
the safe side); the template's schema; references between parts; the letter's recipient; the
case cut to the document's date, reader and meeting (case_view); the quality checks on what the
document will say. Nothing here keeps the case: it lives only for the call.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import InvalidInput
from . import (
    case_convert,
    case_printed,
    case_quality,
    case_references,
    case_validation,
    case_view,
    library,
)
from .case_validation import dicts_in

log = logging.getLogger(__name__)

PR_HOLDER = "pr_holder"
ALWAYS_CHECKED = ("document", "meetings", "key_dates")


@dataclass
class CaseForDocument:
    """What a template renders, and the warnings and reading age found on the way."""

    context: dict
    warnings: list[dict] = field(default_factory=list)
    age: float | None = None
    recipient: dict = field(default_factory=dict)


def upgraded(case_data) -> tuple[dict, list[dict]]:
    """Return a version 1 case converted to version 2 with the warnings; others as they are."""
    if not (isinstance(case_data, dict) and case_convert.is_v1(case_data)):
        return case_data, []
    try:
        return case_convert.case_upgrade(case_data)
    except (AttributeError, TypeError, ValueError, KeyError):
        # Not a version 1 case after all: parts of it are not in any shape version 1 had.
        raise InvalidInput(
            "invalid_case_data",
            "This case looks like a version 1 case file, but some of its parts are not in the "
            "shape version 1 used, so it cannot be converted. Check it against the case model "
            "(docs/case-model.md).",
            details=[{"path": "", "message": "This case file cannot be converted"}],
        ) from None


def pr_holders(case: dict) -> list[dict]:
    """Return the family members with parental responsibility for a child in the case.

    Safe on any shape (a pack asks before the case is validated, for each document).
    """
    if not isinstance(case, dict):
        return []
    children = {c.get("id") for c in dicts_in(case.get("children")) if isinstance(c.get("id"), str)}
    return [
        m
        for m in dicts_in(case.get("family_members"))
        if isinstance(m.get("id"), str)
        and {c for c in _list(m.get("parental_responsibility_for")) if isinstance(c, str)}
        & children
    ]


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _recipient_id(meta: dict, case: dict, recipient_id: str | None) -> str | None:
    """Return who a one-person letter goes to: as asked, as the case says, or the only one."""
    if meta.get("recipient") != PR_HOLDER:
        return None
    chosen = recipient_id or (case.get("document") or {}).get("recipient_id")
    if chosen:
        return chosen
    holders = pr_holders(case)
    if len(holders) == 1:
        return holders[0].get("id")
    message = (
        "Nobody in the case has parental responsibility for the children yet. Choose, for each "
        "parent or carer, the children they hold parental responsibility for."
        if not holders
        else "This letter goes to one person. Choose who it is to, or generate the letters "
        "pack, which makes one letter for each person with parental responsibility."
    )
    raise InvalidInput(
        "recipient_required",
        message,
        details=[{"path": "/document/recipient_id", "message": "Choose who this letter is to"}],
    )


def case_prepare(
    entry: library.LibraryEntry,
    case_data,
    *,
    settings: dict,
    audience: str,
    recipient_id: str | None = None,
    today=None,
    template_paths: frozenset[str] | None = None,
) -> CaseForDocument:
    """Check the case for this template (raising InvalidInput) and return what it renders.

    ``template_paths`` are the data paths the template reads: the language checks then read
    only what it prints (None: the whole case).
    """
    case_validation.limits_check(
        case_data,
        max_kb=settings["RENDER_MAX_INPUT_KB"],
        max_items=settings["RENDER_MAX_LIST_ITEMS"],
    )
    case, warnings = upgraded(case_data)
    form_schema = library.form_schema(entry.slug)
    case_validation.case_data_validate(library.validator_for(entry.slug), case, form_schema)
    used = form_schema.get("properties") or {}
    # One case file may fill every template: the parts this template does not name are still
    # part of the case, and are checked against the case model before anything reads them.
    others = {k: v for k, v in case.items() if k not in used}
    if others:
        case_validation.case_data_validate(library.case_validator(), others)
    problems = case_references.reference_errors(case)
    if problems:
        raise InvalidInput(
            "invalid_case_data",
            "Part of the case points at something that is not in it. Choose from the list.",
            details=problems,
        )
    meta = entry.meta
    chosen = _recipient_id(meta, case, recipient_id)
    narrowed, dropped = case_view.narrow_case(
        case,
        shares_as=meta.get("shares_as") or (),
        recipient_id=chosen,
        today=today,
        family=audience == "family",
    )
    warnings += dropped
    relevant = (
        {k: v for k, v in narrowed.items() if k in used or k in ALWAYS_CHECKED}
        if used
        else narrowed
    )
    if narrowed.get("voice_withheld"):
        relevant["voice_withheld"] = True  # heard; a flag, so no generated words are checked
    family = audience == "family"
    prose = _prose(relevant)
    if family and template_paths is not None:  # language is checked only for families
        prose = case_printed.printed_case(prose, template_paths)
    prose.pop("document", None)  # its reference and dates are not sentences
    age = case_quality.case_reading_age(prose) if family else None
    warnings += case_quality.quality_warnings(
        relevant,
        audience=audience,
        about_child=entry.about_child and "child_voice" in used,
        reading_age_target=settings["READING_AGE_TARGET"],
        age=age,
        report_days_initial=settings["REPORT_DAYS_BEFORE_INITIAL"],
        report_days_review=settings["REPORT_DAYS_BEFORE_REVIEW"],
        records_meeting=meta.get("meeting_role") == "records",
        conference_report=meta.get("meeting_role") == "reports_to",
        prose=prose,
        visits_shown=template_paths is None or case_printed.reads_visits(template_paths),
    )
    recipient = narrowed.get("recipient") or {}
    context = case_view.enrich(narrowed, settings)
    return CaseForDocument(context, warnings, age, recipient)


def _prose(case: dict) -> dict:
    """Return the case without the parts a reader never reads as sentences (ids, dates)."""
    return {k: v for k, v in case.items() if k not in ("recipient", "voice_withheld")}


def template_v1_fields(sha256: str, load: Callable[[], bytes]) -> tuple[dict, ...]:
    """Return the case model 1 fields a template uses, each with its replacement.

    Read from the same cached inspection the language checks use: one per template file.
    """
    return tuple(case_convert.v1_fields_used(sorted(case_printed.template_paths(sha256, load))))
