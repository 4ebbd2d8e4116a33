"""An editor keeps their authority's profile: changes the complaints phone number, meets a
validation error on the way, finds the change in the history, and the next document shows it.
Every state is checked with axe, at 1280 px for height (at most 3,600 px) and at 375 px for
sideways scrolling."""

import io
import re
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

DEMO_EDITOR = ("editor@ashdown.example", "clearinghouse-demo")  # seed-demo's Ashdown editor
NEW_PHONE = "0118 496 0199"
MAX_HEIGHT = 3600


def _fits(page, state: str) -> None:
    """Assert the page is at most 3,600 px tall at 1280 px and does not scroll sideways at 375."""
    page.set_viewport_size({"width": 1280, "height": 900})
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_HEIGHT, f"{state}: {height} px tall at 1280 px wide"
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{state}: {width} px wide at 375 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _check(page, axe, state: str) -> None:
    axe(page, state)
    _fits(page, state)


def _sign_in_as_demo_editor(page) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(DEMO_EDITOR[0])
    page.get_by_label("Password", exact=True).fill(DEMO_EDITOR[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def test_an_editor_changes_the_complaints_phone_number(page, axe):
    _sign_in_as_demo_editor(page)
    page.goto("/authority/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Authority profile")
    complaints_card = page.locator("#section-complaints")
    expect(complaints_card).to_contain_text("Children's Services Complaints Team")
    _check(page, axe, "profile summary")

    page.get_by_role("link", name="Change complaints and advocacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints and advocacy")
    _check(page, axe, "complaints and advocacy page")

    complaints = page.get_by_role("group", name="Complaints")
    complaints.get_by_label("Name of the team or service").fill("")
    complaints.get_by_label("Phone").fill(NEW_PHONE)
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    error_link = summary.get_by_role("link", name="Enter the complaints team's name")
    expect(error_link).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    _check(page, axe, "complaints and advocacy page with an error")
    error_link.click()
    name = page.get_by_role("group", name="Complaints").get_by_label("Name of the team or service")
    expect(name).to_be_focused()

    name.fill("Children's Services Complaints Team")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authority profile")
    expect(page.get_by_text(re.compile(r"Profile saved as version \d+\."))).to_be_visible()
    expect(page.locator("#section-complaints")).to_contain_text(NEW_PHONE)
    _check(page, axe, "profile summary after the change, success banner shown")

    page.get_by_role("link", name="See the history of changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of the authority profile")
    newest = page.get_by_role("row").nth(1)
    expect(newest).to_contain_text("Complaints team's phone number")
    expect(newest).to_contain_text("Eddie Marsh")
    _check(page, axe, "profile history")

    # The next document shows it: a case entered now, with nothing about the authority typed.
    page.goto("/case")
    page.locator("main").get_by_role("button", name="Start a new case").click()
    row = page.locator(".govuk-task-list__item", has_text="Your authority's details")
    expect(row).to_contain_text("From your profile")
    page.get_by_label("Document or pack").select_option(label="Family feedback form")
    page.locator("main").get_by_role("button", name="Check your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download it now (.docx)").click()
    document = Document(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert NEW_PHONE in text


def test_the_solicitors_and_logo_pages(page, axe):
    _sign_in_as_demo_editor(page)
    page.goto("/authority/profile")
    page.get_by_role("link", name="Change local children-law solicitors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local children-law solicitors")
    _check(page, axe, "solicitors list")
    page.get_by_role("link", name="Add another solicitor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a solicitor")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    _check(page, axe, "add a solicitor with an error")
    page.goto("/authority/profile/logo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Letterhead logo")
    _check(page, axe, "logo page")
