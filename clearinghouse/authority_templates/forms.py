"""Forms for authorities' templates: upload, new version, publish and re-check, choice."""

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput
from wtforms import RadioField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired

from ..forms import (
    CheckedForm,
    change_note_field,
    title_field,
    upload_file_field,
    visibility_field,
)

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
    title = title_field("template")
    visibility = visibility_field("Who can use it?", "use", "template", default="internal")
    change_note = change_note_field("Note about this version (optional)")
    file = upload_file_field("Template file", FILE_HINT, "Choose a template file to upload")
    submit = SubmitField("Upload and check", widget=GovSubmitInput())

    def set_choices(self, entries: list[tuple[str, str]]) -> None:
        """Fill the document type list from the library."""
        self.doc_type.choices = [("", "Choose a document type")] + entries


class TemplateVersionForm(CheckedForm):
    """A new version of a template, with a note saying what changed."""

    change_note = change_note_field("What changed in this version?", "Enter a change note")
    file = upload_file_field("Template file", FILE_HINT, "Choose a template file to upload")
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
