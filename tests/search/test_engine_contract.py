"""One contract for both search engines: Whoosh and PostgreSQL full-text search.

Random histories of uploads, new versions, visibility changes and withdrawals are made
through the real services on a PostgreSQL database searched by PostgreSQL (its entries are
written in each change's transaction); a Whoosh index is built from the same database. Every
query kind is then asked of both, by viewers of each authority and with each filter, and the
two must agree on the hits, the total, the facet counts, the snippets and the suggestion.

Where the engines may differ, by design, the test says so and compares around it:
- ranking: Whoosh scores by BM25F, PostgreSQL by ts_rank with the same field boosts, so the
  order of hits within a page differs; hits are compared as sets over all pages;
- a word's positions past its 256th occurrence, or past the 16,383rd word, are not kept by
  PostgreSQL, so a phrase found only there is missed (the corpora here stay shorter);
- stems longer than 200 characters are not searchable on PostgreSQL;
- a phrase given a distance ("a b"~3) finds every document with all its words on PostgreSQL,
  which cannot say "within N words";
- a prefix matching more than 64 words keeps the 64 found in most entries: Whoosh counts the
  first 5,000 words of the prefix, PostgreSQL the first 300 (each count is an index lookup);
- "did you mean" shows the typed word corrected by one letter when that gives the stem it
  found (the same on both); a stem two letters away is shown as the first document the engine
  holds has it, and the engines hold documents in different orders ("solicitors" or
  "solicitor"), though the suggested query finds the same documents.
"""

import random

import pytest
from factories import make_authority, make_user

from clearinghouse.documents.service import (
    document_create,
    document_delete,
    document_set_visibility,
    version_add,
)
from clearinghouse.extensions import db
from clearinghouse.search.engine import SearchSpec
from clearinghouse.search.entries import all_entries, current_entries
from clearinghouse.search.index import get_engine
from clearinghouse.search.pg_engine import PostgresEngine
from clearinghouse.search.whoosh_engine import WhooshEngine

WORDS = (
    "safety family child worried worries plan planning court letter meeting school network "
    "danger goal goals solicitor grandmother conference protection proceedings legal advice "
    "strengths scaling timeline section 47 enquiry"
).split()
TYPES = ["policy", "safety-plan", "plo-letter-before-proceedings", "practice-guidance"]
QUERIES = [
    "safety",
    "family network",
    "worried",
    "worry",
    '"safety plan"',
    '"family network meeting"',
    "danger OR solicitor",
    "court NOT letter",
    "saf*",
    "pla?",
    "title:safety",
    "type:policy",
    'type:"Safety plan"',
    "authority:south",
    "authority:north danger",
    "tag:plo",
    "stage:pre-proceedings",
    "PLO",
    "s47",
    "section 47",
    "ICPC",
    "dangr",
    "solicitr advice",
    "grandmothr",
    "zzzz",
    "(court OR school) AND NOT danger",
    "-danger family",
    "the and of",
    '"unclosed phrase',
    "title:",
    "Northshire",
    "safety ANDNOT court",
    "safety ANDMAYBE court",
    "court OR NOT school",
    "title:saf*",
    "type:pol*",
    "sa*ty",
    "café grandmother",
    "s.47",
    '"family network meeting" -court',
    '"safety plan" OR "danger goal"',
    '("safety plan" court) OR grandmother',
    'NOT "safety plan"',
    '"safety plan" ANDNOT "danger goal"',
    '"safety plan" tag:plo',
    "tag:court -danger",
    '"family network" NOT tag:school',
]
VIEWERS = ["north", "south", None]


def _text(rng: random.Random, words: int) -> bytes:
    body = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"# {rng.choice(WORDS).title()}\n\n{body}.\n".encode()


def _history(rng: random.Random, editors: dict) -> None:
    """Make a random history of changes through the services (each its own transaction)."""
    documents: list[tuple[str, int]] = []
    for _step in range(rng.randint(20, 32)):
        action = rng.random()
        if action < 0.45 or not documents:
            slug = rng.choice(["north", "south"])
            made = document_create(
                editors[slug],
                title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).capitalize(),
                doc_type=rng.choice(TYPES),
                visibility=rng.choice(["shared", "internal"]),
                data=_text(rng, rng.randint(3, 40)),
                filename="doc.md",
                tags=rng.choice(["", "plo, court", "school", "family network"]),
            )
            documents.append((slug, made.document_id))
            continue
        slug, document_id = rng.choice(documents)
        if action < 0.75:
            version_add(
                editors[slug], document_id, _text(rng, rng.randint(3, 40)), "v.md", "Reworded"
            )
        elif action < 0.9:
            visibility = rng.choice(["shared", "internal"])
            document_set_visibility(editors[slug], document_id, visibility)
        else:
            document_delete(editors[slug], document_id)
            documents.remove((slug, document_id))


def _whoosh_from_database(folder, all_versions: bool) -> WhooshEngine:
    """Build a Whoosh index of the database's documents, as `flask reindex` would."""
    from clearinghouse.models import Document

    engine = WhooshEngine(folder)
    ids = list(db.session.scalars(db.select(Document.id)))
    read = all_entries if all_versions else current_entries
    updates = read(db.session, ids)
    engine.apply(lambda: updates, lambda _folder: None)
    return engine


def _outcome(engine, spec: SearchSpec, load_text) -> dict:
    """Return what must agree: hits as a set over all pages, total, facets, suggestion."""
    first = engine.query(spec, load_text)
    hits = {(h.document_id, h.version): h.snippet for h in first.hits}
    page = 1
    while len(hits) < first.total and page < 20:
        page += 1
        spec.page = page
        hits.update(
            {(h.document_id, h.version): h.snippet for h in engine.query(spec, load_text).hits}
        )
    spec.page = 1
    return {
        "total": first.total,
        "hits": hits,
        "facets": first.facets,
        "suggestion": first.suggestion,
        "plain": first.plain_words,
    }


@pytest.mark.parametrize(
    ("app", "seed"),
    [
        ({"SEARCH_ENGINE": "postgres", "SEARCH_INDEX_VERSIONS": seed % 2 == 1}, seed)
        for seed in range(6)
    ],
    indirect=["app"],
)
def test_both_engines_find_the_same(app, tmp_path, seed):
    """Every query kind finds the same documents, counts and suggestion on both engines."""
    rng = random.Random(seed)
    authorities = {slug: make_authority(slug) for slug in ("north", "south")}
    editors = {slug: make_user("editor", slug) for slug in authorities}
    _history(rng, editors)
    assert isinstance(get_engine(), PostgresEngine)
    whoosh = _whoosh_from_database(tmp_path / "whoosh", all_versions=seed % 2 == 1)
    postgres = PostgresEngine()
    names = {
        "doc_type": {"policy": "Policy", "safety-plan": "Safety plan"},
        "authority": {"north": "Northshire", "south": "Southborough"},
    }
    texts = {}

    def load_text(keys):
        from clearinghouse.models import Document, DocumentVersion

        for document_id, number in keys:
            if (document_id, number) not in texts:
                texts[(document_id, number)] = db.session.scalar(
                    db.select(DocumentVersion.extracted_text)
                    .join(Document)
                    .where(Document.id == document_id, DocumentVersion.number == number)
                )
        return {key: texts[key] or "" for key in keys}

    compared, found, suggested = 0, 0, 0
    for query in QUERIES:
        viewer = rng.choice(VIEWERS)
        for filters in ({}, {"doc_type": [rng.choice(TYPES)]}, {"stage": ["organisational"]}):
            for all_versions in (False, True):
                spec = dict(
                    text=query,
                    viewer_authority_id=authorities[viewer].id if viewer else None,
                    all_versions=all_versions,
                    per_page=100,
                    names=names,
                    **filters,
                )
                want = _outcome(whoosh, SearchSpec(**spec), load_text)
                got = _outcome(postgres, SearchSpec(**spec), load_text)
                assert got == want, (query, viewer, filters, all_versions)
                compared += 1
                found += bool(want["total"])
                suggested += want["suggestion"] is not None
    assert compared == len(QUERIES) * 6
    # The comparison means something: most queries find documents, some are corrected.
    assert found > compared // 3 and suggested > 0, (found, suggested)
