"""Cost of case model 2's pipeline beside the render it prepares, in the same run.

For the PLO letter and the conference report with the library's sample case, and a large case
(30 danger statements with 10 examples each, 300 chronology entries, 60 scales), prints the
median and p95 of:
- render: the renderer alone (sandboxed, compiled once, in a worker) on the prepared context;
- prepare: the case pipeline (v1 check, schema, references, the case view, quality checks);
- schema: the template's JSON Schema validation alone, the part the old path already did;
and prepare / render. The pipeline is correct first (tests/generation/test_case_view.py,
test_packs.py): this measures what it costs.

    .venv/bin/python benchmarks/case_view_bench.py [--runs 40]
"""

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clearinghouse import create_app  # noqa: E402
from clearinghouse.generation import (  # noqa: E402
    case_pipeline,
    case_printed,
    case_validation,
    library,
    rendering,
)

LIBRARY = ROOT / "templates_library"
LETTER, REPORT = "plo-letter-before-proceedings", "cp-conference-report"


def _large(case: dict) -> dict:
    big = copy.deepcopy(case)
    first = big["danger_statements"][0]
    big["danger_statements"] = [
        {**first, "id": f"D{i}", "examples": first["examples"][:1] * 10} for i in range(30)
    ]
    big["safety_goals"] = [
        {**big["safety_goals"][0], "id": f"G{i}", "danger_statement_id": f"D{i}"} for i in range(30)
    ]
    big["scales"] = [
        {**big["scales"][0], "id": f"S{i}", "danger_statement_id": f"D{i % 30}"} for i in range(60)
    ]
    big["chronology"] = (big.get("chronology") or [{"date": "2026-01-01", "event": "x"}])[:1] * 300
    return big


def _timed(fn, runs: int) -> list[float]:
    fn()  # warm: compile, load dictionaries
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        found.append((time.perf_counter() - start) * 1000)
    return found


def _row(name: str, values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    median, p95 = statistics.median(values), values[int(0.95 * (len(values) - 1))]
    print(f"  {name:<8} median {median:7.2f} ms   p95 {p95:7.2f} ms")
    return median, p95


def main(argv=None) -> int:
    """Print the pipeline's cost beside the render's for each case."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    shared = json.loads((LIBRARY / "schemas" / "sample_case.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"ENV": "testing", "INSTANCE_PATH": instance, "SECRET_KEY": "bench"})
        with app.app_context():
            settings = app.config["CLEARINGHOUSE"]
            review = {"date": "2026-09-16", "meeting_id": "M-RCPC"}
            cases = [
                (LETTER, "sample", library.entry_get(LETTER).sample),
                (REPORT, "sample", library.entry_get(REPORT).sample),
                (REPORT, "large", _large({**shared, "document": review})),
            ]
            for slug, label, case in cases:
                entry = library.entry_get(slug)
                audience = entry.meta["audience"]
                paths = case_printed.template_paths(entry.sha256, lambda e=entry: e.template)

                def prepare(entry=entry, case=case, audience=audience, paths=paths):
                    return case_pipeline.case_prepare(
                        entry, case, settings=settings, audience=audience, template_paths=paths
                    )

                context = prepare().context

                def schema(entry=entry, case=case):
                    case_validation.case_data_validate(
                        library.validator_for(entry.slug), case, library.form_schema(entry.slug)
                    )

                def render(entry=entry, context=context):
                    rendering.render_docx(entry.template, context, key=entry.sha256)

                print(f"{slug} ({label} case, {len(json.dumps(case)) // 1024} KB)")
                rendered = _row("render", _timed(render, args.runs))
                prepared = _row("prepare", _timed(prepare, args.runs))
                _row("schema", _timed(schema, args.runs))
                print(
                    f"  prepare / render: median {prepared[0] / rendered[0]:.2f}, "
                    f"p95 {prepared[1] / rendered[1]:.2f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
