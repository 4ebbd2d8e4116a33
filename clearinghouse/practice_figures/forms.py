"""The form choosing whether the authority's practice figures are shared (posted, CSRF)."""

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField

from ..forms import CheckedForm

SHARING_CHOICES = [
    ("internal", "Keep them within my authority"),
    ("shared", "Share them with the other authorities' managers"),
]


class SharingForm(CheckedForm):
    """Whether the authority's figures (aggregates only) are shared with other authorities."""

    sharing = RadioField(
        "Who can see your authority's practice figures?",
        widget=GovRadioInput(),
        choices=SHARING_CHOICES,
        validate_choice=False,
    )
    submit = SubmitField("Save who can see them", widget=GovSubmitInput())

    def shared(self) -> bool | None:
        """Return the choice as True or False, or None when neither was chosen."""
        return {"shared": True, "internal": False}.get(self.sharing.data or "")
