"""The compare and version-diff choosers (GET forms: they change nothing, so no CSRF)."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import DataRequired, Optional

from ..forms import CheckedGetForm
from .service import MAX_DOCUMENTS


def document_choices(choices: list[dict]) -> list[tuple[str, str]]:
    """Return select options: each document at its latest version, then its older versions."""
    options = []
    for doc in choices:
        name = f"{doc['title']} ({doc['authority_name']})"
        latest = doc["versions"][-1]
        options.append((str(doc["id"]), f"{name}, latest version ({latest})"))
        for number in reversed(doc["versions"][:-1]):
            options.append((f"{doc['id']}@{number}", f"{name}, version {number}"))
    return options


class CompareForm(CheckedGetForm):
    """Choose two documents (and up to four more) to compare."""

    def __init__(self, formdata, choices: list[dict]):
        super().__init__(formdata)
        options = document_choices(choices)
        for field in self.document_fields:
            field.choices = [("", "Choose a document")] + options

    first = SelectField(
        "First document",
        widget=GovSelect(),
        validate_choice=False,
        validators=[DataRequired(message="Choose the first document to compare")],
    )
    second = SelectField(
        "Second document",
        widget=GovSelect(),
        validate_choice=False,
        validators=[DataRequired(message="Choose the second document to compare")],
    )
    third = SelectField(
        "Third document (optional)",
        widget=GovSelect(),
        validators=[Optional()],
        validate_choice=False,
    )
    fourth = SelectField(
        "Fourth document (optional)",
        widget=GovSelect(),
        validators=[Optional()],
        validate_choice=False,
    )
    submit = SubmitField("Compare", widget=GovSubmitInput())

    @property
    def document_fields(self) -> list:
        """Return the document selects in order."""
        return [self.first, self.second, self.third, self.fourth][:MAX_DOCUMENTS]

    def refs(self) -> list[str]:
        """Return the chosen documents as "<id>" or "<id>@<version>", blanks left out."""
        return [f.data for f in self.document_fields if f.data]


class VersionDiffForm(CheckedGetForm):
    """Choose two versions of one document."""

    def __init__(self, versions: list[int], from_n: int, to_n: int):
        super().__init__(None, data={"from_": str(from_n), "to": str(to_n)})
        options = [(str(n), f"Version {n}") for n in versions]
        self.from_.choices = options
        self.to.choices = options

    from_ = SelectField("Earlier version", widget=GovSelect(), name="from")
    to = SelectField("Later version", widget=GovSelect())
    submit = SubmitField("Show changes", widget=GovSubmitInput())
