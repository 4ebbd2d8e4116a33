"""Quality checks about people: the child's voice, seeing each child alone, interpreters."""

from .case_quality_common import as_date, document_date, filled, find_by_id, items, section, warning

VOICE_KEYS = ("child_voice", "childs_voice", "voice_of_the_child", "three_houses", "voice")
HOUSE_KEYS = ("worries", "good_things", "dreams", "house_of_worries", "house_of_good_things")


def voice_present(case: dict) -> bool:
    """Return whether the case records anything the child said (shown here or withheld)."""
    if filled(case.get("voice_withheld")):
        return True  # heard, but not for this document's readers
    if any(filled(case.get(key)) for key in VOICE_KEYS):
        return True
    return any(
        filled(child.get(key))
        for _i, child in items(case.get("children"))
        for key in (*VOICE_KEYS, *HOUSE_KEYS, "views", "wishes")
    )


def child_voice_warnings(case: dict) -> list[dict]:
    """Return child_voice_missing when nothing the child said is recorded."""
    if voice_present(case):
        return []
    return [
        warning(
            "child_voice_missing",
            "The child's voice is missing. Add what the child said (for example their "
            "three houses) and when they were seen.",
            (),
        )
    ]


def _unborn(child: dict, today) -> bool:
    born = as_date(child.get("date_of_birth"))
    if born is None:
        return filled(child.get("expected_date_of_delivery"))
    return today is not None and born > today


def seen_alone_warnings(case: dict) -> list[dict]:
    """Return child_not_seen_alone for each born child never seen, or never seen alone."""
    today = document_date(case)
    warnings = []
    for index, child in items(case.get("children")):
        if _unborn(child, today):
            continue
        visits = [
            visit
            for _i, visit in items(child.get("seen"))
            if (day := as_date(visit.get("date"))) is None or today is None or day <= today
        ]
        if not visits:
            message = (
                f"Child {index + 1} has no record of being seen. Add each time they were "
                "seen, and whether alone, under “Times the child was seen”."
            )
        elif not any(visit.get("seen_alone") is True for visit in visits):
            message = (
                f"Child {index + 1} has not been seen alone. Record when they were seen on "
                "their own, or say why not (for example, a baby)."
            )
        else:
            continue
        warnings.append(warning("child_not_seen_alone", message, ("children", index)))
    return warnings


def _needs_interpreter(member: dict) -> bool:
    return member.get("needs_interpreter") is True


def interpreter_warnings(case: dict, *, audience: str) -> list[dict]:
    """Return interpreter_needed for the recipient (or, for families, each PR holder)."""
    recipient_id = section(case, "document").get("recipient_id")
    if recipient_id is not None:
        index, member = find_by_id(case, "family_members", recipient_id)
        readers = [(index, member)] if member is not None else []
    elif audience == "family":
        readers = [
            (index, member)
            for index, member in items(case.get("family_members"))
            if filled(member.get("parental_responsibility_for"))
        ]
    else:
        readers = []
    return [
        warning(
            "interpreter_needed",
            f"Family member {index + 1} needs an interpreter (“Needs an interpreter”). This "
            "document must be translated for them, or explained to them in their language "
            "(see “Language for the interpreter”). Say in it how that will happen.",
            ("family_members", index),
        )
        for index, member in readers
        if _needs_interpreter(member)
    ]
