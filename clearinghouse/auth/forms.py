"""Sign-in and token forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    """Email and password."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your password"), Length(max=500)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class TokenForm(FlaskForm):
    """Name a new API token."""

    name = StringField(
        "Token name",
        widget=GovTextInput(),
        description="For example, the name of the script or system that will use it.",
        validators=[DataRequired(message="Enter a name for the token"), Length(max=100)],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A form with only a button, for actions that change state."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
