"""Hostile templates, in every part a template has: refused with a clear error, never run."""

import time

import pytest
from docx_builder import make_docx, rezip

from clearinghouse.renderer import RenderLimitError, TemplateError, render_docx, template_inspect

from .helpers import DEFAULT_LIMITS, docx_text, limits

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ self.__dict__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ config }}",
    "{{ config.SECRET_KEY }}",
    "{{ request.environ }}",
    "{{ lipsum.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ '%s'|format(name) }}",
    '{{ "{0.__class__}".format(name) }}',
    "{{ name|attr('__class__') }}",
    "{{ name|safe }}",
    "{{ name.__class__ }}",
    "{{ case['__class__'] }}",
    "{% include '/etc/passwd' %}",
    "{% import 'x.html' as y %}",
    "{% from 'x.html' import y %}",
    "{% extends 'base.html' %}",
    "{{ __builtins__ }}",
]
RUNTIME = [
    # tricks only visible when rendering: names built at run time, mutation of data
    "{% set k = '__cla' ~ 'ss__' %}{{ name[k] }}",
    "{% set f = 'for' ~ 'mat' %}{{ '{0.__class__.__mro__}'[f](name) }}",
    "{% set k = '__glo' ~ 'bals__' %}{{ range[k] }}",
    "{{ items.pop() }}",
    "{{ items.append(1) }}",
    "{{ case.update({'a': 1}) }}",
    "{{ case.clear() }}",
]
LIMITS = [
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ 'x' * 10**9 }}",
    "{{ ['x'] * 10**9 }}",
    "{{ 9**9999999 }}",
    "{{ (10**1000)**1000 }}",
    "{{ '%999999999s'|string % name }}",
    "{{ 'x'.ljust(2**36) }}",
    "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
]
PARTS = ["body", "header", "footer", "footnote", "title", "subject"]
DATA = {"name": "Jamie", "items": ["a", "b"], "case": {"a": 1}}


def _template(part: str, text: str) -> bytes:
    if part == "body":
        return make_docx([f"Start {text} end"])
    return make_docx(["Body"], **{part: f"Start {text} end"})


def _assert_clean(exc, app):
    message = exc.message + repr(exc.details)
    assert app.config["SECRET_KEY"] not in message
    for leak in ("root:", "<class", "subprocess", "function", "module", "0x"):
        assert leak not in message, message


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("text", ESCAPES + RUNTIME)
def test_escape_attempts_are_template_errors(app, part, text):
    with pytest.raises(TemplateError) as caught:
        render_docx(_template(part, text), DATA, DEFAULT_LIMITS)
    assert caught.value.code == "template_error"
    assert caught.value.details[0]["message"]
    _assert_clean(caught.value, app)


@pytest.mark.parametrize("text", ESCAPES)
def test_escape_attempts_are_found_by_the_check_before_any_render(text):
    problems = template_inspect(_template("body", text), DEFAULT_LIMITS)["problems"]
    assert problems
    assert problems[0]["part"] == "word/document.xml"


def test_errors_point_at_the_paragraph(app):
    template = make_docx(["A harmless paragraph", "Dear {{ name.__class__ }}", "Another"])
    with pytest.raises(TemplateError) as caught:
        render_docx(template, DATA, DEFAULT_LIMITS)
    assert caught.value.details[0]["context"] == "Dear {{ name.__class__ }}"
    template = make_docx(["First", "Hello {% set k = '__cla' ~ 'ss__' %}{{ name[k] }}"])
    with pytest.raises(TemplateError) as caught:
        render_docx(template, DATA, DEFAULT_LIMITS)
    assert caught.value.details[0]["context"].startswith("Hello")


@pytest.mark.parametrize("part", ["body", "header", "title"])
@pytest.mark.parametrize("text", LIMITS)
def test_resource_attacks_are_stopped(app, part, text):
    started = time.monotonic()
    with pytest.raises((TemplateError, RenderLimitError)) as caught:
        render_docx(_template(part, text), DATA, limits(timeout=3.0))
    assert caught.value.message
    assert time.monotonic() - started < 6
    _assert_clean(caught.value, app)


def test_cpu_burner_times_out_and_the_renderer_keeps_answering():
    one_second = limits(timeout=1.0)
    burner = make_docx(
        ["{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}"],
    )
    with pytest.raises(RenderLimitError) as caught:
        render_docx(burner, {}, one_second)
    assert "longer than 1 seconds" in caught.value.message
    for _ in range(3):
        started = time.monotonic()
        render_docx(make_docx(["Still here {{ name }}"]), DATA, one_second)
        assert time.monotonic() - started < 1


def test_names_the_template_sets_itself_are_not_refused():
    template = make_docx(
        ["{% for g in items %}{{ g }}{% endfor %}{% set config = 'c' %}{{ config }}"]
    )
    assert docx_text(render_docx(template, {"items": ["a", "b"]}, DEFAULT_LIMITS)).startswith("abc")


@pytest.mark.parametrize("name", ["docProps/core.xml", "word/footnotes.xml", "word/document.xml"])
def test_xml_entities_cannot_read_files(app, name):
    def add_entity(xml: bytes) -> bytes:
        head, rest = xml.split(b"?>", 1)
        dtd = b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        return head + b"?>" + dtd + rest.replace(b"Start", b"&secret;", 1)

    template = make_docx(["Start"], title="Start", footnote="Start")
    with pytest.raises(TemplateError) as caught:
        render_docx(rezip(template, edit={name: add_entity}), {}, DEFAULT_LIMITS)
    assert "entities" in caught.value.message
    assert "root:" not in caught.value.message
