"""The schema form: fields from the schema, case data back from the form, add and remove."""

from werkzeug.datastructures import MultiDict

from clearinghouse.generation import library
from clearinghouse.generation.schema_form import SchemaForm, pointer_to_name

from .conftest import sample_case
from .helpers import form_fields


def _form(gen_app) -> SchemaForm:
    return SchemaForm(library.form_schema("test-letter"), None, max_items=10)


def test_round_trip_keeps_the_case(gen_app):
    form = _form(gen_app)
    posted = MultiDict(form_fields(form.fields(sample_case())))
    assert form.data(posted) == sample_case()


def test_kinds_follow_the_schema(gen_app):
    fields = {f.name: f for f in _form(gen_app).fields(sample_case())}
    assert fields["children"].kind == "repeat"
    child = fields["children"].children[0]
    kinds = {f.name: f.kind for f in child.children}
    assert kinds == {
        "children-0-id": "hidden",  # made by the service, never typed
        "children-0-name": "text",
        "children-0-date_of_birth": "date",
        "children-0-seen_alone": "radios",
    }
    meeting = {f.name: f for f in fields["meetings"].children[0].children}
    assert meeting["meetings-0-how"].kind == "select"  # optional enum: can be left unanswered
    worry = {f.name: f.kind for f in fields["danger_statements"].children[0].children}
    assert worry["danger_statements-0-worried_about"] == "textarea"
    assert worry["danger_statements-0-examples"] == "lines"
    assert fields["danger_statements"].item_label == "Danger statement"


def test_blank_answers_are_left_out_and_numbers_converted(gen_app):
    form = _form(gen_app)
    data = form.data(
        MultiDict(
            {
                "children-count": "1",
                "children-0-name": "  Ann  ",
                "children-0-date_of_birth": "",
                "children-0-seen_alone": "no",
                "document-meeting_id": "M1",
                "scales-count": "2",
                "scales-0-rater": "Mum",
                "scales-0-score": "7",
                "scales-1-score": "seven",
                "document-date": "",
                "danger_statements-count": "0",
            }
        )
    )
    assert data == {
        "children": [{"name": "Ann", "seen_alone": False, "id": "C1"}],  # the id is made for her
        "document": {"meeting_id": "M1"},
        "case_version": 2,  # fixed by the schema, never asked
        "scales": [{"rater": "Mum", "score": 7}, {"score": "seven"}],
    }


def test_optional_yes_no_has_not_recorded(gen_app):
    child = _form(gen_app).fields(sample_case())[0].children[0].children
    seen_alone = next(f for f in child if f.name == "children-0-seen_alone")
    assert seen_alone.options == [("yes", "Yes"), ("no", "No"), ("", "Not recorded")]
    assert seen_alone.value == "yes"


def test_counts_are_capped(gen_app):
    form = _form(gen_app)
    data = form.data(MultiDict({"children-count": "100000"}))
    assert len(data["children"]) == 10


def test_add_and_remove(gen_app):
    form = _form(gen_app)
    case = sample_case()
    assert form.apply_action(case, "add:scales")
    assert case["scales"][-1] == {} and len(case["scales"]) == 2
    assert form.apply_action(case, "remove:scales-0")
    assert case["scales"] == [{}]
    assert not form.apply_action(case, "remove:scales-9")
    assert not form.apply_action(case, "explode:scales")


def test_error_names_match_field_ids():
    assert pointer_to_name("/children/0/name") == "children-0-name"
    assert pointer_to_name("") == ""
