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
    and_,
    delete,
    insert,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from whoosh import query as wq

from ..extensions import db
from ..models import DocumentVersion
from . import synonyms
from . import whoosh_query as wqy
from .engine import FACETS, IndexEntry, SearchOutcome, SearchSpec, TextLoader
from .field_names import names_text
from .pg_lexicon import SCHEMA, PgLexicon, stems_visible
from .pg_matches import facets_and_page, searchable
from .pg_plan import SEARCH_SETTINGS, TransactionSettings
from .pg_query import MAX_TERM_CHARS, lexeme
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

    def _any(self, *conditions) -> bool:
        query = select(SearchEntry.document_id).where(*conditions).limit(1)
        return self.session.scalar(query) is not None

    def _parse(self, spec: SearchSpec, lexicon: PgLexicon, allowed):
        """Return (query, suggestion, parsed as plain words), as the Whoosh engine does."""
        text_ = (spec.text or "").strip()
        if not text_:
            return wq.Every(), None, False
        parsed, plain = build_query(SCHEMA, lexicon, spec, text_)
        if parsed is None:
            return None, None, plain
        filters = [searchable(f) for f in spec_filters(spec)]

        def gives_results(suggested: str) -> bool:
            query, _plain = build_query(SCHEMA, lexicon, spec, suggested)
            return query is not None and self._any(searchable(query), *filters)

        def visible(stems: list[str]) -> set[str]:
            return stems_visible(self.session, allowed, stems)

        def surface(stem: str) -> list[str]:
            first = (
                select(SearchEntry.document_id, SearchEntry.version, SearchEntry.title)
                .add_columns(SearchEntry.names)
                .where(allowed, searchable(_text_terms(stem)))
                .order_by(SearchEntry.document_id, SearchEntry.version)
                .limit(1)
                .subquery("first")
            )
            # The version's text is in the same database: read with the entry, not after it.
            text_of = and_(
                DocumentVersion.document_id == first.c.document_id,
                DocumentVersion.number == first.c.version,
            )
            found = self.session.execute(
                select(first.c.title, first.c.names, DocumentVersion.extracted_text).select_from(
                    first.outerjoin(DocumentVersion, text_of)
                )
            ).first()
            return surface_in("\n".join(t or "" for t in found), stem) if found else []

        vocabulary = synonyms.vocabulary_words
        protected = functools.cache(lambda: protected_words(spec.names, vocabulary()))
        fields = TEXT_FIELDS
        unknown, suggestion = spelling(
            lexicon, fields, text_, visible, surface, protected, gives_results
        )
        return wqy.expand_typos(parsed, lexicon, unknown), suggestion, plain

    def query(self, spec: SearchSpec, load_text: TextLoader) -> SearchOutcome:
        """Return the viewer's page of hits, with the total, facets and a suggestion."""
        settings = TransactionSettings(self.session)
        settings.apply(SEARCH_SETTINGS)
        try:
            outcome = self._query(spec, load_text, settings)
        except SQLAlchemyError:
            raise  # the transaction failed: its rollback undoes the settings
        except Exception:
            settings.put_back()  # the transaction goes on: put them back before raising
            raise
        settings.put_back()  # if reading the matches has not already
        return outcome

    def _query(
        self, spec: SearchSpec, load_text: TextLoader, settings: TransactionSettings
    ) -> SearchOutcome:
        lexicon = PgLexicon(self.session)
        allowed = searchable(wqy.permission_filter(spec.viewer_authority_id))
        parsed, suggestion, plain = self._parse(spec, lexicon, allowed)
        if parsed is None:
            return SearchOutcome(0, [], {f: {} for f in FACETS}, None, plain)
        filters = [searchable(f) for f in spec_filters(spec)]
        newest = spec.sort == "newest" or not (spec.text or "").strip()
        page, per_page = spec.page, spec.per_page
        offset = (page - 1) * per_page
        limit = max(0, min(page * per_page, MAX_RESULTS) - offset)
        facets, hits = facets_and_page(
            self.session, settings, parsed, filters, newest, offset, limit
        )
        total = sum(facets["authority"].values())
        if hits:
            words = wqy.word_terms(parsed)
            texts = load_text([(h.document_id, h.version) for h in hits])
            for h in hits:
                h.snippet = wqy.snippet(texts.get((h.document_id, h.version), ""), words)
        return SearchOutcome(total, hits, facets, suggestion, plain)


def _text_terms(stem: str) -> wq.Query:
    return wq.Or([wq.Term(field, stem) for field in TEXT_FIELDS])
