"""The names a document is known by on the page, as searchable words and as ``type:`` values.

A document's type name, tags and authority name are indexed as words (the ``names`` field), and
``type:`` and ``authority:`` accept the name the page shows (quoted or not, in any case) as
well as the slug: the query text is rewritten to the slug before it is parsed.
"""

import re

from .engine import IndexEntry
from .whoosh_schema import WORD, fold

FIELDS = {"type": "doc_type", "doc_type": "doc_type", "authority": "authority"}
MAX_NAME_WORDS = 12
_TOKEN = re.compile(r'[^\s"]*"[^"]*"?[^\s"]*|\S+')
_CLAUSE = re.compile(r"(?i)(type|doc_type|authority):(.*)", re.S)
_ANY_CLAUSE = re.compile(r"(?i)(?<!\w)(?:type|doc_type|authority):")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def names_text(entry: IndexEntry) -> str:
    """Return the names an entry's document is known by: type name, tags, authority name."""
    parts = [entry.doc_type_label, ", ".join(entry.tags), entry.authority_name]
    return "\n".join(part for part in parts if part)


def name_key(text: str) -> str:
    """Return a name as compared: its words lower-cased, accents, hyphens and spaces ignored."""
    return " ".join(WORD.findall(fold(text or "")))


def _known(names: dict[str, str]) -> dict[str, str]:
    """Return {key of a slug or a shown name: slug}; a short name wins over a shown one."""
    known = {name_key(shown): slug for slug, shown in names.items() if name_key(shown)}
    known.update({name_key(slug): slug for slug in names})
    return known


def _plain(token: str) -> bool:
    return not (any(c in token for c in ':"()') or token in _OPERATORS or token[:1] in ("-", "+"))


def resolve(text: str, names: dict[str, dict[str, str]]) -> str:
    """Return the text with each ``type:`` or ``authority:`` name replaced by its slug.

    ``names`` is {"doc_type": {slug: shown name}, "authority": {slug: shown name}}. An
    unquoted name takes as many of the following words as make the longest known name; a
    value that names nothing known is left as typed.
    """
    if not _ANY_CLAUSE.search(text or ""):
        return text
    tokens = list(_TOKEN.finditer(text or ""))
    known = {field: _known(values) for field, values in names.items()}
    out, cursor, i = [], 0, 0
    while i < len(tokens):
        clause = _CLAUSE.fullmatch(tokens[i].group(0))
        field = FIELDS.get(clause.group(1).lower()) if clause else None
        value = clause.group(2) if clause else ""
        if not field or not value or field not in known:
            i += 1
            continue
        if value.startswith('"'):
            words, last = [value.strip('"')], i
            slug = known[field].get(name_key(words[0]))
        else:
            following = [value]
            for token in tokens[i + 1 : i + MAX_NAME_WORDS]:
                if not _plain(token.group(0)):
                    break
                following.append(token.group(0))
            slug, last = None, i
            for count in range(len(following), 0, -1):
                slug = known[field].get(name_key(" ".join(following[:count])))
                if slug:
                    last = i + count - 1
                    break
        if slug:
            out += [text[cursor : tokens[i].start()], f"{clause.group(1)}:{slug}"]
            cursor = tokens[last].end()
        i = last + 1
    out.append((text or "")[cursor:])
    return "".join(out)
