"""A safe HTML preview of a generated .docx: headings, paragraphs, lists and tables, escaped."""

from ..documents.extract import blocks_to_html, docx_blocks, docx_parts
from ..documents.validate import InvalidInput


def docx_to_html(docx: bytes) -> str:
    """Return escaped HTML showing the document's headers, body and footers in order."""
    try:
        parts = docx_parts(docx)
    except (InvalidInput, ValueError, KeyError, OSError) as exc:
        raise InvalidInput(
            "preview_failed", "The document could not be shown as a preview."
        ) from exc
    if "word/document.xml" not in parts:
        raise InvalidInput("preview_failed", "The document could not be shown as a preview.")
    return blocks_to_html(docx_blocks(parts))
