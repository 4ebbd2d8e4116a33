"""Search benchmark: the Whoosh search service beside SQLite FTS5 on the same corpus.

Generates documents of about 1,500 words from a children's social care vocabulary
(benchmarks/corpus.py), stores them in a real Clearinghouse database, then:

- builds the search index with the service's own rebuild (several processes), with a
  single-process Whoosh writer over the same database and schema, and an FTS5 table;
- runs single-word, two-word, phrase and facet-filtered queries through the search service
  (permission filter, highlights, facets, total) and the equivalent FTS5 SQL (MATCH with the
  same permission filter, snippet(), bm25 ranking, count and three GROUP BY facet counts);
- prints p50/p95 latencies and build times side by side, with ratios;
- then gives 10% of the documents a new version and withdraws 2% through the service's own
  index tasks (segments with deletions; FTS5 updated the same way, benchmarks/search_churn.py)
  and runs the same queries again, each checked against Whoosh's own ``searcher.search()``
  count on that index (CORRECT/MISMATCH), beside FTS5.

    .venv/bin/python benchmarks/search_bench.py                 # 20,000 versions (minutes)
    .venv/bin/python benchmarks/search_bench.py --versions 2000 # a quick run
"""

import argparse
import hashlib
import os
import pickle
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import AUTHORITY_COUNT, PHRASES, CorpusGenerator, sections_text  # noqa: E402
from search_churn import FTS_INSERT, FTS_SELECT, churn, index_shape, whoosh_count  # noqa: E402
from whoosh.codec import whoosh3  # noqa: E402

from clearinghouse import create_app  # noqa: E402
from clearinghouse.accounts import ensure_vocabulary  # noqa: E402
from clearinghouse.extensions import db  # noqa: E402
from clearinghouse.models import Authority, Document, DocumentVersion, User  # noqa: E402
from clearinghouse.search import fast, parallel  # noqa: E402
from clearinghouse.search.index import get_engine, index_rebuild, wanted_versions  # noqa: E402
from clearinghouse.search.query import search_documents  # noqa: E402
from clearinghouse.search.whoosh_schema import new_dir  # noqa: E402
from clearinghouse.vocabulary import DOC_TYPES  # noqa: E402

SINGLE = (
    "safety danger court solicitor scaling conference neglect network supervision "
    "placement advocate interpreter chronology genogram threshold escalation midwife "
    "grandmother bedtime timescales consent housing exploitation wellbeing appreciative"
).split()
FACET_FILTERS = [
    {"doc_type": "policy"},
    {"stage": "child-protection"},
    {"stage": "pre-proceedings"},
    {"doc_type": "practice-guidance"},
]


def populate(versions: int, seed: int) -> None:
    """Fill the database with authorities, documents and ``versions`` versions."""
    rng = random.Random(seed)
    gen = CorpusGenerator(seed)
    db.session.execute(
        Authority.__table__.insert(),
        [{"slug": f"authority-{i:03d}", "name": f"Authority {i:03d}"} for i in range(1, 151)],
    )
    db.session.commit()
    start = datetime(2024, 1, 1)
    doc_rows, version_rows = [], []
    doc_id, made = 0, 0
    while made < versions:
        doc_id += 1
        slug, label, stage = rng.choice(DOC_TYPES)
        count = min(versions - made, rng.choice((1, 1, 2, 3)))
        sections = gen.sections()
        when = start + timedelta(minutes=doc_id * 7)
        for number in range(1, count + 1):
            if number > 1:
                sections = gen.revise(sections)
            text = sections_text(sections)
            version_rows.append(
                {
                    "document_id": doc_id,
                    "number": number,
                    "sha256": hashlib.sha256(f"{doc_id}:{number}".encode()).hexdigest(),
                    "filename": "document.docx",
                    "media_type": "application/octet-stream",
                    "size": len(text),
                    "change_note": "",
                    "uploaded_at": when + timedelta(days=number),
                    "extracted_text": text,
                    "sections": sections,
                }
            )
        made += count
        doc_rows.append(
            {
                "id": doc_id,
                "authority_id": rng.randint(1, AUTHORITY_COUNT),
                "title": f"{label} {rng.choice(PHRASES)} {doc_id}",
                "doc_type": slug,
                "stage": stage,
                "tags": ",".join(sorted(rng.sample(["neglect", "plo", "voice", "court"], 2))),
                "visibility": "shared" if rng.random() < 0.7 else "internal",
                "created_at": when,
                "updated_at": when + timedelta(days=count),
            }
        )
        if len(version_rows) >= 1000:
            _flush(doc_rows, version_rows)
    _flush(doc_rows, version_rows)


def _flush(doc_rows: list, version_rows: list) -> None:
    if doc_rows:
        db.session.execute(Document.__table__.insert(), doc_rows)
    if version_rows:
        db.session.execute(DocumentVersion.__table__.insert(), version_rows)
    db.session.commit()
    doc_rows.clear()
    version_rows.clear()


def build_fts(path: Path, db_path: Path) -> float:
    """Build the FTS5 baseline from the same database; return seconds."""
    started = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, body, document_id UNINDEXED, "
        "version UNINDEXED, cur UNINDEXED, authority UNINDEXED, owner UNINDEXED, "
        "doc_type UNINDEXED, stage UNINDEXED, visibility UNINDEXED, updated UNINDEXED, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    con.execute("ATTACH DATABASE ? AS src", (str(db_path),))
    con.execute(FTS_INSERT + FTS_SELECT)  # rowid = the version's id, so updates find rows
    con.commit()
    con.close()
    return time.perf_counter() - started


def fts_query(con, match: str, owner: int, filters: dict) -> dict:
    """Run the FTS5 equivalent of one search page: hits with snippets, total, facets."""
    where = "fts MATCH ? AND (visibility = 'shared' OR owner = ?) AND cur = 1"
    params: list = [match, owner]
    for name, value in filters.items():
        where += f" AND {name} = ?"
        params.append(value)
    hits = con.execute(
        "SELECT document_id, version, title, snippet(fts, 1, '<mark>', '</mark>', '…', 40), "
        f"bm25(fts, 3.0, 1.0) AS score FROM fts WHERE {where} ORDER BY score LIMIT 20",
        params,
    ).fetchall()
    total = con.execute(f"SELECT count(*) FROM fts WHERE {where}", params).fetchone()[0]
    facets = {
        name: dict(
            con.execute(f"SELECT {name}, count(*) FROM fts WHERE {where} GROUP BY 1", params)
        )
        for name in ("authority", "doc_type", "stage")
    }
    return {"hits": hits, "total": total, "facets": facets}


def make_queries(rng: random.Random, per_kind: int) -> dict[str, list[tuple[str, str, dict]]]:
    """Return {kind: [(whoosh query, fts5 MATCH, filters)]}."""
    kinds: dict[str, list] = {"single word": [], "two words": [], "phrase": [], "facet": []}
    for _ in range(per_kind):
        word = rng.choice(SINGLE)
        kinds["single word"].append((word, word, {}))
        a, b = rng.sample(SINGLE, 2)
        kinds["two words"].append((f"{a} {b}", f"{a} {b}", {}))
        phrase = rng.choice(PHRASES).replace("0 to 10", "").strip()
        kinds["phrase"].append((f'"{phrase}"', '"' + phrase.replace("'", "") + '"', {}))
        filters = rng.choice(FACET_FILTERS)
        word = rng.choice(SINGLE)
        kinds["facet"].append((word, word, filters))
    return kinds


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Return (p50, p95) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--versions",
        "--docs",
        dest="versions",
        type=int,
        default=20000,
        help="document versions to index",
    )
    parser.add_argument("--queries", type=int, default=40, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--passes", type=int, default=1, help="run the queries this many times")
    parser.add_argument("--skip-single", action="store_true", help="skip the 1-process build")
    parser.add_argument(
        "--workdir", help="keep the corpus and indexes here; run only the queries if it exists"
    )
    args = parser.parse_args()
    tmp = Path(args.workdir or tempfile.mkdtemp(prefix="search-bench-"))
    reuse = (tmp / "fts.sqlite3").exists()
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(tmp / "instance"),
            "SEARCH_INDEX_VERSIONS": True,
        }
    )
    with app.app_context():
        fts_path = tmp / "fts.sqlite3"
        if reuse:
            user = db.session.scalar(db.select(User))
            db_path = Path(app.instance_path) / "clearinghouse.sqlite3"
            if not (tmp / "churned").exists():
                run_queries(user, fts_path, args)
            run_churned(user, fts_path, db_path, tmp, args)
            return
        db.create_all()
        ensure_vocabulary()
        started = time.perf_counter()
        populate(args.versions, args.seed)
        print(
            f"corpus: {args.versions} versions generated and stored in "
            f"{time.perf_counter() - started:.1f}s  (cores: {os.cpu_count()})"
        )
        user = User(
            email="bench@example.org",
            name="Bench",
            authority_id=1,
            role="practitioner",
            password_hash="x",
        )
        db.session.add(user)
        db.session.commit()

        db_path = Path(app.instance_path) / "clearinghouse.sqlite3"
        fts_seconds = build_fts(fts_path, db_path)

        started = time.perf_counter()
        count = index_rebuild(all_versions=True, procs=min(2, os.cpu_count() or 1))
        whoosh_seconds = time.perf_counter() - started
        worker_cpu = list(parallel.WORKER_CPU)

        single_seconds = None
        if not args.skip_single:
            ids = wanted_versions(db.session, True)
            url = db.engine.url.render_as_string(hide_password=False)
            folder = new_dir(tmp / "single")
            started, cpu = time.perf_counter(), time.process_time()
            # Whoosh's defaults, its protocol 2 block pickles included (ours use 4).
            ours, whoosh3.dumps = whoosh3.dumps, lambda obj, protocol=2: pickle.dumps(obj, 2)
            try:
                parallel.build_single(folder, url, ids, None)
            finally:
                whoosh3.dumps = ours
            single_seconds = time.perf_counter() - started
            single_cpu = time.process_time() - cpu

        print(f"\nfull reindex of {count} versions")
        print(f"  service rebuild (2 processes)  {whoosh_seconds:8.1f}s")
        if worker_cpu:
            print(f"    CPU of each worker: {', '.join(f'{c:.1f}s' for c in worker_cpu)}")
        if single_seconds:
            print(
                f"    CPU of the single process: {single_cpu:.1f}s; on idle cores the ratio "
                f"would be about {single_cpu / max(worker_cpu or [whoosh_seconds]):.2f}x"
            )
            print(
                f"  one process, default writer    {single_seconds:8.1f}s   "
                f"ratio {single_seconds / whoosh_seconds:.2f}x faster (target >= 2x)"
            )
        print(
            f"  SQLite FTS5                    {fts_seconds:8.1f}s   "
            f"Whoosh/FTS5 {whoosh_seconds / fts_seconds:.2f}x"
        )

        run_queries(user, fts_path, args)
        run_churned(user, fts_path, db_path, tmp, args)


def run_churned(user, fts_path: Path, db_path: Path, tmp: Path, args) -> None:
    """Churn the corpus through the service's index tasks, then run and check the queries."""
    marker = tmp / "churned"
    if not marker.exists():
        figures = churn(fts_path, db_path, args.seed + 1)
        marker.write_text("churned\n")
        print(
            f"\nchurn: of {figures['documents']} documents, {figures['new']} got a new version "
            f"and {figures['withdrawn']} were withdrawn ({figures['db_seconds']:.1f}s in the "
            "database)"
        )
        print(
            f"  service index tasks applied: {figures['applied']} in "
            f"{figures['index_seconds']:.1f}s ({figures['pending']} left pending); FTS5 "
            f"updated the same way in {figures['fts_seconds']:.1f}s"
        )
    print(f"  Whoosh index now: {index_shape()}")
    run_queries(user, fts_path, args, check=True)


def run_queries(user, fts_path: Path, args, check: bool = False) -> None:
    """Time each kind of query through the search service and through FTS5.

    With ``check``, each query's total is compared with Whoosh's own ``searcher.search()``
    count on the same index (CORRECT/MISMATCH), and with FTS5's total.
    """
    con = sqlite3.connect(fts_path)
    rng = random.Random(args.seed)
    fast.CACHE.items.clear()
    fast.CACHE.size = 0
    state = "after the churn (segments with deletions)" if check else "fresh index"
    print(
        f"\nqueries, {state} ({args.queries} of each kind; a page of 20 with snippets, "
        "total and facets; caches start empty)"
    )
    print("  wall clock (the machine may be shared) and this thread's CPU time")
    print(
        f"  {'kind':12s} {'Whoosh p50':>10s} {'p95':>7s} {'FTS5 p50':>9s} {'p95':>7s}"
        f" {'ratio p95':>9s} | {'CPU p50':>8s} {'p95':>7s} {'FTS5 CPU p95':>12s}"
        + (f"  {'':10s} {'check':8s} {'= search()':>12s} {'= FTS5 (info)':>17s}" if check else "")
    )
    kinds = make_queries(rng, args.queries)
    searcher = get_engine().open().searcher() if check else None
    mismatches: list[str] = []
    try:
        for number in range(1, args.passes + 1):
            if args.passes > 1:
                print(f"  pass {number}" + (" (caches warm)" if number > 1 else ""))
            _run_pass(user, con, kinds, searcher if number == 1 else None, mismatches)
    finally:
        if searcher is not None:
            searcher.close()
    con.close()
    for text in mismatches[:8]:
        print(f"    MISMATCH {text}")


def _run_pass(user, con, kinds: dict, searcher=None, mismatches=None) -> None:
    for kind, queries in kinds.items():
        ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
        correct = same_as_fts = 0
        for text, match, filters in queries:
            started, cpu = time.perf_counter(), time.thread_time()
            page = search_documents(user, text, **filters)
            ours.append(time.perf_counter() - started)
            ours_cpu.append(time.thread_time() - cpu)
            started, cpu = time.perf_counter(), time.thread_time()
            fts = fts_query(con, match, 1, filters)
            theirs.append(time.perf_counter() - started)
            theirs_cpu.append(time.thread_time() - cpu)
            if searcher is None:
                if abs(fts["total"] - page.total) > max(5, 0.1 * fts["total"]):
                    print(f"    note: totals differ for {text!r}: {page.total} vs {fts['total']}")
                continue
            expected = whoosh_count(searcher, user.authority_id, text, filters)
            correct += page.total == expected
            same_as_fts += page.total == fts["total"]
            if page.total != expected:
                mismatches.append(
                    f"{text!r} {filters or ''}: ours {page.total}, Whoosh search() {expected}, "
                    f"FTS5 {fts['total']}"
                )
        o50, o95 = percentiles(ours)
        t50, t95 = percentiles(theirs)
        c50, c95 = percentiles(ours_cpu)
        _f50, f95 = percentiles(theirs_cpu)
        flag = "ok" if o95 < 50 else "over 50 ms"
        if searcher is not None:
            word = "CORRECT" if correct == len(queries) else "MISMATCH"
            count = f"{correct}/{len(queries)}"
            flag = f"{flag:10s} {word:8s} {count:>12s} {f'{same_as_fts}/{len(queries)}':>17s}"
        print(
            f"  {kind:12s} {o50:8.1f}ms {o95:5.1f}ms {t50:7.1f}ms {t95:5.1f}ms"
            f" {o95 / t95:8.2f}x | {c50:6.1f}ms {c95:5.1f}ms {f95:10.1f}ms  {flag}"
        )


if __name__ == "__main__":
    main()
