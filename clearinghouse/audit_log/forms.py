"""The audit log's filter form (GET: it changes nothing)."""

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovTextInput
from wtforms import DateField, SelectField, StringField
from wtforms.validators import StopValidation

from ..forms import CheckedGetForm, max_length


def optional_date(form, field) -> None:
    """Accept a date left empty; refuse one partly typed or not real, in words people use."""
    raw = list(field.raw_data or ())
    field.errors[:] = []
    if len(raw) != 3:  # the widget shows day, month and year from three values, or from data
        field.raw_data = None
    if not any((value or "").strip() for value in raw):
        field.data = None
        raise StopValidation()
    if len(raw) != 3 or field.data is None:
        field.data = None
        raise StopValidation(f"{field.label.text} must be a real date, like 27 3 2026")


class AuditFilterForm(CheckedGetForm):
    """Which events to show."""

    action = SelectField("Action", widget=GovSelect(), default="")
    user = SelectField("Person", widget=GovSelect(), default="")
    date_from = DateField(
        "From", widget=GovDateInput(), format="%d %m %Y", validators=[optional_date]
    )
    date_to = DateField("To", widget=GovDateInput(), format="%d %m %Y", validators=[optional_date])
    object_type = SelectField("Kind of record", widget=GovSelect(), default="")
    object_id = StringField(
        "Record",
        widget=GovTextInput(),
        description="A document's number or a template's short name, for example.",
        validators=[max_length("Record", 80)],
    )

    def fill_choices(self, choices: dict) -> None:
        """Set the select boxes' options from what the reader may filter by."""
        self.action.choices = [("", "Any action")] + [
            (a, a.replace("_", " ")) for a in choices["actions"]
        ]
        self.user.choices = [("", "Anyone")] + [(str(i), label) for i, label in choices["users"]]
        self.object_type.choices = [("", "Any kind")] + choices["object_types"]
