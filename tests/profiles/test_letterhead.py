"""letterhead_add: the logo at the top of the first section's header, read back by python-docx."""

import io

from docx import Document
from docx.shared import Cm
from docx_builder import DocxBuilder, make_docx

from clearinghouse.renderer.letterhead import letterhead_add
from profiles.images import png


def _header_images(header) -> list[bytes]:
    """Return the bytes of each image the header's paragraphs show, in order."""
    found = []
    for blip in header._element.xpath(".//a:blip"):
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        found.append(header.part.related_parts[rid].blob)
    return found


def test_the_logo_is_the_first_thing_in_the_header():
    image = png(200, 80)
    out = letterhead_add(make_docx(["Dear parent"], header="Children's Services"), image)
    document = Document(io.BytesIO(out))
    header = document.sections[0].header
    assert _header_images(header) == [image]
    first, second = header.paragraphs[:2]
    assert first._element.xpath(".//pic:pic") and not second._element.xpath(".//pic:pic")
    assert first.runs and not first.text and second.text == "Children's Services"
    shape = document.sections[0].header.part.element.xpath(".//wp:extent")[0]
    assert abs(int(shape.get("cx")) - Cm(4)) < Cm(0.01)
    assert document.paragraphs[0].text == "Dear parent"  # the body is untouched
    image_parts = [p for p in document.part.package.parts if p.partname.startswith("/word/media/")]
    assert [p.blob for p in image_parts] == [image]


def test_a_document_without_a_header_gets_one():
    image = png()
    out = letterhead_add(make_docx(["Text"]), image)
    assert _header_images(Document(io.BytesIO(out)).sections[0].header) == [image]


def test_a_different_first_page_header_gets_the_logo_too():
    builder = DocxBuilder().paragraphs(["Page one"])
    section = builder.document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "First page"
    out = letterhead_add(builder.build(), png())
    section = Document(io.BytesIO(out)).sections[0]
    assert len(_header_images(section.first_page_header)) == 1
    assert len(_header_images(section.header)) == 1
    assert section.first_page_header.paragraphs[1].text == "First page"
