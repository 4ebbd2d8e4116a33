"""The forms: record a self-assessment, and choose whether it is shared (both posted, CSRF).

They hold no rules of their own: the service checks the scale and the note, and the page puts
its refusal on the field it names, so the web page, the API and the command agree.
"""

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField, TextAreaField

from ..forms import CheckedForm, sharing_form
from .service import MEANING
from .validate import SCALE_MAX, SCALE_MIN


def _scale_label(number: int) -> str:
    meaning = MEANING.get(number)
    return f"{number}: {meaning.lower()}" if meaning else str(number)


class RecordForm(CheckedForm):
    """A new self-assessment: the scale and a note saying why."""

    scale = RadioField(
        "Where does your authority see itself on the scale?",
        widget=GovRadioInput(),
        choices=[(str(n), _scale_label(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)],
        validate_choice=False,  # the service refuses a number off the scale, in plain words
    )
    note = TextAreaField(
        "Why this number?",
        widget=GovCharacterCount(),
        description="What is in place, what is not yet, and what would move you up the scale. "
        "Do not write about any family.",
    )
    submit = SubmitField("Record this self-assessment", widget=GovSubmitInput())


SharingForm = sharing_form(
    "Who can see your authority's self-assessment?",
    keep="Keep it within my authority",
    share="Share the latest self-assessment with every authority",
    button="Save who can see it",
)
