"""Every library template's sample converts to a PDF that reads well on paper: no table row
and no signature block (or letter close) split across pages, no heading alone at the foot of a
page, no page but the last more than half empty and the first page used (never a third blank),
and "Page n of m" in every footer.

Each sample is rendered by generation.service.document_generate, then passed through
renderer.paper.paper_layout as the service will pass every document (applying it twice is
harmless: the pass is idempotent), converted with pdf_tools.docx_to_pdf and read with
pdfplumber (table rows, text lines, drawn boxes). A document built to break every rule shows
that each check finds its own fault.
"""

import io
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pdfplumber
import pytest
from conftest import make_app
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm
from factories import make_authority, make_user

from clearinghouse.accounts import ensure_vocabulary
from clearinghouse.extensions import db
from clearinghouse.generation import library, service
from clearinghouse.paths import PROJECT_ROOT
from clearinghouse.renderer.paper import paper_layout

from .pdf_tools import docx_to_pdf, need_libreoffice

SLUGS = sorted(
    p.name
    for p in (PROJECT_ROOT / "templates_library").iterdir()
    if p.is_dir() and (p / "meta.json").exists()
)
BROKEN = "a document that breaks every rule"
BULLETS = "•◦▪\uf0a7\uf0b7"  # drawn by the PDF from the list's numbering (Symbol font's too)
CLOSE = re.compile(r"^Yours (sincerely|faithfully)")
FIRST_PAGE_USED = 2 / 3  # never a third blank
LEVELS = {"Title": 0, **{f"Heading{n}": n for n in range(1, 10)}}


def norm(text: str) -> str:
    """Text without white space and bullets, to compare what Word holds with the PDF's text
    (a list's bullet is drawn by the PDF, not held in the paragraph's text)."""
    return re.sub(rf"[\s{BULLETS}]+", "", text or "")


@dataclass
class Page:
    lines: list[str]  # body text lines, without the header's first line and the footer's last
    footer: str
    fill: float  # how far down the body area the content reaches, 0 to 1
    rows: list[str]  # each table row drawn on the page, its cells' text normalised

    @property
    def text(self) -> str:
        return norm("".join(self.lines))


def read_pdf(data: bytes) -> list[Page]:
    """Return each page's body lines, footer, fill and table rows."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines()
            head, foot = lines[0]["bottom"], lines[-1]["top"]
            shapes = page.rects + page.lines + page.curves
            bottoms = [x["bottom"] for x in lines[1:-1]]
            bottoms += [s["bottom"] for s in shapes if head < s["bottom"] < foot]
            rows = [
                norm("".join(c or "" for c in row))
                for t in page.find_tables()
                for row in t.extract()
            ]
            pages.append(
                Page(
                    [x["text"] for x in lines[1:-1]],
                    lines[-1]["text"],
                    (max(bottoms, default=head) - head) / (foot - head),
                    rows,
                )
            )
    return pages


def text_of(element) -> str:
    """The text of a paragraph, row or cell element."""
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def blocks(document) -> list:
    """The body's paragraphs and tables in order, as (kind, element, text, heading level)."""
    out = []
    for child in document.element.body:
        if child.tag == qn("w:p"):
            style = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            level = LEVELS.get(style.get(qn("w:val"))) if style is not None else None
            out.append(("p", child, text_of(child), level))
        elif child.tag == qn("w:tbl"):
            out.append(("tbl", child, "", None))
    return out


def row_texts(table) -> list[tuple[str, bool]]:
    """Each row of a table as (normalised text, is a repeated header row)."""
    rows = []
    for tr in table.iter(qn("w:tr")):
        header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        rows.append((norm(text_of(tr)), header))
    return rows


def split_rows(document, pages: list[Page]) -> list[str]:
    """Rows the PDF does not show whole on one page (a split row shows as two pieces)."""
    rows = [
        row for kind, table, _, _ in blocks(document) if kind == "tbl" for row in row_texts(table)
    ]
    wanted = Counter(text for text, header in rows if not header)
    headers = {text for text, header in rows if header}  # repeated on each page a table spans
    drawn = Counter(text for page in pages for text in page.rows)
    problems = [
        f"row {t[:40]!r} shown whole {drawn[t]} of {n} times"
        for t, n in wanted.items()
        if drawn[t] != n
    ]
    return problems + [
        f"a piece of a row: {t[:40]!r}" for t in drawn if t not in wanted and t not in headers
    ]


def signature_table(table) -> bool:
    """Whether a table is for signing: its first row has a Signature column."""
    first = table.find(qn("w:tr"))
    return first is not None and any(
        norm(text_of(tc)) == "Signature" for tc in first.iter(qn("w:tc"))
    )


def split_signatures(document, pages: list[Page]) -> list[str]:
    """Signature blocks not on one page: a signature table with the heading before it (and the
    agreement section leading to it), and a letter's close with the paragraph before it and
    the two lines after it (who signs, the authority)."""
    items, problems = blocks(document), []
    for i, (kind, element, text, _) in enumerate(items):
        if kind == "tbl" and signature_table(element):
            heads = [j for j in range(i) if items[j][3] is not None]
            start = heads[-1]
            if (
                len(heads) > 1
                and "agree" in items[heads[-2]][2]
                and items[heads[-2]][3] < items[start][3]
            ):
                start = heads[-2]
            lead = [norm(x[2]) for x in items[start:i] if x[0] == "p"]
            rows = [t for t, header in row_texts(element) if not header]
            if not any(all(x in p.text for x in lead) and set(rows) <= set(p.rows) for p in pages):
                problems.append(f"signature block {items[start][2]!r} split")
        elif kind == "p" and CLOSE.match(text):
            before = items[i - 1][2] if items[i - 1][0] == "p" and items[i - 1][3] is None else ""
            after = [x[2] for x in items[i + 1 : i + 4] if x[0] == "p" and x[2]][:2]
            if not any(norm(before + text + "".join(after)) in p.text for p in pages):
                problems.append(f"letter close {text!r} split")
    return problems


def lonely_headings(document, pages: list[Page]) -> list[str]:
    """Headings that end a page (but the last): a heading keeps with what follows it."""
    heads = [norm(x[2]) for x in blocks(document) if x[3] is not None and x[2].strip()]
    return [
        f"page {n} ends with the heading {h!r}"
        for n, page in enumerate(pages[:-1], 1)
        for h in heads
        if page.text.endswith(h)
    ]


def empty_space(pages: list[Page]) -> list[str]:
    """Pages, but the last, whose content stops before half their body area, and a first page
    left a third blank when more pages follow (the first page is used)."""
    problems = [
        f"page {n} is {1 - p.fill:.0%} empty" for n, p in enumerate(pages[:-1], 1) if p.fill < 0.5
    ]
    if len(pages) > 1 and pages[0].fill < FIRST_PAGE_USED:
        problems.append(f"the first page is {1 - pages[0].fill:.0%} empty")
    return problems


def bad_footers(pages: list[Page]) -> list[str]:
    """Pages whose footer does not read "Page n of m"."""
    m = len(pages)
    return [
        f"page {n}: {p.footer!r}" for n, p in enumerate(pages, 1) if p.footer != f"Page {n} of {m}"
    ]


# Each check, and a fault it must find in the broken document.
CHECKS = {
    "split_rows": (split_rows, "a piece of a row"),
    "split_signatures": (split_signatures, "letter close 'Yours sincerely,' split"),
    "lonely_headings": (lonely_headings, "ends with the heading 'Aheadingleftalone'"),
    "empty_space": (lambda document, pages: empty_space(pages), "the first page is"),
    "bad_footers": (lambda document, pages: bad_footers(pages), "page 2: 'Page 1 of 1'"),
}


def broken_document() -> bytes:
    """A .docx that breaks every rule: a page left half empty after a heading, tall table rows
    across a page end, a signature table too long for one page, a letter close cut after
    "Yours sincerely," and a footer that always says "Page 1 of 1"."""
    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Header"
    section.footer.paragraphs[0].text = "Page 1 of 1"
    document.add_heading("A broken document", 1)
    document.add_paragraph("A short first page.")
    document.add_heading("A heading left alone", 2)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    tall = document.add_table(rows=12, cols=2)
    tall.style = document.styles["Table Grid"]  # drawn, so the PDF's tables can be found
    for n, row in enumerate(tall.rows):
        row.cells[0].text = "\n".join(f"Row {n} line {k}" for k in range(7))
    document.add_heading("Signatures", 2)
    names = document.add_table(rows=25, cols=3)
    names.style = document.styles["Table Grid"]
    for n, row in enumerate(names.rows):
        row.cells[0].text, row.cells[1].text = (
            ("Name", "Signature") if n == 0 else (f"Person {n}", "")
        )
        row.height = Cm(1.5)
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("A. Worker, Social worker")
    document.add_paragraph("Northshire County Council")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass
class Printed:
    document: object  # the .docx converted, opened with python-docx
    pages: list[Page]


def rendered_library(instance) -> dict[str, bytes]:
    """Each template's sample rendered by the generation service, then laid out for paper."""
    app = make_app(instance)
    app.config["CLEARINGHOUSE"]["TEMPLATES_LIBRARY_PATH"] = None  # the real library
    with app.app_context():
        db.create_all()
        ensure_vocabulary()
        make_authority("north")
        user = make_user("practitioner", "north")
        docs = {
            slug: service.document_generate(user, slug, library.entry_get(slug).sample).content
            for slug in SLUGS
        }
        db.session.remove()
        db.engine.dispose()
    return {slug: paper_layout(docx) for slug, docx in docs.items()}


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Printed]:
    """Every template's sample and the broken document, each converted once (four at a time:
    each cold converter has its own profile)."""
    need_libreoffice()
    docs = rendered_library(tmp_path_factory.mktemp("paper") / "instance")
    docs[BROKEN] = broken_document()
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = dict(zip(docs, pool.map(docx_to_pdf, docs.values()), strict=True))
    return {k: Printed(Document(io.BytesIO(docs[k])), read_pdf(pdfs[k])) for k in docs}


@pytest.mark.parametrize("check", sorted(CHECKS))
@pytest.mark.parametrize("slug", SLUGS)
def test_each_template_lays_out_on_paper(printed, slug, check):
    result = printed[slug]
    assert CHECKS[check][0](result.document, result.pages) == []


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_each_check_finds_its_fault(printed, check):
    result = printed[BROKEN]
    found, fault = CHECKS[check]
    assert any(fault in problem for problem in found(result.document, result.pages))


def test_the_broken_signature_table_is_found_split(printed):
    result = printed[BROKEN]
    assert "signature block 'Signatures' split" in split_signatures(result.document, result.pages)
