"""Text too long for a field is named by the form, not answered as a file too large (413)."""

import io

from docx_builder import make_docx

MEGABYTE = 1024 * 1024


def _upload(client, url, **fields):
    data = {"file": (io.BytesIO(make_docx(["Words"])), "policy.docx"), **fields}
    return client.post(url, data=data, content_type="multipart/form-data")


def test_a_1_mb_title_is_named_on_the_upload_form(users, login):
    client = login(users["editor"])
    response = _upload(
        client, "/documents/new", title="T" * MEGABYTE, doc_type="policy", visibility="internal"
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Title must be 300 characters or fewer." in html
    assert "govuk-error-summary" in html and "too large" not in html


def test_a_1_mb_title_is_named_on_the_template_upload_form(users, login):
    response = _upload(
        login(users["editor"]), "/templates/new", title="T" * MEGABYTE, doc_type="safety-plan"
    )
    assert response.status_code == 400
    assert "Title must be 300 characters or fewer." in response.get_data(as_text=True)


def test_text_beyond_the_form_limit_says_text_not_file(app, users, login):
    limit = app.config["MAX_FORM_MEMORY_SIZE"]
    assert limit < app.config["MAX_CONTENT_LENGTH"]
    response = _upload(login(users["editor"]), "/documents/new", title="T" * (limit + 1))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Some of the text sent is too long" in html and "file is too large" not in html


def test_a_file_beyond_the_upload_limit_is_still_too_large(app, users, login):
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = login(users["editor"]).post(
        "/documents/new",
        data={"title": "T", "file": (io.BytesIO(big), "big.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "The file is too large to upload" in response.get_data(as_text=True)


def test_the_form_limit_fits_a_case_posted_back_from_the_preview(app):
    case_bytes = app.config["CLEARINGHOUSE"]["RENDER_MAX_INPUT_KB"] * 1024
    assert app.config["MAX_FORM_MEMORY_SIZE"] >= 3 * case_bytes  # %XX-encoded
