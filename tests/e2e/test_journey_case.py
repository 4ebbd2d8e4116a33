"""A practitioner enters a case once, in parts, and generates the PLO letters pack and then the
conference report from it without typing anything twice: with the mouse here, and with the
keyboard alone in test_journey_case_keyboard.py. Every page is measured (3,600 px at 1280 px
wide; no sideways scroll at 375 px) and checked with axe in each new state."""

import re
import zipfile

from playwright.sync_api import expect

from .journey_steps import (
    CHILDREN,
    DANA_ADDRESS,
    GOAL_TEXT,
    RORY_ADDRESS,
    WORRIES,
    assert_rorys_letter,
    docx_text,
    expect_task,
    measure,
)


def press(page, name: str, nth: int = 0) -> None:
    page.locator("main").get_by_role("button", name=name, exact=True).nth(nth).click()


def save(page) -> None:
    press(page, "Save and continue")


def date(page, prefix: str, day: str, month: str, year: str) -> None:
    page.locator(f"#{prefix}-day").fill(day)
    page.locator(f"#{prefix}-month").fill(month)
    page.locator(f"#{prefix}-year").fill(year)


def test_one_case_makes_the_pack_and_then_the_conference_report(page, sign_in, axe, tmp_path):
    measured: dict = {}
    sign_in("practitioner")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Generate").click()
    page.get_by_role("button", name="Enter a case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a case")
    axe(page, "journey start")
    measure(page, "start", measured)
    press(page, "Start a new case")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case")
    expect_task(page, "Children", "Not yet started")
    axe(page, "task list, empty case")
    measure(page, "task list", measured)

    # The authority's details: legal services on their own page, a solicitor added to the list.
    press(page, "Your authority's details")
    page.get_by_label("Name of the authority").fill("Kestrelford Borough Council")
    axe(page, "authority details")
    measure(page, "authority details", measured)
    press(page, "Answer legal services")  # a group of questions on its own page
    page.get_by_label("Name of the legal team").fill("Kestrelford Legal Services")
    page.get_by_label("Phone").fill("01632 960000")
    save(page)
    press(page, "Add local children-law solicitors")  # a list inside a group: its own page
    press(page, "Add a solicitor")
    page.get_by_label("Firm").fill("Fairfield and Rowe Solicitors")
    save(page)
    expect(page.locator("main")).to_contain_text("Fairfield and Rowe Solicitors")
    save(page)
    save(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case")
    expect_task(page, "Your authority's details", "Completed")

    press(page, "Lead social worker and key dates")
    press(page, "Answer lead social worker")
    page.locator("#name").fill("Kit Practitioner")
    save(page)
    save(page)

    # Children: a second one added, a third added by mistake and removed.
    press(page, "Children")
    axe(page, "children, none yet")
    for name in CHILDREN:
        press(page, "Add another child" if name != CHILDREN[0] else "Add a child")
        page.get_by_label("Child's name").fill(name)
        save(page)
    press(page, "Add another child")
    page.get_by_label("Child's name").fill("Nobody")
    save(page)
    press(page, "Remove Nobody")
    expect(page.locator("main")).not_to_contain_text("Nobody")
    measure(page, "children list", measured)
    save(page)
    expect_task(page, "Children", "Completed")

    # Family: parental responsibility chosen by name; the dates as people write them.
    press(page, "Family and parental responsibility")
    press(page, "Add a family member")
    page.get_by_label("Name", exact=True).fill("Dana Quill")
    page.get_by_label("Relationship to the children").fill("Mother")
    page.get_by_label(CHILDREN[0]).check()
    page.get_by_label(CHILDREN[1]).check()
    page.locator("#address").fill(DANA_ADDRESS)
    axe(page, "a family member")
    measure(page, "family member", measured)
    save(page)
    press(page, "Add another family member")
    page.get_by_label("Name", exact=True).fill("Rory Vale")
    page.get_by_label("Relationship to the children").fill("Father of Benji")
    page.get_by_label(CHILDREN[1]).check()
    page.locator("#address").fill(RORY_ADDRESS)
    save(page)
    save(page)

    # Worries: the third one's "what may happen" is forgotten, then corrected.
    press(page, "What we are worried about")
    for index, (who, about, outcome, children) in enumerate(WORRIES):
        press(page, "Add another danger statement" if index else "Add a danger statement")
        page.get_by_label("Who is worried").fill(who)
        page.get_by_label("What people are worried about").fill(about)
        if index < 2:
            page.get_by_label("What may happen if nothing changes").fill(outcome)
        for child in children:
            page.get_by_label(child).check()
        save(page)
        if index == 2:
            summary = page.locator(".govuk-error-summary")
            expect(summary).to_be_focused()
            expect(page).to_have_title(re.compile(r"^Error: "))
            axe(page, "a danger statement with an error")
            summary.get_by_role("link").first.click()
            expect(page.get_by_label("What may happen if nothing changes")).to_be_focused()
            page.get_by_label("What may happen if nothing changes").fill(outcome)
            expect(page.get_by_label("Who is worried")).to_have_value(who)  # kept
            save(page)
    # Saving navigates: measure only once the part's own page is there, never mid-load.
    expect(
        page.locator("main").get_by_role("button", name="Add another danger statement")
    ).to_be_visible()
    measure(page, "worries", measured)
    save(page)

    # The goal picks its danger statement by its words: no identifiers anywhere.
    press(page, "What needs to happen")
    press(page, "Add a safety goal")
    select = page.get_by_label("Danger statement")
    # An expect, which waits for the goal's page: reading the options at once read none.
    expect(select.locator("option")).to_have_text(["Choose one", *(w[1] for w in WORRIES)])
    select.select_option(label=WORRIES[1][1])
    page.get_by_label("What the parents will do").fill(GOAL_TEXT)
    save(page)
    save(page)

    press(page, "Meetings")
    press(page, "Add a meeting")
    save(page)  # nothing chosen yet: the longest page, with its errors
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe(page, "a meeting with errors")
    measure(page, "meeting with errors", measured)
    page.get_by_label("Type of meeting").select_option("pre_proceedings")
    date(page, "date", "14", "12", "2026")
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Place").fill("Kestrelford Family Centre, 2 Mill Lane")
    axe(page, "a meeting")
    measure(page, "meeting", measured)
    save(page)
    save(page)
    press(page, "About the document")
    page.get_by_label("Meeting this document records or announces").select_option(
        label="Pre-proceedings meeting, 14 December 2026"
    )
    save(page)

    # The letters pack: check answers, then one zip.
    page.get_by_label("Document or pack").select_option(label="Letters before proceedings (pack)")
    press(page, "Check your answers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    axe(page, "check your answers: the letters pack")
    measure(page, "check answers (pack)", measured)
    # A change link goes to the part and back to this page.
    page.locator("#part-children").get_by_role("button", name=re.compile("^Change")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")
    save(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    with page.expect_download() as download_info:
        press(page, "Generate the pack (.zip)")
    path = tmp_path / "pack.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        letters = {n: docx_text(archive.read(n)) for n in archive.namelist() if "letter" in n}
    assert len(letters) == 2, list(letters)
    rorys = [t for t in letters.values() if "Dear Rory Vale" in t]
    assert len(rorys) == 1
    assert_rorys_letter(rorys[0])

    # One letter: it goes to one person with parental responsibility, chosen on this page.
    page.get_by_role("button", name="Back to your case").click()
    page.get_by_label("Document or pack").select_option(label="Letter before proceedings")
    press(page, "Check your answers")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose who this letter is to")
    axe(page, "check your answers: a letter whose recipient is not chosen")
    press(page, "Choose")
    expect(page.locator("#recipient-error")).to_be_visible()
    axe(page, "check your answers: choosing nobody")
    measure(page, "check answers (letter)", measured)
    summary.get_by_role("link").first.click()
    page.get_by_label("Rory Vale").check()
    press(page, "Choose")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    press(page, "Preview the document")
    preview = page.locator(".app-journey-preview")
    expect(preview).to_contain_text("Dear Rory Vale")
    expect(preview).not_to_contain_text("Amara")
    axe(page, "preview of Rory's letter")

    # The same case, nothing retyped: the conference report.
    page.get_by_role("button", name="Back to your case").click()
    press(page, "Meetings")
    press(page, "Add another meeting")
    page.get_by_label("Type of meeting").select_option("initial_conference")
    date(page, "date", "5", "1", "2027")
    save(page)
    save(page)
    page.get_by_label("Document or pack").select_option(
        label="Child protection conference report (initial or review)"
    )
    press(page, "Check your answers")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    press(page, "Preview the document")
    expect(page.locator(".govuk-caption-l")).to_have_text("Preview")
    preview = page.locator(".app-journey-preview")
    for _who, about, _outcome, _children in WORRIES:
        expect(preview).to_contain_text(about)
    axe(page, "preview of the conference report")
    measure(page, "preview", measured)
    with page.expect_download() as download_info:
        press(page, "Download the document (.docx)")
    report = tmp_path / "report.docx"
    download_info.value.save_as(report)
    text = docx_text(report.read_bytes())
    assert all(child in text for child in CHILDREN) and GOAL_TEXT in text
    print("journey page heights at 1280 px:", measured)
