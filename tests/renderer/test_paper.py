"""The paper layout pass (renderer.paper): real .docx files made with python-docx, passed
through paper_layout, opened again with python-docx and read with lxml."""

import io
import logging
import statistics
import time
import zipfile

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from clearinghouse.paths import PROJECT_ROOT
from clearinghouse.renderer.paper import paper_layout

SECRET = "Lily-Mae lives at 3 Secret Road"


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def laid_out(document) -> Document:
    """Pass the document through paper_layout and open the result."""
    return Document(io.BytesIO(paper_layout(save(document))))


def keeps(paragraph) -> bool:
    """Whether the paragraph itself (not its style) keeps with the next."""
    ppr = paragraph._p.pPr
    keep = None if ppr is None else ppr.find(qn("w:keepNext"))
    return keep is not None and keep.get(qn("w:val")) in (None, "1", "true", "on")


def by_text(document) -> dict:
    return {p.text: p for p in document.paragraphs if p.text}


def kept_after_layout(document) -> set[str]:
    """The text of each body paragraph that keeps with the next once laid out."""
    return {text for text, p in by_text(laid_out(document)).items() if keeps(p)}


def test_every_table_row_cannot_split_nested_tables_and_odd_rows_too():
    document = Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).add_table(rows=2, cols=1)  # a nested table
    allowed = OxmlElement("w:cantSplit")
    allowed.set(qn("w:val"), "0")  # the template allowed this row to split
    table.rows[1]._tr.get_or_add_trPr().append(allowed)
    table.rows[2]._tr.insert(0, OxmlElement("w:tblPrEx"))  # a row with table exceptions
    rows = list(laid_out(document).element.body.iter(qn("w:tr")))
    assert len(rows) == 5
    for row in rows:
        split = row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}")
        assert split is not None and split.get(qn("w:val")) is None
    assert [c.tag for c in rows[-1]][:2] == [qn("w:tblPrEx"), qn("w:trPr")]  # CT_Row's order


def test_a_row_near_a_page_long_and_a_one_row_layout_table_may_split():
    """Word clips a row that cannot split and is taller than a page: such rows stay free."""
    document = Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Short"
    table.cell(1, 1).text = "Long reasons. " * 200  # about a page of text in one cell
    document.add_table(rows=1, cols=2).cell(0, 0).text = "A layout table"
    laid = laid_out(document)
    short, long_row = laid.tables[0].rows
    assert short._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    assert long_row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None
    assert laid.tables[1].rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None


def test_headings_titles_and_labels_keep_with_next_body_text_does_not():
    document = Document()
    styles = document.styles
    own = styles.add_style("Report heading", 1)  # WD_STYLE_TYPE.PARAGRAPH
    own.base_style = styles["Heading 2"]
    document.add_heading("The title", 0)
    document.add_heading("A heading", 1)
    document.add_paragraph("A heading by inheritance", style="Report heading")
    outlined = document.add_paragraph("An outline level")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "2")
    outlined._p.get_or_add_pPr().append(level)
    document.add_paragraph().add_run("A bold line").bold = True
    document.add_paragraph("Core group members:")
    document.add_paragraph("A sentence of body text that ends.")
    document.add_paragraph("A last heading-like label:")
    assert kept_after_layout(document) == {
        "The title",
        "A heading",
        "A heading by inheritance",
        "An outline level",
        "A bold line",
        "Core group members:",
    }
    ppr = by_text(laid_out(document))["A heading"]._p.pPr
    assert [c.tag for c in ppr][:2] == [qn("w:pStyle"), qn("w:keepNext")]  # CT_PPrBase order


def test_a_signature_table_stays_whole_with_its_agreement_section():
    document = Document()
    document.add_heading("Contacts", 2)
    document.add_paragraph("Phone the social worker.")
    document.add_heading("We agree to this plan", 2)
    document.add_paragraph("Danielle agreed", style="List Bullet")
    document.add_paragraph("Ryan agreed", style="List Bullet")
    document.add_heading("Signatures", 3)
    table = document.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Name", "Signature", "Date"], strict=True):
        cell.text = text
    for row, name in zip(table.rows[1:], ["Danielle", "Ryan", "Maria"], strict=True):
        row.cells[0].text = name
        row.cells[0].paragraphs[0].paragraph_format.keep_with_next = True  # as the template
    document.add_paragraph("After the table")
    result = laid_out(document)
    texts = by_text(result)
    assert [keeps(texts[t]) for t in ("Phone the social worker.", "We agree to this plan")] == [
        False,
        True,
    ]
    assert all(keeps(texts[t]) for t in ("Danielle agreed", "Ryan agreed", "Signatures"))
    rows = result.tables[0].rows
    assert all(keeps(p) for row in rows[:-1] for cell in row.cells for p in cell.paragraphs)
    assert not any(keeps(p) for cell in rows[-1].cells for p in cell.paragraphs)  # lets go


def test_a_letter_close_and_signed_lines_stay_together():
    document = Document()
    document.add_paragraph("A long letter. " * 20)
    document.add_paragraph("You can complain by phone.")
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph()  # room to sign
    document.add_paragraph("Priya Shah, Social worker")
    document.add_paragraph("Northshire County Council")
    document.add_heading("Local solicitors", 2)
    document.add_paragraph("Name: ____")
    document.add_paragraph("Signed: ____")
    document.add_paragraph("Date: ____")
    assert kept_after_layout(document) == {
        "You can complain by phone.",
        "Yours sincerely,",
        "Priya Shah, Social worker",
        "Local solicitors",
        "Name: ____",
        "Signed: ____",
    }


@pytest.mark.parametrize(
    "damage",
    ["not a zip", "no document part", "broken xml", "encrypted entry"],
)
def test_a_document_it_cannot_read_is_returned_unchanged_and_logged_without_text(caplog, damage):
    document = Document()
    document.add_heading(SECRET, 1)  # so a pass that ran would change the document
    data = save(document)
    if damage == "not a zip":
        data = SECRET.encode()
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                body = src.read(item.filename)
                if item.filename == "word/document.xml":
                    if damage == "no document part":
                        continue
                    body = body[:-40] if damage == "broken xml" else body
                dst.writestr(item, body)
        data = out.getvalue()
        if damage == "encrypted entry":  # the central directory's flags say "encrypted"
            at = data.index(b"PK\x01\x02")
            data = data[: at + 8] + b"\x01\x00" + data[at + 10 :]
    with caplog.at_level(logging.WARNING, logger="clearinghouse.renderer.paper"):
        assert paper_layout(data) is data
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["paper layout not applied"]
    assert "Lily" not in caplog.text and "Secret" not in caplog.text


def test_idempotent_and_every_other_part_is_copied_byte_for_byte():
    template = (PROJECT_ROOT / "templates_library/cp-conference-report/template.docx").read_bytes()
    once = paper_layout(template)
    assert once != template
    assert paper_layout(once) == once
    with zipfile.ZipFile(io.BytesIO(template)) as a, zipfile.ZipFile(io.BytesIO(once)) as b:
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert changed == ["word/document.xml"]
    assert [p.text for p in Document(io.BytesIO(once)).paragraphs] == [
        p.text for p in Document(io.BytesIO(template)).paragraphs
    ]


def test_fast_on_the_conference_report():
    """It runs on every render: a few ms (measured ~2 ms warm on the conference report)."""
    template = (PROJECT_ROOT / "templates_library/cp-conference-report/template.docx").read_bytes()
    paper_layout(template)  # the styles part is read once per template, then cached
    times = []
    for _ in range(9):
        start = time.perf_counter()
        paper_layout(template)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.025
