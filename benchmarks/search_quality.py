"""Search quality: the judged queries (tests/search/judged_queries.json) over the demo documents.

Loads the demo (seed-demo) into a fresh instance, runs every judged query through the search
service as the person the judgement names, and prints, for the tuning half and the held-out
half, with the practice thesaurus's synonyms and without them (the same queries, same run):

- success@3: the share of queries with at least one of the documents that should come first
  in the top 3;
- all-first@3: the share with every one of them in the top 3 (or the top n, n of them > 3);
- nDCG@10: graded 2 for a document that should come first, 1 for one that is relevant;
- and, apart, the queries the demo cannot answer: right when nothing is shown.

    .venv/bin/python benchmarks/search_quality.py                  # the figures
    .venv/bin/python benchmarks/search_quality.py --show tuning    # and each tuning query's top 5

Only the tuning half's queries may be shown while tuning; the held-out half is measured only.
"""

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from clearinghouse import create_app  # noqa: E402
from clearinghouse.accounts import ensure_vocabulary  # noqa: E402
from clearinghouse.extensions import db  # noqa: E402
from clearinghouse.models import User  # noqa: E402
from clearinghouse.search.query import search_documents  # noqa: E402

JUDGED = ROOT / "tests" / "search" / "judged_queries.json"
HALVES = ("tuning", "held-out")


def load_judged(path: Path = JUDGED) -> list[dict]:
    """Return the judged queries."""
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def ranking(query: dict, synonyms: bool, k: int = 10) -> tuple[list[str], int]:
    """Return the top k documents ('slug: title') for the asker, and the total found."""
    user = db.session.scalar(select(User).where(User.email == query["asker"]))
    page = search_documents(user, query["q"], per_page=k, synonyms=synonyms)
    return [f"{r.authority}: {r.title}" for r in page.results], page.total


def ndcg(ranked: list[str], query: dict, k: int = 10) -> float:
    """Return nDCG@k with gain 3 for a document that should come first, 1 for a relevant one."""
    grade = dict.fromkeys(query["relevant"], 1) | dict.fromkeys(query["first"], 3)
    dcg = sum(grade.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grade.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def judge(query: dict, ranked: list[str], total: int) -> dict:
    """Return one query's measures."""
    if not query["first"]:
        return {"answerable": False, "right": total == 0}
    top3 = set(ranked[:3])
    wanted = set(query["first"])
    return {
        "answerable": True,
        "success": bool(top3 & wanted),
        "all_first": wanted <= set(ranked[: max(3, len(wanted))]),
        "ndcg": ndcg(ranked, query),
    }


def measure(queries: list[dict], synonyms: bool) -> dict[str, dict]:
    """Return {half: figures} for the queries, with or without synonyms."""
    figures = {}
    for half in HALVES:
        judged = [judge(q, *ranking(q, synonyms)) for q in queries if q["half"] == half]
        answerable = [j for j in judged if j["answerable"]]
        n = len(answerable) or 1
        figures[half] = {
            "queries": len(answerable),
            "success@3": sum(j["success"] for j in answerable) / n,
            "all-first@3": sum(j["all_first"] for j in answerable) / n,
            "nDCG@10": sum(j["ndcg"] for j in answerable) / n,
            "unanswerable": f"{sum(j['right'] for j in judged if not j['answerable'])}/"
            f"{sum(1 for j in judged if not j['answerable'])}",
        }
    return figures


def demo_app(instance: Path):
    """Return an app on a fresh instance holding the demo documents."""
    app = create_app(
        {"ENV": "development", "SECRET_KEY": "quality", "INSTANCE_PATH": str(instance)}
    )
    with app.app_context():
        db.create_all()
        ensure_vocabulary()
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
    return app


def show(queries: list[dict], half: str) -> None:
    """Print each query's top 5 of one half, with and without synonyms."""
    for query in (q for q in queries if q["half"] == half):
        for synonyms in (True, False):
            ranked, total = ranking(query, synonyms, 5)
            measures = judge(query, ranked, total)
            mark = "ok " if measures.get("success", measures.get("right")) else "MISS"
            label = "with" if synonyms else "without"
            print(f"{mark} {query['q']!r} ({label} synonyms, {total} found, {query['asker']})")
            for doc in ranked:
                grade = "2" if doc in query["first"] else "1" if doc in query["relevant"] else " "
                print(f"      {grade} {doc}")


def main() -> None:
    """Print the figures for both halves, with and without synonyms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=HALVES, help="print one half's rankings")
    args = parser.parse_args()
    queries = load_judged()
    with tempfile.TemporaryDirectory(prefix="search-quality-") as tmp:
        app = demo_app(Path(tmp) / "instance")
        with app.app_context():
            if args.show:
                show(queries, args.show)
            rows = {synonyms: measure(queries, synonyms) for synonyms in (True, False)}
            db.session.remove()
    print(f"\njudged queries: {len(queries)} ({JUDGED.relative_to(ROOT)})")
    print(
        f"  {'half':9s} {'synonyms':9s} {'queries':>7s} {'success@3':>10s} "
        f"{'all-first@3':>12s} {'nDCG@10':>8s}  no answer right"
    )
    for half in HALVES:
        for synonyms in (True, False):
            f = rows[synonyms][half]
            print(
                f"  {half:9s} {'with' if synonyms else 'without':9s} {f['queries']:7d} "
                f"{f['success@3']:10.3f} {f['all-first@3']:12.3f} {f['nDCG@10']:8.3f}  "
                f"{f['unanswerable']:>15s}"
            )
    held = rows[True]["held-out"]["success@3"]
    print(f"\n  target: held-out success@3 >= 0.9 with synonyms: {held:.3f}", end=" ")
    print("met" if held >= 0.9 else "NOT MET")


if __name__ == "__main__":
    main()
