"""Reading a Whoosh index: a query string, the viewer's filters, a page of hits with facets.

The query is parsed (shown names of types and authorities resolved to slugs), expanded by
the practice thesaurus and by near spellings of unknown words, and evaluated by the
accelerated path (fast.py) together with the permission filter and the chosen facets.
"""

import functools

import numpy as np
from whoosh import query as wq

from . import field_names, synonyms
from . import whoosh_query as wqy
from .engine import FACETS, SearchHit, SearchOutcome, SearchSpec, TextLoader
from .fast import Evaluator
from .whoosh_schema import text_fields
from .whoosh_spelling import protected_words, spelling, surface_word, visible_among

MAX_RESULTS = 10_000


def spec_filters(spec: SearchSpec) -> list[wq.Query]:
    """Return the queries a search is AND-ed with: permission, current versions, facets."""
    filters = [wqy.permission_filter(spec.viewer_authority_id)]
    if not spec.all_versions:
        filters.append(wq.Term("current", "1"))
    for name in FACETS:
        chosen = getattr(spec, name)
        if chosen:
            filters.append(wq.Or([wq.Term(name, value) for value in chosen]))
    return filters


def build_query(schema, reader, spec: SearchSpec, text: str) -> tuple[wq.Query | None, bool]:
    """Return (query, parsed as plain words): shown names resolved, synonyms expanded.

    ``reader`` is a Whoosh reader or anything offering the same term lookups (PgLexicon).
    """
    parsed, plain = wqy.parse(field_names.resolve(text, spec.names), schema)
    if parsed is None:
        return None, plain
    parsed = wqy.expand_patterns(parsed, reader)
    if spec.synonyms:
        parsed = synonyms.expand(parsed, text_fields(schema))
    return parsed, plain


def _parse(searcher, ev: Evaluator, spec: SearchSpec, allowed, load_text: TextLoader):
    """Return (query, suggestion, parsed as plain words) for the spec's text."""
    text = (spec.text or "").strip()
    if not text:
        return wq.Every(), None, False
    parsed, plain = build_query(searcher.schema, searcher.reader(), spec, text)
    if parsed is None:
        return None, None, plain

    def gives_results(suggested: str) -> bool:
        query, _plain = build_query(searcher.schema, searcher.reader(), spec, suggested)
        if query is None:
            return False
        mask = ev.evaluate(query)[0] & allowed
        for extra in spec_filters(spec):
            mask &= ev.evaluate(extra)[0]
        return bool(np.any(mask))

    protected = functools.cache(lambda: protected_words(spec.names, synonyms.vocabulary_words()))
    fields = text_fields(searcher.schema)
    unknown, suggestion = spelling(
        searcher.reader(),
        fields,
        text,
        lambda stems: visible_among(ev, stems, allowed, fields),
        lambda stem: surface_word(searcher, ev, stem, allowed, load_text),
        protected,
        gives_results,
    )
    return wqy.expand_typos(parsed, searcher.reader(), unknown), suggestion, plain


def run(searcher, spec: SearchSpec, load_text: TextLoader) -> SearchOutcome:
    """Return the viewer's page of hits, with the total, facets and a suggestion."""
    ev = Evaluator(searcher)
    allowed = ev.evaluate(wqy.permission_filter(spec.viewer_authority_id))[0]
    parsed, suggestion, plain = _parse(searcher, ev, spec, allowed, load_text)
    if parsed is None:
        return SearchOutcome(0, [], {f: {} for f in FACETS}, None, plain)
    mask, scores = ev.evaluate(parsed)
    for query in spec_filters(spec):
        mask = mask & ev.evaluate(query)[0]
    facets = {name: ev.facet_counts(name, mask) for name in FACETS}
    total = int(np.count_nonzero(mask))
    page, per_page = spec.page, spec.per_page
    hits: list[SearchHit] = []
    if total and (page - 1) * per_page < total:
        limit = min(page * per_page, MAX_RESULTS)
        newest = spec.sort == "newest" or not (spec.text or "").strip()
        for docnum, score in ev.top(mask, scores, limit, newest)[(page - 1) * per_page :]:
            stored = searcher.stored_fields(docnum)
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
                    score=round(score, 4),
                )
            )
        words = wqy.word_terms(parsed)
        texts = load_text([(h.document_id, h.version) for h in hits]) if hits else {}
        for h in hits:
            h.snippet = wqy.snippet(texts.get((h.document_id, h.version), ""), words)
    return SearchOutcome(total, hits, facets, suggestion, plain)
