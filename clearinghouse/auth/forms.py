"""Sign-in, password change and token forms."""

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo

from ..forms import CheckedForm, max_length


def new_password_field() -> PasswordField:
    """Return the field for a new password."""
    return PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 12 characters. A few unrelated words make a strong password.",
        validators=[DataRequired(message="Enter a new password"), max_length("New password", 500)],
    )


def new_password_again_field() -> PasswordField:
    """Return the field repeating the new password, which must match it."""
    return PasswordField(
        "New password again",
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message="Enter the new password again"),
            EqualTo("new", message="The new passwords do not match"),
        ],
    )


class SignInForm(CheckedForm):
    """Email and password."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter your email address"),
            max_length("Email address", 254),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your password"), max_length("Password", 500)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class TokenForm(CheckedForm):
    """Name a new API token."""

    name = StringField(
        "Token name",
        widget=GovTextInput(),
        description="For example, the name of the script or system that will use it.",
        validators=[
            DataRequired(message="Enter a name for the token"),
            max_length("Token name", 100),
        ],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class ConfirmForm(CheckedForm):
    """A form with only a button, for actions that change state."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class PasswordChangeForm(CheckedForm):
    """The current password and a new one, twice."""

    current = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message="Enter your current password"),
            max_length("Current password", 500),
        ],
    )
    new = new_password_field()
    new_again = new_password_again_field()
    submit = SubmitField("Change password", widget=GovSubmitInput())


class PasswordResetForm(CheckedForm):
    """A new password, twice, set through a one-time link."""

    new = new_password_field()
    new_again = new_password_again_field()
    submit = SubmitField("Set password", widget=GovSubmitInput())
