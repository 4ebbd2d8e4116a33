"""Forms for uploading documents and versions, and changing visibility."""

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
from ..vocabulary import STAGES

VISIBILITY_CHOICES = [
    ("internal", "Keep internal: only people in my authority can see it"),
    ("shared", "Share with every authority"),
]
FILE_HINT = "A Word document (.docx) or a Markdown file (.md)."


class DocumentUploadForm(CheckedForm):
    """A new document: its details and its first file."""

    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter a title for the document"),
            max_length("Title", 300),
        ],
    )
    doc_type = SelectField(
        "Document type",
        widget=GovSelect(),
        validators=[DataRequired(message="Choose a document type")],
    )
    stage = SelectField(
        "Practice stage",
        widget=GovSelect(),
        description="Leave as it is to use the usual stage for the document type.",
        validators=[Optional()],
    )
    tags = StringField(
        "Tags (optional)",
        widget=GovTextInput(),
        description="Separate tags with commas, for example: plo, letters, family network.",
        validators=[Optional(), max_length("Tags", 800)],
    )
    visibility = RadioField(
        "Who can see it?",
        widget=GovRadioInput(),
        choices=VISIBILITY_CHOICES,
        default="internal",
        validators=[InputRequired(message="Choose who can see the document")],
    )
    change_note = TextAreaField(
        "Note about this version (optional)",
        widget=GovCharacterCount(),
        description="For example, where the document came from or what it replaces.",
        validators=[Optional(), max_length("The note", 2000)],
    )
    file = FileField(
        "File",
        widget=GovFileInput(),
        description=FILE_HINT,
        validators=[DataRequired(message="Choose a file to upload")],
    )
    submit = SubmitField("Upload document", widget=GovSubmitInput())

    def set_choices(self, doc_types: list[dict]) -> None:
        """Fill the document type and stage lists."""
        self.doc_type.choices = [("", "Choose a document type")] + [
            (t["slug"], t["label"]) for t in doc_types
        ]
        self.stage.choices = [("", "Usual stage for the document type")] + list(STAGES)


class VersionUploadForm(CheckedForm):
    """A new version of a document, with a note saying what changed."""

    change_note = TextAreaField(
        "What changed in this version?",
        widget=GovCharacterCount(),
        validators=[
            DataRequired(message="Enter a change note saying what changed in this version"),
            max_length("The change note", 2000),
        ],
    )
    file = FileField(
        "File",
        widget=GovFileInput(),
        description=FILE_HINT,
        validators=[DataRequired(message="Choose a file to upload")],
    )
    submit = SubmitField("Upload new version", widget=GovSubmitInput())


class VisibilityForm(CheckedForm):
    """Share a document with every authority or keep it internal."""

    visibility = RadioField(
        "Who can see this document?",
        widget=GovRadioInput(),
        choices=VISIBILITY_CHOICES,
        validators=[InputRequired(message="Choose who can see the document")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class WithdrawForm(CheckedForm):
    """Confirm withdrawing a document."""

    submit = SubmitField("Withdraw document", widget=GovSubmitInput())
