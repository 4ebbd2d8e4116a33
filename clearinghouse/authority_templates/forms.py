"""Forms for authorities' templates: upload, new version, publish and re-check, choice."""

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from ..forms import CheckedForm, max_length

VISIBILITY_CHOICES = [
    ("internal", "Keep internal: only people in my authority can use it"),
    ("shared", "Share with every authority"),
]
FILE_HINT = (
    "A Word document (.docx) written for docxtpl: {{ field }} for data, {% if %} and "
    "{% for %} for choices and lists."
)


class TemplateUploadForm(CheckedForm):
    """A new template: its document type, title, who can use it and its first file."""

    doc_type = SelectField(
        "Document type",
        widget=GovSelect(),
        description="The template library document whose data (schema) the template uses.",
        validators=[DataRequired(message="Choose a document type")],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter a title for the template"),
            max_length("Title", 300),
        ],
    )
    visibility = RadioField(
        "Who can use it?",
        widget=GovRadioInput(),
        choices=VISIBILITY_CHOICES,
        default="internal",
        validators=[InputRequired(message="Choose who can use the template")],
    )
    change_note = TextAreaField(
        "Note about this version (optional)",
        widget=GovCharacterCount(),
        validators=[Optional(), max_length("The note", 2000)],
    )
    file = FileField(
        "Template file",
        widget=GovFileInput(),
        description=FILE_HINT,
        validators=[DataRequired(message="Choose a template file to upload")],
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())

    def set_choices(self, entries: list[tuple[str, str]]) -> None:
        """Fill the document type list from the library."""
        self.doc_type.choices = [("", "Choose a document type")] + entries


class TemplateVersionForm(CheckedForm):
    """A new version of a template, with a note saying what changed."""

    change_note = TextAreaField(
        "What changed in this version?",
        widget=GovCharacterCount(),
        validators=[
            DataRequired(message="Enter a change note"),
            max_length("The change note", 2000),
        ],
    )
    file = FileField(
        "Template file",
        widget=GovFileInput(),
        description=FILE_HINT,
        validators=[DataRequired(message="Choose a template file to upload")],
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())


class ActionForm(CheckedForm):
    """A button that changes something (publish, re-check): CSRF protected."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class ChoiceForm(CheckedForm):
    """Which template to use for a document type."""

    choice = RadioField(
        "Which template do you want to use?",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose a template")],
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())
