"""flask render --format pdf [--pdfa] and render-pack --format pdf [--pdfa]: the files written
are PDFs (PDF/A-2b when asked) holding the case; PDF/A without PDF, or PDF without LibreOffice,
is refused in one clear line and writes nothing."""

import hashlib
import json

import pytest

from .pdf_tools import need_libreoffice
from .routes_support import (
    LETTER,
    PACK,
    REPORT,
    library_sample,
    pdf_text,
    pdfa_identification,
    shared_case,
    zip_files,
)


def _case_file(tmp_path, case: dict) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return str(path)


def test_render_writes_a_pdf_and_on_request_pdfa(runner, tmp_path):
    need_libreoffice()
    sample = library_sample(REPORT)
    case_file = _case_file(tmp_path, sample)
    written = {}
    for name, options in (("plain.pdf", []), ("archival.pdf", ["--pdfa"])):
        out = tmp_path / name
        result = runner.invoke(
            args=["render", REPORT, case_file, "--format", "pdf", *options, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        written[name] = out.read_bytes()
        assert f"(sha256 {hashlib.sha256(written[name]).hexdigest()})" in result.output
        text = pdf_text(written[name])
        assert sample["children"][0]["name"] in text and sample["authority"]["name"] in text
    assert pdfa_identification(written["plain.pdf"]) == (None, None)
    assert pdfa_identification(written["archival.pdf"]) == ("2", "B")


def test_render_names_the_pdf_as_a_pdf(runner, tmp_path, monkeypatch):
    need_libreoffice()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        args=["render", LETTER, _case_file(tmp_path, library_sample(LETTER)), "--format", "pdf"]
    )
    assert result.exit_code == 0, result.output
    (made,) = tmp_path.glob("*.pdf")
    assert made.suffix == ".pdf" and made.name.startswith(LETTER), made.name
    assert "Danielle Carter" in pdf_text(made.read_bytes())  # the letter's reader


def test_render_pack_writes_a_zip_of_pdfs_and_of_pdfa(runner, tmp_path):
    need_libreoffice()
    case_file = _case_file(tmp_path, shared_case())
    for name, options in (("plain.zip", []), ("archival.zip", ["--pdfa"])):
        out = tmp_path / name
        result = runner.invoke(
            args=["render-pack", PACK, case_file, "--format", "pdf", *options, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert "with 4 documents" in result.output
        files = zip_files(out.read_bytes())
        assert len(files) == 4 and all(n.endswith(".pdf") for n in files), sorted(files)
        assert all(f"  {n}" in result.output for n in files)
        wanted = ("2", "B") if options else (None, None)
        assert {pdfa_identification(data) for data in files.values()} == {wanted}, name
        letter = files["plo-letter-before-proceedings-RH-2026-10-21.pdf"]
        assert "Dear Ryan Hughes" in pdf_text(letter)


@pytest.mark.parametrize(
    "args",
    [
        ["render", LETTER, "{case}", "--pdfa", "-o", "{out}"],
        ["render", LETTER, "{case}", "--format", "html", "--pdfa", "-o", "{out}"],
        ["render-pack", PACK, "{case}", "--pdfa", "-o", "{out}"],
    ],
    ids=["render docx", "render html", "render-pack docx"],
)
def test_pdfa_without_pdf_is_refused_clearly(runner, tmp_path, args):
    case_file, out = _case_file(tmp_path, shared_case()), tmp_path / "out"
    result = runner.invoke(args=[a.format(case=case_file, out=out) for a in args])
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not a crash
    assert result.exit_code == 1, result.output
    assert "Error: PDF/A is a kind of PDF" in result.output
    assert not out.exists()


@pytest.mark.app_settings(PDF_SOFFICE="/nonexistent/soffice")
def test_without_libreoffice_the_cli_says_what_to_install(runner, tmp_path):
    case_file, out = _case_file(tmp_path, library_sample(LETTER)), tmp_path / "out.pdf"
    for command in ("render", "render-pack"):
        slug = LETTER if command == "render" else PACK
        result = runner.invoke(args=[command, slug, case_file, "--format", "pdf", "-o", str(out)])
        assert result.exit_code == 1, result.output
        assert "libreoffice-writer-nogui" in result.output, result.output
        assert not out.exists()
    word = runner.invoke(args=["render", LETTER, case_file, "-o", str(tmp_path / "out.docx")])
    assert word.exit_code == 0, word.output
