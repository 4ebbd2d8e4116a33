"""The accessibility check itself fails on known violations (so a pass means something)."""

import pytest

from .axe_helper import assert_accessible, axe_violations


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
