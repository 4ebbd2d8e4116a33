"""Search on PostgreSQL full-text search beside Whoosh, on one corpus in one PostgreSQL database.

Fills a throw-away PostgreSQL database (tests/pg_cluster.py) with generated documents of about
1,500 words (benchmarks/corpus.py, as search_bench.py), then:

- builds both engines from it with the service's own rebuild (Whoosh: `flask reindex`'s
  parallel build; PostgreSQL: a batch of 200 documents a transaction) and prints the times;
- runs every query kind (one word, two words, a phrase, a facet filter, a prefix, a typo that
  "did you mean" corrects, a practice abbreviation the thesaurus expands) through the search
  service of an app on each engine, as a practitioner of one authority, and prints p50/p95;
- checks every query's answer on the two engines: the total, the facet counts, the
  suggestion and, where the first page holds every hit, the hits themselves must agree
  (they are ordered by different relevance scores, so longer lists are compared by count).
- times PostgreSQL's searches again on vacuumed tables, then after 1,000 versions' entries
  are written again (a document a transaction, as uploads do, autovacuum held off), each
  answer checked against the first.

    .venv/bin/python benchmarks/pg_search_bench.py                  # 20,000 versions
    .venv/bin/python benchmarks/pg_search_bench.py --versions 2000  # a quick run

The server runs with PostgreSQL's default shared_buffers (128 MB), as a server installed for
the service would at the least; ``--shared-buffers 64MB`` gives the test clusters' setting,
under which the bodies' word lists no longer stay in PostgreSQL's own memory.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

import pg_cluster  # noqa: E402
from search_bench import SINGLE, make_queries, percentiles, populate  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy import text as sql  # noqa: E402

from clearinghouse import create_app  # noqa: E402
from clearinghouse.accounts import ensure_vocabulary  # noqa: E402
from clearinghouse.extensions import db  # noqa: E402
from clearinghouse.models import Document, User  # noqa: E402
from clearinghouse.search.index import index_rebuild  # noqa: E402
from clearinghouse.search.pg_index import tidy_after_rebuild, write_documents  # noqa: E402
from clearinghouse.search.query import search_documents  # noqa: E402

EXTRA_KINDS = {
    "prefix": lambda rng: rng.choice(SINGLE)[:4] + "*",
    "typo": lambda rng: _typo(rng, rng.choice(SINGLE)),
    "abbreviation": lambda rng: rng.choice(["PLO", "s47", "ICPC", "CIN", "LAC", "FGC", "MASH"]),
}


def _typo(rng: random.Random, word: str) -> str:
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1 :]


def _app(tmp: Path, url: str, engine: str):
    return create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(tmp / f"instance-{engine}"),
            "DATABASE_URL": url,
            "SEARCH_ENGINE": engine,
            "SEARCH_INDEX_VERSIONS": True,
        }
    )


def _timed(user, text: str, filters: dict, repeat: int) -> tuple[dict, float]:
    """Return the answer and the median of ``repeat`` timings (the answers must not differ)."""
    runs = [_answer(user, text, filters) for _ in range(repeat)]
    answers = [answer for answer, _ in runs]
    if any(answer != answers[0] for answer in answers):
        raise SystemExit(f"UNSTABLE: {text!r} answered differently when asked again")
    return answers[0], statistics.median(seconds for _, seconds in runs)


def _time_queries(user, queries: list, repeat: int) -> tuple[list[dict], list[float]]:
    """Return each query's answer and time, the first query asked once more before, to warm."""
    timed = [_timed(user, text, filters, repeat) for text, filters in [queries[0], *queries]]
    return [answer for answer, _ in timed[1:]], [seconds for _, seconds in timed[1:]]


def _answer(user, text: str, filters: dict) -> tuple[dict, float]:
    started = time.perf_counter()
    page = search_documents(user, text, **filters)
    seconds = time.perf_counter() - started
    hits = {(r.document_id, r.version) for r in page.results}
    whole = page.total <= len(page.results)
    return {
        "total": page.total,
        "facets": page.facets,
        "suggestion": page.suggestion,
        "hits": hits if whole else None,
    }, seconds


def main() -> None:
    """Build both engines over one corpus, time every query kind on each, and compare."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=40, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time each query this many times and take the median (both engines alike)",
    )
    parser.add_argument(
        "--rewrites", type=int, default=1000, help="versions written again before a second timing"
    )
    parser.add_argument(
        "--shared-buffers",
        default="128MB",
        help="the server's shared_buffers: PostgreSQL's own default unless given (the test "
        "clusters, many at once, keep 64MB)",
    )
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    pg_cluster.SETTINGS["shared_buffers"] = args.shared_buffers
    print(f"PostgreSQL shared_buffers {args.shared_buffers}")
    tmp = Path(tempfile.mkdtemp(prefix="pg-search-bench-"))
    url = pg_cluster.cluster().create_database()
    whoosh_app, postgres_app = _app(tmp, url, "whoosh"), _app(tmp, url, "postgres")
    with whoosh_app.app_context():
        db.create_all()
        ensure_vocabulary()
        started = time.perf_counter()
        populate(args.versions, args.seed)
        db.session.add(
            User(
                email="bench@example.org",
                name="Bench",
                authority_id=1,
                role="practitioner",
                password_hash="x",
            )
        )
        db.session.commit()
        print(f"corpus: {args.versions} versions stored in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        count = index_rebuild(all_versions=True)
        whoosh_build = time.perf_counter() - started
    with postgres_app.app_context():
        started = time.perf_counter()
        index_rebuild(all_versions=True)
        postgres_build = time.perf_counter() - started
    print(f"\nfull reindex of {count} versions")
    print(f"  Whoosh (2 processes)       {whoosh_build:8.1f}s")
    print(
        f"  PostgreSQL (1 process)     {postgres_build:8.1f}s   "
        f"ratio {postgres_build / whoosh_build:.2f}x Whoosh's time"
    )

    rng = random.Random(args.seed)
    kinds = {k: [(q, f) for q, _fts, f in v] for k, v in make_queries(rng, args.queries).items()}
    for kind, make in EXTRA_KINDS.items():
        kinds[kind] = [(make(rng), {}) for _ in range(args.queries)]
    timing = "once" if repeat == 1 else f"{repeat} times, the median kept"
    print(f"\neach query timed {timing}")
    print(f"{'query kind':14} {'Whoosh p50/p95 ms':>20} {'PostgreSQL p50/p95 ms':>24}  agree")
    disagreements = []
    answers_by_query: dict[tuple, dict] = {}
    for kind, queries in kinds.items():
        times: dict[str, list[float]] = {"whoosh": [], "postgres": []}
        answers: dict[str, list[dict]] = {"whoosh": [], "postgres": []}
        for name, app in (("whoosh", whoosh_app), ("postgres", postgres_app)):
            with app.app_context():
                user = db.session.scalar(db.select(User))
                answers[name], times[name] = _time_queries(user, queries, repeat)
        for (text, filters), answer in zip(queries, answers["postgres"], strict=True):
            answers_by_query[(kind, text, repr(filters))] = answer
        agree = sum(a == b for a, b in zip(answers["whoosh"], answers["postgres"], strict=True))
        disagreements += [
            (kind, queries[i][0], a, b)
            for i, (a, b) in enumerate(zip(answers["whoosh"], answers["postgres"], strict=True))
            if a != b
        ]
        w50, w95 = percentiles(times["whoosh"])
        p50, p95 = percentiles(times["postgres"])
        print(
            f"{kind:14} {w50:9.1f} / {w95:7.1f} {p50:12.1f} / {p95:7.1f}  "
            f"{agree}/{len(queries)}  (PostgreSQL p95 target < 100 ms)"
        )
    for kind, text, whoosh, postgres in disagreements[:10]:
        print(f"DISAGREE {kind} {text!r}: Whoosh {whoosh} / PostgreSQL {postgres}")
    changed = _after_writes(postgres_app, kinds, args.rewrites, answers_by_query, repeat)
    print("\nCORRECT: both engines agree on every query" if not disagreements else "MISMATCH")
    print(
        "CORRECT: after the writes PostgreSQL gives the answers it gave before"
        if not changed
        else f"MISMATCH after the writes: {changed[:5]}"
    )
    pg_cluster.drop_database(url)


GIN_INDEXES = [f"ix_search_entry_{field}_tsv" for field in ("title", "body", "names", "text")]
SEARCH_TABLES = ("search_entry", "search_body", "search_term")
AFTER_WRITES_KINDS = ("single word", "phrase", "typo", "abbreviation")


def _pending_pages(session) -> int:
    """Return the pages of the GIN indexes' pending lists (pgstattuple's pgstatginindex)."""
    session.execute(sql("CREATE EXTENSION IF NOT EXISTS pgstattuple"))
    query = sql("SELECT pending_pages FROM pgstatginindex(CAST(:i AS regclass))")
    return sum(session.scalar(query, {"i": index}) for index in GIN_INDEXES)


def _rewrite(session, versions: int) -> int:
    """Write ``versions`` entries again, a document a transaction as uploads do; return the
    pages the GIN indexes' pending lists then hold (what every search reads whole)."""
    written = 0
    for document_id in session.scalars(select(Document.id).order_by(Document.id.desc())):
        written += write_documents(session, [document_id], all_versions=True)
        session.commit()
        if written >= versions:
            break
    return _pending_pages(session)


def _time_kinds(user, kinds: dict, before: dict, changed: list, repeat: int) -> dict:
    """Return {kind: its queries' times}, noting in ``changed`` answers unlike ``before``."""
    timed = {}
    for kind in AFTER_WRITES_KINDS:
        answers, timed[kind] = _time_queries(user, kinds[kind], repeat)
        for (text, filters), answer in zip(kinds[kind], answers, strict=True):
            if answer != before[(kind, text, repr(filters))]:
                changed.append((kind, text))
    return timed


def _after_writes(app, kinds: dict, versions: int, before: dict, repeat: int) -> list:
    """Time PostgreSQL's searches on vacuumed tables, then after ``versions`` entries are
    written again with autovacuum held off (as between its rounds); return the queries whose
    answers differ from ``before``."""
    print(f"\nPostgreSQL before and after {versions} versions are written again")
    changed: list = []
    with app.app_context():
        user = db.session.scalar(db.select(User))
        for table in SEARCH_TABLES:
            db.session.execute(sql(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
        db.session.commit()
        tidy_after_rebuild()
        vacuumed = _time_kinds(user, kinds, before, changed, repeat)
        pages = _rewrite(db.session, versions)
        written = _time_kinds(user, kinds, before, changed, repeat)
    print(f"{'query kind':14} {'vacuumed p50/p95 ms':>22} {'after writes p50/p95 ms':>26}")
    for kind in AFTER_WRITES_KINDS:
        v50, v95 = percentiles(vacuumed[kind])
        w50, w95 = percentiles(written[kind])
        print(
            f"{kind:14} {v50:9.1f} / {v95:7.1f} {w50:14.1f} / {w95:7.1f}  "
            f"ratio p50 {w50 / v50:.2f}x, p95 {w95 / v95:.2f}x"
        )
    print(f"  the GIN indexes' pending lists held {pages} pages after the writes")
    return changed


if __name__ == "__main__":
    main()
