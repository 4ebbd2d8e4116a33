"""Whoosh queries: the query language, the permission filter, typo tolerance, snippets.

A query string is parsed with Whoosh's parser (words AND-ed, "phrases", OR, NOT, -word,
field:value, prefix*); anything it cannot make sense of is searched as plain words.
"""

import functools
import html
import itertools
import logging
import re

from whoosh import qparser
from whoosh import query as wq

from .whoosh_schema import FIELD_BOOSTS, TEXT_FIELDS, WORD, analyze, fold, stem_word, text_fields

log = logging.getLogger(__name__)

FIELD_ALIASES = {"type": "doc_type", "tag": "tags"}
USER_FIELDS = {"title", "authority", "type", "doc_type", "stage", "tag", "tags"}
ID_FIELDS = {"authority", "doc_type", "stage"}
MAX_QUERY_CHARS = 500
MAX_EXPANSIONS = 64
MAX_CANDIDATES = 5000  # the words of a prefix read, in order, before keeping the most frequent
_FIELD = re.compile(r"(\w+):")
_WILDCARD = re.compile(r"[*?]")
_PLUS_MINUS = re.compile(r"(^|[\s(])([-+])(?=[\w\"(])")


def _neutralise_fields(text: str) -> str:
    """Keep only the field names users may search; 'foo:bar' becomes the words 'foo bar'.

    A leading -word becomes NOT word (and +word plain word), so hyphenated values such as
    stage:pre-proceedings stay whole.
    """
    text = _PLUS_MINUS.sub(lambda m: m.group(1) + ("NOT " if m.group(2) == "-" else ""), text)
    return _FIELD.sub(
        lambda m: (
            f"{m.group(1).lower()}:" if m.group(1).lower() in USER_FIELDS else f"{m.group(1)} "
        ),
        text,
    )


def _parser(schema) -> qparser.QueryParser:
    fields = text_fields(schema)
    boosts = {name: FIELD_BOOSTS[name] for name in fields if FIELD_BOOSTS[name] != 1.0}
    parser = qparser.MultifieldParser(
        list(fields), schema=schema, fieldboosts=boosts, group=qparser.AndGroup
    )
    parser.remove_plugin_class(qparser.EveryPlugin)
    parser.remove_plugin_class(qparser.BoostPlugin)
    parser.remove_plugin_class(qparser.RangePlugin)
    parser.add_plugin(qparser.FieldAliasPlugin({"doc_type": ["type"], "tags": ["tag"]}))
    return parser


def _lower_ids(node):
    if isinstance(node, wq.Term) and node.fieldname in ID_FIELDS:
        node.text = node.text.lower()
    return node


def word_query(stems, fields: tuple[str, ...]) -> wq.Query:
    """Return one word (or a phrase of several stems) searched in each of these fields."""
    stems = list(stems)
    options = [
        wq.Term(f, stems[0], boost=FIELD_BOOSTS[f])
        if len(stems) == 1
        else wq.Phrase(f, stems, boost=FIELD_BOOSTS[f])
        for f in fields
    ]
    return wq.Or(options) if len(options) > 1 else options[0]


def plain_words_query(text: str, fields: tuple[str, ...] = TEXT_FIELDS) -> wq.Query | None:
    """Return every word of the text required, in any of the fields; None if no words."""
    stems = list(dict.fromkeys(analyze(text)))[:32]
    if not stems:
        return None
    return wq.And([word_query([s], fields) for s in stems])


def _safe_leaf(leaf: wq.Query) -> bool:
    """Return False for wildcard terms too broad to expand quickly (e.g. 'a*' or '*ing')."""
    if isinstance(leaf, wq.Every):
        return False
    if isinstance(leaf, wq.Prefix | wq.Wildcard):
        literal = _WILDCARD.split(leaf.text, maxsplit=1)[0]
        return len(literal) >= 2
    return True


def parse(text: str, schema) -> tuple[wq.Query | None, bool]:
    """Return (query, parsed_as_plain_words) for a user's query string."""
    text = (text or "")[:MAX_QUERY_CHARS]
    try:
        parsed = _parser(schema).parse(_neutralise_fields(text))
        leaves = list(parsed.leaves()) if not parsed.is_leaf() else [parsed]
        if parsed is wq.NullQuery or not all(_safe_leaf(leaf) for leaf in leaves):
            raise ValueError("query too broad")
        return parsed.accept(_lower_ids), False
    except Exception as exc:  # any parser surprise: fall back to plain words
        log.info("query searched as plain words: %s", type(exc).__name__)
        return plain_words_query(text, text_fields(schema)), True


def expand_patterns(q: wq.Query, reader) -> wq.Query:
    """Replace prefix* and wild?card terms by their most frequent index terms (at most 64)."""

    def fix(node):
        if isinstance(node, wq.Prefix | wq.Wildcard):
            field = node.field()
            candidates = list(itertools.islice(node._btexts(reader), MAX_CANDIDATES))
            if len(candidates) > MAX_EXPANSIONS:  # keep the most frequent
                counted = getattr(reader, "doc_frequencies", None)  # one question, where it can
                found = (
                    counted(field, candidates)
                    if counted is not None
                    else [(reader.doc_frequency(field, b), b) for b in candidates]
                )
                candidates = [b for _f, b in sorted(found, reverse=True)[:MAX_EXPANSIONS]]
            terms = [wq.Term(field, b.decode("utf-8"), boost=node.boost) for b in candidates]
            if not terms:
                return wq.NullQuery
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        return node

    return q.accept(fix)


def permission_filter(viewer_authority_id: int | None) -> wq.Query:
    """Return the query every search is AND-ed with: shared, or the viewer's own."""
    shared = wq.Term("visibility", "shared")
    if viewer_authority_id is None:
        return shared
    return wq.Or([shared, wq.Term("owner", str(viewer_authority_id))])


def word_terms(q: wq.Query) -> list[str]:
    """Return the stemmed words of the text fields in a query (not negated ones)."""
    found: list[str] = []

    def walk(node, negated=False):
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a, negated)
            return
        if isinstance(node, wq.Term) and node.fieldname in TEXT_FIELDS:
            found.append(node.text)
        elif isinstance(node, wq.Phrase) and node.fieldname in TEXT_FIELDS:
            found.extend(node.words)
        elif isinstance(node, wq.Prefix) and node.fieldname in TEXT_FIELDS:
            found.append(node.text + "*")
        for child in node.children() if not node.is_leaf() else []:
            walk(child, negated)

    walk(q)
    return list(dict.fromkeys(found))


def user_words(text: str) -> list[str]:
    """Return the plain words of a query string (no operators, fields, phrases or stars)."""
    text = re.sub(r'"[^"]*"?', " ", text or "")
    words = []
    for token in text.split():
        if ":" in token or _WILDCARD.search(token) or token in ("AND", "OR", "NOT"):
            continue
        words.extend(WORD.findall(fold(token.lstrip("-+"))))
    return words


def expand_typos(q: wq.Query, reader, unknown: dict[str, list[str]]) -> wq.Query:
    """Let each unknown word also match its near spellings (all in the text fields)."""
    if not unknown:
        return q
    stems = {stem_word(word): alternatives for word, alternatives in unknown.items()}
    stems = {stem: alts for stem, alts in stems.items() if alts}

    def fix(node):
        if isinstance(node, wq.Term) and node.fieldname in TEXT_FIELDS and node.text in stems:
            options = [node] + [wq.Term(node.fieldname, alt, boost=0.8) for alt in stems[node.text]]
            return wq.Or(options)
        return node

    return q.accept(fix)


@functools.lru_cache(maxsize=256)
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern:
    # No look-behind for a word's start: it is tried at every character, which took 0.3 ms
    # of a 10 KB text whatever it held; without it the scan jumps between the cues' letters,
    # and the few matches inside a word are dropped after (_in_a_word).
    return re.compile(r"(?:" + "|".join(re.escape(c) for c in cues) + r")\w*")


_WORD_CHARACTER = re.compile(r"\w")


def _in_a_word(text: str, start: int) -> bool:
    """Return True when the character before start is a word's, as the pattern's \\w reads it."""
    return start > 0 and _WORD_CHARACTER.match(text, start - 1) is not None


def snippet(text: str, words: list[str], length: int = 240) -> str:
    """Return an HTML snippet of the text around the best cluster of matching words.

    Text is escaped; matching words are wrapped in <mark>. ``words`` are index stems, or
    prefixes ending in '*'.
    """
    text = text or ""
    if not text.strip():
        return ""
    stems = {w for w in words if not w.endswith("*")}
    prefixes = tuple(w[:-1] for w in words if w.endswith("*") and len(w) > 1)
    cues = {s[:-1] if len(s) > 3 else s for s in stems} | set(prefixes)
    matches: list[tuple[int, int]] = []
    if cues:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters change length when lower-cased
            lowered = text
        pattern = _cue_pattern(tuple(sorted(cues, key=len, reverse=True)))
        for found in pattern.finditer(lowered):
            if _in_a_word(lowered, found.start()):
                continue
            word = fold(found.group(0))
            if stem_word(word) in stems or (prefixes and word.startswith(prefixes)):
                matches.append(found.span())
            if len(matches) >= 60:
                break
    start = 0
    if matches:
        best, best_count = matches[0][0], 0
        j = 0
        for i, (s, _e) in enumerate(matches):
            while j < len(matches) and matches[j][0] < s + length - 40:
                j += 1
            if j - i > best_count:
                best, best_count = s, j - i
        start = max(0, best - 50)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + length)
    while end < len(text) and not text[end].isspace() and end - start < length + 30:
        end += 1
    out = ["…" if start > 0 else ""]
    cursor = start
    for s, e in matches:
        if s < start or e > end:
            continue
        out.append(html.escape(text[cursor:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    out.append(html.escape(text[cursor:end]))
    out.append("…" if end < len(text) else "")
    return " ".join("".join(out).split())
