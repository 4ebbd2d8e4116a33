"""Compare two ~40-page policies: our section-by-section diff beside whole-text difflib.

Generates a policy of about 20,000 words (40 headed sections of about ten paragraphs), and
a second one with 10% of its paragraphs edited and 3 sections moved. Uploads both to a
temporary instance, then times, in the same run:

- GET /api/v1/compare (Flask test client, bearer token): the target is under 300 ms; two
  authorities' documents, so sections pair by meaning (purpose, words, position);
- GET /api/v1/documents/<id>/diff between the same texts as two versions (paired by heading);
- compare.service.documents_compare called directly, and sections_compare alone (no DB);
- issue 15: the same two 40-section policies with every heading reworded as another
  authority would word it (a purpose of the practice thesaurus each, named two ways), two
  sections dropped and two added: GET /api/v1/compare by meaning (target under 300 ms),
  beside the current alignment by heading on the same texts, over HTTP (as two versions)
  and alone, with how many sections found their counterpart;
- the baseline: difflib.SequenceMatcher(autojunk=False) over the word tokens of the two
  plain texts, the quadratic whole-document approach. It runs once, in a child process
  capped at --baseline-cap seconds (the figure is then a lower bound).

Run: .venv/bin/python benchmarks/compare_bench.py [--runs 15] [--words 20000] [--quick]
"""

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_policies import edit_policy, make_policy, plain_words, reworded, to_markdown  # noqa: E402


def _baseline(left, right, queue) -> None:
    start = time.perf_counter()
    SequenceMatcher(None, left, right, autojunk=False).get_opcodes()
    queue.put(time.perf_counter() - start)


def run_baseline(left, right, cap: float) -> tuple[float, bool]:
    """Time whole-text difflib once in a child process; return (seconds, finished)."""
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_baseline, args=(left, right, queue))
    start = time.perf_counter()
    process.start()
    process.join(cap)
    if process.is_alive():
        process.terminate()
        process.join()
        return time.perf_counter() - start, False
    return queue.get(), True


def _set_up():
    """Create north and south with an editor each; return north's editor and an uploader.

    The uploader stores left as north's and right as south's, and right again as the second
    version of north's: the same texts compared as two authorities' and as two versions.
    """
    from clearinghouse.accounts import authority_create, ensure_vocabulary, user_create
    from clearinghouse.documents.service import document_create, version_add
    from clearinghouse.extensions import db
    from clearinghouse.permissions import SYSTEM

    db.create_all()
    ensure_vocabulary()
    editors = {}
    for slug in ("north", "south"):
        authority_create(SYSTEM, slug, slug.title())
        editors[slug] = user_create(
            SYSTEM,
            email=f"editor@{slug}.example",
            name=f"{slug} editor",
            role="editor",
            authority_slug=slug,
            password="benchmark password 1",
        )

    def store(user, sections, title):
        return document_create(
            user,
            title=title,
            doc_type="policy",
            visibility="shared",
            data=to_markdown(sections),
            filename="policy.md",
        ).document_id

    def upload(left, right):
        left_id = store(editors["north"], left, "North policy")
        right_id = store(editors["south"], right, "South policy")
        version_add(editors["north"], left_id, to_markdown(right), "policy.md", "Edited")
        return left_id, right_id

    return editors["north"], upload


def _getter(client, headers: dict, path: str):
    """Return a function that GETs /api/v1<path> and returns its JSON (200 or it fails)."""

    def get():
        response = client.get("/api/v1" + path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_json()

    return get


def _counterparts(rows: list[dict], expected: set) -> str:
    """Return how many of the expected pairs the rows made, and how many others."""
    made = {(row["left"], row["right"]) for row in rows if row["left"] and row["right"]}
    return f"{len(made & expected)} of {len(expected)} ({len(made - expected)} others)"


def _median_ms(fn, runs: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline-cap", type=float, default=120.0)
    parser.add_argument("--quick", action="store_true", help="fewer runs, 30 s baseline cap")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.baseline_cap = 5, 30.0

    from clearinghouse import create_app
    from clearinghouse.auth.service import token_create
    from clearinghouse.compare import service
    from clearinghouse.compare.align import align_sections
    from clearinghouse.compare.align_meaning import align_by_meaning

    left, right = make_policy(args.words), None
    right = edit_policy(left)
    instance = tempfile.mkdtemp(prefix="compare-bench-")
    app = create_app({"ENV": "testing", "SECRET_KEY": "bench", "INSTANCE_PATH": instance})
    meaning_left, meaning_right, expected = reworded(left)
    with app.app_context():
        reader, upload = _set_up()
        left_id, right_id = upload(left, right)
        m_left_id, m_right_id = upload(meaning_left, meaning_right)
        headers = {"Authorization": f"Bearer {token_create(reader, 'bench')}"}
        client = app.test_client()
        api_compare = _getter(client, headers, f"/compare?left={left_id}@1&right={right_id}")
        api_diff = _getter(client, headers, f"/documents/{left_id}/diff?from=1&to=2")
        api_reworded = _getter(client, headers, f"/compare?left={m_left_id}@1&right={m_right_id}")
        api_reworded_by_heading = _getter(client, headers, f"/documents/{m_left_id}/diff?to=2")
        body, reworded_body = api_compare(), api_reworded()
        left_secs = service._version(reader, left_id, 1).sections
        right_secs = service._version(reader, right_id, None).sections
        m_left_secs = service._version(reader, m_left_id, 1).sections
        m_right_secs = service._version(reader, m_right_id, None).sections
        figures = {
            "API GET /compare": _median_ms(api_compare, args.runs),
            "API GET /documents/<id>/diff": _median_ms(api_diff, args.runs),
            "service documents_compare": _median_ms(
                lambda: service.documents_compare(reader, f"{left_id}@1", str(right_id)), args.runs
            ),
            "sections_compare (no DB)": _median_ms(
                lambda: service.sections_compare(left_secs, right_secs), args.runs
            ),
        }
        reworded_figures = {
            "API GET /compare, by meaning": _median_ms(api_reworded, args.runs),
            "API GET /documents/<id>/diff, by heading": _median_ms(
                api_reworded_by_heading, args.runs
            ),
            "align_by_meaning alone (no DB)": _median_ms(
                lambda: align_by_meaning(m_left_secs, m_right_secs), args.runs
            ),
            "align_sections alone, by heading (no DB)": _median_ms(
                lambda: align_sections(m_left_secs, m_right_secs), args.runs
            ),
        }
        found = {
            "by meaning": _counterparts(reworded_body["sections"], expected),
            "by heading": _counterparts(
                service.sections_compare(m_left_secs, m_right_secs)["sections"], expected
            ),
        }

    left_words, right_words = plain_words(left), plain_words(right)
    print(
        f"Documents: {len(left_words)} and {len(right_words)} words, {len(left)} sections; "
        f"10% of paragraphs edited, 3 sections moved"
    )
    print(f"Result: similarity {body['similarity']}, summary {body['summary']}")
    print(f"Median of {args.runs} runs:")
    for name, ms in figures.items():
        print(f"  {name:32s} {ms:9.1f} ms")
    seconds, finished = run_baseline(left_words, right_words, args.baseline_cap)
    bound = "" if finished else ">= "
    note = "" if finished else f"  (stopped at the {args.baseline_cap:.0f} s cap)"
    print(
        f"Baseline, run once: difflib SequenceMatcher(autojunk=False) on the plain texts' "
        f"words: {bound}{seconds * 1000:.0f} ms{note}"
    )
    half, _ = run_baseline(
        left_words[: len(left_words) // 2], right_words[: len(right_words) // 2], args.baseline_cap
    )
    print(
        f"  the same on the first half of each text: {half * 1000:.0f} ms "
        f"(doubling the text multiplies its time by {seconds / half:.1f})"
    )
    api_ms = figures["API GET /compare"]
    print(
        f"Ratio baseline / API compare: {bound}{seconds * 1000 / api_ms:.0f}x; "
        f"target under 300 ms through the API: {'met' if api_ms < 300 else 'NOT met'}"
    )
    _print_reworded(len(meaning_left), len(meaning_right), reworded_figures, found, args.runs)


def _print_reworded(left: int, right: int, figures: dict, found: dict, runs: int) -> None:
    print(
        f"Headings reworded (issue 15): {left} and {right} sections, {left - 2} with a "
        f"counterpart; median of {runs} runs:"
    )
    for name, ms in figures.items():
        print(f"  {name:42s} {ms:9.1f} ms")
    for name, count in found.items():
        print(f"  sections paired with their counterpart, {name}: {count}")
    verdict = "met" if figures["API GET /compare, by meaning"] < 300 else "NOT met"
    print(f"Target under 300 ms through the API by meaning: {verdict}")


if __name__ == "__main__":
    main()
