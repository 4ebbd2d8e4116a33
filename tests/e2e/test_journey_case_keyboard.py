"""The case journey with the keyboard alone: from the home page, an empty case, entered a part at
a time, to the letters before proceedings pack. Focus is visible at every step (tab_to checks
it), every control is reached with Tab and used with Enter, Space, the arrow keys or typing."""

import re
import zipfile

from playwright.sync_api import expect

from .journey_steps import RORY_ADDRESS, docx_text
from .keyboard import assert_focus_visible, by_id, by_text, choose, tab_to


def press_key(page, text: str, key: str = "Enter", limit: int = 150, navigates=True) -> None:
    """Tab to the control whose text starts so and press it (and wait for the next page)."""
    tab_to(page, by_text(text), limit=limit)
    if not navigates:
        page.keyboard.press(key)
        return
    with page.expect_navigation():
        page.keyboard.press(key)


def type_in(page, field_id: str, text: str, limit: int = 80) -> None:
    tab_to(page, by_id(field_id), limit=limit)
    page.keyboard.type(text)


def save(page) -> None:
    press_key(page, "Save and continue")


def expect_heading(page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_a_case_entered_by_keyboard_makes_the_letters_pack(page, sign_in, tmp_path):
    sign_in("practitioner")  # the home page; from here on, only the keyboard
    press_key(page, "Generate")
    expect_heading(page, "Generate a document")
    press_key(page, "Enter a case")
    press_key(page, "Start a new case")
    expect_heading(page, "Your case")

    press_key(page, "Your authority's details")
    type_in(page, "name", "Kestrelford Borough Council")
    save(page)
    expect_heading(page, "Your case")
    press_key(page, "Lead social worker and key dates")
    press_key(page, "Answer")
    type_in(page, "name", "Kit Practitioner")
    save(page)
    save(page)

    press_key(page, "Children")
    press_key(page, "Add a child")
    type_in(page, "name", "Benji Quill")
    type_in(page, "date_of_birth-day", "3")
    type_in(page, "date_of_birth-month", "2")
    type_in(page, "date_of_birth-year", "2021")
    save(page)
    expect(page.locator("main")).to_contain_text("Benji Quill")
    save(page)

    press_key(page, "Family and parental responsibility")
    press_key(page, "Add a family member")
    type_in(page, "name", "Rory Vale")
    type_in(page, "relationship", "Father of Benji")
    choose(page, "parental_responsibility_for", "parental_responsibility_for")  # Space ticks
    expect(page.locator("#parental_responsibility_for")).to_be_checked()
    type_in(page, "address", RORY_ADDRESS)
    save(page)
    save(page)

    press_key(page, "What we are worried about")
    press_key(page, "Add a danger statement")
    type_in(page, "who_is_worried", "Health visitor")
    type_in(page, "worried_about", "Benji's medicine was not collected four times in March.")
    save(page)  # "what may happen" forgotten: the error summary takes focus
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    state = assert_focus_visible(page)
    assert state["tag"] == "A" and "what may happen" in state["what"].lower(), state
    page.keyboard.press("Enter")  # a link within the page
    expect(page.locator("#what_may_happen")).to_be_focused()
    page.keyboard.type("Benji's asthma will get worse and he may go to hospital.")
    save(page)
    save(page)

    press_key(page, "What needs to happen")
    press_key(page, "Add a safety goal")
    tab_to(page, by_id("danger_statement_id"))
    page.keyboard.press("ArrowDown")  # a closed select moves with the arrow keys
    expect(page.locator("#danger_statement_id")).not_to_have_value("")
    type_in(page, "parents_will", "Rory will collect Benji's medicine every month.")
    save(page)
    save(page)

    press_key(page, "Meetings")
    press_key(page, "Add a meeting")
    tab_to(page, by_id("type"))
    page.keyboard.type("Pre")  # a closed select picks the first option that starts so
    expect(page.locator("#type")).to_have_value("pre_proceedings")
    type_in(page, "date-day", "14")
    type_in(page, "date-month", "12")
    type_in(page, "date-year", "2026")
    type_in(page, "time", "10:00")
    type_in(page, "place", "Kestrelford Family Centre, 2 Mill Lane")
    save(page)
    save(page)
    press_key(page, "About the document")
    tab_to(page, by_id("meeting_id"))
    page.keyboard.press("ArrowDown")
    expect(page.locator("#meeting_id")).not_to_have_value("")
    save(page)

    tab_to(page, by_id("target"), limit=150)
    page.keyboard.type("Letters before")
    expect(page.locator("#target")).to_have_value("pack:plo-letters")
    press_key(page, "Check your answers")
    expect_heading(page, "Check your answers")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    with page.expect_download() as download_info:
        press_key(page, "Generate the pack", navigates=False)
    path = tmp_path / "pack.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        letter = next(n for n in names if re.search("letter", n))
        text = docx_text(archive.read(letter))
    assert len(names) == 2, names  # one person with parental responsibility, and the guide
    assert "Dear Rory Vale" in text and RORY_ADDRESS in text
    assert "The meeting is on 14 December 2026 at 10:00, at Kestrelford Family Centre" in text
