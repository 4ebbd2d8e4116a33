"""Markdown as safe HTML: rendered once, when a version is uploaded, then sanitised with nh3.

Rendering trusts the file to have passed markdown_shape's checks (the upload checks run them);
``markdown_page`` runs them first, for Markdown that may not have been checked.
"""

import html
import logging

import markdown
import nh3

from ..errors import InvalidInput
from .limits import MarkdownLimits
from .markdown_shape import check_markdown_shape

log = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "hr",
}
EXTENSIONS = ["tables", "sane_lists"]
TOO_COMPLEX_NOTICE = (
    '<p class="govuk-body">This version is too complex to show as a page, so here is its '
    "text. Download the file to read it as it was written.</p>"
)


def markdown_to_html(text: str) -> str:
    """Render checked Markdown and sanitise it: only the tags, links and schemes a policy needs."""
    rendered = markdown.markdown(text, extensions=EXTENSIONS)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def markdown_page(text: str, limits: MarkdownLimits | None = None) -> str:
    """Return Markdown as safe HTML, or as escaped text when its shape is too costly to render."""
    try:
        check_markdown_shape(text, limits or MarkdownLimits.from_settings())
    except InvalidInput as refused:
        log.warning("Markdown shown as text: %s", refused.code)
        return f'{TOO_COMPLEX_NOTICE}\n<pre class="govuk-body">{html.escape(text)}</pre>'
    return markdown_to_html(text)
