"""Authorities' templates pages: list, upload with report, version, publish, choose."""

import io
import re

from docx_builder import make_docx
from factories import make_template

from clearinghouse.authority_templates import service

from .test_templates_service import GOOD, good_template


def _post_upload(client, data, title="North letter", doc_type="test-letter"):
    return client.post(
        "/templates/new",
        data={
            "doc_type": doc_type,
            "title": title,
            "visibility": "shared",
            "change_note": "",
            "file": (io.BytesIO(data), "letter.docx"),
        },
        content_type="multipart/form-data",
    )


def test_anonymous_users_are_sent_to_sign_in(gen_app, client):
    for url in ("/templates", "/templates/new", "/templates/choose/test-letter"):
        assert client.get(url).status_code == 302


def test_list_page_shows_each_document_type_and_upload_for_editors(gen_app, users, login):
    page = login(users["editor"]).get("/templates")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Test letter for the family" in text and "Test conference report" in text
    assert "Upload a template" in text
    text = login(users["practitioner"]).get("/templates").get_data(as_text=True)
    assert "Upload a template" not in text
    assert login(users["practitioner"]).get("/templates/new").status_code == 403


def test_upload_shows_the_report_then_publish(gen_app, users, login):
    client = login(users["editor"])
    response = _post_upload(client, make_docx(["Hello {{ parent_name }}"]))
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert "parent_name" in text and "Hello {{ parent_name }}" in text
    assert "cannot be published" in text
    assert "Publish version" not in text
    slug = re.search(r"/templates/([^/]+)/versions/1", response.headers["Location"]).group(1)
    # publishing is refused while the report has errors
    client.post(f"/templates/{slug}/versions/1/publish")
    assert service.template_get(users["editor"], slug).published is None
    # a new, good version
    response = client.post(
        f"/templates/{slug}/versions/new",
        data={"change_note": "Fixed", "file": (io.BytesIO(good_template()), "g.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    text = client.get(f"/templates/{slug}/versions/2").get_data(as_text=True)
    assert "Publish version 2" in text
    assert "Dear family of Amara Okafor" in text  # preview with the sample data
    assert client.post(f"/templates/{slug}/versions/2/publish").status_code == 302
    assert service.template_get(users["editor"], slug).published.number == 2
    text = client.get(f"/templates/{slug}").get_data(as_text=True)
    assert "Version 2" in text and "Published" in text
    download = client.get(f"/templates/{slug}/versions/2/download")
    assert download.data == good_template() or download.data[:2] == b"PK"


def test_upload_form_errors_are_shown_on_the_fields(gen_app, users, login):
    client = login(users["editor"])
    response = client.post(
        "/templates/new",
        data={
            "doc_type": "test-letter",
            "title": "Notes",
            "visibility": "internal",
            "file": (io.BytesIO(b"# notes"), "notes.md"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "govuk-error-summary" in text and "must be a Word document" in text
    response = client.post("/templates/new", data={"doc_type": "", "title": ""})
    assert response.status_code == 400
    assert "Choose a document type" in response.get_data(as_text=True)


def test_choose_page_remembers_and_goes_to_the_form(gen_app, users, login):
    template, _ = make_template(
        users["editor"], good_template(), filename="g.docx", visibility="internal"
    )
    service.template_publish(users["editor"], template.slug, 1)
    client = login(users["practitioner"])
    page = client.get("/templates/choose/test-letter")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "North letter (your authority, version 1)" in text
    response = client.post(
        "/templates/choose/test-letter", data={"choice": template.slug, "then": "generate"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/case?for=template:{template.slug}")
    start = client.get(response.headers["Location"])
    assert "For: North letter" in start.get_data(as_text=True)  # the journey, for that template
    assert service.template_choice_get(users["practitioner"], "test-letter") == template.slug
    text = client.get("/templates").get_data(as_text=True)
    assert "You use: <strong>North letter</strong>" in text
    response = client.post("/templates/choose/test-letter", data={"choice": "nope"})
    assert response.status_code == 400
    form = client.get(f"/generate/{template.slug}")
    assert form.status_code == 200


def test_another_authoritys_internal_template_is_not_found(gen_app, users, login):
    template, _ = make_template(
        users["editor"],
        make_docx(GOOD),
        filename="g.docx",
        title="North only",
        visibility="internal",
    )
    service.template_publish(users["editor"], template.slug, 1)
    client = login(users["south_editor"])
    assert client.get(f"/templates/{template.slug}").status_code == 404
    assert client.get(f"/templates/{template.slug}/versions/1/download").status_code == 404
