"""Expand a parsed query with the field's synonyms and abbreviations (the practice thesaurus).

A run of typed words that is one of a synonym group's phrases ("PLO letter", "s47", "child in
need") also matches the group's other phrases, each as a phrase in every text field; the
words as typed keep a small boost, so a document in the searcher's own words comes first.
Quoted words and phrases, field searches (``title:``) and words after NOT stay as typed.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh import query as wq

from .. import thesaurus
from .whoosh_query import word_query
from .whoosh_schema import FIELD_BOOSTS, WORD, analyze, fold

WORD_BY_WORD = 0.25  # weight of a phrase's words one by one, beside the phrase
EXACT_BOOST = 1.25
Stems = tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """Each phrase's stems with the stems of the other phrases of its groups."""

    alternatives: dict[Stems, tuple[Stems, ...]]
    longest: int


def synonym_table(groups: Iterable[Iterable[str]]) -> Table:
    """Return the table of groups of phrases that mean the same."""
    found: dict[Stems, dict[Stems, None]] = {}
    for group in groups:
        phrases = [p for p in dict.fromkeys(tuple(analyze(text)) for text in group) if p]
        for phrase in phrases:
            found.setdefault(phrase, {}).update(dict.fromkeys(p for p in phrases if p != phrase))
    alternatives = {phrase: tuple(others) for phrase, others in found.items() if others}
    return Table(alternatives, max((len(p) for p in alternatives), default=0))


@functools.cache
def practice_table() -> Table:
    """Return the table of the practice thesaurus's synonyms."""
    return synonym_table(thesaurus.synonym_groups())


@functools.cache
def vocabulary_words() -> frozenset[str]:
    """Return the words of the practice thesaurus (synonyms and purposes), lower-cased."""
    texts = [p for group in thesaurus.synonym_groups() for p in group]
    for purpose in thesaurus.purposes():
        texts += [purpose.label, *purpose.terms]
    return frozenset(w for text in texts for w in WORD.findall(fold(text)))


def _stems(node) -> Stems | None:
    """Return the stems one field's node of a typed word stands for, or None."""
    if type(node) is wq.Term:
        return (node.text,)
    if type(node) is wq.And and all(type(c) is wq.Term for c in node.subqueries):
        fields = {c.fieldname for c in node.subqueries}
        return tuple(c.text for c in node.subqueries) if len(fields) == 1 else None
    return None


def _leaves(node) -> list:
    return list(node.subqueries) if type(node) is wq.And else [node]


def _unit(node, fields: tuple[str, ...]) -> Stems | None:
    """Return the stems of a word typed plainly, as the parser searches it in every field.

    A word in quotes gets no field boosts from the parser, so it is not one: it stays as typed.
    """
    if type(node) is not wq.Or or len(node.subqueries) != len(fields):
        return None
    stems = {_stems(child) for child in node.subqueries}
    if len(stems) != 1 or None in stems:
        return None
    leaves = [_leaves(child) for child in node.subqueries]
    if {group[0].fieldname for group in leaves} != set(fields):
        return None
    if any(leaf.boost != FIELD_BOOSTS[leaf.fieldname] for group in leaves for leaf in group):
        return None
    return stems.pop()


def _boosted(node: wq.Query, factor: float = EXACT_BOOST) -> wq.Query:
    """Return the node with each of its words' boost multiplied (Whoosh drops the boost of a
    compound with one child, so boosts stay on the words)."""

    def fix(leaf):
        if type(leaf) in (wq.Term, wq.Phrase):
            return leaf.with_boost(leaf.boost * factor)
        return leaf

    return node.accept(fix)


def _expanded(exact, stems: Stems, fields, table: Table) -> wq.Query | None:
    others = table.alternatives.get(stems)
    if not others:
        return None
    return wq.Or([_boosted(exact), *(word_query(other, fields) for other in others)])


def _word_by_word(subs: list, units: list, fields, table: Table) -> wq.Query:
    """Return the typed words, each expanded by its own synonyms, all required; they count
    for less than the phrase (WORD_BY_WORD), so documents with the phrase come first."""
    pairs = zip(subs, units, strict=True)
    words = [_expanded(sub, unit, fields, table) or sub for sub, unit in pairs]
    return _boosted(wq.And(words), WORD_BY_WORD)


def _expand_and(node: wq.And, fields, table: Table) -> wq.Query:
    """Expand the longest runs of typed words that are a synonym, left to right."""
    subs = list(node.subqueries)
    units = [_unit(child, fields) for child in subs]
    out: list[wq.Query] = []
    i = 0
    while i < len(subs):
        found = None
        if units[i] is not None:
            for j in range(min(len(subs), i + table.longest), i, -1):
                if any(u is None for u in units[i:j]):
                    continue
                stems = tuple(s for u in units[i:j] for s in u)
                exact = subs[i] if j == i + 1 else wq.And(subs[i:j])
                found = _expanded(exact, stems, fields, table)
                if found is not None:
                    break
        if found is not None:
            if j > i + 1:  # the words one by one still count: "CIN plan" keeps CIN's names
                one_by_one = _word_by_word(subs[i:j], units[i:j], fields, table)
                found = wq.Or([*found.subqueries, one_by_one])
            out.append(found)
            i = j
        else:
            out.append(expand(subs[i], fields, table))
            i += 1
    return wq.And(out, boost=node.boost) if len(out) > 1 else out[0]


def _expand_or(node: wq.Or, fields, table: Table) -> wq.Query:
    """Expand each word of an OR (the parser flattens 'a OR b' into one list of fields)."""
    subs = list(node.subqueries)
    out: list[wq.Query] = []
    i = 0
    while i < len(subs):
        group = wq.Or(subs[i : i + len(fields)])
        stems = _unit(group, fields)
        found = _expanded(group, stems, fields, table) if stems is not None else None
        if found is not None:
            out.append(found)
            i += len(fields)
        else:
            out.append(expand(subs[i], fields, table))
            i += 1
    if len(out) == 1 and node.boost == 1.0:
        return out[0]
    return wq.Or(out, boost=node.boost)


def expand(node: wq.Query, fields: tuple[str, ...], table: Table | None = None) -> wq.Query:
    """Return the query with each typed synonym also matching its group's other phrases."""
    table = practice_table() if table is None else table
    if not table.alternatives or not fields:
        return node
    if type(node) is wq.And:
        return _expand_and(node, fields, table)
    if type(node) is wq.Or:
        return _expand_or(node, fields, table)
    if type(node) is wq.AndNot:
        return wq.AndNot(expand(node.a, fields, table), node.b)
    if type(node) in (wq.AndMaybe, wq.Require):
        return type(node)(expand(node.a, fields, table), expand(node.b, fields, table))
    return node
