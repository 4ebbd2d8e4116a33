"""Values and builders shared by tests in every folder (import as ``from testdata import``).

A plain module rather than conftest.py: ``from conftest import`` resolves to whichever
conftest.py pytest imported first, which differs between a single file and the whole suite.
"""

import io

from docx import Document as DocxDocument

PASSWORD = "correct horse battery"


def make_docx(paragraphs=(), headings=(), sections=None) -> bytes:
    """Build a real .docx: sections is a list of (heading, [paragraphs])."""
    document = DocxDocument()
    for text in headings:
        document.add_heading(text, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    for heading, body in sections or []:
        document.add_heading(heading, level=1)
        for text in body:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
