"""A parsed query, as Whoosh's parser builds it, translated into SQL over ``search_entry``.

The query language, the thesaurus's expansion and the typo expansion all work on Whoosh's
query tree, whichever engine answers; this module turns the finished tree into a condition
(which rows match) and a score (how well), so PostgreSQL finds exactly the rows the Whoosh
engine finds. Words are the English analyzer's stems, matched as tsquery lexemes against the
tsvectors built from the same stems.
"""

from sqlalchemy import Boolean, Float, and_, any_, cast, false, literal, not_, or_, true
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.sql.elements import ColumnElement
from whoosh import query as wq

from .pg_tables import SearchEntry
from .whoosh_schema import FIELD_BOOSTS, TEXT_FIELDS

# The three text fields as one tsvector; an expression GIN index (ix_search_entry_text_tsv) has it.
ALL_TEXT = (SearchEntry.title_tsv.op("||", return_type=TSVECTOR)(SearchEntry.body_tsv)).op(
    "||", return_type=TSVECTOR
)(SearchEntry.names_tsv)
VECTORS = {
    "title": SearchEntry.title_tsv,
    "body": SearchEntry.body_tsv,
    "names": SearchEntry.names_tsv,
}
COLUMNS = {
    "authority": SearchEntry.authority,
    "doc_type": SearchEntry.doc_type,
    "stage": SearchEntry.stage,
    "visibility": SearchEntry.visibility,
}
# PostgreSQL keeps a word's first 256 positions and counts positions up to 16,383; longer
# words than this cannot be lexemes (2 KB), so neither engine's words past it are compared.
MAX_TERM_CHARS = 200


class UnknownNode(ValueError):
    """A query node this translation does not know (the caller treats it as no match)."""


def lexeme(term: str) -> str:
    """Return a stem as a quoted tsquery or tsvector lexeme."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def phrase_tsquery(words: list[str], slop: int = 1) -> str:
    """Return a tsquery matching the words next to each other, in order.

    A phrase given a distance ("a b"~3) matches every document with all its words:
    PostgreSQL can say "exactly N apart" but not "within N", and spelling out every distance
    grows as N to the power of the words (a search of minutes, or a tsquery too big).
    """
    joiner = " <-> " if slop <= 1 else " & "
    return "(" + joiner.join(lexeme(word) for word in words) + ")"


def _matches(field: str, tsquery: str) -> ColumnElement[bool]:
    return VECTORS[field].op("@@", return_type=Boolean)(cast(literal(tsquery), TSQUERY))


def _term(node: wq.Term) -> ColumnElement[bool]:
    field, text = node.fieldname, node.text
    if field in VECTORS:
        if len(text) > MAX_TERM_CHARS or not text:
            return false()
        return _matches(field, lexeme(text))
    if field in COLUMNS:
        return COLUMNS[field] == text
    if field == "owner":
        return SearchEntry.owner_id == int(text) if text.isdigit() else false()
    if field == "current":
        return SearchEntry.current.is_(text == "1")
    if field == "tags":
        return literal(text) == any_(SearchEntry.tags)
    if field == "document_id":
        return SearchEntry.document_id == int(text) if text.isdigit() else false()
    raise UnknownNode(f"term in field {field}")


def _leaf(node) -> str | None:
    """Return the tsquery of a word or phrase in a text field, or None."""
    kind = type(node)
    if kind is wq.Term and node.fieldname in VECTORS and 0 < len(node.text) <= MAX_TERM_CHARS:
        return lexeme(node.text)
    if kind is wq.Phrase and node.fieldname in VECTORS:
        words = [w for w in node.words if w]
        if words and all(len(w) <= MAX_TERM_CHARS for w in words):
            return phrase_tsquery(words, node.slop)
    return None


def _flat_or(children):
    """Yield the children of an OR, those of an OR within it in its place."""
    for child in children:
        if type(child) is wq.Or and child.subqueries:
            yield from _flat_or(child.subqueries)
        else:
            yield child


def _any_of(children) -> ColumnElement[bool]:
    """Return the OR of the children, a field's words and phrases tested in one tsquery.

    Each ``@@`` reads the row's tsvector afresh (a body's out of TOAST), so an abbreviation
    expanded to a word and two phrases read each body three times when tested one by one.
    """
    tsqueries: dict[str, list[str]] = {}
    others = []
    for child in _flat_or(children):
        leaf = _leaf(child)
        if leaf is not None:
            tsqueries.setdefault(child.fieldname, []).append(leaf)
        else:
            others.append(condition(child))
    # The small fields first: a title that matches spares reading the body.
    fields = sorted(tsqueries, key=lambda field: field == "body")
    tests = [_matches(f, " | ".join(dict.fromkeys(tsqueries[f]))) for f in fields]
    return or_(*tests, *others)


def condition(node) -> ColumnElement[bool]:
    """Return the SQL condition for the rows a query tree matches."""
    if node is wq.NullQuery or isinstance(node, wq.qcore._NullQuery):
        return false()
    if isinstance(node, wq.Every) and not node.fieldname:
        return true()
    kind = type(node)
    if kind is wq.Term:
        return _term(node)
    if kind is wq.Phrase:
        words = [w for w in node.words if w]
        if not words or node.fieldname not in VECTORS:
            return false()
        if any(len(w) > MAX_TERM_CHARS for w in words):
            return false()
        return _matches(node.fieldname, phrase_tsquery(words, node.slop))
    if kind is wq.Not:
        return not_(condition(node.query))
    if kind is wq.AndNot:
        return and_(condition(node.a), not_(condition(node.b)))
    if kind is wq.Require:
        return and_(condition(node.a), condition(node.b))
    if kind is wq.AndMaybe:
        return condition(node.a)
    if kind is wq.Or and node.subqueries:
        return _any_of(node.subqueries)
    if kind in (wq.And, wq.Or):
        parts = [condition(child) for child in node.subqueries]
        if not parts:
            return false()
        return and_(*parts) if kind is wq.And else or_(*parts)
    raise UnknownNode(kind.__name__)


def candidates(node) -> tuple[ColumnElement[bool], bool]:
    """Return a condition the GIN indexes answer alone, matching every row ``condition`` does.

    A query of words sought in every text field (what a plain search is) is asked of the
    index of all three fields together, in one tsquery: asked field by field, the planner
    answered one word from the index and tested the others by reading every row's tsvectors.
    """
    anywhere = _anywhere(node)
    found, again = _candidates(node)
    if anywhere is not None:
        return ALL_TEXT.op("@@", return_type=Boolean)(cast(literal(anywhere), TSQUERY)), again
    return found, again


def _candidate_leaf(node) -> str | None:
    """Return the tsquery ``_candidates`` asks of a word or phrase's field, when exact or rechecked.

    A phrase of several words is rechecked (``_candidates`` says so), so all its words will do;
    one given a distance is not, and must find its words in one field: it has none here.
    """
    kind = type(node)
    if kind is wq.Term and node.fieldname in VECTORS and 0 < len(node.text) <= MAX_TERM_CHARS:
        return lexeme(node.text)
    if kind is wq.Phrase and node.fieldname in VECTORS:
        words = [w for w in node.words if w]
        if not words or any(len(w) > MAX_TERM_CHARS for w in words):
            return None
        if len(words) == 1 or node.slop <= 1:
            return "(" + " & ".join(lexeme(w) for w in words) + ")"
    return None


def _anywhere(node) -> str | None:
    """Return a tsquery of the three fields together that matches the rows this AND/OR does.

    Only for words and phrases each sought in every text field; None for any other shape.
    """
    kind = type(node)
    if kind is wq.And and node.subqueries:
        parts = [_anywhere(child) for child in node.subqueries]
        return None if None in parts else "(" + " & ".join(parts) + ")"
    if kind is not wq.Or or not node.subqueries:
        return None
    fields: dict[str, set[str]] = {}
    parts = []
    for child in _flat_or(node.subqueries):
        leaf = _candidate_leaf(child)
        if leaf is not None:
            fields.setdefault(leaf, set()).add(child.fieldname)
        elif (part := _anywhere(child)) is not None:
            parts.append(part)
        else:
            return None
    if any(found != set(TEXT_FIELDS) for found in fields.values()):
        return None
    return "(" + " | ".join([*fields, *parts]) + ")"


def _candidates(node) -> tuple[ColumnElement[bool], bool]:
    """Return ``candidates`` field by field.

    A phrase becomes all of its words and a negation is left out, since testing either reads
    each row's positions; the second value says whether ``condition`` must still be tested
    on the rows found (only then are their word lists read, after the cheaper filters).
    """
    kind = type(node)
    if kind is wq.Phrase:
        words = [w for w in node.words if w]
        if not words or node.fieldname not in VECTORS or len(words) == 1 or node.slop > 1:
            return condition(node), False
        if any(len(w) > MAX_TERM_CHARS for w in words):
            return false(), False
        return _matches(node.fieldname, " & ".join(lexeme(w) for w in words)), True
    if kind is wq.Not:
        return true(), True
    if kind is wq.AndNot:
        return candidates(node.a)[0], True
    if kind is wq.Require:
        (a, exact_a), (b, exact_b) = candidates(node.a), candidates(node.b)
        return and_(a, b), exact_a or exact_b
    if kind is wq.AndMaybe:
        return candidates(node.a)
    if kind in (wq.And, wq.Or) and node.subqueries:
        parts = [candidates(child) for child in node.subqueries]
        joined = and_ if kind is wq.And else or_
        return joined(*[p for p, _ in parts]), any(again for _, again in parts)
    return condition(node), False


def _positive_leaves(node, found: dict[str, list[str]]) -> None:
    """Collect the tsquery of every word and phrase that adds to a match's score, by field."""
    kind = type(node)
    if kind is wq.Not:
        return
    if kind is wq.AndNot:
        _positive_leaves(node.a, found)
        return
    if kind is wq.Term and node.fieldname in VECTORS and 0 < len(node.text) <= MAX_TERM_CHARS:
        found.setdefault(node.fieldname, []).append(lexeme(node.text))
    elif kind is wq.Phrase and node.fieldname in VECTORS:
        words = [w for w in node.words if w]
        if words and all(len(w) <= MAX_TERM_CHARS for w in words):
            found.setdefault(node.fieldname, []).append(phrase_tsquery(words, node.slop))
    elif not node.is_leaf():
        for child in node.children():
            _positive_leaves(child, found)


def score(node) -> ColumnElement[float]:
    """Return a relevance score: each text field's ts_rank of the query's words, boosted.

    Whoosh scores by BM25F; this ranks by PostgreSQL's ts_rank with the same field boosts, so
    the two engines find the same documents but may order them differently.
    """
    from sqlalchemy import func

    found: dict[str, list[str]] = {}
    _positive_leaves(node, found)
    total = None
    for field in TEXT_FIELDS:
        queries = list(dict.fromkeys(found.get(field, [])))
        if not queries:
            continue
        tsquery = cast(literal(" | ".join(queries)), TSQUERY)
        part = func.ts_rank(VECTORS[field], tsquery) * FIELD_BOOSTS[field]
        total = part if total is None else total + part
    return cast(total, Float) if total is not None else cast(literal(0.0), Float)
