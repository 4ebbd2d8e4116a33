"""Helpers for the PDF route tests (API, pages, CLI, browser): the library's samples, and what a
route answered read back: a PDF's text, its PDF/A identification, tags and fonts, a zip's files.
"""

import io
import json
import subprocess
import tempfile
import zipfile

import pdfplumber
import pikepdf

from clearinghouse.paths import PROJECT_ROOT

LIBRARY = PROJECT_ROOT / "templates_library"
LETTER = "plo-letter-before-proceedings"
REPORT = "cp-conference-report"
PACK = "plo-letters"


def library_sample(slug: str) -> dict:
    """Return a library template's sample.json (a fresh copy)."""
    return json.loads((LIBRARY / slug / "sample.json").read_text(encoding="utf-8"))


def shared_case() -> dict:
    """Return the library's shared sample case, dated and with its pre-proceedings meeting."""
    case = json.loads((LIBRARY / "schemas" / "sample_case.json").read_text(encoding="utf-8"))
    case["document"] = {"date": "2026-10-21", "meeting_id": "M-PPM"}
    return case


def words(text: str) -> str:
    """Return the text with every run of white space one space (lines wrap differently)."""
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    """Return the text of every page of a PDF, read with pdfplumber, white space made single."""
    assert data.startswith(b"%PDF-"), data[:40]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return words("\n".join(page.extract_text() or "" for page in pdf.pages))


def pdfa_identification(data: bytes) -> tuple[str | None, str | None]:
    """Return the PDF/A part and conformance the PDF's XMP metadata claims (None, None if none)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        return meta.get("pdfaid:part"), meta.get("pdfaid:conformance")


def is_tagged(data: bytes) -> bool:
    """Say whether the PDF is tagged: a structure tree, and MarkInfo saying it is marked."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        mark_info = root.get("/MarkInfo")
        marked = mark_info is not None and bool(mark_info.get("/Marked", False))
        return "/StructTreeRoot" in root and marked


def fonts(data: bytes) -> list[dict]:
    """Return the PDF's fonts as pdffonts lists them: each row's name and its emb column."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        listing = subprocess.run(
            ["pdffonts", file.name], check=True, capture_output=True, text=True, timeout=60
        ).stdout.splitlines()
    header, rule, rows = listing[0], listing[1], listing[2:]
    spans, start = [], 0
    for dashes in rule.split(" "):
        spans.append((start, start + len(dashes)))
        start += len(dashes) + 1
    columns = [header[a:b].strip() for a, b in spans]
    name, emb = slice(*spans[0]), slice(*spans[columns.index("emb")])
    return [{"name": row[name].strip(), "emb": row[emb].strip()} for row in rows if row.strip()]


def zip_files(data: bytes) -> dict[str, bytes]:
    """Return every file in a zip by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
