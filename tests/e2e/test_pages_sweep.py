"""axe on the pages the journeys do not reach: uploads, tokens and the admin pages,
in their empty, error and success states."""

import re
from pathlib import Path

from playwright.sync_api import expect

from .conftest import docx_file


def test_upload_document_pages(page, sign_in, axe):
    sign_in("editor")
    page.goto("/documents")
    page.get_by_role("button", name="Upload a document").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a document")
    axe(page, "upload a document")

    page.get_by_role("button", name="Upload document").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe(page, "upload a document with errors")

    page.get_by_label("Title").fill("Kestrelford family network meeting guide")
    page.get_by_label("Document type").select_option(label="Family network meeting")
    page.get_by_label("Share with every authority").check()
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "not-word.docx", "mimeType": "application/octet-stream", "buffer": b"not a zip"}
    )
    page.get_by_role("button", name="Upload document").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Word")
    axe(page, "upload refused: not really a Word document")

    page.get_by_label("File", exact=True).set_input_files(
        {
            "name": "family-network.docx",
            "mimeType": "application/octet-stream",
            "buffer": docx_file("Family network meetings", [("Who to invite", ["Everyone."])]),
        }
    )
    page.get_by_role("button", name="Upload document").click()
    expect(page.get_by_text("Document uploaded.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kestrelford family network meeting guide"
    )
    axe(page, "document page after the first upload")


def test_api_tokens_page(page, sign_in, axe):
    sign_in("practitioner")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    axe(page, "API tokens")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe(page, "API tokens with an error")
    page.get_by_label("Token name").fill("Browser test script")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("cell", name="Browser test script", exact=True)).to_be_visible()
    axe(page, "API tokens with a new token shown once")


def test_admin_pages(page, sign_in, axe):
    sign_in("admin")
    page.get_by_role("link", name="Admin", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Admin")
    axe(page, "admin home")
    for path in ["/admin/authorities", "/admin/users", "/admin/users/new", "/admin/doc-types"]:
        response = page.goto(path)
        assert response.status == 200, path
        axe(page, path)
    page.goto("/admin/users/new")
    page.locator("main").get_by_role("button").last.click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe(page, "new user form with errors")


def test_not_found_page(page, sign_in, axe):
    sign_in("practitioner")
    response = page.goto("/documents/999999")
    assert response.status == 404
    axe(page, "not found")


def test_generate_from_an_uploaded_case_file(page, sign_in, axe):
    sign_in("practitioner")
    page.goto("/generate/plo-letter-before-proceedings")
    page.get_by_text("Upload a case file instead").click()
    page.get_by_role("button", name="Upload and review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select a case file")
    axe(page, "case file upload with an error")

    sample = (
        Path(__file__).resolve().parents[2]
        / "templates_library/plo-letter-before-proceedings/sample.json"
    )
    page.get_by_label("Case file (.json)").set_input_files(str(sample))
    page.get_by_role("button", name="Upload and review").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#children-0-name")).not_to_have_value("")
    axe(page, "case form filled from an uploaded case file")
