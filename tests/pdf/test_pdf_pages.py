"""The pages with PDF: the generate preview's "Download as PDF" and "Download as PDF/A" buttons
(with CSRF on), the pack page's format radios, and the case journey's preview and check pages;
where LibreOffice is missing, the one line saying so and no PDF buttons, and a PDF asked for
anyway answered with the page again, its error summary, 503 and Retry-After, the case kept;
where a conversion fails (too slow), 422 on the same pages.

The test that changes the converters' settings comes last, and stops them after.
"""

import io
import json
import re
from html import unescape

import pytest
from factories import PASSWORD
from flask import g, request_started
from generation.helpers import docx_text, form_fields
from journey.walker import Walker
from werkzeug.datastructures import MultiDict

from clearinghouse import pdf
from clearinghouse.generation import library
from clearinghouse.generation.schema_form import SchemaForm
from clearinghouse.pdf.errors import INSTALL_HINT

from .pdf_tools import need_libreoffice
from .routes_support import (
    LETTER,
    PACK,
    REPORT,
    library_sample,
    pdf_text,
    pdfa_identification,
    shared_case,
    zip_files,
)

MISSING = "/nonexistent/soffice"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_BUTTONS = ("Download as PDF", "Download as PDF/A", "Generate the pack as PDFs")


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def _hidden(html: str, name: str) -> str:
    return unescape(re.search(rf'name="{name}" value="([^"]*)"', html).group(1))


def _preview(client, slug: str, csrf_token: str | None = None):
    """Post the template's sample through its form to the preview, as a browser would."""
    form = SchemaForm(library.form_schema(slug), None)
    posted = MultiDict(form_fields(form.fields(library_sample(slug))))
    posted["action"] = "preview"
    if csrf_token:
        posted["csrf_token"] = csrf_token
    return client.post(f"/generate/{slug}", data=posted)


def _assert_sent_as(response, media_type: str, suffix: str) -> None:
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    assert response.mimetype == media_type
    assert response.headers["Cache-Control"].startswith("no-store")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.strip('"').endswith(suffix)


def _upload(case: dict, **fields) -> dict:
    return {"case_file": (io.BytesIO(json.dumps(case).encode()), "case.json"), **fields}


def _journey(client, target: str) -> Walker:
    """Open the shared sample case in the journey; show check your answers for the target."""
    walker = Walker(client)
    walker.get("/case")
    walker.press("Upload the case file", files=_upload(shared_case()))
    assert walker.response.status_code == 200, walker.text[:500]
    walker.press("Check your answers", {"target": target})
    assert walker.response.status_code == 200 and "Correct these" not in walker.text
    return walker


def _problem_shown(response, message: str) -> None:
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert message in unescape(html)
    assert "<title>Error:" in html


def _forget_csrf_token(sender, **extra):
    g.pop("csrf_token", None)  # the tests' one app context would keep it past signing in


@pytest.fixture
def csrf_per_request(app):
    """Let each request make its CSRF token from its own session, as separate requests do."""
    request_started.connect(_forget_csrf_token, app)
    yield
    request_started.disconnect(_forget_csrf_token, app)


@pytest.mark.app_settings(csrf=True)
def test_the_preview_downloads_pdf_and_pdfa_through_its_form_with_csrf(
    app, users, csrf_per_request
):
    need_libreoffice()
    client = app.test_client()
    sign_in = {"email": users["practitioner"].email, "password": PASSWORD}
    sign_in["csrf_token"] = _csrf(client.get("/sign-in").get_data(as_text=True))
    assert client.post("/sign-in", data=sign_in).status_code == 302
    token = _csrf(client.get(f"/generate/{REPORT}?sample=1").get_data(as_text=True))
    preview = _preview(client, REPORT, token)
    assert preview.status_code == 200, preview.get_data(as_text=True)[:1000]
    html = preview.get_data(as_text=True)
    assert 'value="pdf">Download as PDF</button>' in html
    assert 'value="pdfa">Download as PDF/A' in html
    assert 'id="pdf-unavailable"' not in html
    case_json = _hidden(html, "case_json")
    refused = client.post(f"/generate/{REPORT}/download", data={"case_json": case_json})
    assert refused.status_code == 400  # no CSRF token: the form's own is what lets it through
    assert "form expired" in refused.get_data(as_text=True)

    walker = Walker(client)
    made = {}
    for button in ("Download as PDF/A", "Download as PDF"):
        walker.response = preview
        made[button] = walker.press(button)
        _assert_sent_as(made[button], "application/pdf", ".pdf")
    assert "Mia Carter" in pdf_text(made["Download as PDF"].data)
    assert pdfa_identification(made["Download as PDF"].data) == (None, None)
    assert pdfa_identification(made["Download as PDF/A"].data) == ("2", "B")


def test_the_pack_page_offers_formats_and_makes_a_zip_of_pdfs(users, login):
    need_libreoffice()
    client = login(users["practitioner"])
    html = client.get(f"/generate/packs/{PACK}").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="format"[^>]*>', html)
    assert [re.search(r'value="(\w+)"', r).group(1) for r in radios] == ["docx", "pdf", "pdfa"]
    assert "checked" in radios[0]  # Word documents unless PDFs are chosen
    response = client.post(f"/generate/packs/{PACK}", data=_upload(shared_case(), format="pdf"))
    _assert_sent_as(response, "application/zip", ".zip")
    files = zip_files(response.data)
    assert len(files) == 4 and all(name.endswith(".pdf") for name in files), sorted(files)
    assert all(data.startswith(b"%PDF-") for data in files.values())
    letter = pdf_text(files["plo-letter-before-proceedings-RH-2026-10-21.pdf"])
    assert "Dear Ryan Hughes" in letter


def test_the_journey_previews_then_downloads_pdf_and_makes_a_pack_of_pdfs(users, login):
    need_libreoffice()
    walker = _journey(login(users["practitioner"]), f"template:{REPORT}")
    walker.press("Preview the document")
    assert walker.response.status_code == 200 and "Mia Carter" in walker.text
    preview = walker.response
    values = {b["value"] for f in walker.forms() for b in f["buttons"] if b["name"] == "action"}
    assert {"download-docx", "download-pdf", "download-pdfa"} <= values
    walker.press("Download as PDF")
    _assert_sent_as(walker.response, "application/pdf", ".pdf")
    text = pdf_text(walker.response.data)
    assert "Mia Carter" in text and "Northshire County Council" in text
    walker.response = preview
    walker.press("Download as PDF/A")
    _assert_sent_as(walker.response, "application/pdf", ".pdf")
    assert pdfa_identification(walker.response.data) == ("2", "B")

    walker.response = preview
    walker.press("Back to your case")
    walker.press("Check your answers", {"target": f"pack:{PACK}"})
    assert "Generate the pack as PDFs" in walker.text
    walker.press("Generate the pack as PDFs")
    _assert_sent_as(walker.response, "application/zip", ".zip")
    files = zip_files(walker.response.data)
    assert files and all(n.endswith(".pdf") and d[:5] == b"%PDF-" for n, d in files.items())


@pytest.mark.app_settings(PDF_SOFFICE=MISSING)
def test_without_libreoffice_the_pages_say_why_and_keep_the_case(users, login):
    client = login(users["practitioner"])
    preview = _preview(client, LETTER)
    html = preview.get_data(as_text=True)
    assert f'id="pdf-unavailable">{INSTALL_HINT}</p>' in html
    assert not [b for b in PDF_BUTTONS if b in html]
    assert "Download the document (.docx)" in html
    case_json = _hidden(html, "case_json")

    asked = client.post(
        f"/generate/{LETTER}/download", data={"case_json": case_json, "format": "pdf"}
    )
    assert asked.status_code == 503 and int(asked.headers["Retry-After"]) > 0
    assert asked.headers["Cache-Control"].startswith("no-store")
    _problem_shown(asked, "PDF download needs LibreOffice")
    kept = _hidden(asked.get_data(as_text=True), "case_json")
    assert json.loads(kept) == json.loads(case_json) == library_sample(LETTER)
    word = client.post(f"/generate/{LETTER}/download", data={"case_json": kept})
    _assert_sent_as(word, DOCX, ".docx")
    assert "Danielle Carter" in docx_text(word.data)

    page = client.get(f"/generate/packs/{PACK}").get_data(as_text=True)
    assert 'id="pdf-unavailable"' in page and 'name="format"' not in page
    asked = client.post(f"/generate/packs/{PACK}", data=_upload(shared_case(), format="pdf"))
    assert asked.status_code == 503 and int(asked.headers["Retry-After"]) > 0
    assert "PDF download needs LibreOffice" in unescape(asked.get_data(as_text=True))


@pytest.mark.app_settings(PDF_SOFFICE=MISSING)
def test_without_libreoffice_the_journey_says_why_and_keeps_the_case(users, login):
    walker = _journey(login(users["practitioner"]), f"template:{REPORT}")
    check = walker.response
    walker.press("Preview the document")
    assert 'id="pdf-unavailable"' in walker.html and INSTALL_HINT in unescape(walker.html)
    assert not [b for b in PDF_BUTTONS if b in walker.html]
    # As if the PDF button were there: the first action sent is the one the page reads.
    walker.press("Download the document", {"action": "download-pdf"})
    assert walker.response.status_code == 503 and int(walker.response.headers["Retry-After"]) > 0
    _problem_shown(walker.response, "PDF download needs LibreOffice")
    assert "Mia Carter" in walker.text  # the preview again, the case in it
    assert _hidden(walker.html, "case_state")  # sealed again, so the next press has it
    walker.press("Download the document")
    assert "Mia Carter" in docx_text(walker.response.data)

    walker.response = check
    walker.press("Back to your case")
    walker.press("Check your answers", {"target": f"pack:{PACK}"})
    assert "Generate the pack (.zip)" in walker.text and "as PDFs" not in walker.text
    walker.press("Generate the pack", {"action": "download-pdf"})
    assert walker.response.status_code == 503 and int(walker.response.headers["Retry-After"]) > 0
    _problem_shown(walker.response, "PDF download needs LibreOffice")
    assert "Check your answers" in walker.text and "Generate the pack (.zip)" in walker.text


@pytest.fixture
def own_converters():
    """Stop, after the test, the converters its changed settings started."""
    yield
    pdf.shutdown()


@pytest.mark.app_settings(PDF_TIMEOUT_SECONDS=0.001)
def test_a_conversion_that_overruns_is_422_on_the_page_it_was_asked_from(
    users, login, own_converters
):
    need_libreoffice()
    overran = "took longer than 0.001 seconds"
    client = login(users["practitioner"])
    case_json = _hidden(_preview(client, LETTER).get_data(as_text=True), "case_json")
    asked = client.post(
        f"/generate/{LETTER}/download", data={"case_json": case_json, "format": "pdf"}
    )
    assert asked.status_code == 422
    _problem_shown(asked, overran)
    assert json.loads(_hidden(asked.get_data(as_text=True), "case_json")) == json.loads(case_json)

    asked = client.post(f"/generate/packs/{PACK}", data=_upload(shared_case(), format="pdf"))
    assert asked.status_code == 422 and overran in asked.get_data(as_text=True)

    walker = _journey(client, f"pack:{PACK}")
    walker.press("Generate the pack as PDFs")
    assert walker.response.status_code == 422, walker.text[:3000]
    _problem_shown(walker.response, overran)
