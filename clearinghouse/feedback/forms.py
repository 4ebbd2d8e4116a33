"""Feedback forms: the family's code and answers (public), a paper form, getting a code."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from ..forms import CheckedForm, max_length
from .service import LISTENED, MAX_TEXT

# The questions in plain words, and in easy-read words (short sentences, simple words).
WORDS = {
    "plain": {
        "explained": "Did we explain clearly why we were worried?",
        "explained_hint": "Choose a number. 0 means we did not explain at all. "
        "10 means we explained very clearly.",
        "listened": "Did you feel listened to?",
        "helped": "What helped?",
        "better": "What could be better?",
        "text_hint": "You do not have to answer this. Please do not write anyone's name.",
    },
    "easy": {
        "explained": "Did we tell you clearly why we were worried?",
        "explained_hint": "Pick a number. 0 means not clear at all. 10 means very clear.",
        "listened": "Did we listen to you?",
        "helped": "What was good?",
        "better": "What should we do better?",
        "text_hint": "You can leave this empty. Please do not write names.",
    },
}


def _text_field() -> TextAreaField:
    return TextAreaField(
        "", widget=GovCharacterCount(), validators=[Optional(), max_length("Your answer", MAX_TEXT)]
    )


class AnswersFields(CheckedForm):
    """The four questions; ``words(form, easy)`` sets their labels."""

    explained = RadioField(
        "",
        widget=GovRadioInput(),
        choices=[(str(n), str(n)) for n in range(11)],
        validators=[InputRequired(message="Choose a number from 0 to 10")],
    )
    listened = RadioField(
        "",
        widget=GovRadioInput(),
        choices=list(LISTENED.items()),
        validators=[InputRequired(message="Choose yes, a bit or no")],
    )
    helped = _text_field()
    better = _text_field()


def words(form, easy: bool) -> dict:
    """Put the plain or easy-read words on the form's questions; return them."""
    chosen = WORDS["easy" if easy else "plain"]
    for name in ("explained", "listened", "helped", "better"):
        getattr(form, name).label.text = chosen[name]
    form.explained.description = chosen["explained_hint"]
    form.helped.description = form.better.description = chosen["text_hint"]
    return chosen


class CodeForm(CheckedForm):
    """The family's one-time code."""

    easy = HiddenField()
    code = StringField(
        "Your code",
        widget=GovTextInput(),
        description="It is on your form and looks like this: K7PM-3QXD.",
        validators=[DataRequired(message="Type the code from your form"), max_length("Code", 20)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AnswersForm(AnswersFields):
    """The family's answers, sent with their code."""

    easy = HiddenField()
    code = HiddenField()
    submit = SubmitField("Send your answers", widget=GovSubmitInput())


class PaperForm(AnswersFields):
    """A family's paper form, keyed in by a practitioner."""

    code = StringField(
        "Feedback code on the form (if it has one)",
        widget=GovTextInput(),
        description="It looks like K7PM-3QXD. Typing it uses it up, so a family who also "
        "answered online is not counted twice.",
        validators=[Optional(), max_length("Feedback code", 20)],
    )
    submit = SubmitField("Save the answers", widget=GovSubmitInput())


class IssueForm(CheckedForm):
    """Only a button: get a new code."""

    submit = SubmitField("Get a feedback code", widget=GovSubmitInput())
