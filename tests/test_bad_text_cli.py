"""The CLI names a character that cannot be used in a case file, never a traceback."""

import json
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parent.parent / "templates_library"
SLUG = "plo-letter-before-proceedings"


@pytest.fixture
def bad_case(tmp_path) -> Path:
    case = json.loads((LIBRARY / SLUG / "sample.json").read_text())
    case["document"]["reference"] = "NCC\ud800"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))  # written as the JSON escape \ud800
    return path


def test_render_names_the_bad_character(runner, bad_case, tmp_path):
    out = tmp_path / "letter.docx"
    result = runner.invoke(args=["render", SLUG, str(bad_case), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert "document.reference contains a character that cannot be used" in result.output
    assert "U+D800" in result.output
    assert not out.exists()


def test_render_file_names_the_bad_character(runner, bad_case, tmp_path):
    out = tmp_path / "letter.docx"
    template = LIBRARY / SLUG / "template.docx"
    result = runner.invoke(args=["render-file", str(template), str(bad_case), "-o", str(out)])
    assert result.exit_code == 1
    assert result.exception.__class__ is SystemExit
    assert "document.reference contains a character that cannot be used" in result.output
    assert not out.exists()
