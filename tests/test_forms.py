"""The shared web form helpers: a service refusal lands on the field it names."""

from clearinghouse.authority_templates.forms import TemplateVersionForm
from clearinghouse.errors import InvalidInput
from clearinghouse.forms import show_refusal


def _form(app):
    with app.test_request_context("/", method="POST"):
        form = TemplateVersionForm(meta={"csrf": False})
        form.validate()
        return form


def test_details_land_on_their_fields_and_the_rest_on_the_fallback(app):
    form = _form(app)
    before = list(form.change_note.errors)
    refusal = InvalidInput(
        "invalid_template",
        "Two problems.",
        [{"path": "change_note", "message": "Too long."}, {"path": "nowhere", "message": "Odd."}],
    )
    show_refusal(form, refusal, fallback=form.file)
    assert list(form.change_note.errors) == [*before, "Too long."]
    assert form.file.errors[-1] == "Odd."


def test_a_code_can_name_the_field_and_no_field_means_the_first(app):
    form = _form(app)
    show_refusal(form, InvalidInput("bad_note", "No."), {"bad_note": "change_note"})
    assert form.change_note.errors[-1] == "No."
    show_refusal(form, InvalidInput("unknown", "Hm."), {"bad_note": "change_note"})
    assert next(iter(form)).errors[-1] == "Hm."
