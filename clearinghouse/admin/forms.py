"""Admin forms: authorities, users and document types."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from ..documents.vocabulary import STAGES

ROLE_CHOICES = [
    ("practitioner", "Practitioner: searches, reads and generates documents"),
    ("editor", "Editor: also uploads and shares their authority's documents"),
    ("manager", "Manager: compares authorities and watches coverage"),
    ("admin", "Site administrator: manages authorities, users and document types"),
]
SLUG_HINT = "Lower-case letters, numbers and hyphens, for example: ashdown."


class AuthorityForm(FlaskForm):
    """A new authority."""

    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the authority's name"), Length(max=200)],
    )
    slug = StringField(
        "Short name",
        widget=GovTextInput(),
        description=SLUG_HINT,
        validators=[DataRequired(message="Enter a short name"), Length(max=63)],
    )
    submit = SubmitField("Add authority", widget=GovSubmitInput())


class UserForm(FlaskForm):
    """A new user with a role in an authority."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the person's name"), Length(max=200)],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter an email address"), Length(max=254)],
    )
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        validators=[InputRequired(message="Choose a role")],
    )
    authority = SelectField(
        "Authority",
        widget=GovSelect(),
        description="Site administrators need not belong to an authority.",
        validators=[Optional()],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        description="At least 12 characters. Give it to the person safely; they cannot change it "
        "here yet.",
        validators=[DataRequired(message="Enter a password"), Length(max=500)],
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


class DocTypeForm(FlaskForm):
    """A new document type in the controlled vocabulary."""

    label = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter a name for the document type"), Length(max=200)],
    )
    slug = StringField(
        "Short name",
        widget=GovTextInput(),
        description="Lower-case letters, numbers and hyphens, for example: family-safety-plan.",
        validators=[DataRequired(message="Enter a short name"), Length(max=63)],
    )
    stage = SelectField(
        "Usual practice stage",
        widget=GovSelect(),
        choices=[("", "Choose a stage")] + list(STAGES),
        validators=[DataRequired(message="Choose a practice stage")],
    )
    submit = SubmitField("Add document type", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Only a button, for actions that change state."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
