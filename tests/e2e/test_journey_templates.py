"""An editor uploads a template whose check fails, reads the report, then fixes it."""

import re

from playwright.sync_api import expect

from .conftest import docx_file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BROKEN = docx_file(
    "Letter before proceedings",
    [
        ("To", ["Dear {{ family_members[0].name }},"]),
        ("The meeting", ["Your meeting is on {{ meeting.date } at {{ meeting.place }}."]),
    ],
)
FIXED = docx_file(
    "Letter before proceedings",
    [
        ("To", ["Dear {{ family_members[0].name }},"]),
        ("The meeting", ["Your meeting is on {{ meeting.date }} at {{ meeting.place }}."]),
        ("From", ["{{ worker.name }}, {{ authority.name }}"]),
    ],
)


def upload(page, field_label: str, name: str, data: bytes) -> None:
    page.get_by_label(field_label, exact=True).set_input_files(
        {"name": name, "mimeType": DOCX, "buffer": data}
    )


def test_upload_a_failing_template_and_read_the_report(page, sign_in, axe):
    sign_in("editor")
    nav = page.get_by_role("navigation", name="Main menu")
    nav.get_by_role("link", name="Templates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Templates")
    axe(page, "templates list")

    page.get_by_role("button", name="Upload a template").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a template")
    axe(page, "upload a template")
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Choose a document type")).to_be_visible()
    axe(page, "upload a template with errors")

    page.get_by_label("Document type").select_option(label="Letter before proceedings")
    page.get_by_label("Title").fill("Kestrelford letter before proceedings")
    upload(page, "Template file", "kestrelford-lbp.docx", BROKEN)
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_text(re.compile(r"Version 1 was saved as a draft"))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Version 1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    errors_heading = page.get_by_role("heading", name=re.compile(r"^Errors \(\d+\)$"))
    count = int(re.search(r"\d+", errors_heading.inner_text()).group())
    assert count >= 1
    report = page.locator("main ol").first
    expect(report).to_contain_text("Your meeting is on")
    expect(page.get_by_role("button", name=re.compile("^Publish"))).to_have_count(0)
    expect(page.get_by_text("cannot be published until its errors are fixed")).to_be_visible()
    axe(page, "check report with errors")

    page.get_by_role("link", name="Back to Kestrelford letter before proceedings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kestrelford letter before proceedings"
    )
    axe(page, "template page with a draft")
    page.get_by_role("button", name="Upload a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a new version")
    axe(page, "new template version form")
    page.get_by_label("What changed in this version?").fill("Closed the meeting date tag")
    upload(page, "Template file", "kestrelford-lbp-2.docx", FIXED)
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_text("Version 2 passed the checks")).to_be_visible()
    expect(page.get_by_role("heading", name="Errors (0)")).to_be_visible()
    expect(page.locator(".app-preview")).to_contain_text("Dear ")
    axe(page, "check report without errors, with the preview")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_text(re.compile("Version 2 is published"))).to_be_visible()
    axe(page, "published template version")

    # The editor now chooses the published template for letters before proceedings.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Templates").click()
    page.get_by_role("link", name="Choose a template for Letter before proceedings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Which template")
    axe(page, "choose a template")
    page.get_by_role("radio", name=re.compile(r"^Kestrelford letter before proceedings")).check()
    page.get_by_role("button", name="Save and make a document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a case")
    expect(page.locator(".govuk-caption-l")).to_have_text(
        "For: Kestrelford letter before proceedings"
    )  # the case journey, with the authority's own template chosen
    axe(page, "case journey for the authority's own template")
