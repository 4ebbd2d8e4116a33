"""docxtpl's own test templates (../shared/peer/docxtpl) rendered through our renderer."""

import importlib.util
import json
from pathlib import Path

import pytest

from clearinghouse.renderer import TemplateError, render_docx, template_variables

from .helpers import DEFAULT_LIMITS

PEER = Path(__file__).resolve().parents[2].parent / "shared" / "peer" / "docxtpl"
pytestmark = pytest.mark.skipif(
    not (PEER / "cases.json").exists(),
    reason=f"docxtpl conformance suite not found at {PEER} (it is in ../shared in CI)",
)


def _cases(kind: str) -> list:
    if not (PEER / "cases.json").exists():
        return []
    return json.loads((PEER / "cases.json").read_text())[kind]


def _docx_text():
    spec = importlib.util.spec_from_file_location(
        "docx_text_reference", PEER / "docx_text_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.docx_text


@pytest.mark.parametrize("case", _cases("render"), ids=lambda c: c["name"])
def test_render_case_gives_docxtpl_text(case):
    template = (PEER / "templates" / case["template"]).read_bytes()
    expected = (PEER / "expected" / f"{case['name']}.txt").read_text()
    assert _docx_text()(render_docx(template, case["context"], DEFAULT_LIMITS)) == expected


@pytest.mark.parametrize("case", _cases("variables"), ids=lambda c: c["name"])
def test_variables_case_lists_exactly_the_variables(case):
    template = (PEER / "templates" / case["template"]).read_bytes()
    assert template_variables(template, DEFAULT_LIMITS) == set(case["expected"])


@pytest.mark.parametrize("case", _cases("errors"), ids=lambda c: c["name"])
def test_error_case_is_a_template_error_showing_the_text(case):
    template = (PEER / "templates" / case["template"]).read_bytes()
    with pytest.raises(TemplateError) as caught:
        render_docx(template, case["context"], DEFAULT_LIMITS)
    detail = caught.value.details[0]
    assert detail["part"] == "word/document.xml"
    assert "{% endif %}" in detail["context"]
    assert "fifth paragraph" in detail["context"]
    assert "fifth paragraph" in caught.value.message
