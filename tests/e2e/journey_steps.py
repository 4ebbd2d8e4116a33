"""Steps of the case journey in the browser, shared by the mouse and keyboard walks, and the
page measures every journey page must meet: at most 3,600 px tall at 1280 px wide, and no
sideways scroll at 375 px."""

import io

from docx import Document
from playwright.sync_api import expect

MAX_HEIGHT = 3600
PHONE_WIDTH = 375

CHILDREN = ("Amara Quill", "Benji Quill")
DANA_ADDRESS = "12 Heron Row, Kestrelford, KF1 2AB"
RORY_ADDRESS = "Flat 3, 9 Canal Street, Kestrelford, KF4 7CD"
# (who is worried, worried about, what may happen, the children it is about: none = all)
WORRIES = [
    ("Social worker and school", "Amara has missed 40 school days since September.",
     "Amara will fall behind and lose her friendships.", ["Amara Quill"]),
    ("Health visitor", "Benji's medicine was not collected four times in March.",
     "Benji's asthma will get worse and he may go to hospital.", ["Benji Quill"]),
    ("Police and social worker", "Adults shouted and threw things on 3 and 17 May.",
     "The children may be hurt and will keep feeling frightened at home.", []),
]  # fmt: skip
GOAL_TEXT = "Rory will collect Benji's medicine every month and bring it to each check-up."


def measure(page, where: str, measured: dict) -> None:
    """Check the page is short enough at 1280 px and does not scroll sideways at 375 px.

    The caller first waits for something of the page to be measured; this then waits for the
    page to finish loading, so the measure never runs in a document still being replaced."""
    page.wait_for_load_state("load")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_HEIGHT, f"{where} is {height} px tall at 1280 px wide"
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    try:
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE_WIDTH, f"{where} scrolls sideways at 375 px ({wide} px wide)"
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    measured[where] = height


def docx_text(data: bytes) -> str:
    """Open a .docx with python-docx and return all its text (body and tables)."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def assert_rorys_letter(text: str) -> None:
    """The letter speaks to Rory alone, at his address, about Benji alone."""
    addressed = [line for line in text.splitlines() if line.startswith(("To:", "Dear "))]
    assert addressed == ["To: Rory Vale", "Dear Rory Vale,"], addressed
    assert RORY_ADDRESS in text
    assert DANA_ADDRESS not in text, "the mother's address is in the father's letter"
    assert CHILDREN[1] in text
    assert "Amara" not in text, "a child Rory has no parental responsibility for is named"
    assert WORRIES[0][1] not in text, "a worry about Amara alone is in Rory's letter"
    for _who, about, outcome, _children in WORRIES[1:]:
        assert about in text and outcome in text
    assert GOAL_TEXT in text
    assert "The meeting is on 14 December 2026 at 10:00, at Kestrelford Family Centre" in text
    assert "None" not in text.split()


def expect_task(page, title: str, status: str) -> None:
    row = page.locator(".govuk-task-list__item", has=page.get_by_role("button", name=title))
    expect(row.locator(".govuk-task-list__status")).to_contain_text(status)
