"""Template problems with context: which part, what went wrong, and the paragraph it is in.

Messages name the part of the document (the main text, a header, ...) and quote the
template's own text near the bad tag, never the data being filled in.
"""

import html
import re
import traceback

from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SecurityError

from .errors import TemplateError

_TAGS = re.compile(r"<[^>]+>")


def paragraph_text(xml_line: str) -> str:
    """Return the visible text of a line of template XML."""
    return " ".join(html.unescape(_TAGS.sub("", xml_line)).split())


def error_context(source: str, lineno: int | None) -> str:
    """Return the paragraph text around a template line (the one with the bad tag)."""
    lines = source.splitlines()
    if not lineno or lineno < 1 or lineno > len(lines):
        return ""
    for distance in range(0, 4):
        for index in (lineno - 1 - distance, lineno - 1 + distance):
            if 0 <= index < len(lines):
                text = paragraph_text(lines[index])
                if text:
                    return text[:300]
    return ""


def template_lineno(exc: BaseException) -> int | None:
    """Return the template line an error was raised on, from Jinja's rewritten traceback."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    found = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == "<template>":
            found = lineno
    return found


def part_label(name: str) -> str:
    """Return how a part is called in messages ("the main text", "a header", ...)."""
    if name == "word/document.xml":
        return "the main text"
    if name.startswith("docProps/"):
        return "the document properties"
    kind = re.sub(r"\d*\.xml$", "", name.rsplit("/", 1)[-1])
    return {"header": "a header", "footer": "a footer", "footnotes": "the footnotes"}.get(
        kind, name
    )


def part_error(part_name: str, label: str, source: str, exc: BaseException) -> dict:
    """Return an error detail for a template problem in one part (never with data values)."""
    if isinstance(exc, SecurityError):
        message = str(exc)
    elif isinstance(exc, TemplateSyntaxError):
        message = f"Jinja syntax error: {exc.message}"
    elif isinstance(exc, JinjaTemplateError):
        message = exc.message or type(exc).__name__
    else:
        # Python's own messages can quote the data; say only what kind of problem it was.
        message = f"The template failed while filling in the data ({type(exc).__name__})."
    if isinstance(exc, SecurityError):
        kind = "forbidden"
    else:
        kind = "syntax" if isinstance(exc, TemplateSyntaxError) else "runtime"
    return {
        "part": part_name,
        "message": f"In {label}: {message}",
        "context": error_context(source, template_lineno(exc)),
        "kind": kind,
    }


def raise_template_error(details: list[dict]) -> None:
    """Raise one TemplateError listing every problem found."""
    first = details[0]
    where = f' (near "{first["context"]}")' if first.get("context") else ""
    raise TemplateError(f"The template has a problem: {first['message']}{where}", details)
