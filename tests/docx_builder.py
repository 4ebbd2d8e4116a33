"""The one .docx builder for tests: real Word files made by python-docx, in any shape a test needs.

``make_docx(...)`` covers the common shapes by keyword; ``DocxBuilder`` adds blocks in the order
given for documents whose order matters (extraction). Files whose hostility needs raw zip surgery
(bombs, macros, external relationships, costly XML) start from these and are changed with
``rezip``; they live in tests/documents/docx_samples.py and hostile_samples.py.

Import as ``from docx_builder import make_docx`` (tests/ is on sys.path, as for conftest.py).
"""

import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


class DocxBuilder:
    """Add headings, paragraphs, tables, headers, footers, properties and a footnote in order."""

    def __init__(self):
        self.document = Document()
        self._footnote = None

    def heading(self, text: str, level: int = 1) -> "DocxBuilder":
        """Add a heading (level 0 is the document title style)."""
        self.document.add_heading(text, level=level)
        return self

    def paragraphs(self, texts, style: str | None = None) -> "DocxBuilder":
        """Add one paragraph per text, in the given style."""
        for text in texts:
            self.document.add_paragraph(text, style=style)
        return self

    def paragraph(self, text: str, style: str | None = None) -> "DocxBuilder":
        """Add one paragraph."""
        return self.paragraphs([text], style=style)

    def bullets(self, texts) -> "DocxBuilder":
        """Add one bulleted paragraph per text."""
        return self.paragraphs(texts, style="List Bullet")

    def sections(self, sections, level: int = 1) -> "DocxBuilder":
        """Add each (heading, [paragraphs]) as a heading followed by its paragraphs."""
        for heading, body in sections:
            self.heading(heading, level=level).paragraphs(body)
        return self

    def table(self, rows) -> "DocxBuilder":
        """Add a table whose cells hold the given rows of text."""
        grid = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
        return self

    def header(self, text: str) -> "DocxBuilder":
        """Set the text of the first section's header."""
        self.document.sections[0].header.paragraphs[0].text = text
        return self

    def footer(self, text: str) -> "DocxBuilder":
        """Set the text of the first section's footer."""
        self.document.sections[0].footer.paragraphs[0].text = text
        return self

    def properties(self, title: str | None = None, subject: str | None = None) -> "DocxBuilder":
        """Set the core properties title and subject."""
        if title is not None:
            self.document.core_properties.title = title
        if subject is not None:
            self.document.core_properties.subject = subject
        return self

    def footnote(self, text: str) -> "DocxBuilder":
        """Add a footnotes part holding one footnote of text (python-docx cannot)."""
        self._footnote = text
        return self

    def build(self) -> bytes:
        """Return the .docx bytes."""
        buffer = io.BytesIO()
        self.document.save(buffer)
        data = buffer.getvalue()
        return add_footnote(data, self._footnote) if self._footnote is not None else data


def make_docx(
    paragraphs=(),
    *,
    heading=None,
    headings=(),
    sections=None,
    bullets=(),
    table=None,
    header=None,
    footer=None,
    title=None,
    subject=None,
    footnote=None,
) -> bytes:
    """Build a real .docx: heading(s), paragraphs, sections of (heading, [paragraphs]), bullets,
    a table, then header, footer, core title and subject and a footnote, any of which may hold
    Jinja tags for a template."""
    builder = DocxBuilder()
    for text in [heading] if heading else []:
        builder.heading(text)
    for text in headings:
        builder.heading(text)
    builder.paragraphs(paragraphs).sections(sections or []).bullets(bullets)
    if table:
        builder.table(table)
    if header is not None:
        builder.header(header)
    if footer is not None:
        builder.footer(footer)
    builder.properties(title=title, subject=subject)
    if footnote is not None:
        builder.footnote(footnote)
    return builder.build()


def rezip(
    data: bytes, replace: dict | None = None, add: dict | None = None, stored=(), edit=None
) -> bytes:
    """Return the zip with parts replaced, edited (``edit`` maps name -> fn(bytes) -> bytes) or
    added (names in stored are not compressed)."""
    replace, edit = replace or {}, edit or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            if info.filename in edit:
                content = edit[info.filename](content)
            target.writestr(info, content, zipfile.ZIP_DEFLATED)  # keeps dates: same in, same out
        for name, content in (add or {}).items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            target.writestr(name, content, method)
    return out.getvalue()


def add_footnote(data: bytes, text: str) -> bytes:
    """Return the .docx with a footnotes part holding one footnote of text."""
    footnotes = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p><w:r>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    )
    override = f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"/>'
    rel = f'<Relationship Id="rIdFoot1" Type="{FOOTNOTES_REL}" Target="footnotes.xml"/>'
    return rezip(
        data,
        edit={
            "[Content_Types].xml": lambda c: c.replace(
                b"</Types>", override.encode() + b"</Types>"
            ),
            "word/_rels/document.xml.rels": lambda c: c.replace(
                b"</Relationships>", rel.encode() + b"</Relationships>"
            ),
        },
        add={"word/footnotes.xml": footnotes.encode()},
    )


def docx_part(data: bytes, name: str) -> bytes:
    """Return one part of a .docx."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)
