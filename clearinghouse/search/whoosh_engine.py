"""The Whoosh implementation of the search interface (engine.SearchEngine).

Writers always wait for the index lock with a timeout and a delay (never a bare
``ix.writer()``, never AsyncWriter); every query opens a fresh searcher, so it sees
other processes' commits.
"""

import logging
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from whoosh import query as wq
from whoosh.writing import LockError

from . import whoosh_query as wqy
from .engine import FACETS, IndexEntry, SearchHit, SearchOutcome, SearchSpec, TextLoader
from .whoosh_schema import WORD, fold, index_root, open_or_create, stem_word

log = logging.getLogger(__name__)
_COLUMNS: dict[tuple[str, str], list] = {}
MAX_RESULTS = 10_000


def entry_fields(entry: IndexEntry) -> dict:
    """Return the Whoosh document for one index entry."""
    return {
        "key": f"{entry.document_id}:{entry.version}",
        "document_id": str(entry.document_id),
        "version": entry.version,
        "current": "1" if entry.current else "0",
        "title": entry.title,
        "body": entry.body,
        "authority": entry.authority,
        "owner": str(entry.authority_id),
        "doc_type": entry.doc_type,
        "stage": entry.stage,
        "tags": ",".join(entry.tags),
        "visibility": entry.visibility,
        "updated": entry.updated,
        "stamp": entry.stamp,
    }


class WhooshEngine:
    """Search over a Whoosh index in ``<instance>/index``."""

    def __init__(self, instance_path: str | Path, writer_timeout: float = 30.0):
        self.root = index_root(instance_path)
        self.writer_timeout = writer_timeout

    def open(self):
        """Return the live index (created empty when missing)."""
        return open_or_create(self.root)

    def writer(self, ix):
        """Return a writer, waiting up to the timeout for other processes' writers."""
        try:
            return ix.writer(timeout=self.writer_timeout, delay=0.05)
        except LockError:
            log.warning("search index busy for %.1fs", self.writer_timeout)
            raise

    # -- writing -------------------------------------------------------------------------

    def apply(self, updates: dict[int, list[IndexEntry]]) -> Path:
        """Replace each document's entries (an empty list removes it), in one commit.

        Returns the index folder written, so callers can tell if a rebuild swapped it.
        """
        ix = self.open()
        writer = self.writer(ix)
        try:
            for document_id, entries in updates.items():
                writer.delete_by_term("document_id", str(document_id))
                for entry in entries:
                    writer.add_document(**entry_fields(entry))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return Path(ix.storage.folder)

    def index_version(self, entries: Iterable[IndexEntry]) -> None:
        """Replace a document's entries with these versions."""
        entries = list(entries)
        if entries:
            self.apply({entries[0].document_id: entries})

    def remove_document(self, document_id: int) -> None:
        """Remove every entry of a document."""
        self.apply({document_id: []})

    def stamps(self) -> dict[tuple[int, int], str]:
        """Return {(document_id, version): stamp} for every entry in the index."""
        ix = self.open()
        with ix.searcher() as searcher:
            return {
                (int(f["document_id"]), int(f["version"])): f.get("stamp", "")
                for f in searcher.all_stored_fields()
            }

    # -- reading -------------------------------------------------------------------------

    def query(self, spec: SearchSpec, load_text: TextLoader) -> SearchOutcome:
        """Return the viewer's page of hits, with the total, facets and a suggestion."""
        ix = self.open()
        with ix.searcher() as searcher:
            return _run(searcher, spec, load_text)


def _filters(spec: SearchSpec) -> list[wq.Query]:
    filters = [wqy.permission_filter(spec.viewer_authority_id)]
    if not spec.all_versions:
        filters.append(wq.Term("current", "1"))
    for name in FACETS:
        chosen = getattr(spec, name)
        if chosen:
            filters.append(wq.Or([wq.Term(name, value) for value in chosen]))
    return filters


def _visible(searcher, q: wq.Query, allowed: wq.Query) -> bool:
    for _docnum in searcher.docs_for_query(wq.And([q, allowed])):
        return True
    return False


def _text_terms(stem: str) -> wq.Query:
    return wq.Or([wq.Term(field, stem) for field in wqy.TEXT_FIELDS])


def _spelling(searcher, text: str, allowed: wq.Query, load_text: TextLoader):
    """Return ({unknown word: near stems}, suggestion), from documents the viewer may see."""
    reader = searcher.reader()
    unknown: dict[str, list[str]] = {}
    suggestion = text
    changed = False
    for word in list(dict.fromkeys(wqy.user_words(text)))[:8]:
        stem = stem_word(word)
        if len(word) < 4 or not word.isalpha() or _visible(searcher, _text_terms(stem), allowed):
            continue
        maxdist = 1 if len(stem) < 7 else 2
        near = sorted(
            set(reader.terms_within("body", stem, maxdist, prefix=1))
            | set(reader.terms_within("title", stem, maxdist, prefix=1)),
            key=lambda t: -reader.doc_frequency("body", t),
        )[:8]
        near = [t for t in near if _visible(searcher, _text_terms(t), allowed)][:4]
        unknown[word] = near
        shown = _surface_word(searcher, near[0], allowed, load_text) if near else None
        if shown and shown != word:
            suggestion = _replace_word(suggestion, word, shown)
            changed = True
    return unknown, suggestion if changed else None


def _surface_word(searcher, stem: str, allowed: wq.Query, load_text: TextLoader) -> str | None:
    """Return a word with this stem as written in a document the viewer may see."""
    for docnum in searcher.docs_for_query(wq.And([_text_terms(stem), allowed])):
        stored = searcher.stored_fields(docnum)
        key = (int(stored["document_id"]), int(stored["version"]))
        text = stored.get("title", "") + "\n" + load_text([key]).get(key, "")
        for word in WORD.findall(fold(text)):
            if stem_word(word) == stem:
                return word
        return None
    return None


def _replace_word(text: str, word: str, new: str) -> str:
    import re

    return re.sub(rf"(?i)\b{re.escape(word)}\b", new, text, count=1)


def _facet_values(searcher, field: str) -> list:
    """Return the field's value for every document number (cached per segment)."""
    values: list = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        while len(values) < offset:
            values.append(None)
        segment = reader.segment().segment_id() if hasattr(reader, "segment") else None
        key = (segment or "", field)
        cached = _COLUMNS.get(key) if segment else None
        if cached is None:
            cached = []
            if reader.doc_count_all():
                cached = list(reader.column_reader(field, translate=True))
            if segment:
                if len(_COLUMNS) > 200:
                    _COLUMNS.clear()
                _COLUMNS[key] = cached
        values.extend(cached)
    return values


def _run(searcher, spec: SearchSpec, load_text: TextLoader) -> SearchOutcome:
    allowed = wqy.permission_filter(spec.viewer_authority_id)
    filters = _filters(spec)
    text = (spec.text or "").strip()
    suggestion = None
    plain = False
    if text:
        parsed, plain = wqy.parse(text, searcher.schema)
        if parsed is None:
            return SearchOutcome(0, [], {f: {} for f in FACETS}, None, plain)
        parsed = wqy.expand_patterns(parsed, searcher.reader())
        unknown, suggestion = _spelling(searcher, text, allowed, load_text)
        parsed = wqy.expand_typos(parsed, searcher.reader(), unknown)
    else:
        parsed = wq.Every()
    final = wq.And([parsed, *filters])
    words = wqy.word_terms(parsed)

    docnums = list(searcher.docs_for_query(final))
    facets = {}
    for name in FACETS:
        column = _facet_values(searcher, name)
        facets[name] = dict(Counter(column[d] for d in docnums).most_common())
    total = len(docnums)

    page, per_page = spec.page, spec.per_page
    hits: list[SearchHit] = []
    if total and (page - 1) * per_page < total:
        limit = min(page * per_page, MAX_RESULTS)
        if spec.sort == "newest" or not text:
            results = searcher.search(final, limit=limit, sortedby="updated", reverse=True)
        else:
            results = searcher.search(final, limit=limit)
        for hit in results[(page - 1) * per_page : limit]:
            stored = hit.fields()
            hits.append(
                SearchHit(
                    document_id=int(stored["document_id"]),
                    version=int(stored["version"]),
                    current=stored.get("current") == "1",
                    title=stored.get("title", ""),
                    authority=stored.get("authority", ""),
                    doc_type=stored.get("doc_type", ""),
                    stage=stored.get("stage", ""),
                    updated=stored.get("updated"),
                    score=round(float(hit.score or 0.0), 4),
                )
            )
        texts = load_text([(h.document_id, h.version) for h in hits]) if hits else {}
        for h in hits:
            h.snippet = wqy.snippet(texts.get((h.document_id, h.version), ""), words)
    return SearchOutcome(total, hits, facets, suggestion, plain)


def timed_query(engine: WhooshEngine, spec: SearchSpec, load_text: TextLoader):
    """Return (outcome, seconds): for the benchmark."""
    start = time.perf_counter()
    outcome = engine.query(spec, load_text)
    return outcome, time.perf_counter() - start
