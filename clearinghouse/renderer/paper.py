"""Layout on paper: a pure pass over a generated .docx so that it prints and converts well.

- Every table row short enough to fit a page stays on one page (``w:cantSplit``); headings and
  titles (by style, inherited style or outline level), bold-only lines and short "Label:"
  lines keep with the next one.
- Signature blocks stay together: a table with a header or label cell "Signature"/"Signed" is
  kept whole with its heading and a short parent section leading to it (a safety plan's "We
  agree to this plan" and who agreed); a letter's close ("Yours sincerely,", signer, authority,
  with the letter's last paragraph) and "Signed: ..." lines stay on one page.

Only the main document part changes (the rest is copied byte for byte). Idempotent; never
fails a document: on any problem it returns the input and logs the exception's type only.
"""

import hashlib
import io
import logging
import posixpath
import re
import threading
import zipfile
from collections import OrderedDict, namedtuple

from lxml import etree

from .docx_zip import read_entries, write_zip

log = logging.getLogger(__name__)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
HEADING_NAME = re.compile(r"^(?:heading ([1-9])|title|subtitle)$", re.IGNORECASE)
CLOSE = re.compile(r"^(?:yours (?:sincerely|faithfully)|(?:kind|best) (?:regards|wishes))\b", re.I)
SIGNED = re.compile(r"^(?:signature|signed)\b", re.IGNORECASE)
LABEL_MAX = 120  # characters: a label, a bold line or a "Signed:" line is no longer than this
KEEP_ROWS = 15  # a signature table longer than this may break between rows
MAX_UNSPLIT_CHARS = 1200  # a row with more text may be near a page long: it may split
LEAD_IN = 8  # paragraphs before a signature table that may be kept with it
CLOSE_LINES = 5  # paragraphs after "Yours sincerely," kept with it (space to sign, signer...)
LETTER_LINE = 600  # characters: the letter's last paragraph, kept with its close, is shorter
STYLE_CACHE: OrderedDict = OrderedDict()  # styles part digest -> (heading levels, default)
STYLE_CACHE_SIZE = 64  # templates whose styles are kept parsed
STYLE_LOCK = threading.Lock()


def w(tag: str) -> str:
    """Return the Clark name of a WordprocessingML tag."""
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, T, R, PPR, TRPR = (w(t) for t in ("p", "tbl", "tr", "tc", "t", "r", "pPr", "trPr"))
KEEP, STYLE, VAL, OUTLINE = w("keepNext"), w("pStyle"), w("val"), w("outlineLvl")


# A body paragraph or table, with a paragraph's text and heading level (None for body text).
Block = namedtuple("Block", "element paragraph text level", defaults=(False, "", None))


def paper_layout(docx: bytes) -> bytes:
    """Return the .docx laid out for paper, or the input unchanged if it cannot be read."""
    try:
        return _layout(docx)
    except Exception as exc:  # noqa: BLE001 - a document is never lost to its layout
        log.warning("paper layout not applied: %s", type(exc).__name__)
        return docx


def _layout(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        entries = read_entries(archive, docx)
        main = _related(archive, "", "officeDocument") or "word/document.xml"
        styles = _related(archive, main, "styles")
        entry = next((e for e in entries if e.name == styles), None)
        levels, default = _heading_styles(archive, entry) if entry else ({}, None)
        original = archive.read(main)
    root = etree.fromstring(original, PARSER)
    body = root.find(w("body"))
    if body is None:
        return docx
    _rows_unsplit(body)
    blocks = [
        Block(e, True, _text(e), _level(e, levels, default)) if e.tag == P else Block(e)
        for e in _elements(body)
    ]
    _keep_headings(blocks)
    _keep_signatures(blocks)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return docx if xml == original else write_zip(entries, {main: xml})


def _related(archive: zipfile.ZipFile, part: str, kind: str) -> str | None:
    """Return the part a relationship of this kind (officeDocument, styles) points to."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.NameToInfo:
        return None
    for rel in etree.fromstring(archive.read(rels), PARSER).iter(f"{{{REL}}}Relationship"):
        if rel.get("Type", "").endswith("/" + kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            return posixpath.normpath(path)
    return None


def _heading_styles(archive: zipfile.ZipFile, entry):
    """Return {style id: heading level (0: title)} and the default style, cached by digest."""
    key = hashlib.blake2b(bytes([entry.method]) + entry.compressed, digest_size=16).digest()
    with STYLE_LOCK:  # renders run in threads
        found = STYLE_CACHE.get(key)
    if found is None:
        found = _read_styles(etree.fromstring(archive.read(entry.name), PARSER))
        with STYLE_LOCK:
            STYLE_CACHE[key] = found
            while len(STYLE_CACHE) > STYLE_CACHE_SIZE:
                STYLE_CACHE.popitem(last=False)
    return found


def _read_styles(root) -> tuple[dict, str | None]:
    own, based, default = {}, {}, None
    for style in root.iter(w("style")):
        if style.get(w("type")) != "paragraph":
            continue
        sid = style.get(w("styleId"))
        if style.get(w("default")) in ("1", "true", "on"):
            default = sid
        match = HEADING_NAME.match(_val(style.find(w("name"))) or "")
        outline = _number(_val(style.find(f"{PPR}/{OUTLINE}")))
        if match:
            own[sid] = int(match.group(1) or 0)
        elif outline is not None:
            own[sid] = outline + 1 if outline < 9 else None  # 9 is body text
        based[sid] = _val(style.find(w("basedOn")))
    levels = {}
    for sid in based:
        seen, current = 0, sid
        while current is not None and current not in own and seen < 10:
            current, seen = based.get(current), seen + 1
        if current in own and own[current] is not None:
            levels[sid] = own[current]
    return levels, default


def _val(element) -> str | None:
    return None if element is None else element.get(VAL)


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _elements(parent):
    """Yield the body's paragraphs and tables in order, inside content controls too."""
    for child in parent:
        if child.tag in (P, TBL):
            yield child
        elif child.tag == w("customXml"):
            yield from _elements(child)
        elif child.tag == w("sdt") and child.find(w("sdtContent")) is not None:
            yield from _elements(child.find(w("sdtContent")))


def _text(element) -> str:
    return "".join(element.itertext(T, with_tail=False)).strip()


def _level(paragraph, levels: dict, default: str | None) -> int | None:
    """Return the paragraph's heading level (0 for a title), or None for body text."""
    ppr = paragraph[0] if len(paragraph) and paragraph[0].tag == PPR else ()
    style = outline = None
    for child in ppr:
        if child.tag == STYLE:
            style = child.get(VAL)
        elif child.tag == OUTLINE:
            outline = _number(child.get(VAL))
    if outline is not None:
        return outline + 1 if outline < 9 else None
    return levels.get(style or default)


def _bold_line(block: Block) -> bool:
    """Whether the paragraph is a short line whose every run of text is bold (a heading)."""
    if len(block.text) > LABEL_MAX or block.text.endswith((".", ",")):
        return False
    runs = [r for r in block.element.iter(R) if _text(r)]
    bold = (r.find(f"{w('rPr')}/{w('b')}") for r in runs)
    return bool(runs) and all(b is not None and _val(b) not in ("0", "false", "off") for b in bold)


def _keep_headings(blocks: list[Block]) -> None:
    """Keep headings, bold heading lines and labels ending in a colon with what follows."""
    for block in blocks[:-1]:
        text = block.text
        if not text:
            continue
        label = len(text) <= LABEL_MAX and text.endswith(":")
        if block.level is not None or label or _bold_line(block):
            _keep_next(block.element)


def _keep_signatures(blocks: list[Block]) -> None:
    """Keep signature tables, letter closes and "Signed:" lines together on one page."""
    for i, block in enumerate(blocks):
        if not block.paragraph:
            if _signature_table(block.element):
                _keep_table(block.element)
                _keep_run(blocks, _lead_in(blocks, i), i)
        elif block.level is None and CLOSE.match(block.text):
            # with the letter's last paragraph, so the close never stands alone
            start, end = (i - 1 if _form_line(blocks, i - 1, LETTER_LINE) else i), i
            while end < i + CLOSE_LINES and _form_line(blocks, end + 1, LETTER_LINE, empty=True):
                end += 1  # the space to sign, the signer, their role, the authority
            _keep_run(blocks, start, end)
        elif block.level is None and SIGNED.match(block.text) and len(block.text) <= LABEL_MAX:
            start, end = i, i  # with the form's short lines around it (name, date, role)
            while start > i - 2 and _form_line(blocks, start - 1):
                start -= 1
            while end < i + 2 and _form_line(blocks, end + 1):
                end += 1
            _keep_run(blocks, start, end)


def _signature_table(table) -> bool:
    """Whether a table is for signing: a header cell or a row's label says Signature/Signed."""
    rows = table.findall(TR)
    cells = (rows[0].findall(TC) if rows else []) + [c for r in rows[1:] for c in r.findall(TC)[:1]]
    return any(SIGNED.match(_text(cell)) for cell in cells)


def _keep_table(table) -> None:
    """Keep a short table whole: each row but the last keeps with the next; the last lets go."""
    rows = list(table.iter(TR))
    if len(rows) <= KEEP_ROWS:
        for row in rows[:-1]:
            for paragraph in row.iter(P):
                _keep_next(paragraph)
        for paragraph in rows[-1].iter(P):
            _keep_next(paragraph, on=False)


def _lead_in(blocks: list[Block], table: int) -> int:
    """Return where a signature table's lead-in starts: its heading, or that heading's parent."""
    start, nearest = table, None
    for j in range(table - 1, max(table - 1 - LEAD_IN, -1), -1):
        level = blocks[j].level
        if not blocks[j].paragraph or (nearest is not None and level is not None):
            if nearest is not None and level is not None and level < nearest:
                return j  # the parent section (say "We agree to this plan") leads to it
            break
        if level is not None and nearest is None:
            nearest, start = level, j
    return start


def _form_line(blocks: list[Block], j: int, longest: int = LABEL_MAX, empty=False) -> bool:
    """Whether blocks[j] is body text no longer than longest (a form's "Name: ..." line)."""
    if not 0 <= j < len(blocks) or not blocks[j].paragraph or blocks[j].level is not None:
        return False
    return (empty or len(blocks[j].text) > 0) and len(blocks[j].text) <= longest


def _keep_run(blocks: list[Block], start: int, end: int) -> None:
    """Keep blocks[start..end] together: every paragraph but the last keeps with the next."""
    for block in blocks[start:end]:
        if block.paragraph:
            _keep_next(block.element)


def _keep_next(paragraph, on: bool = True) -> None:
    """Set (or, with on=False, remove) the paragraph's own keep-with-next."""
    ppr = paragraph.find(PPR)
    keep = None if ppr is None else ppr.find(KEEP)
    if not on:
        if keep is not None:
            ppr.remove(keep)
        return
    if ppr is None:
        ppr = paragraph.makeelement(PPR)
        paragraph.insert(0, ppr)
    if keep is None:
        style = ppr.find(STYLE)  # keepNext comes right after pStyle (CT_PPrBase order)
        ppr.insert(0 if style is None else ppr.index(style) + 1, ppr.makeelement(KEEP))
    else:
        keep.attrib.pop(VAL, None)


def _row_chars(row) -> int:
    return sum(len(t.text or "") for t in row.iter(w("t")))


def _rows_unsplit(body) -> None:
    """Set cantSplit on every table row short enough to fit on a page, nested tables too.

    Word clips a row that cannot split and is taller than a page (what falls past the foot of
    the page is neither shown nor printed), so a long row, or the one row of a layout table,
    is left free to split: it would split anyway.
    """
    split_tag = w("cantSplit")
    for row in body.iter(TR):
        table = row.getparent()
        if _row_chars(row) > MAX_UNSPLIT_CHARS or len(table.findall(TR)) < 2:
            continue
        trpr = row.find(TRPR)
        if trpr is None:
            trpr = row.makeelement(TRPR)
            exceptions = row.find(w("tblPrEx"))  # CT_Row: tblPrEx?, trPr?, then cells
            row.insert(0 if exceptions is None else row.index(exceptions) + 1, trpr)
        split = trpr.find(split_tag)
        if split is None:
            trpr.insert(0, trpr.makeelement(split_tag))
        else:
            split.attrib.pop(VAL, None)
