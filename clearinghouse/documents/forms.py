"""Forms for uploading documents and versions, and changing visibility."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Optional

from ..forms import (
    CheckedForm,
    change_note_field,
    max_length,
    title_field,
    upload_file_field,
    visibility_field,
)
from ..vocabulary import STAGES

FILE_HINT = "A Word document (.docx) or a Markdown file (.md)."


class DocumentUploadForm(CheckedForm):
    """A new document: its details and its first file."""

    title = title_field("document")
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
    visibility = visibility_field("Who can see it?", "see", "document", default="internal")
    change_note = change_note_field(
        "Note about this version (optional)",
        description="For example, where the document came from or what it replaces.",
    )
    file = upload_file_field("File", FILE_HINT, "Choose a file to upload")
    submit = SubmitField("Upload document", widget=GovSubmitInput())

    def set_choices(self, doc_types: list[dict]) -> None:
        """Fill the document type and stage lists."""
        self.doc_type.choices = [("", "Choose a document type")] + [
            (t["slug"], t["label"]) for t in doc_types
        ]
        self.stage.choices = [("", "Usual stage for the document type")] + list(STAGES)


class VersionUploadForm(CheckedForm):
    """A new version of a document, with a note saying what changed."""

    change_note = change_note_field(
        "What changed in this version?",
        "Enter a change note saying what changed in this version",
    )
    file = upload_file_field("File", FILE_HINT, "Choose a file to upload")
    submit = SubmitField("Upload new version", widget=GovSubmitInput())


class VisibilityForm(CheckedForm):
    """Share a document with every authority or keep it internal."""

    visibility = visibility_field("Who can see this document?", "see", "document")
    submit = SubmitField("Save", widget=GovSubmitInput())


class WithdrawForm(CheckedForm):
    """Confirm withdrawing a document."""

    submit = SubmitField("Withdraw document", widget=GovSubmitInput())


class RestoreForm(CheckedForm):
    """Confirm restoring a withdrawn document."""

    submit = SubmitField("Restore document", widget=GovSubmitInput())
