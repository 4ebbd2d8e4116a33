"""Team forms: a new team, a team's new name, and a person's team."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Optional

from ..forms import CheckedForm, max_length
from .service import MAX_NAME


def _name_field(label: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        description="For example: Referral and assessment team.",
        validators=[
            DataRequired(message="Enter the team's name"),
            max_length(label, MAX_NAME),
        ],
    )


class TeamForm(CheckedForm):
    """A new team of the authority."""

    name = _name_field("Team name")
    submit = SubmitField("Add team", widget=GovSubmitInput())


class RenameTeamForm(CheckedForm):
    """A team and its new name; the view sets the choices."""

    target = SelectField(
        "Team", widget=GovSelect(), validators=[DataRequired(message="Choose the team")]
    )
    name = _name_field("New name")
    submit = SubmitField("Rename", widget=GovSubmitInput())


class MemberForm(CheckedForm):
    """A person of the authority and their team; the view sets the choices."""

    person = SelectField(
        "Person", widget=GovSelect(), validators=[DataRequired(message="Choose the person")]
    )
    team = SelectField("Team", widget=GovSelect(), validators=[Optional()])
    submit = SubmitField("Save team", widget=GovSubmitInput())
