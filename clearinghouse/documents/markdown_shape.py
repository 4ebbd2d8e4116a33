"""Markdown's cost bounded by its shape, measured in one linear pass before it is rendered.

Python-Markdown's time grows with the square of a few shapes (19 KB of "[" took 48 s; a list
3,000 levels deep ran out of recursion), so each is measured here and refused past a limit no
ordinary policy reaches, saying which limit and where:
- each "[" is scanned to its "]", each "](" to its ")", or to the end of the paragraph when
  never closed (or, for a link, when a quote inside may hide the ")");
- each "<" that starts no complete tag is scanned by the HTML parser to the end of the file;
- block parsers split a paragraph again for each of its lines, and the inline pass rebuilds
  a paragraph's text for each bit of formatting it finds;
- lists and quotes recurse once per level, and deep HTML costs the sanitiser its square.
The characters those scans would cover are counted (over, never under) against one budget.
"""

import logging
import re

from .limits import MarkdownLimits, refuse

log = logging.getLogger(__name__)

_MARKER = re.compile(r">|(?:[-*+]|\d{1,9}[.)])(?= |$)")
_SPACES = re.compile(r" *")
_BLANK = re.compile(r"[ \t]*")
_BRACKETS = re.compile(r"""\\.|[\[\]()'"]""", re.S)
_INLINE = "*_`[!<&\\"  # what starts an inline pattern; each match rebuilds the paragraph
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_TAG = re.compile(
    r"""/?[A-Za-z][A-Za-z0-9-]*
        (?:[ \t]+[A-Za-z_:][\w:.-]*
           (?:[ \t]*=[ \t]*(?:"[^"<>\n]*"|'[^'<>\n]*'|[^ \t\n"'=<>`]+))?)*
        [ \t]*/?>""",
    re.X,
)
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^ \t\n<>]*>|[^ \t\n<>@]+@[^ \t\n<>]+>")
_CLOSERS = {"<!--": "-->", "<![": "]>", "<!": ">", "<?": ">"}


def _too_complex(message: str):
    log.info("refused Markdown: %s", message)
    return refuse("markdown_too_complex", message)


def _depth(line: str, limit: int) -> int:
    """Return the levels a line nests (four spaces, ">" or a list marker each), up to limit+1."""
    if "\t" in line:
        line = line.expandtabs(4)
    depth = pos = 0
    while depth <= limit:
        spaces = _SPACES.match(line, pos).end()
        depth += (spaces - pos) // 4
        marker = _MARKER.match(line, spaces)
        if marker is None:
            break
        depth += 1
        pos = marker.end()
    return depth


def bracket_scan(block: str) -> tuple[int, int | None]:
    """Return the characters link parsing scans in a paragraph, and its first unclosed bracket.

    A link's "(" counts as unclosed when a quote inside it may hide its ")".
    """
    cost = 0
    squares: list[int] = []
    parens: list[tuple[int, bool]] = []
    link_paren_at = last_quote = -1
    quoted: list[int] = []
    for match in _BRACKETS.finditer(block):
        char, pos = match.group(0), match.start()
        if char == "[":
            squares.append(pos)
        elif char == "]" and squares:
            cost += pos - squares.pop()
            link_paren_at = pos + 1
        elif char == "(":
            parens.append((pos, pos == link_paren_at))
        elif char == ")" and parens:
            start, is_link = parens.pop()
            if is_link and last_quote > start:
                quoted.append(start)
            elif is_link:
                cost += pos - start
        elif char in "'\"":
            last_quote = pos
    unclosed = squares + [pos for pos, is_link in parens if is_link] + quoted
    cost += sum(len(block) - pos for pos in unclosed)
    return cost, min(unclosed) if unclosed else None


def tag_scan(text: str) -> tuple[int, int, int | None]:
    """Return the characters the HTML parser scans, the tags, and the first unclosed "<"."""
    cost = tags = 0
    first = None
    found: dict[str, int] = {}
    for match in _TAG_START.finditer(text):
        pos = match.start()
        opener = next((o for o in _CLOSERS if text.startswith(o, pos)), None)
        if opener is not None:
            if found.get(opener, -1) < pos + len(opener):
                closer = text.find(_CLOSERS[opener], pos + len(opener))
                found[opener] = len(text) if closer < 0 else closer + len(_CLOSERS[opener])
            end = found[opener]
            end = -1 if end == len(text) else end
        elif tag := _TAG.match(text, pos + 1):
            tags += 1
            end = tag.end()
        elif autolink := _AUTOLINK.match(text, pos + 1):
            end = autolink.end()
        else:
            tags += 1
            end = -1
        if end < 0:
            end = len(text)
            first = pos if first is None else first
        cost += end - pos
    return cost, tags, first


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _unclosed(line: int) -> str:
    return (
        "This Markdown file has brackets or tags ([, ( or <) that are never closed, the first "
        f"on line {line:,}, so it would take too long to show. Close each one, or put a "
        "backslash before any you mean as text (\\[ \\( \\<), then upload it again."
    )


def _check_blocks(lines: list[str], limits: MarkdownLimits) -> tuple[int, int | None]:
    """Check nesting, paragraph length and inline formatting line by line.

    Returns what the brackets cost to scan and the line of the first one never closed.
    """
    cost = inline = largest = 0
    first = start = largest_at = None
    for number, line in enumerate([*lines, ""], start=1):
        if _BLANK.fullmatch(line) is None:
            start = number if start is None else start
            if _depth(line, limits.max_depth) > limits.max_depth:
                raise _too_complex(
                    f"This Markdown file nests lists or quotes more than {limits.max_depth:,} "
                    f"levels deep (line {number:,}). Use fewer levels, then upload it again."
                )
            if number - start >= limits.max_block_lines:
                raise _too_complex(
                    f"This Markdown file has more than {limits.max_block_lines:,} lines without "
                    f"a blank line (from line {start:,}). Add blank lines between paragraphs, "
                    "lists and tables, then upload it again."
                )
            continue
        if start is not None:
            block = "\n".join(lines[start - 1 : number - 1])
            block_inline = len(block) * sum(map(block.count, _INLINE))
            inline += block_inline
            if block_inline > largest:
                largest, largest_at = block_inline, start
            if inline > limits.max_inline_work:
                raise _too_complex(
                    "This Markdown file has a paragraph too long for all its formatting "
                    f"(*, _, `, \\, & or <), from line {largest_at:,}, so it would take too "
                    "long to show. Add blank lines to split it, then upload it again."
                )
            block_cost, unclosed = bracket_scan(block)
            cost += block_cost
            if unclosed is not None and first is None:
                first = start + block.count("\n", 0, unclosed)
            if cost > limits.max_scan:
                raise _too_complex(_unclosed(first) if first else _nested(start))
            start = None
    return cost, first


def _nested(line: int) -> str:
    return (
        "This Markdown file nests brackets ([ or () too deeply to show (from line "
        f"{line:,}). Simplify its links, then upload it again."
    )


def check_markdown_shape(text: str, limits: MarkdownLimits) -> None:
    """Refuse Markdown whose size or shape would make rendering it costly, saying why."""
    if len(text.encode("utf-8")) > limits.max_bytes:
        size = limits.max_bytes // 1024
        size_text = f"{size // 1024:,} MB" if size % 1024 == 0 else f"{size:,} KB"
        raise refuse(
            "file_too_large",
            f"A Markdown file must be smaller than {size_text}. Split it into smaller files, "
            "or upload it as a Word document.",
            status=413,
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if len(lines) > limits.max_lines:
        raise _too_complex(
            f"This Markdown file has more than {limits.max_lines:,} lines. Split it into "
            "smaller files and upload them one by one."
        )
    cost, first_bracket = _check_blocks(lines, limits)
    tag_cost, tags, first_tag = tag_scan(text)
    if tags > limits.max_html_tags:
        raise _too_complex(
            f"This Markdown file has more than {limits.max_html_tags:,} HTML tags. Use "
            "Markdown instead of HTML, then upload it again."
        )
    if cost + tag_cost > limits.max_scan:
        lines_open = [first_bracket] if first_bracket else []
        if first_tag is not None:
            lines_open.append(_line_of(text, first_tag))
        raise _too_complex(_unclosed(min(lines_open)) if lines_open else _nested(1))
