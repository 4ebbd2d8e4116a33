"""Admin forms: authorities, users and document types."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Optional

from ..forms import CheckedForm, max_length
from ..vocabulary import STAGES

ROLE_CHOICES = [
    ("practitioner", "Practitioner: searches, reads and generates documents"),
    ("editor", "Editor: also uploads and shares their authority's documents"),
    ("manager", "Manager: compares authorities and watches coverage"),
    ("admin", "Site administrator: manages authorities, users and document types"),
]
SLUG_HINT = "Lower-case letters, numbers and hyphens, for example: ashdown."


def role_field() -> RadioField:
    """Return the choice of a user's role."""
    return RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        validators=[InputRequired(message="Choose a role")],
    )


def authority_field(hint: str) -> SelectField:
    """Return the choice of a user's authority (its options are set by the view)."""
    return SelectField("Authority", widget=GovSelect(), description=hint, validators=[Optional()])


class AuthorityForm(CheckedForm):
    """A new authority."""

    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the authority's name"), max_length("Name", 200)],
    )
    slug = StringField(
        "Short name",
        widget=GovTextInput(),
        description=SLUG_HINT,
        validators=[DataRequired(message="Enter a short name"), max_length("Short name", 63)],
    )
    submit = SubmitField("Add authority", widget=GovSubmitInput())


class UserForm(CheckedForm):
    """A new user with a role in an authority."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the person's name"), max_length("Full name", 200)],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter an email address"),
            max_length("Email address", 254),
        ],
    )
    role = role_field()
    authority = authority_field("Site administrators need not belong to an authority.")
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        description="At least 12 characters. Give it to the person safely; they can change it "
        "once signed in (Change password, at the top of every page).",
        validators=[DataRequired(message="Enter a password"), max_length("Password", 500)],
    )
    password_again = PasswordField(
        "Password again",
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message="Enter the password again"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    submit = SubmitField("Add user", widget=GovSubmitInput())


class RoleForm(CheckedForm):
    """A user's new role, and the authority roles of an authority need."""

    role = role_field()
    authority = authority_field(
        "Practitioners, editors and managers work for an authority; site administrators need not."
    )
    submit = SubmitField("Change role", widget=GovSubmitInput())


class DocTypeForm(CheckedForm):
    """A new document type in the controlled vocabulary."""

    label = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter a name for the document type"),
            max_length("Name", 200),
        ],
    )
    slug = StringField(
        "Short name",
        widget=GovTextInput(),
        description="Lower-case letters, numbers and hyphens, for example: family-safety-plan.",
        validators=[DataRequired(message="Enter a short name"), max_length("Short name", 63)],
    )
    stage = SelectField(
        "Usual practice stage",
        widget=GovSelect(),
        choices=[("", "Choose a stage")] + list(STAGES),
        validators=[DataRequired(message="Choose a practice stage")],
    )
    submit = SubmitField("Add document type", widget=GovSubmitInput())


class _RenameForm(CheckedForm):
    """A new name for what ``target`` chooses (its short name stays)."""

    name = StringField(
        "New name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the new name"), max_length("New name", 200)],
    )
    submit = SubmitField("Rename", widget=GovSubmitInput())


class RenameAuthorityForm(_RenameForm):
    """An authority and its new name; the view sets the choices."""

    target = SelectField(
        "Authority", widget=GovSelect(), validators=[DataRequired(message="Choose the authority")]
    )


class RenameDocTypeForm(_RenameForm):
    """A document type and its new name; the view sets the choices."""

    target = SelectField(
        "Document type",
        widget=GovSelect(),
        validators=[DataRequired(message="Choose the document type")],
    )


class ConfirmForm(CheckedForm):
    """Only a button, for actions that change state."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
