"""The checks on a self-assessment: a whole number on the scale, a note saying why, a choice.

Each refusal names its field ("scale", "note", "shared") and has a stable code for the API.
"""

from ..errors import InvalidInput
from ..text import cannot_use, text_problem, whole_number

SCALE_MIN, SCALE_MAX = 0, 10
NOTE_MAX = 2000


def refusal(code: str, path: str, message: str) -> InvalidInput:
    """Return the refusal of one field, with a stable code."""
    return InvalidInput(code, message, [{"path": path, "message": message}])


def scale_check(value) -> int:
    """Return the scale as a whole number from 0 to 10, or refuse it (invalid_scale)."""
    if isinstance(value, str) and whole_number(value) is not None:
        value = whole_number(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise refusal("invalid_scale", "scale", "Choose a whole number on the scale from 0 to 10.")
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise refusal(
            "scale_out_of_range",
            "scale",
            f"The scale goes from 0 (barely begun) to 10 (fully implemented): {value} is not "
            "on it.",
        )
    return value


def note_check(value) -> str:
    """Return the note, trimmed, or refuse it: required, text, at most NOTE_MAX characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise refusal("invalid_note", "note", "The note must be text.")
    value = value.strip()
    problem = text_problem(value)
    if problem:
        message = cannot_use("The note", problem)
        raise InvalidInput("invalid_text", message, [{"path": "note", "message": message}], 400)
    if not value:
        raise refusal("note_required", "note", "Say why your authority chose this number.")
    if len(value) > NOTE_MAX:
        raise refusal(
            "note_too_long",
            "note",
            f"The note must be {NOTE_MAX} characters or fewer (it has {len(value)}).",
        )
    return value


def checked(scale, note) -> tuple[int, str]:
    """Return the checked scale and note, or refuse with every problem found in the details
    (the first problem's code and message), so a form shows them all at once."""
    problems = []
    try:
        scale = scale_check(scale)
    except InvalidInput as exc:
        problems.append(exc)
    try:
        note = note_check(note)
    except InvalidInput as exc:
        problems.append(exc)
    if problems:
        first = problems[0]
        details = [detail for problem in problems for detail in problem.details]
        raise InvalidInput(first.code, first.message, details, status=first.status)
    return scale, note


def shared_check(shared) -> bool:
    """Return the sharing choice, or refuse anything but true or false (invalid_shared)."""
    if not isinstance(shared, bool):
        raise refusal("invalid_shared", "shared", "Choose whether to share: true or false.")
    return shared
