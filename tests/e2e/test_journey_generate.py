"""Generate a letter before proceedings through the web form: with the mouse, then by keyboard.

Fields are found by their ids, which the form builds from the case data's paths
(``children-1-name`` is ``/children/1/name``), and buttons by their text.
"""

import io
import re

from docx import Document
from playwright.sync_api import expect

from .keyboard import assert_focus_visible, by_id, by_text, choose, tab_to

SLUG = "plo-letter-before-proceedings"
TITLE = "Letter before proceedings"
CHILDREN = ["Amara Quill", "Benji Quill"]
WORRIES = [
    ("Social worker and school", "Amara has missed 40 school days since September.",
     "Amara will fall behind and lose her friendships."),
    ("Health visitor", "Benji's medicine was not collected four times in March.",
     "Benji's asthma will get worse and he may go to hospital."),
    ("Police and social worker", "Adults shouted and threw things on 3 and 17 May.",
     "The children may be hurt and will keep feeling frightened at home."),
]  # fmt: skip

# (field id, text) in the order the fields come in the form, before the repeating groups grow.
OPENING = [
    ("authority-name", "Kestrelford Borough Council"),
    ("worker-name", "Kit Practitioner"),
    ("children-0-name", CHILDREN[0]),
]
AFTER_CHILDREN = [
    ("family_members-0-name", "Dana Quill"),
    ("family_members-0-relationship", "Mother"),
]
GOAL = [
    ("safety_goals-0-id", "G1"),
    ("safety_goals-0-danger_statement_id", "W1"),
    ("safety_goals-0-parents_will", "Dana will make sure both children are at school every day."),
]
CLOSING = [
    ("meeting-date", "2026-12-14"),
    ("meeting-time", "10:00"),
    ("meeting-place", "Kestrelford Family Centre, 2 Mill Lane"),
    ("legal-team", "Kestrelford Legal Services"),
    ("legal-phone", "01632 960000"),
]
SOLICITOR = [("legal-solicitors-0-firm", "Fairfield and Rowe Solicitors")]


def worry_fields(index: int, with_outcome: bool = True) -> list[tuple[str, str]]:
    """Return a worry's (field id, text) pairs; leave out what may happen if asked."""
    who, about, outcome = WORRIES[index]
    fields = [
        (f"danger_statements-{index}-id", f"W{index + 1}"),
        (f"danger_statements-{index}-who_is_worried", who),
        (f"danger_statements-{index}-worried_about", about),
    ]
    if with_outcome:
        fields.append((f"danger_statements-{index}-what_may_happen", outcome))
    return fields


def fill(page, pairs) -> None:
    for field_id, text in pairs:
        page.locator(f"#{field_id}").fill(text)


def press_button(page, name: str) -> None:
    page.locator("main").get_by_role("button", name=name, exact=True).click()


def check_docx(data: bytes) -> str:
    """Open the download with python-docx and return all its text (body and tables)."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def assert_letter(text: str) -> None:
    for name in CHILDREN:
        assert name in text or name.split()[0] in text, name
    for _who, about, outcome in WORRIES:
        assert about in text
        assert outcome in text
    assert "solicitor" in text.lower()
    assert "Kestrelford Family Centre" in text
    assert "None" not in text.split()


def test_generate_letter_before_proceedings(page, sign_in, axe, tmp_path):
    sign_in("practitioner")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Generate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Generate a document")
    axe(page, "choose a template")
    page.locator("main").get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    axe(page, "empty case form")

    fill(page, OPENING)
    press_button(page, "Add another child")
    expect(page.locator("#children-1-name")).to_be_focused()
    fill(page, [("children-1-name", CHILDREN[1])])
    # Add a third child by mistake and remove it: focus returns to the children group.
    press_button(page, "Add another child")
    expect(page.locator("#children-2-name")).to_be_focused()
    page.locator("main").get_by_role("button", name=re.compile(r"^Remove child 3$", re.I)).click()
    expect(page.locator("#children-2-name")).to_have_count(0)
    expect(page.locator("#children")).to_be_focused()
    expect(page.locator("#children-1-name")).to_have_value(CHILDREN[1])
    fill(page, AFTER_CHILDREN)
    page.locator("#family_members-0-has_parental_responsibility").check()
    fill(page, worry_fields(0))
    press_button(page, "Add another danger statement")
    fill(page, worry_fields(1))
    press_button(page, "Add another danger statement")
    expect(page.locator("#danger_statements-2-id")).to_be_focused()
    fill(page, worry_fields(2, with_outcome=False))  # the validation error to meet
    axe(page, "case form with two children and three worries")
    fill(page, GOAL + CLOSING)
    if page.locator("#legal-solicitors-0-firm").count() == 0:
        press_button(page, "Add a solicitor")
    fill(page, SOLICITOR)
    assert page.locator("#children-0-name").input_value() == CHILDREN[0]

    press_button(page, "Check and preview")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    error_link = summary.get_by_role("link").first
    expect(error_link).to_have_attribute("href", "#danger_statements-2-what_may_happen")
    axe(page, "case form with the error summary")
    error_link.click()
    field = page.locator("#danger_statements-2-what_may_happen")
    expect(field).to_be_focused()
    field.fill(WORRIES[2][2])
    press_button(page, "Check and preview")

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".govuk-caption-l")).to_have_text("Preview")
    preview = page.locator(".app-generate-preview")
    for _who, about, _outcome in WORRIES:
        expect(preview).to_contain_text(about)
    axe(page, "preview with quality checks")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the document (.docx)").click()
    download = download_info.value
    name = download.suggested_filename
    assert name.endswith(".docx")
    for child in CHILDREN:
        for part in child.split():
            assert part not in name, f"full name in the file name {name}"
    path = tmp_path / name
    download.save_as(path)
    assert_letter(check_docx(path.read_bytes()))


def type_into(page, pairs, limit: int = 120) -> None:
    """Tab (forwards) to each field in turn and type its text."""
    for field_id, text in pairs:
        tab_to(page, by_id(field_id), limit=limit)
        page.keyboard.type(text)


def press_by_keyboard(page, text: str, key: str = "Enter", limit: int = 200) -> None:
    tab_to(page, by_text(text), limit=limit)
    page.keyboard.press(key)


def test_generate_form_by_keyboard_only(page, sign_in, tmp_path):
    sign_in("practitioner")  # the home page; from here on, only the keyboard
    press_by_keyboard(page, "Generate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Generate a document")
    press_by_keyboard(page, TITLE)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    type_into(page, OPENING, limit=200)
    press_by_keyboard(page, "Add another child")
    page.wait_for_url(re.compile(rf"/generate/{SLUG}"))
    expect(page.locator("#children-1-name")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(CHILDREN[1])
    type_into(page, AFTER_CHILDREN)
    responsibility = "family_members-0-has_parental_responsibility"
    choose(page, responsibility, responsibility)
    expect(page.locator("#family_members-0-has_parental_responsibility")).to_be_checked()
    type_into(page, worry_fields(0))
    press_by_keyboard(page, "Add another danger statement")
    expect(page.locator("#danger_statements-1-id")).to_be_focused()
    page.keyboard.type("W2")
    type_into(page, worry_fields(1)[1:])
    press_by_keyboard(page, "Add another danger statement")
    expect(page.locator("#danger_statements-2-id")).to_be_focused()
    page.keyboard.type("W3")
    type_into(page, worry_fields(2, with_outcome=False)[1:])
    type_into(page, GOAL + CLOSING)
    if page.locator("#legal-solicitors-0-firm").count() == 0:
        press_by_keyboard(page, "Add a solicitor")
        expect(page.locator("#legal-solicitors-0-firm")).to_be_focused()
        page.keyboard.type(SOLICITOR[0][1])
    else:
        type_into(page, SOLICITOR)

    press_by_keyboard(page, "Check and preview")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert_focus_visible(page)
    # The first Tab from the summary reaches its first link, which leads to the field.
    page.keyboard.press("Tab")
    state = assert_focus_visible(page)
    assert "what may happen" in state["what"].lower() or state["tag"] == "A", state
    page.keyboard.press("Enter")
    expect(page.locator("#danger_statements-2-what_may_happen")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(WORRIES[2][2])

    press_by_keyboard(page, "Check and preview")
    expect(page.locator(".govuk-caption-l")).to_have_text("Preview")
    with page.expect_download() as download_info:
        press_by_keyboard(page, "Download the document (.docx)")
    path = tmp_path / "letter.docx"
    download_info.value.save_as(path)
    assert_letter(check_docx(path.read_bytes()))
