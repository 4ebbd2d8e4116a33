"""The words PostgreSQL full-text search knows, read as Whoosh's reader offers them.

Prefix and wildcard expansion and "did you mean" ask a reader for the terms of a field in
order, for terms within an edit distance, and for how many entries have a term. This class
answers those questions from ``search_term`` and ``search_entry``, so the same expansion code
serves both engines and expands a query to the same words.
"""

from collections import Counter
from collections.abc import Iterator

from sqlalchemy import String, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from whoosh import query as wq
from whoosh.support.levenshtein import distance

from .pg_query import COLUMNS, MAX_TERM_CHARS, VECTORS, condition, lexeme
from .pg_tables import SearchEntry, SearchTerm
from .whoosh_schema import make_schema

SCHEMA = make_schema()
MAX_COUNTED = 300  # a prefix's words counted to keep the most frequent (Whoosh: 5,000)


class PgLexicon:
    """The terms of each field, their document frequencies, and near spellings."""

    schema = SCHEMA

    def __init__(self, session: Session):
        self.session = session
        self._frequency: dict[tuple[str, str], int] = {}

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
        head = words[:MAX_COUNTED]
        if field in VECTORS:
            self._count_many(field, head)
        counted = [self.doc_frequency(field, w) for w in head]  # from the counts just made
        return list(zip(counted + [0] * (len(words) - len(counted)), terms, strict=True))

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
        column = VECTORS[field].key  # a column name of ours, never the user's text
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.session.execute(
                text(
                    f"SELECT t.n, (SELECT count(*) FROM search_entry WHERE {column} @@ "  # noqa: S608
                    "CAST(t.q AS tsquery)) FROM unnest(CAST(:ns AS int[]), CAST(:qs AS text[])) "
                    "AS t(n, q)"
                ),
                {"ns": list(range(len(chunk))), "qs": [lexeme(t) for t in chunk]},
            )
            self._frequency.update({(field, chunk[n]): int(count) for n, count in rows})

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
        # Counted a field at a time, the body first ("Did you mean" ranks by it), and in a
        # later field only the words not found in an earlier one.
        for field in sorted(fields, key=lambda f: f != "body"):
            uncounted = [t for t in known if not self._seen(fields, t)]
            if field in VECTORS and uncounted:
                self._count_many(field, uncounted)
        return {t for t in known if self._has(fields, t)}

    def _seen(self, fields: tuple[str, ...], term: str) -> bool:
        return any(self._frequency.get((field, term)) for field in fields)

    def _has(self, fields: tuple[str, ...], term: str) -> bool:
        """Return True when an entry has the term now (the lexicon keeps words once seen)."""
        return any(self.doc_frequency(field, term) for field in fields)

    def terms_within(self, field: str, word: str, maxdist: int, prefix: int = 0) -> Iterator[str]:
        """Yield the field's terms within maxdist Damerau-Levenshtein edits, as Whoosh does."""
        if field not in VECTORS:
            return
        query = select(SearchTerm.term).where(
            SearchTerm.field == field,
            SearchTerm.term.startswith(word[:prefix], autoescape=True),
            func.char_length(SearchTerm.term).between(len(word) - maxdist, len(word) + maxdist),
        )
        letters = Counter(word)
        for term in self.session.scalars(query):
            if within(term, word, maxdist, letters):
                yield term


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
