"""The compare and version-diff choosers (GET forms: they change nothing, so no CSRF), and the
form that saves a comparison (posted, with CSRF)."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Optional

from ..forms import CheckedForm, CheckedGetForm, max_length
from .saved import MAX_NAME, MAX_PAIRS_TEXT
from .service import MAX_DOCUMENTS


def document_choices(choices: list[dict]) -> list[tuple[str, str]]:
    """Return select options: one per document, standing for its latest version."""
    return [
        (str(doc["id"]), f"{doc['title']} ({doc['authority_name']})")
        for doc in choices
        if doc["versions"]
    ]


def version_choices(doc: dict) -> list[tuple[str, str]]:
    """Return select options for one document: its latest version, then its older ones."""
    latest = doc["versions"][-1]
    options = [(str(doc["id"]), f"Latest version (version {latest})")]
    options += [(f"{doc['id']}@{n}", f"Version {n}") for n in reversed(doc["versions"][:-1])]
    return options


def document_id(value) -> int | None:
    """Return the document id of a choice "<id>" or "<id>@<version>", or None."""
    head = str(value or "").split("@")[0].strip()
    return int(head) if head.isdigit() and len(head) <= 10 else None


def _optional_document(label: str) -> SelectField:
    return SelectField(label, widget=GovSelect(), validators=[Optional()], validate_choice=False)


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
    third = _optional_document("Third document (optional)")
    fourth = _optional_document("Fourth document (optional)")
    fifth = _optional_document("Fifth document (optional)")
    sixth = _optional_document("Sixth document (optional)")
    submit = SubmitField("Compare", widget=GovSubmitInput())

    @property
    def document_fields(self) -> list:
        """Return the document selects in order."""
        fields = [self.first, self.second, self.third, self.fourth, self.fifth, self.sixth]
        return fields[:MAX_DOCUMENTS]

    def refs(self) -> list[str]:
        """Return the chosen documents as "<id>" or "<id>@<version>", blanks left out."""
        return [f.data for f in self.document_fields if f.data]

    def keep_documents_only(self) -> None:
        """Show each choice as its document (the first step names documents, not versions)."""
        for field in self.document_fields:
            found = document_id(field.data)
            field.data = str(found) if found else ""

    def offer_versions(self, choices: list[dict]) -> list:
        """Turn each chosen document's select into a choice of its versions; return those
        fields (the second step). A document the user may not see is left out."""
        by_id = {doc["id"]: doc for doc in choices}
        chosen = []
        for field in self.document_fields:
            doc = by_id.get(document_id(field.data))
            if doc is None or not doc["versions"]:
                continue
            field.choices = version_choices(doc)
            if field.data not in {value for value, _label in field.choices}:
                field.data = str(doc["id"])
            field.label.text = f"Version of {doc['title']} ({doc['authority_name']})"
            chosen.append(field)
        return chosen


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


class SaveComparisonForm(CheckedForm):
    """Name a comparison (its documents, versions and pairs come hidden) to save and share it."""

    name = StringField(
        "Name this comparison",
        widget=GovTextInput(),
        description="For example, “Letters before proceedings: Ashdown and Fernmouth”. "
        "Everyone in your authority can open it.",
        validators=[
            DataRequired(message="Enter a name for the comparison"),
            max_length("The name", MAX_NAME),
        ],
    )
    first = HiddenField(
        "First document", validators=[DataRequired(message="Choose the documents to compare")]
    )
    second = HiddenField(
        "Second document", validators=[DataRequired(message="Choose the documents to compare")]
    )
    pairs = HiddenField("Pairs of sections", validators=[max_length("The pairs", MAX_PAIRS_TEXT)])
    submit = SubmitField("Save comparison", widget=GovSubmitInput())
