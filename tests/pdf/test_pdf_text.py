"""A PDF shows the same text as the .docx it was made from: every library template's sample.

Text is compared as counts of characters and of words (a table's cells may be read in a
different order from a PDF). The PDF may add only what repeats on each page: headers,
footers, page numbers and a table's header row.
"""

import io
import re
from collections import Counter

import pdfplumber
import pytest
from docx import Document

from clearinghouse.paths import PROJECT_ROOT

from .pdf_tools import need_libreoffice

LIBRARY = sorted(p.parent.name for p in (PROJECT_ROOT / "templates_library").glob("*/meta.json"))
PAGE_WORDS = re.compile(r"^(Page|of|\d+)$")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BULLETS = re.compile("[\uf0b7\u2022\u25e6\u25aa]")
PAGE_NUMBER = re.compile(r"Page \d+ of \d+")
LIST_NUMBER = re.compile(r"(?m)^(\d{1,3}|[a-z]|[ivx]+)[.)] ")  # Word numbers list items itself
LONG = 8  # a word this long may be broken over two lines of a narrow table cell


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def docx_texts(data: bytes) -> tuple[list[str], list[str], str, int]:
    """Return the text of each body paragraph (table cells included, once each), of each
    header and footer paragraph (which the PDF repeats on every page), and of the table header
    rows (which the PDF repeats on every page a table runs onto), and how many list items."""
    document = Document(io.BytesIO(data))
    body = [_text(p) for p in document.element.body.iter(f"{W}p")]
    furniture = []
    for section in document.sections:
        for part in (section.header, section.footer):
            furniture += [p.text for p in part.paragraphs if p.text.strip()]
    repeated = [_text(h.getparent().getparent()) for h in document.element.iter(f"{W}tblHeader")]
    numbered = sum(1 for _ in document.element.body.iter(f"{W}numPr"))
    return body, furniture, " ".join(repeated), numbered


def pdf_text(data: bytes, furniture: list[str], numbered: int) -> str:
    """Return the PDF's text without its headers, footers, page numbers, bullets and the
    numbers of its numbered list items (at most ``numbered`` of them)."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            text = PAGE_NUMBER.sub(" ", page.extract_text() or "")
            for line in furniture:
                text = text.replace(line, " ", 1)
            pages.append(BULLETS.sub(" ", text))
    return LIST_NUMBER.sub("", "\f".join(pages), count=numbered)


def characters(text: str) -> Counter:
    return Counter(c for c in text if not c.isspace())


@pytest.fixture
def headers(users, api_headers):
    return api_headers(users["practitioner"])


@pytest.mark.parametrize("slug", LIBRARY)
def test_the_pdf_says_what_the_docx_says(client, headers, slug):
    need_libreoffice()
    case = client.get(f"/api/v1/templates/{slug}/sample", headers=headers).get_json()
    docx = client.post(f"/api/v1/templates/{slug}/render", json=case, headers=headers)
    pdf = client.post(f"/api/v1/templates/{slug}/render?format=pdf", json=case, headers=headers)
    assert docx.status_code == 200 and pdf.status_code == 200, pdf.get_data(as_text=True)[:300]
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    body, furniture, repeated, numbered = docx_texts(docx.data)
    # A paragraph whose own text starts "1. " (a question of a form) looks in the PDF like a
    # number Word put on a list item: both are taken off, from the .docx text and the PDF.
    literal = sum(1 for p in body if LIST_NUMBER.match(p))
    body = [LIST_NUMBER.sub("", p, count=1) for p in body]
    text = pdf_text(pdf.data, furniture, numbered + literal)
    expected, found = Counter(" ".join(body).split()), Counter(text.split())
    assert sum(expected.values()) > 150  # a real document, not an empty one
    # Every character of the .docx is in the PDF, and nothing else is.
    missing = characters(" ".join(body)) - characters(text)
    extra = characters(text) - characters(" ".join(body))
    pages = text.count("\f") + 1
    extra -= Counter({c: n * pages for c, n in characters(repeated).items()})
    assert not missing and not extra, f"missing {dict(missing)}, extra {dict(extra)}"
    # And word for word, but for long words broken over two lines of a narrow cell.
    broken = {w: n for w, n in (expected - found).items() if len(w) < LONG}
    assert not broken, f"words of the .docx not in the PDF: {broken}"
