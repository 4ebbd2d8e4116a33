"""The words PostgreSQL full-text search knows, read as Whoosh's reader offers them.

Prefix and wildcard expansion and "did you mean" ask a reader for the terms of a field in
order, for terms within an edit distance, and for how many entries have a term. This class
answers those questions from ``search_term`` and ``search_entry``, so the same expansion code
serves both engines and expands a query to the same words.
"""

from collections import Counter
from collections.abc import Iterator

from sqlalchemy import Boolean, String, any_, bindparam, cast, func, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY
from sqlalchemy.orm import Session
from whoosh import query as wq
from whoosh.support.levenshtein import distance

from .pg_query import COLUMNS, MAX_TERM_CHARS, VECTORS, condition, lexeme
from .pg_tables import SearchEntry, SearchTerm
from .whoosh_schema import TEXT_FIELDS, make_schema

SCHEMA = make_schema()
MAX_COUNTED = 300  # a prefix's words counted to keep the most frequent (Whoosh: 5,000)
# Asked of each term t.q's entries in one field: how many have it, and whether any does.
_COUNT = "(SELECT count(*) FROM search_entry WHERE {column} @@ CAST(t.q AS tsquery))"
_FIND = "(SELECT 1 FROM search_entry WHERE {column} @@ CAST(t.q AS tsquery) LIMIT 1) IS NOT NULL"


class PgLexicon:
    """The terms of each field, their document frequencies, and near spellings."""

    schema = SCHEMA

    def __init__(self, session: Session):
        self.session = session
        self._frequency: dict[tuple[str, str], int] = {}
        self._present: dict[tuple[str, str], bool] = {}

    def expand_prefix(self, field: str, prefix: str) -> Iterator[bytes]:
        """Yield the field's terms that start with prefix, in byte order, as bytes."""
        if isinstance(prefix, bytes):
            prefix = prefix.decode("utf-8")
        for term in self._terms(field, prefix):
            yield term.encode("utf-8")

    def doc_frequencies(self, field: str, terms: list[bytes]) -> list[tuple[int, bytes]]:
        """Return (entries with it, term) for a prefix's terms, to keep the most frequent.

        Whoosh reads these counts for free; here each is a GIN lookup, so only the first
        MAX_COUNTED terms (in byte order) are counted, and the rest count as none.
        """
        words = [t.decode("utf-8") for t in terms]
        counted = self.doc_frequency_of(field, words[:MAX_COUNTED])
        return [(counted.get(w, 0), t) for w, t in zip(words, terms, strict=True)]

    def doc_frequency_of(self, field: str, terms: list[str]) -> dict[str, int]:
        """Return {term: how many entries have it in this field}, counted in one statement."""
        if field in VECTORS:
            self._count_many(field, [t for t in terms if len(t) <= MAX_TERM_CHARS])
        return {t: self.doc_frequency(field, t) for t in terms}

    def lexicon(self, field: str) -> Iterator[bytes]:
        """Yield every term of the field, in byte order."""
        return self.expand_prefix(field, "")

    def _terms(self, field: str, prefix: str) -> list[str]:
        if field in VECTORS:
            query = select(SearchTerm.term).where(SearchTerm.field == field)
            if prefix:
                query = query.where(SearchTerm.term.startswith(prefix, autoescape=True))
            return list(self.session.scalars(query.order_by(SearchTerm.term.collate("C"))))
        if field in COLUMNS:
            column = COLUMNS[field]
            query = select(column).distinct()
            if prefix:
                query = query.where(column.startswith(prefix, autoescape=True))
            return sorted(self.session.scalars(query), key=lambda t: t.encode("utf-8"))
        if field == "tags":
            tag = func.unnest(SearchEntry.tags).label("tag")
            rows = {t for t in self.session.scalars(select(tag).distinct()) if t.startswith(prefix)}
            return sorted(rows, key=lambda t: t.encode("utf-8"))
        return []

    def _count_many(self, field: str, terms: list[str]) -> None:
        """Count the entries of several terms in one statement (each by the GIN index)."""
        wanted = [t for t in terms if (field, t) not in self._frequency]
        for term, count in self._ask_each(field, wanted, _COUNT):
            self._frequency[(field, term)] = int(count)

    def _find_many(self, field: str, terms: list[str]) -> None:
        """Learn whether any entry has each term, in one statement (each by the GIN index).

        Only whether, not how many: counting a common word visits every entry with it (10 ms
        for one in every entry, at 20,000 versions), finding it stops at the first.
        """
        wanted = [t for t in terms if (field, t) not in self._present]
        for term, found in self._ask_each(field, wanted, _FIND):
            self._present[(field, term)] = bool(found)

    def _ask_each(self, field: str, terms: list[str], question: str) -> Iterator[tuple]:
        """Yield (term, answer) of a question asked of each term's entries, 500 a statement."""
        column = VECTORS[field].key  # a column name of ours, never the user's text
        for start in range(0, len(terms), 500):
            chunk = terms[start : start + 500]
            rows = self.session.execute(
                text(
                    f"SELECT t.n, {question.format(column=column)} "  # noqa: S608
                    "FROM unnest(CAST(:ns AS int[]), CAST(:qs AS text[])) AS t(n, q)"
                ),
                {"ns": list(range(len(chunk))), "qs": [lexeme(t) for t in chunk]},
            )
            for n, answer in rows:
                yield chunk[n], answer

    def doc_frequency(self, field: str, term) -> int:
        """Return how many entries have this term in this field."""
        if isinstance(term, bytes):
            term = term.decode("utf-8")
        key = (field, term)
        if key not in self._frequency:
            if field in VECTORS:
                if len(term) > MAX_TERM_CHARS:
                    return 0
                self._count_many(field, [term])
            else:
                found = condition(wq.Term(field, term))
                count = self.session.scalar(select(func.count()).where(found))
                self._frequency[key] = int(count or 0)
        return self._frequency[key]

    def terms_among(self, fields: tuple[str, ...], terms: set[str]) -> set[str]:
        """Return those of the terms some entry has (had) in one of the fields, in one query.

        A typo's several hundred one-letter edits go as one array: as an IN list, building
        and sending a bound value each cost more than the lookup.
        """
        wanted = [t for t in terms if t and len(t) <= MAX_TERM_CHARS]
        if not wanted:
            return set()
        query = select(SearchTerm.term).where(
            SearchTerm.field.in_(fields),
            SearchTerm.term == any_(bindparam("wanted", wanted, type_=ARRAY(String))),
        )
        known = sorted(set(self.session.scalars(query)))
        # Asked a field at a time, the body first (most words are there), and in a later
        # field only of the words not found in an earlier one.
        for field in sorted(fields, key=lambda f: f != "body"):
            unasked = [t for t in known if not self._any_has(fields, t)]
            if field not in VECTORS or not unasked:
                continue
            if field == "body" and len(unasked) > 1:
                self._count_many(field, unasked)  # "Did you mean" will rank them by these counts
            else:
                self._find_many(field, unasked)
        return {t for t in known if self._any_has(fields, t)}

    def _any_has(self, fields: tuple[str, ...], term: str) -> bool:
        """Return True when an entry is known to have the term now in one of the fields."""
        return any(self._has(field, term) for field in fields)

    def _has(self, field: str, term: str) -> bool:
        """Return True when an entry is known to have the term now (the lexicon keeps words
        once seen), from a count or a finding made before; False when none is known yet."""
        counted = self._frequency.get((field, term))
        return bool(counted) if counted is not None else self._present.get((field, term), False)

    def terms_within(self, field: str, word: str, maxdist: int, prefix: int = 0) -> Iterator[str]:
        """Yield the field's terms within maxdist Damerau-Levenshtein edits, as Whoosh does."""
        yield from self.terms_within_fields((field,), word, maxdist, prefix)

    def terms_within_fields(
        self, fields: tuple[str, ...], word: str, maxdist: int, prefix: int = 0
    ) -> list[str]:
        """Return the terms of any of the fields within maxdist edits, in one statement."""
        searched = [field for field in fields if field in VECTORS]
        if not searched:
            return []
        query = (
            select(SearchTerm.term)
            .distinct()
            .where(
                SearchTerm.field.in_(searched),
                SearchTerm.term.startswith(word[:prefix], autoescape=True),
                func.char_length(SearchTerm.term).between(len(word) - maxdist, len(word) + maxdist),
            )
        )
        letters = Counter(word)
        return [t for t in self.session.scalars(query) if within(t, word, maxdist, letters)]


def stems_visible(session: Session, allowed, stems: list[str]) -> set[str]:
    """Return those of the stems an entry has that the condition ``allowed`` lets one see.

    One statement for them all: each stem looks for its first such entry by the GIN indexes.
    """
    wanted = [t for t in stems if t and len(t) <= MAX_TERM_CHARS]
    if not wanted:
        return set()
    given = func.unnest(bindparam("stems", [lexeme(t) for t in wanted], type_=ARRAY(String)))
    given = given.table_valued("q", with_ordinality="n").render_derived()
    words = cast(given.c.q, TSQUERY)
    fields = sorted(TEXT_FIELDS, key=lambda field: field == "body")  # a title spares the body
    has = or_(*[VECTORS[f].op("@@", return_type=Boolean)(words) for f in fields])
    first = select(SearchEntry.document_id).where(allowed, has).limit(1).scalar_subquery()
    return {wanted[n - 1] for n in session.scalars(select(given.c.n).where(first.is_not(None)))}


def within(term: str, word: str, maxdist: int, letters: Counter | None = None) -> bool:
    """Return True when the term is within maxdist Damerau-Levenshtein edits of the word.

    Most of a letter's words fail a cheap test first: an edit changes the letters' counts by
    at most two (a transposition by none), so counts further apart than twice the distance
    cannot be that near. Only the rest pay for the full distance, which took 11 ms a typo.
    """
    if abs(len(term) - len(word)) > maxdist:
        return False
    apart = Counter(term)
    apart.subtract(letters if letters is not None else Counter(word))
    if sum(map(abs, apart.values())) > 2 * maxdist:
        return False
    return distance(term, word, limit=maxdist) <= maxdist
