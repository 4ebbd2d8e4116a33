"""Generate a letter before proceedings through the web form: with the mouse, then by keyboard.

Fields are found by their ids, which the form builds from the case data's paths
(``children-1-name`` is ``/children/1/name``), and buttons by their text.

The case is of case model 2: children and family members have ids, the letter goes to one
person with parental responsibility (``document.recipient_id``), and the pre-proceedings
meeting is one of ``meetings[]`` named by ``document.meeting_id``. The letter goes to Rory, who
holds parental responsibility for Benji only: it must not speak to Dana, show her address, or
mention Amara or the worry that is about Amara alone.

References between parts of the case are chosen, not typed: a select (one answer) or checkboxes
(several) offer the items that were in the case when the page was drawn. So the journeys fill in
the children, family members, worries and meeting first, and choose them after the form is drawn
again (an "Add another" button they need anyway, or a first "Check and preview" that finds a
worry's "what may happen" left empty, a slip they then correct from the error summary).
"""

import io
import re

from docx import Document
from playwright.sync_api import expect

from .keyboard import assert_focus_visible, by_id, by_text, choose, tab_to

SLUG = "plo-letter-before-proceedings"
TITLE = "Letter before proceedings"
CHILDREN = [("C1", "Amara Quill"), ("C2", "Benji Quill")]
CHILD_NAMES = [name for _id, name in CHILDREN]
DANA_ADDRESS = "12 Heron Row, Kestrelford, KF1 2AB"
RORY_ADDRESS = "Flat 3, 9 Canal Street, Kestrelford, KF4 7CD"
# (id, who is worried, worried about, what may happen, the children it is about: none = all)
WORRIES = [
    ("W1", "Social worker and school", "Amara has missed 40 school days since September.",
     "Amara will fall behind and lose her friendships.", ["C1"]),
    ("W2", "Health visitor", "Benji's medicine was not collected four times in March.",
     "Benji's asthma will get worse and he may go to hospital.", ["C2"]),
    ("W3", "Police and social worker", "Adults shouted and threw things on 3 and 17 May.",
     "The children may be hurt and will keep feeling frightened at home.", []),
]  # fmt: skip
RORYS_WORRIES = WORRIES[1:]  # W1 is about Amara alone, and Rory has no say for Amara
# The slip to meet: the last worry's "what may happen" (a required answer) is left empty.
SLIP_INDEX = 2
SLIP_FIELD = f"#danger_statements-{SLIP_INDEX}-what_may_happen"
GOAL_TEXT = "Rory will collect Benji's medicine every month and bring it to each check-up."
GOAL_WORRY = "#safety_goals-0-danger_statement_id"
RECIPIENT = "#document-recipient_id"
MEETING_CHOICE = "#document-meeting_id"
MEETING_LABEL = "Pre-proceedings meeting, 2026-12-14"

# (field id, text) in the order the fields come in the form, before the repeating groups grow.
OPENING = [
    ("document-date", "2026-11-30"),
    ("authority-name", "Kestrelford Borough Council"),
    ("authority-legal_services-name", "Kestrelford Legal Services"),
    ("authority-legal_services-phone", "01632 960000"),
]
SOLICITOR = [("authority-solicitors-0-firm", "Fairfield and Rowe Solicitors")]
AFTER_SOLICITOR = [
    ("worker-name", "Kit Practitioner"),
    ("children-0-id", CHILDREN[0][0]),
    ("children-0-name", CHILDREN[0][1]),
]
SECOND_CHILD = [("children-1-id", CHILDREN[1][0]), ("children-1-name", CHILDREN[1][1])]
MOTHER = [
    ("family_members-0-id", "P1"),
    ("family_members-0-name", "Dana Quill"),
    ("family_members-0-relationship", "Mother"),
]
MOTHER_PR = ["C1", "C2"]
MOTHER_ADDRESS = [("family_members-0-address", DANA_ADDRESS)]
FATHER = [
    ("family_members-1-id", "P2"),
    ("family_members-1-name", "Rory Vale"),
    ("family_members-1-relationship", "Father of Benji"),
]
FATHER_PR = ["C2"]
FATHER_ADDRESS = [("family_members-1-address", RORY_ADDRESS)]
GOAL_ID = [("safety_goals-0-id", "G1")]
GOAL = [("safety_goals-0-parents_will", GOAL_TEXT)]
MEETING_ID = [("meetings-0-id", "M1")]
MEETING = [
    ("meetings-0-date", "2026-12-14"),
    ("meetings-0-time", "10:00"),
    ("meetings-0-place", "Kestrelford Family Centre, 2 Mill Lane"),
]


def parental_responsibility(index: int) -> str:
    return f"family_members-{index}-parental_responsibility_for"


def worry_children(index: int) -> str:
    return f"danger_statements-{index}-child_ids"


def worry_fields(index: int) -> list[tuple[str, str]]:
    """Return a worry's typed (field id, text) pairs, in form order, without the slip's answer."""
    worry_id, who, about, outcome, _child_ids = WORRIES[index]
    fields = [
        (f"danger_statements-{index}-id", worry_id),
        (f"danger_statements-{index}-who_is_worried", who),
        (f"danger_statements-{index}-worried_about", about),
    ]
    if index != SLIP_INDEX:
        fields.append((f"danger_statements-{index}-what_may_happen", outcome))
    return fields


def checkbox_id(name: str, position: int) -> str:
    """GOV.UK checkboxes: the first box has the group's id, the next ones -2, -3..."""
    return name if position == 0 else f"{name}-{position + 1}"


def child_checkbox(name: str, child_id: str) -> str:
    """The id of the box for a child, in the order the children are in the case."""
    return checkbox_id(name, [cid for cid, _name in CHILDREN].index(child_id))


def box_labels(page, name: str) -> list[str]:
    """The labels of a checkbox group's boxes, in order."""
    return [
        text.strip()
        for text in page.locator(
            f'.govuk-checkboxes__item:has(input[name="{name}"]) label'
        ).all_inner_texts()
    ]


def option_labels(page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(f"{selector} option").all_inner_texts()]


def tick(page, name: str, values: list[str]) -> None:
    """Tick the boxes with these values, and only those."""
    for box in page.locator(f'input[name="{name}"]').all():
        box.set_checked(box.get_attribute("value") in values)


def expect_ticked(page, name: str, values: list[str]) -> None:
    for box in page.locator(f'input[name="{name}"]').all():
        if box.get_attribute("value") in values:
            expect(box).to_be_checked()
        else:
            expect(box).not_to_be_checked()


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
    """The letter speaks to Rory alone, at his address, about Benji alone."""
    addressed = [line for line in text.splitlines() if line.startswith(("To:", "Dear "))]
    assert addressed == ["To: Rory Vale", "Dear Rory Vale,"], addressed
    assert RORY_ADDRESS in text
    assert DANA_ADDRESS not in text, "the mother's address is in the father's letter"
    assert CHILDREN[1][1] in text
    assert "Amara" not in text, "a child Rory has no parental responsibility for is named"
    assert WORRIES[0][2] not in text, "a worry about Amara alone is in Rory's letter"
    for _id, _who, about, outcome, _children in RORYS_WORRIES:
        assert about in text
        assert outcome in text
    assert GOAL_TEXT in text
    assert "Fairfield and Rowe Solicitors" in text
    assert "solicitor" in text.lower()
    assert "The meeting is on 14 December 2026 at 10:00, at Kestrelford Family Centre" in text
    assert "Kestrelford Legal Services, phone 01632 960000" in text
    assert "None" not in text.split()


def assert_file_name(name: str) -> None:
    assert name.endswith(".docx")
    for _id, child in CHILDREN:
        for part in child.split():
            assert part not in name, f"full name in the file name {name}"


def test_generate_letter_before_proceedings(page, sign_in, axe, tmp_path):
    sign_in("practitioner")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Generate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Generate a document")
    axe(page, "choose a template")
    page.locator("main").get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    axe(page, "empty case form")
    # Nothing to choose yet: the references offer only what is in the case.
    assert option_labels(page, RECIPIENT) == ["Choose one"]
    assert option_labels(page, MEETING_CHOICE) == ["Choose one"]

    fill(page, OPENING)
    press_button(page, "Add a solicitor")
    expect(page.locator("#authority-solicitors-0-firm")).to_be_focused()
    fill(page, SOLICITOR + AFTER_SOLICITOR)
    press_button(page, "Add another child")
    expect(page.locator("#children-1-id")).to_be_focused()
    fill(page, SECOND_CHILD)
    # Add a third child by mistake and remove it: focus returns to the children group.
    press_button(page, "Add another child")
    expect(page.locator("#children-2-id")).to_be_focused()
    page.locator("main").get_by_role("button", name=re.compile(r"^Remove child 3$", re.I)).click()
    expect(page.locator("#children-2-id")).to_have_count(0)
    expect(page.locator("#children")).to_be_focused()
    expect(page.locator("#children-1-name")).to_have_value(CHILDREN[1][1])
    # Both children were in the case when the form was drawn again: they are offered by name.
    fill(page, MOTHER)
    assert box_labels(page, parental_responsibility(0)) == CHILD_NAMES
    tick(page, parental_responsibility(0), MOTHER_PR)
    fill(page, MOTHER_ADDRESS)
    press_button(page, "Add another family member")
    expect(page.locator("#family_members-1-id")).to_be_focused()
    expect_ticked(page, parental_responsibility(0), MOTHER_PR)
    fill(page, FATHER)
    tick(page, parental_responsibility(1), FATHER_PR)
    page.locator("#family_members-1-lives_with_children-2").check()  # No
    fill(page, FATHER_ADDRESS)
    for index in range(len(WORRIES)):
        if index:
            press_button(page, "Add another danger statement")
            expect(page.locator(f"#danger_statements-{index}-id")).to_be_focused()
        fill(page, worry_fields(index))
        assert box_labels(page, worry_children(index)) == CHILD_NAMES
        tick(page, worry_children(index), WORRIES[index][4])
    axe(page, "case form with two children, two parents and three worries")
    # The first two worries were in the case when the form was last drawn.
    goal_options = option_labels(page, GOAL_WORRY)
    assert goal_options[:3] == ["Choose one", f"W1: {WORRIES[0][2]}", f"W2: {WORRIES[1][2]}"]
    fill(page, GOAL_ID)
    page.locator(GOAL_WORRY).select_option(label=f"W2: {WORRIES[1][2]}")
    fill(page, GOAL + MEETING_ID)
    page.locator("#meetings-0-type").select_option("pre_proceedings")
    fill(page, MEETING)
    assert page.locator("#children-0-name").input_value() == CHILDREN[0][1]
    assert page.locator("#authority-solicitors-0-firm").input_value() == SOLICITOR[0][1]

    press_button(page, "Check and preview")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary.get_by_role("link")).to_have_count(1)
    error_link = summary.get_by_role("link").first
    expect(error_link).to_have_attribute("href", SLIP_FIELD)
    expect(error_link).to_contain_text("what may happen")
    expect(page.locator(f"{SLIP_FIELD}-error")).to_be_visible()
    axe(page, "case form with the error summary")
    # The answers chosen survive the error.
    expect(page.locator(GOAL_WORRY)).to_have_value("W2")
    expect_ticked(page, parental_responsibility(1), FATHER_PR)
    expect_ticked(page, worry_children(0), WORRIES[0][4])
    error_link.click()
    field = page.locator(SLIP_FIELD)
    expect(field).to_be_focused()
    expect(field).to_have_value("")
    field.fill(WORRIES[SLIP_INDEX][3])
    # Drawn again, the form offers the family members and the meeting by name.
    assert option_labels(page, RECIPIENT) == ["Choose one", "Dana Quill", "Rory Vale"]
    assert option_labels(page, MEETING_CHOICE) == ["Choose one", MEETING_LABEL]
    page.locator(MEETING_CHOICE).select_option(label=MEETING_LABEL)
    page.locator(RECIPIENT).select_option(label="Rory Vale")
    expect(page.locator(MEETING_CHOICE)).to_have_value("M1")
    expect(page.locator(RECIPIENT)).to_have_value("P2")
    press_button(page, "Check and preview")

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".govuk-caption-l")).to_have_text("Preview")
    preview = page.locator(".app-generate-preview")
    expect(preview).to_contain_text("Dear Rory Vale")
    for _id, _who, about, _outcome, _children in RORYS_WORRIES:
        expect(preview).to_contain_text(about)
    expect(preview).not_to_contain_text(WORRIES[0][2])
    expect(preview).not_to_contain_text("Amara")
    axe(page, "preview with quality checks")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the document (.docx)").click()
    download = download_info.value
    name = download.suggested_filename
    assert_file_name(name)
    path = tmp_path / name
    download.save_as(path)
    assert_letter(check_docx(path.read_bytes()))


def type_into(page, pairs, limit: int = 120) -> None:
    """Tab (forwards) to each field in turn and type its text (a new line is Enter)."""
    for field_id, text in pairs:
        tab_to(page, by_id(field_id), limit=limit)
        page.keyboard.type(text)


def tick_by_keyboard(page, name: str, values: list[str]) -> None:
    """Tab to each child's box in turn and tick it with Space."""
    for value in values:
        option = child_checkbox(name, value)
        choose(page, name, option)
        expect(page.locator(f"#{option}")).to_be_checked()


def press_by_keyboard(page, text: str, key: str = "Enter", limit: int = 200) -> None:
    tab_to(page, by_text(text), limit=limit)
    page.keyboard.press(key)


def add_by_keyboard(page, button: str, first_field: str) -> None:
    """Press an Add button; the new item's first field has focus, and shows it."""
    press_by_keyboard(page, button)
    page.wait_for_url(re.compile(rf"/generate/{SLUG}"))
    expect(page.locator(f"#{first_field}")).to_be_focused()
    assert_focus_visible(page)


def test_generate_form_by_keyboard_only(page, sign_in, tmp_path):
    sign_in("practitioner")  # the home page; from here on, only the keyboard
    press_by_keyboard(page, "Generate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Generate a document")
    press_by_keyboard(page, TITLE)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    type_into(page, OPENING, limit=200)
    add_by_keyboard(page, "Add a solicitor", "authority-solicitors-0-firm")
    page.keyboard.type(SOLICITOR[0][1])
    type_into(page, AFTER_SOLICITOR)
    add_by_keyboard(page, "Add another child", "children-1-id")
    page.keyboard.type(CHILDREN[1][0])
    type_into(page, SECOND_CHILD[1:])
    type_into(page, MOTHER)
    # Benji was typed after the form was last drawn: only Amara is offered so far.
    assert box_labels(page, parental_responsibility(0)) == CHILD_NAMES[:1]
    tick_by_keyboard(page, parental_responsibility(0), MOTHER_PR[:1])
    type_into(page, MOTHER_ADDRESS)
    add_by_keyboard(page, "Add another family member", "family_members-1-id")
    page.keyboard.type("P2")
    # Drawn again, the form offers Benji too: back (Shift+Tab) to tick him for Dana.
    assert box_labels(page, parental_responsibility(0)) == CHILD_NAMES
    benji_for_dana = child_checkbox(parental_responsibility(0), "C2")
    tab_to(page, by_id(benji_for_dana), backwards=True)
    page.keyboard.press("Space")
    expect_ticked(page, parental_responsibility(0), MOTHER_PR)
    type_into(page, FATHER[1:])
    tick_by_keyboard(page, parental_responsibility(1), FATHER_PR)
    lives_with = "family_members-1-lives_with_children"
    choose(page, lives_with, f"{lives_with}-2")
    expect(page.locator(f"#{lives_with}-2")).to_be_checked()  # No
    type_into(page, FATHER_ADDRESS)
    for index in range(len(WORRIES)):
        if index:
            first = f"danger_statements-{index}-id"
            add_by_keyboard(page, "Add another danger statement", first)
            page.keyboard.type(WORRIES[index][0])
            type_into(page, worry_fields(index)[1:])
        else:
            type_into(page, worry_fields(index))
        tick_by_keyboard(page, worry_children(index), WORRIES[index][4])
    type_into(page, GOAL_ID)
    # The goal's worry: a closed select moves with the arrow keys (Choose one, W1, W2).
    tab_to(page, by_id(GOAL_WORRY[1:]))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator(GOAL_WORRY)).to_have_value("W2")
    assert_focus_visible(page)
    type_into(page, GOAL + MEETING_ID)
    tab_to(page, by_id("meetings-0-type"))
    page.keyboard.type("Pre")  # a closed select picks the first option that starts so
    expect(page.locator("#meetings-0-type")).to_have_value("pre_proceedings")
    type_into(page, MEETING)

    press_by_keyboard(page, "Check and preview")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert_focus_visible(page)
    # The first Tab from the summary reaches its first link, which leads to the field.
    page.keyboard.press("Tab")
    state = assert_focus_visible(page)
    assert state["tag"] == "A" and "what may happen" in state["what"].lower(), state
    page.keyboard.press("Enter")
    expect(page.locator(SLIP_FIELD)).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(WORRIES[SLIP_INDEX][3])
    expect(page.locator(SLIP_FIELD)).to_have_value(WORRIES[SLIP_INDEX][3])
    # Drawn again, the form offers the meeting and the family members: back up to choose them.
    tab_to(page, by_id(MEETING_CHOICE[1:]), limit=400, backwards=True)
    page.keyboard.type("Pre")
    expect(page.locator(MEETING_CHOICE)).to_have_value("M1")
    assert_focus_visible(page)
    tab_to(page, by_id(RECIPIENT[1:]))
    page.keyboard.type("Rory")
    expect(page.locator(RECIPIENT)).to_have_value("P2")
    assert_focus_visible(page)

    press_by_keyboard(page, "Check and preview", limit=600)
    expect(page.locator(".govuk-caption-l")).to_have_text("Preview")
    with page.expect_download() as download_info:
        press_by_keyboard(page, "Download the document (.docx)")
    download = download_info.value
    assert_file_name(download.suggested_filename)
    path = tmp_path / "letter.docx"
    download.save_as(path)
    assert_letter(check_docx(path.read_bytes()))
