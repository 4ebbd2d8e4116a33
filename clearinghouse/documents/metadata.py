"""Checks on what an upload says about itself (title, visibility, change note).

Documents and authorities' templates share these rules; each check adds its problems (a path
and a message, as ``InvalidInput`` details) to a list, so a form shows every problem at once.
"""

from ..errors import InvalidInput
from ..models import VISIBILITIES

MAX_TITLE = 300
MAX_CHANGE_NOTE = 2000
NOTE_REQUIRED = "Enter a change note saying what changed in this version."


def clean_title(title: str | None, noun: str, problems: list[dict]) -> str:
    """Return the title with its white space folded; note a missing or long one."""
    title = " ".join((title or "").split())
    if not title:
        problems.append({"path": "title", "message": f"Enter a title for the {noun}."})
    elif len(title) > MAX_TITLE:
        problems.append(
            {"path": "title", "message": f"Title must be {MAX_TITLE} characters or fewer."}
        )
    return title


def check_visibility(visibility: str, message: str, problems: list[dict]) -> None:
    """Note a visibility that is neither internal nor shared, with the caller's message."""
    if visibility not in VISIBILITIES:
        problems.append({"path": "visibility", "message": message})


def clean_change_note(change_note: str | None, problems: list[dict]) -> str:
    """Return the change note stripped; note one that is too long."""
    note = (change_note or "").strip()
    if len(note) > MAX_CHANGE_NOTE:
        problems.append(
            {
                "path": "change_note",
                "message": f"Change note must be {MAX_CHANGE_NOTE} characters or fewer.",
            }
        )
    return note


def refuse_problems(code: str, problems: list[dict]) -> None:
    """Raise InvalidInput(code) with every problem noted, the first as its message."""
    if problems:
        raise InvalidInput(code, problems[0]["message"], problems)


def checked_note(change_note: str | None, code: str) -> str:
    """Return the change note stripped (perhaps empty); raise InvalidInput(code) if too long."""
    problems: list[dict] = []
    note = clean_change_note(change_note, problems)
    refuse_problems(code, problems)
    return note


def version_note(change_note: str | None, code: str) -> str:
    """Return the change note a new version needs; raise if it is missing or too long."""
    if not (change_note or "").strip():
        raise InvalidInput(
            "change_note_required",
            NOTE_REQUIRED,
            [{"path": "change_note", "message": NOTE_REQUIRED}],
        )
    return checked_note(change_note, code)
