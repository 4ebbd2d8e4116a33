"""The generate pages: choose, the schema form with add and remove, upload, preview, download."""

import io
import json

from werkzeug.datastructures import MultiDict

from clearinghouse.generation import library
from clearinghouse.generation.schema_form import SchemaForm

from .conftest import sample_case
from .helpers import docx_text, form_fields


def _sample_form(slug="test-letter", case=None):
    form = SchemaForm(library.form_schema(slug), None)
    return MultiDict(form_fields(form.fields(case or sample_case())))


def test_choose_lists_library_templates(gen_app, users, login):
    page = login(users["practitioner"]).get("/generate")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Test letter for the family" in html and "Test conference report" in html
    assert "/generate/test-letter" in html


def test_empty_form_has_fields_and_repeating_groups(gen_app, users, login):
    html = login(users["practitioner"]).get("/generate/test-letter").get_data(as_text=True)
    assert 'name="children-0-name"' in html  # minItems 1: one child shown
    assert 'value="add:danger_statements"' in html
    assert 'value="add:meetings"' in html  # no meeting until one is added
    assert 'name="document-date-day"' in html  # a GOV.UK date input
    assert 'name="case_version"' not in html  # fixed by the schema, never asked
    assert 'name="csrf_token"' in html


def test_sample_fills_the_form(gen_app, users, login):
    html = login(users["practitioner"]).get("/generate/test-letter?sample=1").get_data(as_text=True)
    assert 'value="Amara Okafor"' in html
    assert 'value="remove:danger_statements-0"' in html


def test_add_and_remove_without_javascript(gen_app, users, login):
    client = login(users["practitioner"])
    data = _sample_form()
    data["action"] = "add:danger_statements"
    html = client.post("/generate/test-letter", data=data).get_data(as_text=True)
    assert 'name="danger_statements-1-worried_about"' in html
    assert 'name="danger_statements-count" value="2"' in html
    assert "Adults shouting" in html  # the first worry kept
    data["action"] = "remove:danger_statements-0"
    html = client.post("/generate/test-letter", data=data).get_data(as_text=True)
    assert 'name="danger_statements-count" value="0"' in html
    assert "Adults shouting" not in html
    assert 'value="Amara Okafor"' in html


def test_nested_list_add(gen_app, users, login):
    client = login(users["practitioner"])
    data = _sample_form()
    data["action"] = "add:children"
    html = client.post("/generate/test-letter", data=data).get_data(as_text=True)
    assert 'id="children-1-name"' in html


def test_preview_shows_document_and_warnings_then_download(gen_app, users, login):
    client = login(users["practitioner"])
    data = _sample_form()
    data["action"] = "preview"
    page = client.post("/generate/test-letter", data=data)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Worry D1: Adults shouting" in html
    assert "Quality checks" in html
    assert "Reading age of the text you entered: about" in html  # a family document
    case_json = json.loads(_hidden(html, "case_json"))
    assert case_json == sample_case()
    download = client.post(
        "/generate/test-letter/download", data={"case_json": json.dumps(case_json)}
    )
    assert download.status_code == 200
    assert download.headers["Cache-Control"].startswith("no-store")
    assert "attachment" in download.headers["Content-Disposition"]
    assert "plo-letter-before-proceedings-AO-" in download.headers["Content-Disposition"]
    text = docx_text(download.data)
    assert "Letter about Amara Okafor" in text and "Goal: Keep Amara away from fights." in text


def _hidden(html: str, name: str) -> str:
    import html as html_lib
    import re

    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return html_lib.unescape(match.group(1))


def test_validation_errors_link_to_fields(gen_app, users, login):
    client = login(users["practitioner"])
    data = _sample_form()
    data["children-0-name"] = ""
    data["scales-0-score"] = "eleven"
    data["action"] = "preview"
    page = client.post("/generate/test-letter", data=data)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "govuk-error-summary" in html and 'data-module="govuk-error-summary"' in html
    assert 'href="#children-0-name"' in html and "Enter child&#39;s name" in html
    assert 'href="#scales-0-score"' in html and "Score must be a whole number" in html
    assert 'id="children-0-name-error"' in html
    assert "<title>Error:" in html
    assert 'value="eleven"' in html  # what was typed is kept


def test_upload_case_json_reviews_it_in_the_form(gen_app, users, login):
    client = login(users["practitioner"])
    upload = (io.BytesIO(json.dumps(sample_case()).encode()), "case.json")
    page = client.post(
        "/generate/test-letter",
        data={"action": "upload", "case_file": upload},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    assert 'value="Amara Okafor"' in page.get_data(as_text=True)


def test_upload_bad_json_is_refused_clearly(gen_app, users, login):
    client = login(users["practitioner"])
    for content in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        page = client.post(
            "/generate/test-letter",
            data={"action": "upload", "case_file": (io.BytesIO(content), "case.json")},
            content_type="multipart/form-data",
        )
        assert page.status_code == 400
        assert 'href="#case_file"' in page.get_data(as_text=True)


def test_upload_with_problems_marks_the_fields(gen_app, users, login):
    client = login(users["practitioner"])
    case = sample_case()
    case["children"][0]["date_of_birth"] = "2020-13-01"
    page = client.post(
        "/generate/test-letter",
        data={"action": "upload", "case_file": (io.BytesIO(json.dumps(case).encode()), "c.json")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 400
    assert 'href="#children-0-date_of_birth-day"' in page.get_data(as_text=True)


def test_change_answers_from_preview(gen_app, users, login):
    client = login(users["practitioner"])
    page = client.post(
        "/generate/test-letter", data={"action": "edit", "case_json": json.dumps(sample_case())}
    )
    assert 'value="Amara Okafor"' in page.get_data(as_text=True)


def test_tampered_download_is_refused_without_error(gen_app, users, login):
    client = login(users["practitioner"])
    for body in ("not json", "[]", json.dumps({"children": []})):
        response = client.post("/generate/test-letter/download", data={"case_json": body})
        assert response.status_code == 400


def test_hostile_form_values_never_cause_a_server_error(gen_app, users, login):
    client = login(users["practitioner"])
    data = MultiDict(
        {
            "children-count": "99999999999",
            "danger_statements-count": "-5",
            "scales-count": "x",
            "meetings-count": "1",
            "meetings-0-how": "pigeon",
            "action": "remove:nothing-7",
        }
    )
    assert client.post("/generate/test-letter", data=data).status_code == 200
    data["action"] = "preview"
    assert client.post("/generate/test-letter", data=data).status_code in (400, 413)


def test_unknown_template_is_404(gen_app, users, login):
    assert login(users["practitioner"]).get("/generate/nope").status_code == 404


def test_admin_sees_templates_but_cannot_generate(gen_app, users, login):
    client = login(users["admin"])
    assert "Only practitioners" in client.get("/generate").get_data(as_text=True)
    assert client.get("/generate/test-letter").status_code == 200
    data = _sample_form()
    data["action"] = "preview"
    assert client.post("/generate/test-letter", data=data).status_code == 403


def test_pages_refuse_anonymous(gen_app, client):
    assert client.get("/generate").status_code == 302
    assert client.post("/generate/test-letter/download").status_code == 302
