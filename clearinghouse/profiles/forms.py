"""The profile's forms: one per section, made from fields.py, and the solicitor and logo forms.

Fields carry no rules of their own but the text check every form has: the service checks the
whole profile against the case model and its problems land on the fields their paths name.
"""

from functools import cache

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, StringField, SubmitField, TextAreaField

from ..forms import CheckedForm
from .fields import SECTIONS, SOLICITOR_FIELDS, Field


def _wtf_field(field: Field):
    if field.kind == "textarea":
        return TextAreaField(field.label, widget=GovTextArea(), description=field.hint)
    return StringField(field.label, widget=GovTextInput(), description=field.hint)


class _ProfileForm(CheckedForm):
    """A profile page's form: the version it was made from, and Save."""

    base_number = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


@cache
def section_form_class(slug: str) -> type[CheckedForm]:
    """Return the form class for a section of the profile."""
    section = SECTIONS[slug]
    attrs = {field.name: _wtf_field(field) for field in section.fields}
    return type(f"{slug.title()}ProfileForm", (_ProfileForm,), attrs)


@cache
def solicitor_form_class() -> type[CheckedForm]:
    """Return the form class for one solicitor."""
    attrs = {field.name: _wtf_field(field) for field in SOLICITOR_FIELDS}
    return type("SolicitorForm", (_ProfileForm,), attrs)


class RemoveForm(CheckedForm):
    """Remove one entry (a solicitor, the logo) from the profile."""

    base_number = HiddenField()
    submit = SubmitField("Remove", widget=GovSubmitInput())


class LogoForm(CheckedForm):
    """Upload a new logo."""

    base_number = HiddenField()
    logo = FileField(
        "Upload a logo",
        widget=GovFileInput(),
        description="A PNG or JPEG image, smaller than 200 KB. It appears about 4 cm wide at "
        "the top of the first page of documents.",
    )
    submit = SubmitField("Upload logo", widget=GovSubmitInput())
