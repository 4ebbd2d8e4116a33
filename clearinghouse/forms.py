"""The base of every web form: text holding NUL or a lone surrogate is refused, naming the field.

Every form in the app derives from ``CheckedForm`` (posted, CSRF-protected) or
``CheckedGetForm`` (GET choosers), so no field needs its own validator for these characters.
"""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from werkzeug.datastructures import FileStorage
from wtforms import Form, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .text import cannot_use, text_problem


def max_length(label: str, most: int) -> Length:
    """Return a Length validator whose message reads "<label> must be <n> characters or fewer."."""
    return Length(max=most, message=f"{label} must be {most} characters or fewer.")


def title_field(noun: str) -> StringField:
    """Return the required "Title" field (300 characters at most) of a document or template."""
    return StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired(message=f"Enter a title for the {noun}"),
            max_length("Title", 300),
        ],
    )


def visibility_choices(verb: str) -> list[tuple[str, str]]:
    """Return the internal and shared choices, saying what people can do ("see", "use")."""
    return [
        ("internal", f"Keep internal: only people in my authority can {verb} it"),
        ("shared", "Share with every authority"),
    ]


def visibility_field(label: str, verb: str, noun: str, **options) -> RadioField:
    """Return the radios choosing who can see (or use) a document or template."""
    return RadioField(
        label,
        widget=GovRadioInput(),
        choices=visibility_choices(verb),
        validators=[InputRequired(message=f"Choose who can {verb} the {noun}")],
        **options,
    )


def change_note_field(label: str, required: str | None = None, **options) -> TextAreaField:
    """Return a version's change note (2000 characters at most), required when given a message."""
    first = DataRequired(message=required) if required else Optional()
    limit = max_length("The change note" if required else "The note", 2000)
    return TextAreaField(label, widget=GovCharacterCount(), validators=[first, limit], **options)


def upload_file_field(label: str, hint: str, required: str) -> FileField:
    """Return the required file field of an upload form, with its hint."""
    return FileField(
        label, widget=GovFileInput(), description=hint, validators=[DataRequired(message=required)]
    )


def uploaded_file(field) -> tuple[bytes, str]:
    """Return the bytes and the file name (perhaps empty) of a file field's upload."""
    return field.data.read(), field.data.filename or ""


def show_refusal(form, exc, field_for_code: dict | None = None, fallback=None) -> None:
    """Put a service refusal on the form's fields, so the error summary links to them.

    Each of the refusal's details lands on the field its path names; with ``field_for_code``
    the refusal's code names the field instead. A refusal naming no field of the form lands on
    ``fallback`` (the form's first field when not given).
    """
    if field_for_code is not None:
        details = [{"path": field_for_code.get(exc.code, ""), "message": exc.message}]
    else:
        details = exc.details or [{"path": "", "message": exc.message}]
    for detail in details:
        field = getattr(form, str(detail.get("path") or ""), None)
        if field is None:
            field = fallback if fallback is not None else next(iter(form))
        field.errors = [*field.errors, detail.get("message") or exc.message]


def _field_problem(field) -> str | None:
    """Return the message for the first submitted value of the field that cannot be used."""
    label = field.label.text if field.label else field.name
    for value in field.raw_data or ():
        if isinstance(value, FileStorage):
            problem = text_problem(value.filename or "")
            if problem:
                return cannot_use(f"The name of the file chosen for {label}", problem)
        elif isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return cannot_use(label, problem)
    return None


class TextCheckMixin:
    """Refuse, on the field, any submitted text with NUL or a lone surrogate."""

    def validate(self, extra_validators=None) -> bool:
        """Run the form's validators, then replace a bad field's errors with the text problem."""
        valid = super().validate(extra_validators)
        for field in self:
            message = _field_problem(field)
            if message:
                field.errors = [message]
                valid = False
        return valid


class CheckedForm(TextCheckMixin, FlaskForm):
    """A posted, CSRF-protected form whose text fields are checked."""


class CheckedGetForm(TextCheckMixin, Form):
    """A GET form (it changes nothing, so no CSRF) whose text fields are checked."""


def sharing_form(label: str, keep: str, share: str, button: str) -> type[CheckedForm]:
    """Return a form choosing whether an authority shares something with the other authorities."""

    class SharingForm(CheckedForm):
        sharing = RadioField(
            label,
            widget=GovRadioInput(),
            choices=[("internal", keep), ("shared", share)],
            validate_choice=False,
        )
        submit = SubmitField(button, widget=GovSubmitInput())

        def shared(self) -> bool | None:
            """Return the choice as True or False, or None when neither was chosen."""
            return {"shared": True, "internal": False}.get(self.sharing.data or "")

    return SharingForm


def sharing_chosen(form, missing: str) -> bool | None:
    """Return the posted sharing choice, or None with the problem on the field (or a CSRF
    failure) when there is none to save."""
    valid = form.validate_on_submit()
    if valid and form.shared() is None:
        form.sharing.errors = [missing]
    return form.shared() if valid else None
