"""PostgreSQL full-text search behind the search package's interface.

Entries live in ``search_entry`` (and each body's words again in ``search_body``, which
ranking reads) in the documents' own database, and are written in the transaction that
changes the document, so there is no separate index to lose or to lag.
Queries go through the same parser, thesaurus and typo expansion as the Whoosh engine, and
are answered in SQL: the same rows match, facets are counted by GROUP BY, snippets are made
from the matching words by the same code.
"""

import functools
import logging
from collections.abc import Iterable

from sqlalchemy import (
    Integer,
    and_,
    case,
    delete,
    false,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import TSVECTOR, array
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import ClauseAdapter
from whoosh import query as wq

from ..extensions import db
from . import synonyms
from . import whoosh_query as wqy
from .engine import FACETS, IndexEntry, SearchHit, SearchOutcome, SearchSpec, TextLoader
from .field_names import names_text
from .pg_lexicon import SCHEMA, PgLexicon, stems_visible
from .pg_plan import MATCHES_SETTINGS, SEARCH_SETTINGS, restore, set_for_transaction
from .pg_query import MAX_TERM_CHARS, UnknownNode, candidates, condition, lexeme, score
from .pg_tables import SearchBody, SearchEntry, SearchTerm
from .whoosh_schema import TEXT_FIELDS, analyze
from .whoosh_search import MAX_RESULTS, build_query, spec_filters
from .whoosh_spelling import protected_words, spelling, surface_in

log = logging.getLogger(__name__)
MAX_POSITION = 16383  # PostgreSQL counts word positions up to here
MAX_POSITIONS = 256  # and keeps a word's first 256


# PostgreSQL refuses a tsvector whose words and positions take 1 MB (2**20 - 1); keep a margin.
MAX_VECTOR_BYTES = 1_000_000


def tsvector_literal(terms: list[str]) -> str:
    """Return stems in order as a tsvector literal, each with its positions.

    A text whose words would overflow PostgreSQL's 1 MB tsvector keeps fewer positions of each
    word (its later phrases may then be missed), and beyond that only its first words.
    """
    positions: dict[str, list[int]] = {}
    for pos, term in enumerate(terms, start=1):
        if not term or len(term) > MAX_TERM_CHARS:
            continue
        found = positions.setdefault(term, [])
        if len(found) < MAX_POSITIONS:
            found.append(min(pos, MAX_POSITION))
    for cap in (MAX_POSITIONS, 64, 16, 4, 1):
        if _vector_bytes(positions, cap) <= MAX_VECTOR_BYTES:
            break
    else:
        positions = _first_words(positions, cap)
    if cap < MAX_POSITIONS:
        log.warning("a search entry keeps %d positions a word to fit PostgreSQL's limit", cap)
    return " ".join(f"{lexeme(t)}:{','.join(map(str, p[:cap]))}" for t, p in positions.items())


def _vector_bytes(positions: dict[str, list[int]], cap: int) -> int:
    """Return how much of PostgreSQL's limit these words take: each word, padded, its positions."""
    return sum(_word_bytes(t, p, cap) for t, p in positions.items())


def _word_bytes(term: str, found: list[int], cap: int) -> int:
    size = len(term.encode())
    return size + size % 2 + 2 + 2 * min(len(found), cap)


def _first_words(positions: dict[str, list[int]], cap: int) -> dict[str, list[int]]:
    """Return as many of the first words as fit, each with ``cap`` positions."""
    kept, size = {}, 0
    for term, found in positions.items():
        size += _word_bytes(term, found, cap)
        if size > MAX_VECTOR_BYTES:
            break
        kept[term] = found
    log.warning("a search entry keeps its first %d words to fit PostgreSQL's limit", len(kept))
    return kept


def entry_row(entry: IndexEntry) -> tuple[dict, dict[str, set[str]]]:
    """Return the search_entry row of an entry, and the stems of each text field."""
    names = names_text(entry)
    stems = {"title": analyze(entry.title), "body": analyze(entry.body), "names": analyze(names)}
    row = {
        "document_id": entry.document_id,
        "version": entry.version,
        "current": entry.current,
        "visibility": entry.visibility,
        "owner_id": entry.authority_id,
        "authority": entry.authority,
        "doc_type": entry.doc_type,
        "stage": entry.stage,
        "tags": [t.lower() for t in entry.tags],
        "updated": entry.updated,
        "title": entry.title,
        "names": names,
        "stamp": entry.stamp,
        **{f"{field}_tsv": tsvector_literal(stems[field]) for field in TEXT_FIELDS},
    }
    return row, {f: {t for t in stems[f] if t and len(t) <= MAX_TERM_CHARS} for f in TEXT_FIELDS}


def write_entries(
    session: Session, document_id: int, entries: list[IndexEntry]
) -> set[tuple[str, str]]:
    """Replace a document's entries with these; return their stems for ``add_terms``.

    Deleting an entry deletes its ``search_body`` row with it (ON DELETE CASCADE).
    """
    session.execute(delete(SearchEntry).where(SearchEntry.document_id == document_id))
    return insert_entries(session, entries)


def insert_entries(session: Session, entries: list[IndexEntry]) -> set[tuple[str, str]]:
    """Insert entries (none of them there yet); return their (field, stem) for ``add_terms``."""
    rows, terms = [], set()
    for entry in entries:
        row, stems = entry_row(entry)
        rows.append(row)
        terms |= {(field, t) for field, found in stems.items() for t in found}
    if rows:
        session.execute(insert(SearchEntry), rows)
        bodies = [{k: row[k] for k in ("document_id", "version", "body_tsv")} for row in rows]
        session.execute(insert(SearchBody), bodies)
    return terms


def add_terms(session: Session, terms: set[tuple[str, str]]) -> None:
    """Add stems to the lexicon; a stem already there (from any transaction) is left alone.

    Call it once per transaction with all its stems: every writer then inserts in one sorted
    order, so two adding the same new words wait for each other but never deadlock.
    """
    ordered = sorted(terms)
    for start in range(0, len(ordered), 5000):
        values = [{"field": f, "term": t} for f, t in ordered[start : start + 5000]]
        session.execute(pg_insert(SearchTerm).values(values).on_conflict_do_nothing())


class PostgresEngine:
    """Search entries kept in PostgreSQL and queried with its full-text search."""

    kind = "postgres"

    def __init__(self, session: Session | None = None):
        self.session = session or db.session

    def index_version(self, entries: Iterable[IndexEntry]) -> None:
        """Replace a document's entries with these versions (in the caller's transaction)."""
        entries = list(entries)
        if entries:
            add_terms(self.session, write_entries(self.session, entries[0].document_id, entries))

    def remove_document(self, document_id: int) -> None:
        """Remove every entry of a document (in the caller's transaction)."""
        add_terms(self.session, write_entries(self.session, document_id, []))

    def indexed(self) -> dict[tuple[int, int], dict]:
        """Return {(document_id, version): stored fields} of every entry, for the check."""
        rows = self.session.execute(
            select(
                SearchEntry.document_id,
                SearchEntry.version,
                SearchEntry.visibility,
                SearchEntry.authority,
                SearchEntry.names,
                SearchEntry.stamp,
                SearchBody.version.is_not(None),
            ).outerjoin(SearchBody)
        )
        return {
            (d, v): {"visibility": vis, "authority": a, "names": n, "stamp": s, "body": body}
            for d, v, vis, a, n, s, body in rows
        }

    # -- reading -------------------------------------------------------------------------

    def _where(self, node):
        try:
            return condition(node)
        except UnknownNode as exc:  # a shape the parser does not make today: say so, match none
            log.warning("query node not searchable on PostgreSQL: %s", exc)
            return condition(wq.NullQuery)

    def _candidates(self, node):
        """Return (a condition the GIN indexes answer alone, whether ``_where`` must follow)."""
        try:
            return candidates(node)
        except UnknownNode:
            return self._where(node), False

    def _any(self, *conditions) -> bool:
        query = select(SearchEntry.document_id).where(*conditions).limit(1)
        return self.session.scalar(query) is not None

    def _parse(self, spec: SearchSpec, lexicon: PgLexicon, allowed, load_text: TextLoader):
        """Return (query, suggestion, parsed as plain words), as the Whoosh engine does."""
        text_ = (spec.text or "").strip()
        if not text_:
            return wq.Every(), None, False
        parsed, plain = build_query(SCHEMA, lexicon, spec, text_)
        if parsed is None:
            return None, None, plain
        filters = [self._where(f) for f in spec_filters(spec)]

        def gives_results(suggested: str) -> bool:
            query, _plain = build_query(SCHEMA, lexicon, spec, suggested)
            return query is not None and self._any(self._where(query), *filters)

        def visible(stems: list[str]) -> set[str]:
            return stems_visible(self.session, allowed, stems)

        def surface(stem: str) -> list[str]:
            first = self.session.execute(
                select(SearchEntry.document_id, SearchEntry.version, SearchEntry.title)
                .add_columns(SearchEntry.names)
                .where(allowed, self._where(_text_terms(stem)))
                .order_by(SearchEntry.document_id, SearchEntry.version)
                .limit(1)
            ).first()
            if first is None:
                return []
            key = (first[0], first[1])
            return surface_in("\n".join([first[2], first[3], load_text([key]).get(key, "")]), stem)

        vocabulary = synonyms.vocabulary_words
        protected = functools.cache(lambda: protected_words(spec.names, vocabulary()))
        fields = TEXT_FIELDS
        unknown, suggestion = spelling(
            lexicon, fields, text_, visible, surface, protected, gives_results
        )
        return wqy.expand_typos(parsed, lexicon, unknown), suggestion, plain

    def query(self, spec: SearchSpec, load_text: TextLoader) -> SearchOutcome:
        """Return the viewer's page of hits, with the total, facets and a suggestion."""
        replaced = set_for_transaction(self.session, SEARCH_SETTINGS)
        outcome = self._query(spec, load_text)  # on failure the rollback undoes the settings
        restore(self.session, replaced)
        return outcome

    def _query(self, spec: SearchSpec, load_text: TextLoader) -> SearchOutcome:
        lexicon = PgLexicon(self.session)
        allowed = self._where(wqy.permission_filter(spec.viewer_authority_id))
        parsed, suggestion, plain = self._parse(spec, lexicon, allowed, load_text)
        if parsed is None:
            return SearchOutcome(0, [], {f: {} for f in FACETS}, None, plain)
        filters = [self._where(f) for f in spec_filters(spec)]
        newest = spec.sort == "newest" or not (spec.text or "").strip()
        page, per_page = spec.page, spec.per_page
        offset = (page - 1) * per_page
        limit = max(0, min(page * per_page, MAX_RESULTS) - offset)
        facets, chosen = self._facets_and_page(parsed, filters, newest, offset, limit)
        total = sum(facets["authority"].values())
        hits = self._hits(sorted(chosen, key=_by_date if newest else _by_score))
        if hits:
            words = wqy.word_terms(parsed)
            texts = load_text([(h.document_id, h.version) for h in hits])
            for h in hits:
                h.snippet = wqy.snippet(texts.get((h.document_id, h.version), ""), words)
        return SearchOutcome(total, hits, facets, suggestion, plain)

    def _facets_and_page(self, parsed, filters, newest: bool, offset: int, limit: int):
        """Return the facet counts and the page's matches, reading each row's words once.

        Candidates are found by the GIN indexes and the cheap filters (permission, current,
        facets) first; only then are their word lists read, to test phrases and negations and
        to rank them. Both the GROUP BY and the page are read from the matches, in one
        statement whose answer is one small row of JSON.
        """
        found, again = self._candidates(parsed)
        facet_columns = [getattr(SearchEntry, name) for name in FACETS]
        # Bodies are read from search_body, which holds them in its rows, and only when a
        # phrase, a negation or the rank needs them: sorted by date, none is read. An entry
        # without its body row (written by a server of an older release) is still found: its
        # body is read from search_entry's copy, slowly, until check-index --repair.
        reads_body = again or not newest
        body = SearchEntry.body_tsv
        if reads_body:
            body = func.coalesce(SearchBody.body_tsv, SearchEntry.body_tsv, type_=TSVECTOR)
        if again:
            body = _read_once(body)
        vectors = (SearchEntry.title_tsv, body.label("body_tsv"), SearchEntry.names_tsv)
        # Every column a condition may name, so the second level reads them all from here
        # (a column missing here would join the whole table in again).
        tested = (
            SearchEntry.tags,
            SearchEntry.owner_id,
            SearchEntry.current,
            SearchEntry.visibility,
        )
        rows = (
            select(SearchEntry.document_id, SearchEntry.version, *facet_columns)
            .add_columns(SearchEntry.updated, *vectors, *tested)
            .where(found, *filters)
        )
        if reads_body:
            rows = rows.outerjoin(SearchBody)  # on the entry's key: one body or none
        rows = rows.subquery("candidates")
        on_rows = ClauseAdapter(rows, adapt_on_names=True).traverse  # body_tsv by its label
        relevance = on_rows(score(parsed)) if not newest else literal(0.0)
        matches = select(rows.c.document_id, rows.c.version, *[rows.c[n] for n in FACETS])
        matches = matches.add_columns(rows.c.updated, relevance.label("score"))
        if again:
            # Phrases and negations are tested only on rows the cheap filters kept: inside
            # CASE the test cannot become an index condition, which the planner would check
            # (reading word lists) before the filters, on every version of every authority.
            kept = and_(*[on_rows(f) for f in filters])
            matches = matches.where(case((kept, on_rows(self._where(parsed))), else_=false()))
        matches = matches.cte("matches").prefix_with("MATERIALIZED")
        grouped = [matches.c[name] for name in FACETS]
        counts = (
            select(*grouped, func.grouping(*grouped).label("unused"), func.count().label("n"))
            .group_by(func.grouping_sets(*[tuple_(c) for c in grouped]))
            .subquery("counts")
        )
        order = [matches.c.updated.desc().nulls_last()]
        if not newest:
            order.insert(0, matches.c.score.desc())
        page = (
            select(matches.c.document_id, matches.c.version, matches.c.updated, matches.c.score)
            .order_by(*order, matches.c.document_id, matches.c.version)
            .offset(offset)
            .limit(limit)
            .subquery("page")
        )
        replaced = set_for_transaction(self.session, MATCHES_SETTINGS)
        facets_json, page_json = self.session.execute(
            select(
                select(func.json_agg(func.json_build_array(*counts.c))).scalar_subquery(),
                select(
                    func.json_agg(
                        func.json_build_array(
                            page.c.document_id,
                            page.c.version,
                            func.extract("epoch", page.c.updated),
                            page.c.score,
                        )
                    )
                ).scalar_subquery(),
            )
        ).one()
        restore(self.session, replaced)
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        for *values, bits, count in facets_json or []:
            for i, name in enumerate(FACETS):
                if not bits & (1 << (len(FACETS) - 1 - i)):  # this row groups by this facet
                    facets[name][values[i]] = count
        facets = {
            name: dict(sorted(found.items(), key=_largest_first)) for name, found in facets.items()
        }
        return facets, [tuple(row) for row in page_json or []]

    def _hits(self, chosen: list[tuple]) -> list[SearchHit]:
        """Return the chosen matches as hits, in the order given, read in one statement."""
        keys = [(m[0], m[1]) for m in chosen]
        columns = (SearchEntry.document_id, SearchEntry.version, SearchEntry.current)
        shown = (SearchEntry.title, SearchEntry.authority, SearchEntry.doc_type)
        rows = {
            (row.document_id, row.version): row
            for row in self.session.execute(
                select(*columns, *shown, SearchEntry.stage, SearchEntry.updated).where(
                    tuple_(SearchEntry.document_id, SearchEntry.version).in_(keys)
                )
            )
        }
        return [
            SearchHit(
                document_id=row.document_id,
                version=row.version,
                current=row.current,
                title=row.title,
                authority=row.authority,
                doc_type=row.doc_type,
                stage=row.stage,
                updated=row.updated,
                score=round(float(found[3] or 0.0), 4),
            )
            for found in chosen
            if (row := rows.get((found[0], found[1]))) is not None
        ]


def _read_once(body):
    """Return the body's tsvector read once, for a test and a rank that both read it.

    Every use of a column fetches a long value from TOAST afresh: testing phrases and then
    ranking read each body twice. Most bodies are held in search_body's rows, but one whose
    words take more than a page (8 KB) is still kept in TOAST. An array holds its values read
    in, and taking the one value back out of it copies nothing. The volatile clock keeps the
    subquery whole (a planner that merged it into the query above would read the body once
    for each use again) without stopping it from running in parallel workers, as OFFSET 0
    would.
    """
    held = array([body], type_=TSVECTOR)[literal_column("1", Integer)]
    return case((func.clock_timestamp().is_(None), null()), else_=held)


def _largest_first(item: tuple[str, int]):
    return (-item[1], item[0])


def _by_score(match: tuple):
    """Order (document, version, epoch, score) by score, then newest, as the SQL did."""
    return (-(match[3] or 0.0), _newest_first(match[2]), match[0], match[1])


def _by_date(match: tuple):
    return (_newest_first(match[2]), match[0], match[1])


def _newest_first(epoch) -> float:
    return -float(epoch) if epoch is not None else float("inf")


def _text_terms(stem: str) -> wq.Query:
    return wq.Or([wq.Term(field, stem) for field in TEXT_FIELDS])
