"""The renderer and the PDF converters as the app uses them, and the HTML preview.

The renderer (clearinghouse.renderer) is told its limits on every call, and the converters
(clearinghouse.pdf) their settings; this module reads them from the app's RENDER_* and PDF_*
settings each time, so a changed setting applies at once.
"""

from flask import current_app, has_app_context

from .. import pdf, renderer
from ..documents.extract import blocks_to_html, docx_blocks, docx_parts
from ..errors import InvalidInput
from ..renderer import RenderLimits


def render_limits() -> RenderLimits:
    """Return the render limits from the app's settings (the defaults outside an app)."""
    return RenderLimits.from_settings(_settings())


# What making a PDF may raise besides a render's errors: busy or missing converters (503),
# a conversion that failed or overran (422). Pages catch these to keep the case on screen.
PDF_PROBLEMS = (pdf.PdfBusy, pdf.PdfUnavailable, pdf.PdfFailed)


def _settings() -> dict:
    return current_app.config.get("CLEARINGHOUSE", {}) if has_app_context() else {}


def pdf_settings() -> pdf.PdfSettings:
    """Return the PDF converters' settings from the app's PDF_* settings."""
    return pdf.PdfSettings.from_settings(_settings())


def pdf_problem() -> str | None:
    """Return in one line why this server cannot make PDFs (what to install), or None."""
    return pdf.pdf_unavailable_reason(pdf_settings())


def pdf_warm() -> None:
    """Start this process's PDF converters in the background (if this server has LibreOffice)."""
    pdf.warm(pdf_settings())


def docx_to_pdf(docx: bytes, *, pdfa: bool = False) -> bytes:
    """Return the PDF of a document just generated (hardened, then converted warm)."""
    return pdf.docx_to_pdf(docx, pdf_settings(), pdfa=pdfa)


def render_docx(template: bytes, context: dict, *, key: str | None = None) -> bytes:
    """Render a .docx template with case data within the app's limits; return the .docx."""
    return renderer.render_docx(template, context, render_limits(), key=key)


def template_inspect(template: bytes) -> dict:
    """Return a template's problems, variables and data paths, within the app's limits."""
    return renderer.template_inspect(template, render_limits())


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
