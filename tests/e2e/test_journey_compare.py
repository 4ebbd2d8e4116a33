"""Compare two authorities' documents side by side, and see who covers what."""

import re

from playwright.sync_api import expect


def test_compare_two_authorities_guidance(page, sign_in, live_server, axe):
    sign_in("manager")
    first = live_server.documents["kestrelford_plo"]
    second = live_server.documents["wrenmoor_plo"]

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare documents")
    axe(page, "compare chooser")

    page.get_by_role("button", name="Compare").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Choose the first document to compare")
    expect(link).to_be_visible()
    axe(page, "compare chooser with errors")
    link.click()
    expect(page.get_by_label("First document")).to_be_focused()

    page.get_by_label("First document").select_option(str(first["id"]))
    page.get_by_label("Second document").select_option(str(second["id"]))
    page.get_by_role("button", name="Compare").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Comparison")
    expect(page.locator("main")).to_contain_text(first["title"])
    expect(page.locator("main")).to_contain_text(second["title"])
    expect(page.locator("#similarity")).to_have_text(re.compile(r"^\d+% of the words are the same"))
    sections = page.get_by_role("table", name="Sections side by side")
    rows = sections.get_by_role("row")
    # A row's text starts with its first section's number and heading ("2. Purpose"); the
    # reasons a pair was made ("Purpose: Meetings") come later in other rows.
    purpose = rows.filter(has_text=re.compile(r"^\s*\d+\. Purpose\b"))
    expect(purpose).to_contain_text("Worded differently")
    meeting_row = rows.filter(has_text=re.compile(r"^\s*\d+\. The meeting\b"))
    expect(meeting_row).to_contain_text("Worded differently")
    kinship = rows.filter(has_text="Kinship and the family network")
    expect(kinship).to_contain_text("Only in Kestrelford")
    expect(rows.filter(has_text="Interpreters")).to_contain_text("Only in Wrenmoor")
    meeting = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("The meeting"))
    )
    # Two authorities' choices: each one's wording, nothing struck through as if deleted.
    expect(meeting.locator("del, ins")).to_have_count(0)
    expect(meeting.locator(".app-only").filter(has_text="only in Kestrelford: ten")).to_have_count(
        1
    )
    expect(meeting.locator(".app-only").filter(has_text="only in Wrenmoor: five")).to_have_count(1)
    axe(page, "comparison of two authorities' guidance")


def test_coverage_shows_who_covers_what(page, sign_in, live_server, axe):
    sign_in("manager")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Coverage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage")
    axe(page, "coverage matrix")

    page.get_by_label("Practice stage").select_option("pre-proceedings")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"stage=pre-proceedings"))
    table = page.get_by_role("table", name="Pre-proceedings (PLO)")
    expect(table).to_be_visible()
    row = table.get_by_role("row").filter(has_text="Wrenmoor District Council")
    expect(row.get_by_role("link", name="Wrenmoor PLO letter guidance")).to_be_visible()
    axe(page, "coverage filtered by stage")
    row.get_by_role("link", name="Wrenmoor PLO letter guidance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wrenmoor PLO letter guidance")
    axe(page, "another authority's shared document, opened from the coverage matrix")
