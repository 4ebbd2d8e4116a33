"""Text and sections from .docx and Markdown, in document order.

A .docx is read straight from its XML with lxml: paragraphs, tables, headers and footers,
tracked changes as their final text (insertions kept, deletions and moved-away text dropped),
headings from paragraph styles or outline levels. The result is a list of blocks; sections
(split at headings), plain text and HTML are all derived from it.
"""

import html
import re
from dataclasses import dataclass, field

from .markdown_html import markdown_to_html
from .xml_parts import word_parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "rPr", W + "pPr"}
_HEADING_NAME = re.compile(r"^(heading|title)\s*(\d*)$", re.I)


@dataclass
class Block:
    """A heading, paragraph or table of a document."""

    kind: str  # heading | paragraph | table
    text: str = ""
    level: int = 0
    list_item: bool = False
    rows: list = field(default_factory=list)  # for tables: rows of cell texts


def _heading_levels(styles_root) -> dict[str, int]:
    """Map style ids to heading levels, from style names or outline levels."""
    levels = {}
    if styles_root is None:
        return levels
    for style in styles_root.iter(W + "style"):
        style_id = style.get(W + "styleId")
        name_el = style.find(W + "name")
        name = name_el.get(W + "val", "") if name_el is not None else ""
        match = _HEADING_NAME.match(name.strip())
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        if match:
            levels[style_id] = (
                int(match.group(2) or 1) if match.group(1).lower() == "heading" else 1
            )
        elif outline is not None and outline.get(W + "val", "9").isdigit():
            level = int(outline.get(W + "val")) + 1
            if level <= 6:
                levels[style_id] = level
    return levels


def _run_text(element, out: list) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        else:
            _run_text(child, out)


def _paragraph(p, levels: dict[str, int]) -> Block:
    out: list[str] = []
    _run_text(p, out)
    text = "".join(out).strip()
    ppr = p.find(W + "pPr")
    level = 0
    list_item = False
    if ppr is not None:
        style = ppr.find(W + "pStyle")
        if style is not None:
            level = levels.get(style.get(W + "val"), 0)
            list_item = "list" in (style.get(W + "val") or "").lower()
        outline = ppr.find(W + "outlineLvl")
        if outline is not None and (outline.get(W + "val") or "").isdigit():
            level = level or min(int(outline.get(W + "val")) + 1, 9)
        list_item = list_item or ppr.find(W + "numPr") is not None
    if level and level <= 6 and text:
        return Block("heading", text, level=level)
    return Block("paragraph", text, list_item=list_item)


def _cell_text(cell, levels) -> str:
    texts = []
    for p in cell.iter(W + "p"):
        block = _paragraph(p, levels)
        if block.text:
            texts.append(block.text)
    return "\n".join(texts)


def _walk(container, levels, blocks: list[Block]) -> None:
    for child in container:
        tag = child.tag
        if tag == W + "p":
            block = _paragraph(child, levels)
            if block.text:
                blocks.append(block)
        elif tag == W + "tbl":
            rows = []
            for tr in child.iter(W + "tr"):
                rows.append([_cell_text(tc, levels) for tc in tr.findall(W + "tc")])
            if any(any(cell for cell in row) for row in rows):
                blocks.append(Block("table", rows=rows))
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"):
            _walk(child, levels, blocks)


def _part_names(parts: dict, prefix: str) -> list[str]:
    found = [n for n in parts if re.fullmatch(rf"word/{prefix}\d*\.xml", n)]
    return sorted(found, key=lambda n: (len(n), n))


def docx_blocks(parts: dict) -> list[Block]:
    """Return the blocks of a .docx from its parsed word/ parts, headers first, footers last."""
    levels = _heading_levels(parts.get("word/styles.xml"))
    blocks: list[Block] = []
    for name in _part_names(parts, "header"):
        _walk(parts[name], levels, blocks)
    body = parts["word/document.xml"].find(W + "body")
    if body is not None:
        _walk(body, levels, blocks)
    for name in _part_names(parts, "footer"):
        _walk(parts[name], levels, blocks)
    return blocks


def docx_parts(data: bytes) -> dict:
    """Parse the word/ XML parts of a .docx, within the XML limits (InvalidInput beyond them)."""
    return word_parts(data)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_MD_LIST = re.compile(r"^\s*([-*+]|\d+[.)])\s+")


def markdown_blocks(text: str) -> list[Block]:
    """Return the blocks of a Markdown text: ATX headings, paragraphs, list items."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    in_fence = False

    def flush():
        if paragraph:
            blocks.append(Block("paragraph", " ".join(paragraph).strip()))
            paragraph.clear()

    for line in text.splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
            continue
        heading = None if in_fence else _MD_HEADING.match(line)
        if heading:
            flush()
            blocks.append(Block("heading", heading.group(2), level=len(heading.group(1))))
        elif not line.strip():
            flush()
        elif not in_fence and _MD_LIST.match(line):
            flush()
            blocks.append(Block("paragraph", _MD_LIST.sub("", line).strip(), list_item=True))
        else:
            paragraph.append(line.strip())
    flush()
    return [b for b in blocks if b.text or b.rows]


def block_text(block: Block) -> str:
    """Return a block as plain text (table cells joined by tabs, rows by new lines)."""
    if block.kind == "table":
        return "\n".join("\t".join(row) for row in block.rows)
    return block.text


def blocks_to_sections(blocks: list[Block]) -> list[dict]:
    """Split blocks at headings: [{"heading": str | None, "level": int, "text": str}]."""
    sections: list[dict] = []
    current = {"heading": None, "level": 0, "lines": []}
    for block in blocks:
        if block.kind == "heading":
            if current["heading"] is not None or current["lines"]:
                sections.append(current)
            current = {"heading": block.text, "level": block.level, "lines": []}
        else:
            current["lines"].append(block_text(block))
    if current["heading"] is not None or current["lines"]:
        sections.append(current)
    return [
        {"heading": s["heading"], "level": s["level"], "text": "\n".join(s["lines"])}
        for s in sections
    ]


def blocks_to_text(blocks: list[Block]) -> str:
    """Return the whole text, one block a line."""
    return "\n".join(block_text(b) for b in blocks)


def blocks_to_html(blocks: list[Block]) -> str:
    """Return escaped, simple HTML for showing a .docx as a page."""
    out: list[str] = []
    in_list = False
    for block in blocks:
        if block.list_item and not in_list:
            out.append('<ul class="govuk-list govuk-list--bullet">')
            in_list = True
        elif not block.list_item and in_list:
            out.append("</ul>")
            in_list = False
        if block.kind == "heading":
            level = min(block.level + 1, 6)
            size = {2: "l", 3: "m"}.get(level, "s")
            out.append(
                f'<h{level} class="govuk-heading-{size}">{html.escape(block.text)}</h{level}>'
            )
        elif block.kind == "table":
            rows = "".join(
                '<tr class="govuk-table__row">'
                + "".join(
                    f'<td class="govuk-table__cell">{html.escape(c).replace(chr(10), "<br>")}</td>'
                    for c in row
                )
                + "</tr>"
                for row in block.rows
            )
            body = f'<tbody class="govuk-table__body">{rows}</tbody>'
            out.append(f'<table class="govuk-table">{body}</table>')
        elif block.list_item:
            out.append(f"<li>{html.escape(block.text)}</li>")
        else:
            text = html.escape(block.text).replace("\n", "<br>").replace("\t", " ")
            out.append(f'<p class="govuk-body">{text}</p>')
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


@dataclass
class Extracted:
    """What extraction gives a version: whole text, sections and (when made) safe HTML."""

    text: str
    sections: list[dict]
    html: str | None = None


def extract(data: bytes, extension: str, parts: dict | None = None) -> Extracted:
    """Extract text, sections and safe HTML from a checked .docx or .md file.

    A .docx is parsed once: pass the parts the upload checks parsed.
    """
    if extension == ".md":
        text = data.decode("utf-8")
        blocks = markdown_blocks(text)
        page = markdown_to_html(text)
    else:
        blocks = docx_blocks(parts or docx_parts(data))
        page = blocks_to_html(blocks)
    return Extracted(blocks_to_text(blocks), blocks_to_sections(blocks), page)
