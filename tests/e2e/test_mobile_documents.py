"""Documents, search, compare and coverage pages on a phone (375 px: nothing scrolls sideways)
and on a desktop (the documents list stays short); axe on restore and the paginated list."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import docx_file

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def _no_sideways_scroll(page, state: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{state}: the page is {width} px wide at 375 px"


def _pages(live_server) -> list[tuple[str, str]]:
    first = live_server.documents["kestrelford_plo"]["id"]
    second = live_server.documents["wrenmoor_plo"]["id"]
    safety = live_server.documents["kestrelford_safety"]["id"]
    return [
        ("documents list", "/documents"),
        ("documents list, a short page", "/documents?per_page=3&page=2&sort=title"),
        ("document page", f"/documents/{first}"),
        ("version page", f"/documents/{first}/versions/1"),
        ("compare: choose documents", "/compare"),
        ("compare: choose versions", f"/compare?first={first}&second={second}&step=versions"),
        ("compare: two documents", f"/compare/result?first={first}&second={second}"),
        (
            "compare: a table of three",
            f"/compare/result?first={first}&second={second}&third={safety}",
        ),
        ("coverage", "/coverage"),
        ("search", "/search?q=plan"),
        ("withdrawn documents", "/documents/withdrawn"),
    ]


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_pages_do_not_scroll_sideways_at_375px(phone, sign_in, live_server):
    sign_in("editor")
    too_wide = []
    for state, url in _pages(live_server):
        phone.goto(url)
        expect(phone.get_by_role("heading", level=1).first).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{state} ({url}): {width} px")
    # The demo's Fernmouth conference procedure has two versions: what changed between them.
    phone.goto("/documents?authority=fernmouth&per_page=100")
    phone.get_by_role("link", name="Child protection conference procedure").click()
    phone.get_by_role("link", name="Compare versions").click()
    expect(phone.get_by_role("heading", level=1).first).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Changes from version \d+ to version \d+$")
    )
    width = phone.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        too_wide.append(f"compare versions ({phone.url}): {width} px")
    assert too_wide == [], "pages wider than 375 px:\n" + "\n".join(too_wide)


def test_documents_list_fits_a_desktop_and_pages_pass_axe(page, sign_in, axe):
    sign_in("editor")
    page.set_viewport_size(DESKTOP)
    page.goto("/documents")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3600, f"the documents list is {height} px tall at 1280 px"
    page.goto("/documents?per_page=3")
    pagination = page.get_by_role("navigation", name="Pages of documents")
    expect(pagination).to_be_visible()
    axe(page, "documents list, first of several pages")
    pagination.get_by_role("link", name="Next").click()
    expect(page.locator("#results-range")).to_contain_text("page 2")
    page.get_by_label("Sort by").select_option("title")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=title(&|$)"))
    expect(page.get_by_label("Sort by")).to_have_value("title")
    axe(page, "documents list sorted by title")


def test_withdraw_then_restore(page, sign_in, axe):
    sign_in("editor")
    page.goto("/documents/new")
    page.get_by_label("Title").fill("Kestrelford restore test guide")
    page.get_by_label("Document type").select_option(label="Practice guidance")
    page.get_by_label("Share with every authority").check()
    page.get_by_label("File", exact=True).set_input_files(
        {
            "name": "restore.docx",
            "mimeType": "application/octet-stream",
            "buffer": docx_file("Restore test", [("Purpose", ["To be withdrawn and restored."])]),
        }
    )
    page.get_by_role("button", name="Upload document").click()
    expect(page.get_by_text("Document uploaded.")).to_be_visible()
    page.get_by_role("link", name="Withdraw this document").click()
    page.get_by_role("button", name="Withdraw document").click()
    expect(page.get_by_text("has been withdrawn")).to_be_visible()
    page.get_by_role("link", name="Withdrawn documents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdrawn documents")
    axe(page, "withdrawn documents")
    page.get_by_role("link", name="Restore Kestrelford restore test guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restore this document?")
    axe(page, "restore a document")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page, "restore a document")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Restore document").click()
    expect(page.get_by_text("has been restored")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kestrelford restore test guide")
    axe(page, "document page after restoring")


def test_compare_choosing_documents_then_versions_passes_axe(page, sign_in, axe, live_server):
    sign_in("manager")
    first = live_server.documents["kestrelford_plo"]["id"]
    second = live_server.documents["wrenmoor_plo"]["id"]
    page.goto("/compare")
    axe(page, "compare: choose documents")
    page.goto(f"/compare?first={first}&second={second}&step=versions")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    axe(page, "compare: choose each document's version")
