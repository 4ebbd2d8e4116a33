"""The base of every web form: text holding NUL or a lone surrogate is refused, naming the field.

Every form in the app derives from ``CheckedForm`` (posted, CSRF-protected) or
``CheckedGetForm`` (GET choosers), so no field needs its own validator for these characters.
"""

from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import Form
from wtforms.validators import Length

from .text import cannot_use, text_problem


def max_length(label: str, most: int) -> Length:
    """Return a Length validator whose message reads "<label> must be <n> characters or fewer."."""
    return Length(max=most, message=f"{label} must be {most} characters or fewer.")


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
