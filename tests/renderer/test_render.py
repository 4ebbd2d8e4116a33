"""The sandboxed, cached, limited renderer: text, literal data, parts, limits and recovery."""

import io
import threading
import time
import zipfile

import pytest
from docx import Document
from docx_builder import make_docx, rezip

from clearinghouse.renderer import (
    RenderLimitError,
    TemplateError,
    clean_context,
    render_docx,
    template_variables,
)
from clearinghouse.renderer.sandbox import initials, join_and, long_date

from .helpers import DEFAULT_LIMITS, core_properties, docx_text, limits

LITERALS = [
    "{{ 7*7 }}",
    "{% if x %}yes{% endif %}",
    "<w:p>",
    "&amp;",
    "{_{ name }_}",
    "{# note #}",
    "a}}b{%",
]


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_renders_body_headers_footers_footnotes_and_properties():
    template = make_docx(
        ["Dear {{ parent }},", "{% for w in worries %}{{ w }}; {% endfor %}"],
        header="Case for {{ child|initials }}",
        footer="Printed {{ date|long_date }}",
        title="Letter to {{ parent }}",
        subject="About {{ child }}",
        footnote="Footnote for {{ parent }}",
    )
    data = {
        "parent": "Sam Jones",
        "child": "Jamie Smith",
        "date": "2026-03-05",
        "worries": ["A", "B"],
    }
    out = render_docx(template, data, DEFAULT_LIMITS)
    text = docx_text(out)
    assert "Dear Sam Jones," in text
    assert "A; B; " in text
    assert "Case for J.S." in text
    assert "Printed 5 March 2026" in text
    assert "Footnote for Sam Jones" in text
    props = core_properties(out)
    assert props.title == "Letter to Sam Jones"
    assert props.subject == "About Jamie Smith"


@pytest.mark.parametrize("literal", LITERALS)
def test_data_comes_out_exactly_as_typed_in_every_part(literal):
    template = make_docx(
        ["{{ value }}", "Before {{ value }} after"],
        header="{{ value }}",
        footer="{{ value }}",
        title="{{ value }}",
        footnote="{{ value }}",
    )
    out = render_docx(template, {"value": literal}, DEFAULT_LIMITS)
    assert _paragraphs(out)[:2] == [literal, f"Before {literal} after"]
    document = Document(io.BytesIO(out))
    assert document.sections[0].header.paragraphs[0].text == literal
    assert document.sections[0].footer.paragraphs[0].text == literal
    assert document.core_properties.title == literal
    assert docx_text(out).splitlines()[-1] == literal
    body = zipfile.ZipFile(io.BytesIO(out)).read("word/footnotes.xml").decode()
    assert "{{" not in body and "{%" not in body and "{#" not in body


def test_no_part_of_the_output_xml_holds_template_tags_made_from_data():
    template = make_docx(["{{ value }}"], header="{{ value }}", title="{{ value }}")
    out = render_docx(template, {"value": "{{ 7*7 }} {% if %} {# x #} {_{ y }_}"}, DEFAULT_LIMITS)
    archive = zipfile.ZipFile(io.BytesIO(out))
    for name in ("word/document.xml", "word/header1.xml", "docProps/core.xml"):
        xml = archive.read(name).decode()
        assert "{{" not in xml and "{%" not in xml and "{#" not in xml and "{_{" not in xml


def test_invalid_xml_characters_are_removed_and_newlines_become_line_breaks():
    out = render_docx(make_docx(["{{ a }}"]), {"a": "one\x00\x07\x1b two\nthree"}, DEFAULT_LIMITS)
    assert _paragraphs(out)[0] == "one two\nthree"


def test_missing_and_null_values_print_nothing():
    out = render_docx(make_docx(["[{{ missing }}][{{ empty }}]"]), {"empty": None}, DEFAULT_LIMITS)
    assert _paragraphs(out)[0] == "[][]"


def test_filters():
    assert long_date("2026-03-05") == "5 March 2026"
    assert long_date("") == ""
    assert long_date(None) == ""
    assert long_date("soon") == "soon"
    assert join_and(["A", "B", "C"]) == "A, B and C"
    assert join_and(["A", "", None, "B"]) == "A and B"
    assert join_and(["A"]) == "A"
    assert join_and([]) == ""
    assert initials("Jamie Smith") == "J.S."
    assert initials("Mary-Jane o'Neil") == "M.J.O."
    assert initials("") == ""


def test_dangerous_builtin_filters_are_not_registered():
    for name in ("safe", "attr", "format", "xmlattr", "pprint", "tojson", "center", "indent"):
        with pytest.raises(TemplateError) as caught:
            render_docx(make_docx([f"{{{{ value|{name} }}}}"]), {"value": "x"}, DEFAULT_LIMITS)
        assert name in caught.value.message


def test_template_variables_cover_every_part():
    template = make_docx(
        ["{{ a }} {% for c in children %}{{ c.name }}{% endfor %} {{ range(2)|list }}"],
        header="{{ h }}",
        footer="{{ f }}",
        title="{{ t }}",
        footnote="{{ n }}",
    )
    assert template_variables(template, DEFAULT_LIMITS) == {"a", "children", "h", "f", "t", "n"}


def test_compiled_template_is_reused_by_key():
    first = make_docx(["First {{ x }}"])
    second = make_docx(["Second {{ x }}"])
    key = "k" * 64
    assert _paragraphs(render_docx(first, {"x": 1}, DEFAULT_LIMITS, key=key))[0] == "First 1"
    # the same key means the same template version: the compiled one is used
    assert _paragraphs(render_docx(second, {"x": 2}, DEFAULT_LIMITS, key=key))[0] == "First 2"
    assert _paragraphs(render_docx(second, {"x": 2}, DEFAULT_LIMITS))[0] == "Second 2"


def test_non_json_data_is_refused():
    with pytest.raises(Exception) as caught:
        render_docx(make_docx(["{{ a }}"]), {"a": object()}, DEFAULT_LIMITS)
    assert caught.value.code == "invalid_data"


def test_input_size_limit():
    with pytest.raises(RenderLimitError) as caught:
        render_docx(make_docx(["{{ a }}"]), {"a": "x" * 2000}, limits(max_input_bytes=1024))
    assert caught.value.status == 413
    assert caught.value.code == "render_limit"
    assert "too large" in caught.value.message


def test_list_length_limit():
    with pytest.raises(RenderLimitError) as caught:
        render_docx(
            make_docx(["{{ a }}"]), {"case": {"a": list(range(6))}}, limits(max_list_items=5)
        )
    assert caught.value.status == 422
    assert caught.value.details[0]["path"] == "/case/a"


def test_output_size_limit():
    template = make_docx(["{% for i in range(20000) %}{{ a }}{% endfor %}"])
    with pytest.raises(RenderLimitError) as caught:
        render_docx(template, {"a": "x" * 100}, limits(max_output=1024 * 1024))
    assert caught.value.status == 413


def test_timeout_stops_the_render_and_the_next_one_is_quick():
    one_second = limits(timeout=1.0)
    slow = make_docx(
        ["{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"]
    )
    started = time.monotonic()
    with pytest.raises(RenderLimitError) as caught:
        render_docx(slow, {}, one_second)
    assert time.monotonic() - started < 5
    assert "longer than 1 seconds" in caught.value.message
    started = time.monotonic()
    quick = render_docx(make_docx(["Hi {{ n }}"]), {"n": "Jo"}, one_second)
    assert _paragraphs(quick)[0] == "Hi Jo"
    assert time.monotonic() - started < 1


def test_a_slow_render_does_not_block_another():
    slow = make_docx(
        ["{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"]
    )
    assert DEFAULT_LIMITS.timeout >= 1
    three_seconds = limits(timeout=3.0)
    errors = []

    def run_slow():
        try:
            render_docx(slow, {}, three_seconds)
        except RenderLimitError as exc:
            errors.append(exc)

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    render_docx(make_docx(["Quick {{ n }}"]), {"n": 1}, three_seconds)
    assert time.monotonic() - started < 2
    thread.join()
    assert errors


def test_clean_context_keeps_plain_data():
    small = limits(max_input_bytes=10_000, max_list_items=10, max_depth=5)
    data = {"a": [1, 2.5, True, None, "x\x01y"], "b": {"c": "d"}, "t": (1, 2)}
    assert clean_context(data, small) == {
        "a": [1, 2.5, True, None, "xy"],
        "b": {"c": "d"},
        "t": [1, 2],
    }
    with pytest.raises(RenderLimitError):
        clean_context({"a": {"b": {"c": {"d": {"e": {"f": {}}}}}}}, small)


@pytest.mark.parametrize(
    "data", [b"not a zip", b"PK\x03\x04broken", None], ids=["text", "broken-zip", "none"]
)
def test_files_that_are_not_templates_are_template_errors(data):
    with pytest.raises(TemplateError) as caught:
        render_docx(data, {}, DEFAULT_LIMITS)
    assert "Word document" in caught.value.message or "damaged" in caught.value.message


def test_damaged_xml_inside_a_docx_is_a_template_error():
    damaged = rezip(make_docx(["Hi"]), edit={"word/document.xml": lambda c: c[: len(c) // 2]})
    with pytest.raises(TemplateError):
        render_docx(damaged, {}, DEFAULT_LIMITS)
    assert _paragraphs(render_docx(make_docx(["Fine"]), {}, DEFAULT_LIMITS))[0] == "Fine"
