"""The renderer as the app uses it: limits from the app's settings, and the HTML preview."""

import pytest
from docx_builder import make_docx

from clearinghouse.generation.rendering import docx_to_html, render_docx, render_limits
from clearinghouse.renderer import RenderLimitError, RenderLimits


def test_limits_come_from_the_app_settings_on_every_call(app):
    app.config["CLEARINGHOUSE"]["RENDER_TIMEOUT_SECONDS"] = 1.5
    app.config["CLEARINGHOUSE"]["RENDER_MAX_INPUT_KB"] = 1
    limits = render_limits()
    assert limits.timeout == 1.5
    assert limits.max_input_bytes == 1024
    with pytest.raises(RenderLimitError) as caught:
        render_docx(make_docx(["{{ a }}"]), {"a": "x" * 2000})
    assert caught.value.status == 413


def test_limits_outside_an_app_are_the_declared_defaults():
    assert render_limits() == RenderLimits.from_settings()


def test_docx_to_html_escapes_and_keeps_structure():
    template = make_docx(
        ["{{ text }}"], heading="Plan for {{ name }}", bullets=["{{ b }}"], table=[["Who", "When"]]
    )
    out = render_docx(template, {"text": "<script>alert(1)</script>", "name": "A&B", "b": "item"})
    page = docx_to_html(out)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "<h2" in page and "Plan for A&amp;B" in page
    assert "<li>item</li>" in page
    assert "<table" in page and "Who" in page
