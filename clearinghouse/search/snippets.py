"""A search snippet as plain text with the offsets of its marked words, for API clients.

``whoosh_query.snippet`` makes the HTML the pages show: text escaped, matches in <mark>. An API
client that does not render HTML gets the same snippet as plain text and [start, end) offsets,
counted in Unicode code points (Python string indexes; in JavaScript, index ``Array.from(text)``).
"""

import html
import re

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def snippet_plain(snippet_html: str) -> tuple[str, list[list[int]]]:
    """Return (plain text, [[start, end], ...]) of a snippet made by whoosh_query.snippet."""
    text: list[str] = []
    marks: list[list[int]] = []
    length = 0
    cursor = 0
    for found in _MARK.finditer(snippet_html or ""):
        before = html.unescape(snippet_html[cursor : found.start()])
        marked = html.unescape(found.group(1))
        text += [before, marked]
        length += len(before)
        marks.append([length, length + len(marked)])
        length += len(marked)
        cursor = found.end()
    text.append(html.unescape((snippet_html or "")[cursor:]))
    return "".join(text), marks
