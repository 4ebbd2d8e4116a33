"""The authority's logo at the top of a generated document's first header (a letterhead)."""

import io

from docx import Document
from docx.image.image import Image
from docx.shared import Cm

LOGO_WIDTH = Cm(4)


def _top_paragraph(header):
    """Return an empty paragraph at the very top of the header, adding one if needed."""
    paragraphs = header.paragraphs
    if paragraphs and not paragraphs[0].text and not paragraphs[0].runs:
        return paragraphs[0]
    if paragraphs:
        return paragraphs[0].insert_paragraph_before()
    return header.add_paragraph()


def letterhead_add(docx: bytes, image: bytes) -> bytes:
    """Return the .docx with the logo (PNG or JPEG) at the top of its first section's header.

    When the first page has its own header, the logo goes there too, so it is always on page 1.
    """
    document = Document(io.BytesIO(docx))
    section = document.sections[0]
    headers = [section.header]
    if section.different_first_page_header_footer:
        headers.insert(0, section.first_page_header)
    for header in headers:
        header.is_linked_to_previous = False
        run = _top_paragraph(header).add_run()
        run.add_picture(io.BytesIO(image), width=LOGO_WIDTH)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letterhead_fits(image: bytes) -> bool:
    """Return whether the image can go into a letterhead: python-docx reads its header and
    finds a positive size and resolution (some real files it cannot read, such as a JPEG
    without JFIF or Exif first, or a resolution of zero)."""
    try:
        picture = Image.from_blob(image)
        return min(picture.px_width, picture.px_height, picture.horz_dpi, picture.vert_dpi) > 0
    except Exception:  # noqa: BLE001 - any failure to read means it does not fit
        return False
