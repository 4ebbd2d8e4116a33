"""Render time: the project's renderer and service beside plain docxtpl, in the same run.

For the PLO letter before proceedings and the child protection conference report with their
sample data, and a large case (50 worries, 200 chronology entries), prints the median and p95
of plain docxtpl (DocxTemplate(path), render(ctx, autoescape=True), save) and of
renderer.render_docx (sandboxed, compiled once, in a worker process), and their ratio (target:
at most 0.5). Then the HTTP endpoint's overhead: POST /api/v1/templates/<slug>/render via the
Flask test client against calling the generation service directly (target: under 10 ms).

    .venv/bin/python benchmarks/render_bench.py [--runs 40] [--quick]
"""

import argparse
import copy
import hashlib
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402
from jinja2 import Environment  # noqa: E402

from clearinghouse import renderer  # noqa: E402
from clearinghouse.renderer.sandbox import initials, join_and, long_date  # noqa: E402

LIBRARY = ROOT / "templates_library"
LETTER = "plo-letter-before-proceedings"
REPORT = "cp-conference-report"


def _synthetic() -> tuple[bytes, dict]:
    """A letter-like template for when the library is not there yet."""
    from docx import Document

    document = Document()
    document.add_heading("Letter before proceedings", level=1)
    document.add_paragraph("Dear {{ parent }},")
    for _ in range(12):
        document.add_paragraph("We are worried about {{ child }}. " * 6)
    document.add_paragraph("{%p for w in worries %}")
    document.add_paragraph("{{ w.what }}: {{ w.example }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    table = document.add_table(rows=2, cols=3)
    table.rows[0].cells[0].text = "What"
    table.rows[1].cells[0].text = "{%tr for e in chronology %}"
    table.rows[1].cells[1].text = "{{ e.date|long_date }} {{ e.event }}"
    table.rows[1].cells[2].text = "{%tr endfor %}"
    document.sections[0].header.paragraphs[0].text = "Case {{ child|initials }}"
    buffer = io.BytesIO()
    document.save(buffer)
    data = {
        "parent": "Sam Jones",
        "child": "Jamie Smith",
        "worries": [{"what": f"Worry {i}", "example": "An example"} for i in range(5)],
        "chronology": [{"date": "2026-01-05", "event": f"Visit {i}"} for i in range(10)],
    }
    return buffer.getvalue(), data


def _large(sample: dict) -> dict:
    """The sample grown to 50 worries (harm, danger statements, goals) and 200 chronology."""
    data = copy.deepcopy(sample)
    for key, count in (("harm", 50), ("danger_statements", 50), ("safety_goals", 50)):
        items = data.get(key) or []
        if items:
            grown = []
            for i in range(count):
                item = copy.deepcopy(items[i % len(items)])
                if isinstance(item, dict) and "id" in item:
                    item["id"] = f"{item['id']}-{i}"
                grown.append(item)
            data[key] = grown
    chronology = data.get("chronology") or [{"date": "2026-01-05", "event": "Home visit"}]
    data["chronology"] = [copy.deepcopy(chronology[i % len(chronology)]) for i in range(200)]
    return data


def cases() -> list[tuple[str, str | None, bytes, dict]]:
    """Return (name, library slug, template, data) for each measured case."""
    found = []
    for slug in (LETTER, REPORT):
        folder = LIBRARY / slug
        if (folder / "template.docx").exists():
            sample = json.loads((folder / "sample.json").read_text())
            found.append((slug, slug, (folder / "template.docx").read_bytes(), sample))
    if found:
        name, slug, template, sample = found[-1]
        found.append((f"{name} (large case)", slug, template, _large(sample)))
    else:
        template, data = _synthetic()
        found.append(("synthetic letter", None, template, data))
        big = dict(data, worries=data["worries"] * 10, chronology=data["chronology"] * 20)
        found.append(("synthetic letter (large case)", None, template, big))
    return found


# The library's templates use our three filters; plain docxtpl gets them on a plain Jinja
# environment (made once, as an application would).
PLAIN_ENV = Environment()  # noqa: S701 - docxtpl's render(autoescape=True) turns it on
PLAIN_ENV.filters.update(long_date=long_date, join_and=join_and, initials=initials)


def plain_docxtpl(template: bytes, data: dict) -> bytes:
    """Render as the docxtpl documentation does."""
    document = DocxTemplate(io.BytesIO(template))
    document.render(data, PLAIN_ENV, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def stats(times: list[float]) -> tuple[float, float]:
    """Return (median, p95) in milliseconds."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def bench_renderer(runs: int) -> None:
    """Print plain docxtpl beside render_docx for each case."""
    print(f"{'case':44} {'docxtpl med/p95 ms':>20} {'ours med/p95 ms':>18} {'ratio':>6}")
    limits = renderer.RenderLimits.from_settings()  # the declared defaults, as the app has
    for name, _, template, data in cases():
        key = hashlib.sha256(template).hexdigest()
        plain_docxtpl(template, data)
        renderer.render_docx(template, data, limits, key=key)  # compile once, as a service has
        base, ours = [], []
        for _ in range(runs):
            started = time.perf_counter()
            plain_docxtpl(template, data)
            base.append(time.perf_counter() - started)
            started = time.perf_counter()
            renderer.render_docx(template, data, limits, key=key)
            ours.append(time.perf_counter() - started)
        (bm, bp), (om, op) = stats(base), stats(ours)
        print(f"{name:44} {bm:9.1f} / {bp:7.1f} {om:8.1f} / {op:7.1f} {om / bm:6.2f}")


def bench_http(runs: int) -> None:
    """Print the API endpoint's time beside the service's for the PLO letter."""
    if not (LIBRARY / LETTER / "template.docx").exists():
        print("HTTP: skipped (the template library is not there yet)")
        return
    from clearinghouse import create_app
    from clearinghouse.accounts import authority_create, ensure_vocabulary, user_create
    from clearinghouse.auth.service import token_create
    from clearinghouse.extensions import db
    from clearinghouse.generation import service
    from clearinghouse.permissions import SYSTEM

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"ENV": "testing", "SECRET_KEY": "bench", "INSTANCE_PATH": folder})
        with app.app_context():
            db.create_all()
            ensure_vocabulary()
            authority_create(SYSTEM, "bench", "Bench Council")
            user = user_create(
                SYSTEM,
                email="bench@example.org",
                name="Bench",
                role="practitioner",
                authority_slug="bench",
                password="benchmark password",
            )
            headers = {"Authorization": f"Bearer {token_create(user, 'bench')}"}
            sample = json.loads((LIBRARY / LETTER / "sample.json").read_text())
            client = app.test_client()
            url = f"/api/v1/templates/{LETTER}/render"
            assert client.post(url, json=sample, headers=headers).status_code == 200
            service.document_generate(user, LETTER, sample)
            direct, http = [], []
            for _ in range(runs):
                started = time.perf_counter()
                service.document_generate(user, LETTER, sample)
                direct.append(time.perf_counter() - started)
                started = time.perf_counter()
                response = client.post(url, json=sample, headers=headers)
                http.append(time.perf_counter() - started)
                assert response.status_code == 200
            (dm, dp), (hm, hp) = stats(direct), stats(http)
            print(
                f"service {dm:.1f} / {dp:.1f} ms; HTTP endpoint {hm:.1f} / {hp:.1f} ms "
                f"(median/p95); the endpoint adds {hm - dm:.1f} ms (target < 10 ms)"
            )
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    """Run the renderer and HTTP benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--quick", action="store_true", help="10 runs per case")
    args = parser.parse_args()
    runs = 10 if args.quick else args.runs
    bench_renderer(runs)
    bench_http(runs)
    renderer.shutdown()


if __name__ == "__main__":
    main()
