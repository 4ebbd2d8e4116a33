"""Changes as escaped HTML: tracked changes for versions, each side's wording across documents.

Versions of one document: inserted words are <ins class="app-diff-insert"> (underlined, green)
and deleted words <del class="app-diff-delete"> (struck through, red); each also carries
visually hidden "inserted:" / "deleted:" text so screen readers announce them, since many do
not announce ins and del elements.

Two documents (two authorities' choices, not a deletion): each side's wording is shown alone,
and the words only that side has are marked <span class="app-only"> (shaded grey, dotted
underline), announced as "only in Ashdown:".
"""

from html import escape

from markupsafe import Markup

_HIDDEN = '<span class="govuk-visually-hidden">'
_TAGS = {
    "insert": (
        f'<ins class="app-diff-insert">{_HIDDEN}[inserted: </span>',
        f"{_HIDDEN}]</span></ins>",
    ),
    "delete": (
        f'<del class="app-diff-delete">{_HIDDEN}[deleted: </span>',
        f"{_HIDDEN}]</span></del>",
    ),
}


def _text_html(text: str) -> str:
    """Escape text; paragraph breaks become line breaks, cell breaks a visible bar."""
    return escape(text).replace("\n", "<br>\n").replace("\t", " | ")


def _wrapped(text: str, start: str, end: str) -> str:
    # Keep a leading space outside the mark, so it is not underlined or struck through.
    lead = " " if text.startswith(" ") else ""
    body = text[len(lead) :]
    # Marks may not span paragraphs neatly: close and reopen them around each break.
    parts = body.split("\n")
    marked = "<br>\n".join(start + _text_html(p) + end if p else "" for p in parts)
    return lead + marked


def changes_html(changes: list[dict], side: str | None = None) -> Markup:
    """Return changes as HTML: both sides inline, or one side ("left" or "right") alone."""
    hidden = {"left": "insert", "right": "delete"}.get(side or "")
    out = []
    for change in changes:
        op, text = change["op"], change["text"]
        if op == hidden:
            continue
        out.append(_text_html(text) if op == "equal" else _wrapped(text, *_TAGS[op]))
    return Markup("".join(out))  # noqa: S704 - every piece of text above is escaped


def wording_html(changes: list[dict], side: str, name: str, marked: bool = True) -> Markup:
    """Return one side's wording ("left" or "right"), its own words marked as only in `name`
    (unmarked when ``marked`` is false: a section only one document has)."""
    own = {"left": "delete", "right": "insert"}[side]
    start = f'<span class="app-only">{_HIDDEN}[only in {escape(name)}: </span>'
    end = f"{_HIDDEN}]</span></span>"
    out = []
    for change in changes:
        op, text = change["op"], change["text"]
        if op == "equal" or (op == own and not marked):
            out.append(_text_html(text))
        elif op == own:
            out.append(_wrapped(text, start, end))
    return Markup("".join(out))  # noqa: S704 - every piece of text above is escaped
