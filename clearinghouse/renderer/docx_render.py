"""Rendering a compiled template: run each part's compiled Jinja, finish it as docxtpl does.

The post-processing per part is docxtpl's own (render_xml_part's clean-up, resolve_listing,
fix_tables, fix_docpr_ids), so the text matches what docxtpl produces. Output is counted
across parts so a template cannot grow a document past the size limit.
"""

import re

from docxtpl import DocxTemplate
from lxml import etree

from .docx_compile import DOCXTPL, PROP_MARK, XML_DECLARATION, CompiledDocx, Part
from .docx_errors import part_error, raise_template_error
from .docx_zip import write_zip
from .errors import RenderLimitError, TemplateError


class _Budget:
    """Counts characters produced across parts, to stop an output that grows too large."""

    def __init__(self, limit: int):
        self.left = limit

    def take(self, text: str) -> None:
        self.left -= len(text)
        if self.left < 0:
            raise RenderLimitError(
                "The document would be too large. Use less data or a shorter template.",
                status=413,
            )


def _run(template, context: dict, budget: _Budget) -> str:
    chunks = []
    for chunk in template.generate(context):
        budget.take(chunk)
        chunks.append(chunk)
    return "".join(chunks)


def _after_render(xml: str) -> str:
    # docxtpl's render_xml_part post-processing, in the same order.
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(ch in xml for ch in "\t\n\a\f"):
        xml = DOCXTPL.resolve_listing(xml)
    return xml


def _render_part(part: Part, context: dict, budget: _Budget) -> bytes:
    if part.kind == "core":
        text = part.prefix
        for index, (_, _, template) in enumerate(part.props):
            text = text.replace(PROP_MARK.format(index), _run(template, context, budget))
        return (XML_DECLARATION + text).encode("utf-8")
    xml = _after_render(_run(part.template, context, budget))
    if part.kind == "body":
        helper = DocxTemplate(None)
        helper.docx_ids_index = 1000
        tree = helper.fix_tables(xml)
        helper.fix_docpr_ids(tree)
        # lxml writes the data's braces back as "{": encode them again (see sandbox.py).
        body = etree.tostring(tree, encoding="unicode").replace("{", "&#123;")
        xml = part.prefix + body + part.suffix
    elif part.kind == "xml":
        etree.fromstring(xml.encode("utf-8"))  # a header or footer must still be valid XML
        xml = XML_DECLARATION + xml
    return xml.encode("utf-8")


def render_compiled(compiled: CompiledDocx, context: dict, max_output: int) -> bytes:
    """Render a compiled template with clean data; return the .docx bytes."""
    budget = _Budget(max_output)
    rendered: dict[str, bytes] = {}
    for part in compiled.parts.values():
        try:
            rendered[part.name] = _render_part(part, context, budget)
        except (RenderLimitError, TemplateError, MemoryError, RecursionError):
            raise
        except etree.XMLSyntaxError:
            raise TemplateError(
                f"In {part.label}: the template produced damaged Word XML. Check that "
                "tags such as {%p %} and {%tr %} open and close in the right places.",
                [
                    {
                        "part": part.name,
                        "message": "Damaged Word XML.",
                        "context": "",
                        "kind": "runtime",
                    }
                ],
            ) from None
        except OverflowError:
            raise RenderLimitError(
                f"In {part.label}: the template loops too many times (a range of more than "
                "100,000 items).",
                [
                    {
                        "part": part.name,
                        "message": "Loop too long.",
                        "context": "",
                        "kind": "runtime",
                    }
                ],
            ) from None
        except Exception as exc:  # noqa: BLE001 - any failure inside the template is its error
            source = part.source or (part.props[0][1] if part.props else "")
            raise_template_error([part_error(part.name, part.label, source, exc)])
    return write_zip(compiled.entries, rendered)
