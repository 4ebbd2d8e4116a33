"""document_generate: permissions, validation, limits, literal text, audit and file names."""

from datetime import date

import pytest

from clearinghouse import media_types
from clearinghouse.errors import InvalidInput, NotAuthorized, NotFound
from clearinghouse.extensions import db
from clearinghouse.generation import service
from clearinghouse.models import AuditEvent

from .conftest import sample_case
from .helpers import docx_text


def test_generate_docx_from_sample(gen_app, users, clock):
    generated = service.document_generate(users["practitioner"], "test-letter", sample_case())
    text = docx_text(generated.content)
    assert "Letter about Amara Okafor" in text
    assert "Worry D1: Adults shouting and hitting at home when Amara is there." in text
    assert "Goal: Keep Amara away from fights." in text
    assert generated.media_type == media_types.DOCX
    # Named by the date the document speaks from, not the day it was made.
    assert generated.filename == "plo-letter-before-proceedings-AO-2026-11-20.docx"


def test_one_audit_event_with_output_sha256_and_no_case_data(gen_app, users):
    generated = service.document_generate(users["practitioner"], "test-report", sample_case())
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "document_generated")
    ).all()
    assert len(events) == 1
    event = events[0]
    assert event.action == "document_generated"
    assert event.user_id == users["practitioner"].id
    assert event.detail["template"] == "test-report"
    assert event.detail["source"] == "library"
    assert event.detail["template_version"] == "2.1"
    assert event.detail["output_sha256"] == generated.sha256
    assert "Amara" not in repr(event.detail)


def test_html_preview(gen_app, users):
    generated = service.document_generate(
        users["practitioner"], "test-letter", sample_case(), fmt="html"
    )
    assert "Amara Okafor" in generated.content
    assert "<script" not in generated.content
    assert generated.filename.endswith(".html")


def test_admin_without_authority_may_not_generate(gen_app, users):
    with pytest.raises(NotAuthorized):
        service.document_generate(users["admin"], "test-letter", sample_case())
    generated = db.select(AuditEvent).where(AuditEvent.action == "document_generated")
    assert db.session.scalars(generated).all() == []


def test_unknown_template_is_not_found(gen_app, users):
    with pytest.raises(NotFound):
        service.document_generate(users["practitioner"], "no-such-template", sample_case())


def test_invalid_case_data_lists_plain_problems_by_path(gen_app, users):
    case = sample_case()
    del case["children"][0]["name"]
    case["scales"][0]["score"] = 11
    case["children"][0]["date_of_birth"] = "2020-02-31"
    with pytest.raises(InvalidInput) as caught:
        service.document_generate(users["practitioner"], "test-letter", case)
    error = caught.value
    assert error.code == "invalid_case_data" and error.status == 422
    by_path = {d["path"]: d["message"] for d in error.details}
    assert by_path["/children/0/name"] == "Enter child's name"
    assert by_path["/scales/0/score"] == "Score must be 10 or less"
    assert "real date" in by_path["/children/0/date_of_birth"]


@pytest.mark.parametrize("body", [[], "text", None, 7, True])
def test_case_data_that_is_not_an_object_is_refused(gen_app, users, body):
    with pytest.raises(InvalidInput) as caught:
        service.document_generate(users["practitioner"], "test-letter", body)
    assert caught.value.code == "invalid_case_data"


def test_text_comes_out_exactly_as_typed(gen_app, users):
    case = sample_case()
    typed = "{{ 7*7 }} {% if true %}x{% endif %} <w:p> &amp; {# c #} <b>bold</b>"
    case["children"][0]["name"] = typed
    case["danger_statements"][0]["worried_about"] = 'Tom & Jerry said "no" <w:r>'
    text = docx_text(service.document_generate(users["practitioner"], "test-letter", case).content)
    assert f"Letter about {typed}" in text
    assert "49" not in text
    assert 'Worry D1: Tom & Jerry said "no" <w:r>' in text


def test_characters_invalid_in_xml_are_removed(gen_app, users):
    case = sample_case()
    case["children"][0]["name"] = "Amara\x00\x0b Okafor"
    text = docx_text(service.document_generate(users["practitioner"], "test-letter", case).content)
    assert "Letter about Amara Okafor" in text


def test_input_size_limit_refused_clearly(gen_app, users):
    gen_app.config["CLEARINGHOUSE"]["RENDER_MAX_INPUT_KB"] = 4
    case = sample_case()
    case["danger_statements"][0]["worried_about"] = "x" * 4900
    with pytest.raises(InvalidInput) as caught:
        service.document_generate(users["practitioner"], "test-letter", case)
    assert caught.value.code == "render_limit" and caught.value.status == 413
    assert "too large" in caught.value.message


def test_list_length_limit_refused_clearly(gen_app, users):
    gen_app.config["CLEARINGHOUSE"]["RENDER_MAX_LIST_ITEMS"] = 5
    case = sample_case()
    case["danger_statements"][0]["examples"] = [f"Example {i}" for i in range(6)]
    with pytest.raises(InvalidInput) as caught:
        service.document_generate(users["practitioner"], "test-letter", case)
    assert caught.value.code == "render_limit"
    assert caught.value.details[0]["path"] == "/danger_statements/0/examples"


def test_file_name_has_initials_not_names():
    case = {"children": [{"name": "Amara Okafor"}, {"name": "Ben de la Cruz"}]}
    name = service.document_filename("cp-conference-report", case, date(2026, 3, 4), "docx")
    assert name == "child-protection-conference-report-AO-BDL-2026-03-04.docx"
    assert service.document_filename("safety-plan", {}, date(2026, 3, 4), "docx") == (
        "safety-plan-2026-03-04.docx"
    )
    assert service.document_filename("words-and-pictures", {}, date(2026, 3, 4), "docx") == (
        "words-and-pictures-explanation-2026-03-04.docx"
    )


def test_templates_list_schema_and_sample(gen_app, users):
    listed = service.templates_list(users["practitioner"])
    slugs = {t.slug for t in listed}
    assert {"test-letter", "test-report"} <= slugs
    schema = service.template_schema(users["practitioner"], "test-letter")
    assert "case" in schema["$defs"]
    assert service.template_sample(users["practitioner"], "test-letter")["children"]


def test_quality_checks_look_only_at_what_the_template_uses(gen_app, users):
    case = sample_case()
    case["referral"] = {"notes": "The ICPC and s47 for the LAC."}  # not in this template
    case["danger_statements"][0]["worried_about"] = "The s47 enquiry found bruises."
    generated = service.document_generate(users["practitioner"], "test-letter", case)
    jargon = [w for w in generated.warnings if w["code"] == "jargon"]
    assert [w["path"] for w in jargon] == ["/danger_statements/0/worried_about"]
