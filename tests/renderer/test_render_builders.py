"""Builders for real .docx templates used by the renderer and template tests, and the render
limits the renderer tests pass (no tests here)."""

import dataclasses
import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document

from clearinghouse.renderer import RenderLimits

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def limits(**changes) -> RenderLimits:
    """Return the default render limits (those the settings declare) with some changed."""
    return dataclasses.replace(RenderLimits.from_settings(), **changes)


DEFAULT_LIMITS = limits()


def build_template(
    paragraphs=(),
    *,
    heading=None,
    header=None,
    footer=None,
    title=None,
    subject=None,
    footnote=None,
    table=None,
    bullets=(),
) -> bytes:
    """Build a .docx whose parts hold the given (Jinja) text."""
    document = Document()
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    for text in bullets:
        document.add_paragraph(text, style="List Bullet")
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    if title is not None:
        document.core_properties.title = title
    if subject is not None:
        document.core_properties.subject = subject
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    return add_footnote(data, footnote) if footnote is not None else data


def add_footnote(data: bytes, text: str) -> bytes:
    """Return the .docx with a footnotes part holding one footnote of text."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    footnotes = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1"><w:p><w:r>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                override = (
                    f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"/>'
                )
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            if item.filename == "word/_rels/document.xml.rels":
                rel = f'<Relationship Id="rIdFoot1" Type="{FOOTNOTES_REL}" Target="footnotes.xml"/>'
                content = content.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            target.writestr(item, content)
        target.writestr("word/footnotes.xml", footnotes)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """Return all text of a .docx: body, headers, footers, footnotes, one paragraph a line."""
    import re

    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(data))
    names = ["word/document.xml"] + sorted(
        n
        for n in archive.namelist()
        if re.match(r"word/(header|footer)\d*\.xml|word/footnotes\.xml", n)
    )
    lines = []
    for name in names:
        root = etree.fromstring(archive.read(name))
        for p in root.iter(f"{{{W}}}p"):
            lines.append("".join(t.text or "" for t in p.iter(f"{{{W}}}t")))
    return "\n".join(lines)


def core_properties(data: bytes):
    """Return the python-docx core properties of a .docx."""
    return Document(io.BytesIO(data)).core_properties
