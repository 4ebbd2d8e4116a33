"""The checks themselves fail on known problems (so a pass means something): axe and focus."""

import pytest

from .axe_helper import assert_accessible, axe_violations
from .keyboard import assert_focus_visible, focused


def test_axe_reports_known_violations(page):
    page.set_content(
        """<!DOCTYPE html><html><head><title>Broken</title></head><body><main>
        <h1>Broken page</h1>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <input type="text" name="nameless">
        <p style="color:#aaa;background:#fff">Low contrast text</p>
        </main></body></html>"""
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label", "color-contrast", "html-has-lang"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "a page with known problems")


def test_axe_passes_a_clean_page(page):
    page.set_content(
        """<!DOCTYPE html><html lang="en"><head><title>Fine</title></head><body><main>
        <h1>Fine page</h1><label for="n">Name</label><input id="n" type="text">
        </main></body></html>"""
    )
    assert_accessible(page, "a clean page")


def test_focus_check_tells_visible_from_invisible_focus(page):
    page.set_content(
        """<!DOCTYPE html><html lang="en"><head><title>Focus</title><style>
        #hidden:focus { outline: none; }
        #shadow:focus { outline: 3px solid transparent; box-shadow: 0 0 0 3px #fd0; }
        </style></head><body><main>
        <button id="plain">Browser default</button>
        <button id="hidden">No focus style</button>
        <button id="shadow">GOV.UK-like</button>
        </main></body></html>"""
    )
    seen = {}
    for _ in range(3):
        page.keyboard.press("Tab")
        state = focused(page)
        seen[state["id"]] = state["visible"]
    assert seen == {"plain": True, "hidden": False, "shadow": True}
    with pytest.raises(AssertionError, match="Focus is not visible"):
        page.locator("#hidden").focus()
        assert_focus_visible(page)
