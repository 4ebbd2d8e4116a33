"""The accelerated search path against Whoosh's own searcher, on random indexes.

Each example builds an index from a random sequence of operations (uploads, new versions,
visibility changes, withdrawals, many small commits so segments carry deletions and merge,
optimise) and then checks that every query kind returns the same hits, totals, facet counts
and scores from ``fast.Evaluator`` as from ``searcher.search(...)`` over the same index.
"""

import multiprocessing
import os
import pickle
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.codec import whoosh3

from clearinghouse.search import field_names, synonyms, whoosh_search
from clearinghouse.search import whoosh_query as wqy
from clearinghouse.search.engine import FACETS, IndexEntry, SearchSpec
from clearinghouse.search.fast import Evaluator
from clearinghouse.search.synonyms import synonym_table
from clearinghouse.search.whoosh_engine import WhooshEngine
from clearinghouse.search.whoosh_schema import text_fields

EXAMPLES = int(os.environ.get("DIFFERENTIAL_EXAMPLES", "200"))
WORDS = [
    "safety",
    "family",
    "child",
    "worried",
    "plan",
    "court",
    "letter",
    "meeting",
    "school",
    "network",
    "danger",
    "goal",
    "solicitor",
    "grandmother",
]
AUTHORITIES = [(1, "ashdown"), (2, "fernmouth"), (3, "glenholm")]
TYPES = [("policy", "organisational"), ("safety-plan", "child-protection"), ("plo-letter", "plo")]
LABELS = {"policy": "Policy", "safety-plan": "Safety plan", "plo-letter": "PLO letter"}
NAMES = {"ashdown": "Ashdown County Council", "fernmouth": "Fernmouth City", "glenholm": "Glenholm"}
TAGS = [[], ["court", "family network"], ["school"]]
# Synonyms over the corpus's words: one word for two, two for one, a phrase for a phrase.
SYNONYMS = synonym_table(
    [["court", "letter meeting"], ["safety plan", "network", "danger goal"], ["school", "child"]]
)
START = datetime(2026, 1, 1)

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30)
doc_state = st.fixed_dictionaries(
    {
        "authority": st.sampled_from(AUTHORITIES),
        "type": st.sampled_from(TYPES),
        "visibility": st.sampled_from(["shared", "internal"]),
        "title": st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
        "tags": st.sampled_from(TAGS),
    }
)
operation = st.one_of(
    st.tuples(st.just("upload"), doc_state, words),
    st.tuples(st.just("version"), st.integers(0, 30), words),
    st.tuples(st.just("visibility"), st.integers(0, 30), st.sampled_from(["shared", "internal"])),
    st.tuples(st.just("withdraw"), st.integers(0, 30)),
    st.tuples(st.just("optimize")),
)
query_text = st.one_of(
    st.sampled_from(WORDS),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(" ".join),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(lambda p: f'"{p[0]} {p[1]}"'),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(" OR ".join),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(" NOT ".join),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(lambda p: f"{p[0]} -{p[1]}"),
    st.sampled_from(WORDS).map(lambda w: f"title:{w}"),
    st.sampled_from(WORDS).map(lambda w: f"{w[:3]}*"),
    st.sampled_from(AUTHORITIES).map(lambda a: f"authority:{a[1]}"),
    st.tuples(st.sampled_from(TYPES), st.sampled_from(WORDS)).map(
        lambda p: f"type:{p[0][0]} {p[1]}"
    ),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(WORDS)).map(
        lambda p: f"({p[0]} OR {p[1]}) {p[2]}"
    ),
    st.sampled_from(["safety plan court", "letter meeting", "danger goal -school", "type:Policy"]),
    st.sampled_from(['type:"safety plan" child', "authority:Fernmouth City network", "Ashdown"]),
    st.just(""),
)
spec_filters = st.fixed_dictionaries(
    {
        "viewer": st.sampled_from([None, 1, 2, 3]),
        "authority": st.lists(st.sampled_from([a[1] for a in AUTHORITIES]), max_size=2),
        "doc_type": st.lists(st.sampled_from([t[0] for t in TYPES]), max_size=1),
        "stage": st.lists(st.sampled_from([t[1] for t in TYPES]), max_size=1),
    }
)


class Corpus:
    """Documents as the database would hold them, applied to a real Whoosh index."""

    def __init__(self, engine: WhooshEngine):
        self.engine = engine
        self.docs: dict[int, dict] = {}
        self.clock = 0

    def entry(self, doc_id: int) -> IndexEntry:
        doc = self.docs[doc_id]
        authority_id, authority = doc["authority"]
        doc_type, stage = doc["type"]
        return IndexEntry(
            document_id=doc_id,
            version=doc["version"],
            current=True,
            title=" ".join(doc["title"]),
            body=" ".join(doc["body"]),
            authority=authority,
            authority_id=authority_id,
            doc_type=doc_type,
            stage=stage,
            tags=doc.get("tags", []),
            visibility=doc["visibility"],
            updated=START + timedelta(minutes=doc["updated"]),
            doc_type_label=LABELS[doc_type],
            authority_name=NAMES[authority],
        )

    def pick(self, index: int) -> int | None:
        live = sorted(self.docs)
        return live[index % len(live)] if live else None

    def run(self, op) -> None:
        self.clock += 1
        kind = op[0]
        if kind == "upload":
            doc_id = max(self.docs, default=0) + 1
            self.docs[doc_id] = dict(op[1], body=op[2], version=1, updated=self.clock)
        elif kind == "optimize":
            self.engine.optimize()
            return
        else:
            doc_id = self.pick(op[1])
            if doc_id is None:
                return
            if kind == "withdraw":
                del self.docs[doc_id]
                self.engine.remove_document(doc_id)
                return
            doc = self.docs[doc_id]
            if kind == "version":
                doc.update(body=op[2], version=doc["version"] + 1)
            else:
                doc["visibility"] = op[2]
            doc["updated"] = self.clock
        self.engine.apply({doc_id: [self.entry(doc_id)]})


def reference(searcher, parsed, spec):
    """Return (total, {docnum: score}, facets) from Whoosh's own searcher."""
    results = searcher.search(
        parsed, filter=wq.And(whoosh_search.spec_filters(spec)), limit=None, groupedby=list(FACETS)
    )
    scores = {docnum: score for score, docnum in results.top_n}
    facets = {
        name: {value: len(found) for value, found in results.groups(name).items()}
        for name in FACETS
    }
    return len(results), scores, facets


def accelerated(searcher, parsed, spec):
    """Return (total, ordered [(docnum, score)], facets) from the accelerated path."""
    ev = Evaluator(searcher)
    mask, scores = ev.evaluate(parsed)
    for query in whoosh_search.spec_filters(spec):
        mask = mask & ev.evaluate(query)[0]
    facets = {name: ev.facet_counts(name, mask) for name in FACETS}
    total = int(np.count_nonzero(mask))
    return total, ev.top(mask, scores, max(total, 1), newest=False), facets


def check_queries(engine: WhooshEngine, queries) -> None:
    """Assert the two paths agree for every (text, filters) pair."""
    with engine.open().searcher() as searcher:
        for text, chosen in queries:
            spec = SearchSpec(
                text,
                chosen["viewer"],
                authority=chosen["authority"],
                doc_type=chosen["doc_type"],
                stage=chosen["stage"],
            )
            parsed = wq.Every()
            if text:
                names = {"doc_type": LABELS, "authority": NAMES}
                parsed, _plain = wqy.parse(field_names.resolve(text, names), searcher.schema)
                if parsed is None:
                    continue
                parsed = wqy.expand_patterns(parsed, searcher.reader())
                parsed = synonyms.expand(parsed, text_fields(searcher.schema), SYNONYMS)
            total, scored, facets = reference(searcher, parsed, spec)
            our_total, our_ranked, our_facets = accelerated(searcher, parsed, spec)
            assert our_total == total, (text, parsed)
            assert {d for d, _s in our_ranked} == set(scored), (text, parsed)
            assert our_facets == {k: v for k, v in facets.items() if v} | {
                k: {} for k, v in facets.items() if not v
            }, text
            if text:
                for docnum, score in our_ranked:
                    assert score == pytest.approx(scored[docnum], rel=1e-6, abs=1e-9), text
                ranked_reference = [scored[d] for d, _s in our_ranked]
                assert all(
                    a >= b - 1e-6 * max(1.0, abs(a))
                    for a, b in zip(ranked_reference, ranked_reference[1:], strict=False)
                ), text


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    operations=st.lists(operation, min_size=1, max_size=25),
    queries=st.lists(st.tuples(query_text, spec_filters), min_size=1, max_size=6),
)
def test_accelerated_path_equals_whoosh(tmp_path_factory, operations, queries):
    engine = WhooshEngine(str(tmp_path_factory.mktemp("ix")))
    corpus = Corpus(engine)
    for op in operations:
        corpus.run(op)
    check_queries(engine, queries)


def _write_share(instance: str, seed: int) -> None:
    engine = WhooshEngine(instance)
    corpus = Corpus(engine)
    rng = np.random.default_rng(seed)
    for n in range(12):
        doc_id = seed + n % 5
        body = [WORDS[i] for i in rng.integers(0, len(WORDS), 20)]
        corpus.docs[doc_id] = {
            "authority": AUTHORITIES[int(rng.integers(0, 3))],
            "type": TYPES[int(rng.integers(0, 3))],
            "visibility": "shared" if n % 2 else "internal",
            "title": body[:2],
            "body": body,
            "version": n + 1,
            "updated": n,
        }
        if n % 7 == 6:
            engine.remove_document(doc_id)
            del corpus.docs[doc_id]
        else:
            engine.apply({doc_id: [corpus.entry(doc_id)]})


def test_several_processes_writing_then_equal(tmp_path):
    instance = str(tmp_path)
    WhooshEngine(instance).open()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_share, args=(instance, s)) for s in (100, 200, 300)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(w.exitcode == 0 for w in workers)
    every = {"viewer": None, "authority": [], "doc_type": [], "stage": []}
    own = {"viewer": 2, "authority": [], "doc_type": [], "stage": []}
    queries = [(w, f) for w in WORDS for f in (every, own)]
    queries += [(f'"{a} {b}"', every) for a, b in zip(WORDS, WORDS[1:], strict=False)]
    check_queries(WhooshEngine(instance), queries)


def test_deleted_documents_do_not_hide_matches(tmp_path):
    """Finding 1: after one deletion in a segment, a common word must still find the rest."""
    engine = WhooshEngine(str(tmp_path))
    corpus = Corpus(engine)
    for n in range(6):
        corpus.run(("upload", {**_STATE, "title": ["plan"]}, ["safety", WORDS[n]]))
    every = {"viewer": None, "authority": [], "doc_type": [], "stage": []}
    spec = SearchSpec("safety", None)
    assert engine.query(spec, lambda keys: {}).total == 6
    corpus.run(("version", 0, ["safety", "court"]))
    corpus.run(("withdraw", 3))
    assert engine.query(spec, lambda keys: {}).total == 5
    check_queries(engine, [("safety", every)])


_STATE = {"authority": AUTHORITIES[0], "type": TYPES[0], "visibility": "shared"}


def test_blocks_written_with_protocol_4():
    block = whoosh3.dumps((1, 2.0, b"\x01\x00\x00\x00"), 2)
    assert block[:2] == b"\x80\x04"  # Whoosh asks for protocol 2; our writers use 4


def test_index_mixing_old_and_new_block_pickles_equals_whoosh(tmp_path, monkeypatch):
    """Segments written before the protocol change are read, merged and searched alike."""
    engine = WhooshEngine(str(tmp_path))
    corpus = Corpus(engine)
    rng = np.random.default_rng(5)

    def upload(count: int) -> None:
        for _ in range(count):
            body = [WORDS[i] for i in rng.integers(0, len(WORDS), 300)]
            state = {"authority": AUTHORITIES[0], "type": TYPES[0], "visibility": "shared"}
            corpus.run(("upload", dict(state, title=body[:3]), body))

    with monkeypatch.context() as old:
        old.setattr(whoosh3, "dumps", lambda obj, protocol=2: pickle.dumps(obj, 2))
        upload(150)  # over 128 documents per word: several posting blocks, as before
    with engine.open().searcher() as searcher:
        assert _first_block_protocol(searcher, "body", "plan") == 2
    upload(150)
    corpus.run(("version", 3, ["safety", "plan", "court"]))
    every = {"viewer": None, "authority": [], "doc_type": [], "stage": []}
    queries = [(w, every) for w in WORDS] + [
        (f'"{a} {b}"', every) for a, b in zip(WORDS, WORDS[1:], strict=False)
    ]
    check_queries(engine, queries)
    corpus.run(("optimize",))
    with engine.open().searcher() as searcher:
        assert _first_block_protocol(searcher, "body", "plan") == 4
    check_queries(engine, queries)


def _first_block_protocol(searcher, field: str, text: str) -> int:
    """Return the pickle protocol of the first posting block of a term in the first segment."""
    reader = searcher.leaf_searchers()[0][0].reader()
    matcher = reader._terms.matcher(field, text.encode("utf-8"), reader.schema[field].format)
    raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    return raw[1]
