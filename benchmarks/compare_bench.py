"""Compare two ~40-page policies: our section-by-section diff beside whole-text difflib.

Generates a policy of about 20,000 words (40 headed sections of about ten paragraphs), and
a second one with 10% of its paragraphs edited and 3 sections moved. Uploads both to a
temporary instance, then times, in the same run:

- GET /api/v1/compare (Flask test client, bearer token): the target is under 300 ms;
- GET /api/v1/documents/<id>/diff between the same texts as two versions;
- compare.service.documents_compare called directly, and sections_compare alone (no DB);
- the baseline: difflib.SequenceMatcher(autojunk=False) over the word tokens of the two
  plain texts, the quadratic whole-document approach. It runs once, in a child process
  capped at --baseline-cap seconds (the figure is then a lower bound).

Run: .venv/bin/python benchmarks/compare_bench.py [--runs 15] [--words 20000] [--quick]
"""

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VOCABULARY = (
    "the child family parents worker social safety plan network danger statement goal "
    "worried harm meeting letter solicitor legal advice court proceedings public law outline "
    "assessment review conference manager practitioner agency school health police visit "
    "home support help agreement written progress weeks months date name contact network "
    "grandmother uncle father mother carer contact scaling question scale ten zero rated "
    "reason views wishes feelings voice seen alone record decision threshold escalation "
    "supervision quality audit timescale working days within before after during each every "
    "must should will may can not never always where when who what how why because unless"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def make_policy(words: int, seed: int = 7) -> list[tuple[str, list[str]]]:
    """Return (heading, paragraphs) sections totalling about the given number of words."""
    rng = random.Random(seed)
    sections, total, n = [], 0, 0
    while total < words:
        n += 1
        paragraphs = []
        for _ in range(10):
            paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(3, 5)))
            paragraphs.append(paragraph)
            total += len(paragraph.split())
        sections.append((f"Section {n}: {' '.join(rng.sample(VOCABULARY, 3))}", paragraphs))
    return sections


def edit_policy(sections, share: float = 0.10, moves: int = 3, seed: int = 11):
    """Return a copy with a share of paragraphs edited and some sections moved."""
    rng = random.Random(seed)
    edited = [(h, list(ps)) for h, ps in sections]
    places = [(s, p) for s, (_h, ps) in enumerate(edited) for p in range(len(ps))]
    for s, p in rng.sample(places, int(len(places) * share)):
        words = edited[s][1][p].split()
        kind = rng.choice(("replace", "insert", "delete"))
        at = rng.randrange(len(words) - 3)
        if kind == "replace":
            words[at : at + 2] = [rng.choice(VOCABULARY) for _ in range(2)]
        elif kind == "insert":
            words[at:at] = _sentence(rng).split()
        else:
            del words[at : at + 3]
        edited[s][1][p] = " ".join(words)
    for _ in range(moves):
        section = edited.pop(rng.randrange(len(edited)))
        edited.insert(rng.randrange(len(edited) + 1), section)
    return edited


def to_markdown(sections) -> bytes:
    """Return sections as a Markdown file."""
    parts = []
    for heading, paragraphs in sections:
        parts.append(f"## {heading}")
        parts.extend(paragraphs)
    return ("\n\n".join(parts) + "\n").encode()


def plain_words(sections) -> list[str]:
    """Return the whole text's word tokens, headings included."""
    return [w for h, ps in sections for w in (h + " " + " ".join(ps)).split()]


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
    from clearinghouse.accounts import authority_create, ensure_vocabulary, user_create
    from clearinghouse.auth.service import token_create
    from clearinghouse.compare import service
    from clearinghouse.documents.service import document_create, version_add
    from clearinghouse.extensions import db
    from clearinghouse.permissions import SYSTEM

    left, right = make_policy(args.words), None
    right = edit_policy(left)
    instance = tempfile.mkdtemp(prefix="compare-bench-")
    app = create_app({"ENV": "testing", "SECRET_KEY": "bench", "INSTANCE_PATH": instance})
    with app.app_context():
        db.create_all()
        ensure_vocabulary()
        for slug in ("north", "south"):
            authority_create(SYSTEM, slug, slug.title())
        editors = {
            slug: user_create(
                SYSTEM,
                email=f"editor@{slug}.example",
                name=f"{slug} editor",
                role="editor",
                authority_slug=slug,
                password="benchmark password 1",
            )
            for slug in ("north", "south")
        }

        def upload(user, sections, title):
            return document_create(
                user,
                title=title,
                doc_type="policy",
                visibility="shared",
                data=to_markdown(sections),
                filename="policy.md",
            ).document_id

        left_id = upload(editors["north"], left, "North policy")
        right_id = upload(editors["south"], right, "South policy")
        version_add(editors["north"], left_id, to_markdown(right), "policy.md", "Edited")
        headers = {"Authorization": f"Bearer {token_create(editors['north'], 'bench')}"}
        client = app.test_client()
        reader = editors["north"]

        def api_compare():
            response = client.get(
                f"/api/v1/compare?left={left_id}@1&right={right_id}", headers=headers
            )
            assert response.status_code == 200, response.status_code
            return response.get_json()

        def api_diff():
            response = client.get(f"/api/v1/documents/{left_id}/diff?from=1&to=2", headers=headers)
            assert response.status_code == 200, response.status_code

        body = api_compare()
        left_secs = service._version(reader, left_id, 1).sections
        right_secs = service._version(reader, right_id, None).sections
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


if __name__ == "__main__":
    main()
