"""Typo tolerance and "Did you mean": only from documents the viewer may see.

A typed word is treated as a typo only when no document the viewer may see has it, it is a
word of letters of four or more, and it is not in the field's vocabulary (the practice
thesaurus, type names, authority names): "section 47" is never "session 47". A suggestion is
offered only when the whole suggested query finds something the viewer may see.
"""

import re
from collections.abc import Callable

import numpy as np
from whoosh import query as wq

from . import whoosh_query as wqy
from .engine import TextLoader
from .fast import Evaluator
from .whoosh_schema import WORD, fold, stem_word, text_fields

MAX_WORDS = 8
MAX_TYPO_LETTERS = 30
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _text_terms(stem: str, fields: tuple[str, ...]) -> wq.Query:
    return wq.Or([wq.Term(field, stem) for field in fields])


def visible_in(ev: Evaluator, stem: str, allowed, fields: tuple[str, ...]) -> bool:
    return bool(np.any(ev.evaluate(_text_terms(stem, fields))[0] & allowed))


def visible_among(ev: Evaluator, stems: list[str], allowed, fields: tuple[str, ...]) -> set[str]:
    """Return those of the stems a document the viewer may see has."""
    return {stem for stem in stems if visible_in(ev, stem, allowed, fields)}


def _edits(word: str) -> set[str]:
    """Return the words one letter away: a letter left out, added, changed or swapped."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    found |= {a + c + b for a, b in splits for c in _LETTERS}
    return found


def _edits_by_stem(word: str) -> dict[str, set[str]]:
    """Return the word's one-letter edits grouped by their stems."""
    by_stem: dict[str, set[str]] = {}
    for edit in _edits(word):
        by_stem.setdefault(stem_word(edit), set()).add(edit)
    return by_stem


def _near_stems(reader, stem: str, edited: set[str], fields: tuple[str, ...]) -> set[str]:
    """Return the index stems near a word: by the stem's spelling, or by its edits' stems.

    Stems alone miss typos that change the stem ("confrence" stems to "confrenc", far from
    "confer"), so the stems of the word's one-letter edits (``edited``) are looked up too.
    """
    maxdist = 1 if len(stem) < 7 else 2
    in_fields = getattr(reader, "terms_within_fields", None)  # one question, where a reader can
    if in_fields is not None:
        near = set(in_fields(fields, stem, maxdist, prefix=1))
    else:
        near = {t for field in fields for t in reader.terms_within(field, stem, maxdist, prefix=1)}
    edited = edited - {stem}
    among = getattr(reader, "terms_among", None)  # one question for all, where a reader can
    if among is not None:
        return near | among(fields, edited)
    return near | {t for t in edited if any(reader.doc_frequency(f, t) for f in fields)}


def _candidate(word: str) -> bool:
    """Return True for a word that may be a typo: letters only, four to thirty of them.

    A longer one is no typo of a word, and its one-letter edits cost more than a search.
    """
    return 4 <= len(word) <= MAX_TYPO_LETTERS and word.isalpha()


def spelling(
    reader,
    fields: tuple[str, ...],
    text: str,
    visible: Callable[[list[str]], set[str]],
    surface: Callable[[str], list[str]],
    protected: Callable[[], frozenset[str]],
    gives_results: Callable[[str], bool],
) -> tuple[dict[str, list[str]], str | None]:
    """Return ({unknown word: near stems}, suggestion), from documents the viewer may see.

    ``reader`` offers Whoosh's reader methods ``terms_within`` and ``doc_frequency`` (a
    Whoosh reader, or PostgreSQL's lexicon); ``visible(stems)`` returns those of the stems a
    document the viewer may see has, ``surface(stem)`` returns the words with it as written
    in the first such document;
    ``protected()`` returns the words never corrected (asked only when a word could be a
    typo); ``gives_results(text)`` says whether a query finds anything the viewer may see
    with the search's filters.
    """
    unknown: dict[str, list[str]] = {}
    suggestion = text
    changed = False
    for word in list(dict.fromkeys(wqy.user_words(text)))[:MAX_WORDS]:
        stem = stem_word(word)
        if not _candidate(word) or word in protected() or visible([stem]):
            continue
        by_stem = _edits_by_stem(word)
        near = _near_stems(reader, stem, set(by_stem), fields)
        ranked = _most_frequent_first(reader, near)[:8]
        seen = visible(ranked) if ranked else set()
        ranked = [t for t in ranked if t in seen][:4]
        unknown[word] = ranked
        shown = _shown(ranked, by_stem, surface) if ranked else None
        if shown and shown != word:
            suggestion = _replace_word(suggestion, word, shown)
            changed = True
    if not changed or not gives_results(suggestion):
        return unknown, None
    return unknown, suggestion


def _most_frequent_first(reader, stems: set[str]) -> list[str]:
    """Return the stems, those in the most entries' bodies first (then alphabetically).

    One stem needs no counting: a count can cost more than the rest of the search.
    """
    if len(stems) < 2:
        return list(stems)
    many = getattr(reader, "doc_frequency_of", None)  # one question for all, where a reader can
    if many is not None:
        counted = many("body", sorted(stems))
    else:
        counted = {t: reader.doc_frequency("body", t) for t in stems}
    return sorted(stems, key=lambda t: (-counted[t], t))


def _shown(
    ranked: list[str], by_stem: dict[str, set[str]], written: Callable[[str], list[str]]
) -> str | None:
    """Return the word to suggest for a typo: a near word as a document writes it.

    ``by_stem`` holds the typed word's one-letter edits by stem. The most frequent near stem
    is suggested as the edit that a document writes with it ("solicitr": "solicitor"). A stem
    reached only through an edit no document writes gives way to the next: "welbeing" becomes
    "wellbeing", not "welleing", although "welleing" stems to the more frequent "well".
    Failing every one, the most frequent stem is suggested as an edit with that stem (the
    stem itself if it is one, whatever order an engine keeps its documents in), or as written
    ("confrence" stems two letters from "confer").
    """
    for stem in ranked:
        if stem not in by_stem:
            continue  # no edit of the typed word has it: no need to read how it is written
        found = [w for w in written(stem) if w in by_stem[stem]]
        if found:
            return found[0]
    edits = by_stem.get(ranked[0])
    if edits:
        return ranked[0] if ranked[0] in edits else min(edits)
    first = written(ranked[0])
    return first[0] if first else None


def surface_in(text: str, stem: str) -> list[str]:
    """Return the words of the text with this stem, as written (folded), first seen first."""
    found = {word: None for word in WORD.findall(fold(text)) if stem_word(word) == stem}
    return list(found)


def surface_word(searcher, ev, stem: str, allowed, load_text: TextLoader) -> list[str]:
    """Return the words with this stem as written in a document the viewer may see."""
    fields = text_fields(searcher.schema)
    found = np.flatnonzero(ev.evaluate(_text_terms(stem, fields))[0] & allowed)
    if not len(found):
        return []
    stored = searcher.stored_fields(int(found[0]))
    key = (int(stored["document_id"]), int(stored["version"]))
    text = "\n".join(
        [stored.get("title", ""), stored.get("names", ""), load_text([key]).get(key, "")]
    )
    return surface_in(text, stem)


def _replace_word(text: str, word: str, new: str) -> str:
    return re.sub(rf"(?i)\b{re.escape(word)}\b", new, text, count=1)


def protected_words(names: dict[str, dict[str, str]], vocabulary: frozenset[str]) -> frozenset:
    """Return the words never corrected: the thesaurus's and those of the shown names."""
    shown = [name for values in names.values() for name in values.values()]
    return vocabulary | {w for name in shown for w in WORD.findall(fold(name))}
