"""An editor uploads a new version with a change note and finds it in the history."""

import re

from playwright.sync_api import expect

from .conftest import docx_file

CHANGE_NOTE = "Added the section on supervision of kinship care cases after the March review"


def test_upload_new_version_and_find_it_in_history(page, sign_in, live_server, axe):
    sign_in("editor")
    title = live_server.documents["kestrelford_supervision"]["title"]

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Documents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    axe(page, "documents list")
    page.get_by_label("Document type").select_option(label="Supervision")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"doc_type=supervision"))
    axe(page, "documents list filtered by type")

    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    axe(page, "document page")
    page.get_by_role("button", name="Upload a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a new version")
    axe(page, "new version form")

    page.get_by_role("button", name="Upload new version").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("Enter a change note"))).to_be_visible()
    expect(summary.get_by_role("link", name="Choose a file to upload")).to_be_visible()
    axe(page, "new version form with errors")
    summary.get_by_role("link", name=re.compile("Enter a change note")).click()
    expect(page.get_by_label("What changed in this version?")).to_be_focused()

    page.get_by_label("What changed in this version?").fill(CHANGE_NOTE)
    new_file = docx_file(
        "Supervision policy",
        [
            ("Purpose", ["Supervision keeps practice focused on the child."]),
            ("Kinship care", ["Supervise kinship care cases every four weeks."]),
        ],
    )
    page.get_by_label("File", exact=True).set_input_files(
        {
            "name": "supervision-v2.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "buffer": new_file,
        }
    )
    page.get_by_role("button", name="Upload new version").click()

    expect(page.get_by_text("Version 2 uploaded.")).to_be_visible()
    history = page.get_by_role("table", name="Version history")
    row = history.get_by_role("row").filter(has_text=CHANGE_NOTE)
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name="Version 2", exact=True)).to_be_visible()
    expect(row).to_contain_text("supervision-v2.docx")
    expect(history.get_by_role("row").filter(has_text="Version 1")).to_have_count(1)
    axe(page, "document page after the upload, success banner shown")

    row.get_by_role("link", name="Version 2", exact=True).click()
    expect(page.get_by_text("Supervise kinship care cases every four weeks.")).to_be_visible()
    axe(page, "version 2 page")

    # What changed between the two versions, like tracked changes.
    page.get_by_role("link", name="Back to " + title).click()
    page.get_by_role("link", name="Compare versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes from version 1 to version 2")
    expect(page.locator("main ins").filter(has_text="four weeks").first).to_be_visible()
    axe(page, "changes between version 1 and version 2")
