"""The generate, template and account pages on a phone: nothing scrolls sideways at 375 px.
The documents, search, compare, admin, audit, profile and journey pages are measured in their
own tests (test_mobile_documents.py, test_journey_admin.py, test_journey_profile.py,
test_journey_case*.py)."""

import re

from playwright.sync_api import expect

from .conftest import docx_file

PHONE = {"width": 375, "height": 800}
TEMPLATE = docx_file("Letter before proceedings", [("To", ["Dear {{ worker.name }},"])])
PAGES = [
    ("home", "/"),
    ("generate: choose", "/generate"),
    ("generate: a template tried with sample data", "/generate/cp-conference-report?sample=1"),
    ("generate: a pack from a case file", "/generate/packs/plo-letters"),
    ("templates", "/templates"),
    ("templates: choose one", "/templates/choose/plo-letter-before-proceedings"),
    ("case journey: start", "/case"),
    ("change password", "/account/password"),
    ("API tokens", "/account/tokens"),
]


def _upload_a_template(page) -> str:
    """Upload an authority template (its table rows are what widen the templates pages)."""
    page.goto("/templates/new")
    page.get_by_label("Document type").select_option(label="Letter before proceedings")
    page.get_by_label("Title").fill("Kestrelford letter before proceedings for phones")
    page.get_by_label("Template file", exact=True).set_input_files(
        {"name": "phone.docx", "mimeType": "application/octet-stream", "buffer": TEMPLATE}
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Version \d+"))
    return page.url.split("/versions/")[0]


def test_generate_and_template_pages_do_not_scroll_sideways(page, sign_in):
    sign_in("editor")
    template_page = _upload_a_template(page).removeprefix(page.url.split("/templates")[0])
    page.set_viewport_size(PHONE)
    too_wide = []
    for state, url in [*PAGES, ("a template's page", template_page)]:
        page.goto(url)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{state} ({url}): {width} px")
    # The preview of a document: its tables scroll inside the preview, not the page.
    page.goto("/generate/cp-conference-report?sample=1")
    page.locator("main").get_by_role("button", name="Check and preview").last.click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Preview")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        too_wide.append(f"preview of the conference report: {width} px")
    assert too_wide == []
