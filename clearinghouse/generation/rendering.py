"""The renderer as the app uses it: limits from the app's settings, and an HTML preview.

The renderer (clearinghouse.renderer) is told its limits on every call; this module reads
them from the app's RENDER_* settings each time, so a changed setting applies at once.
"""

from flask import current_app, has_app_context

from .. import renderer
from ..documents.extract import blocks_to_html, docx_blocks, docx_parts
from ..errors import InvalidInput
from ..renderer import RenderLimits


def render_limits() -> RenderLimits:
    """Return the render limits from the app's settings (the defaults outside an app)."""
    settings = current_app.config.get("CLEARINGHOUSE", {}) if has_app_context() else {}
    return RenderLimits.from_settings(settings)


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
