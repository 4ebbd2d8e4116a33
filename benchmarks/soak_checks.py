"""Soak checks after the load, and the printed report with its targets.

Each check reads through the same API as the clients (or the CLI for check-index) and
keeps the first few failures as evidence beside its count.
"""

import statistics
import subprocess
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

from soak_server import call, sha256

INDEX_TARGET_S = 5.0
INDEX_GIVE_UP_S = 30.0
SEARCH_P95_TARGET_MS = 250.0
CHECK_THREADS = 4


@dataclass
class Report:
    """What the soak measured and found; ``print`` shows it and returns the exit status."""

    soak: object
    idle: list[float]
    took: float
    index_clean_after: float | None = None
    index_polls: list[str] = field(default_factory=list)
    documents: int = 0
    numbering: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    downloads_bad: list[str] = field(default_factory=list)
    unfindable: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    current: dict = field(default_factory=dict)
    counts: dict = field(default_factory=lambda: Counter())

    def print(self) -> int:
        """Print the tables and the targets; return 1 if any target fails, else 0."""
        soak = self.soak
        print(f"\nrequests under load: {soak.args.clients} clients for {self.took:.0f}s")
        print(
            f"  {'kind':15s} {'requests':>8s} {'2xx':>6s} {'409':>5s} {'4xx':>5s} {'5xx':>5s}"
            f" {'no answer':>9s} {'p50 ms':>8s} {'p95 ms':>8s}"
        )
        by_kind = defaultdict(list)
        for kind, status, seconds in soak.samples:
            by_kind[kind].append((status, seconds))
        for kind in [*soak.WEIGHTS, *(k for k in by_kind if k not in soak.WEIGHTS)]:
            rows = by_kind.get(kind, [])
            if not rows:
                continue
            statuses = Counter(_group(s) for s, _ in rows)
            p50, p95 = _percentiles([s for st, s in rows if st])
            print(
                f"  {kind:15s} {len(rows):8d} {statuses['2xx']:6d} {statuses['409']:5d}"
                f" {statuses['4xx']:5d} {statuses['5xx']:5d} {statuses['none']:9d}"
                f" {p50:8.1f} {p95:8.1f}"
            )
        i50, i95 = _percentiles(self.idle)
        print(f"  {'search (idle)':15s} {len(self.idle):8d} {'':37s} {i50:8.1f} {i95:8.1f}")
        for name, items in soak.bad.items():
            if items:
                print(f"  first {name} answers:")
                for text in items:
                    print(f"    {text[:700]}")
        if soak.client_errors:
            print("  soak client errors:", *soak.client_errors, sep="\n    ")
        self._print_server_log()

        uploads = soak.uploads
        print(
            f"\nuploads: {len(uploads)} with 201 ({self.counts['shared']} to the shared "
            f"document {soak.shared_id}) in {self.documents} documents"
        )
        _section("version numbers (no duplicate, no gap)", self.numbering)
        _section("uploads missing from their version list or with another sha256", self.lost)
        _section("versions no client saw a 201 for", self.extra)
        _section(f"downloads checked against sha256 ({len(uploads)})", self.downloads_bad)
        words_current = self.counts["current words"]
        _section(
            f"unique words of current versions found in their version only ({words_current})",
            self.unfindable,
        )
        _section(
            f"unique words of superseded versions not found ({len(uploads) - words_current})",
            self.stale,
        )
        print("\ncheck-index polls after the last write:")
        for line in self.index_polls:
            print(f"  {line}")
        return self._targets(by_kind, i95)

    def _print_server_log(self) -> None:
        text = "\n".join(server.log_text() for server in self.soak.servers)
        tracebacks = text.count("Traceback (most recent call last)")
        timeouts = text.count("WORKER TIMEOUT")
        if tracebacks or timeouts:
            print(f"  server log: {tracebacks} tracebacks, {timeouts} worker timeouts; first:")
            start = text.find("Traceback (most recent call last)")
            excerpt = text[start : start + 4000].splitlines() if start >= 0 else []
            end = next((n for n, line in enumerate(excerpt[1:], 1) if line[:1].isalpha()), 40)
            for line in excerpt[: end + 1][-14:]:
                print(f"    {line}")

    def _targets(self, by_kind: dict, idle_p95: float) -> int:
        failed = 0
        statuses = Counter(_group(s) for rows in by_kind.values() for s, _ in rows)
        unexpected = len(self.soak.bad["unexpected"]) + len(self.soak.client_errors)
        lost = (
            len(self.lost)
            + len(self.numbering)
            + len(self.downloads_bad)
            + len(self.unfindable)
            + len(self.stale)
        )
        _, search_p95 = _percentiles([s for st, s in by_kind.get("search", []) if st])
        clean = self.index_clean_after
        rows = [
            ("5xx answers", f"{statuses['5xx']}", "0", statuses["5xx"] == 0),
            ("requests with no answer", f"{statuses['none']}", "0", statuses["none"] == 0),
            ("unexpected statuses or soak errors", f"{unexpected}", "0", unexpected == 0),
            ("lost or unfindable uploads", f"{lost}", "0", lost == 0),
            (
                "check-index clean after last write",
                "never" if clean is None else f"{clean:.1f} s",
                f"<= {INDEX_TARGET_S:.0f} s",
                clean is not None and clean <= INDEX_TARGET_S,
            ),
            (
                "search p95 under load",
                f"{search_p95:.0f} ms (idle {idle_p95:.0f} ms)",
                f"<= {SEARCH_P95_TARGET_MS:.0f} ms",
                0 < search_p95 <= SEARCH_P95_TARGET_MS,
            ),
        ]
        print(f"\ntargets\n  {'what':36s} {'measured':>24s} {'target':>10s}")
        for what, measured, target, ok in rows:
            failed += not ok
            print(f"  {what:36s} {measured:>24s} {target:>10s}  {'PASS' if ok else 'FAIL'}")
        print(f"{failed} target(s) failed" if failed else "all targets met")
        return 1 if failed else 0


def run_checks(soak, report: Report) -> None:
    """Run every check after the load, check-index first (it is timed from the last write)."""
    poll_check_index(soak, report)
    check_versions(soak, report)
    report.counts["current words"] = sum(
        1 for u in soak.uploads if u["number"] == report.current.get(u["document_id"])
    )
    with ThreadPoolExecutor(CHECK_THREADS) as pool:
        list(pool.map(lambda u: _guarded(check_download, soak, report, u), soak.uploads))
        list(pool.map(lambda u: _guarded(check_word, soak, report, u), soak.uploads))


def _guarded(check, soak, report: Report, upload: dict) -> None:
    """Run one check; an unexpected answer shape is a failure to report, not a crash."""
    try:
        check(soak, report, upload)
    except Exception as exc:
        report.lost.append(f"{check.__name__} {upload['word']}: {type(exc).__name__}: {exc}")


def poll_check_index(soak, report: Report) -> None:
    """Run ``flask check-index`` until it exits 0 (bounded); record when it first did."""
    for _ in range(200):
        started = time.monotonic()
        try:
            result = soak.instance.flask("check-index", timeout=60)
            rc, out = result.returncode, (result.stdout + result.stderr).strip()
        except subprocess.TimeoutExpired:
            rc, out = -1, "timed out after 60 s"
        after = started - soak.last_write
        took = time.monotonic() - started
        summary = " | ".join(out.splitlines()[:3])[:300]
        report.index_polls.append(f"+{after:5.1f}s (ran {took:.1f}s) exit {rc}: {summary}")
        if rc == 0:
            report.index_clean_after = after
            return
        if time.monotonic() - soak.last_write > INDEX_GIVE_UP_S:
            return
        time.sleep(0.2)


def check_versions(soak, report: Report) -> None:
    """Check each uploaded-to document's version list: 1..n, and every 201 in it."""
    by_doc = defaultdict(list)
    for upload in soak.uploads:
        by_doc[upload["document_id"]].append(upload)
    report.documents = len(by_doc)
    report.counts["shared"] = len(by_doc.get(soak.shared_id, []))
    unanswered_writes = sum(1 for k, s, _ in soak.samples if s == 0 and k in soak.WRITES)
    extras = 0
    for doc, uploads in sorted(by_doc.items()):
        reply = call(soak.port, "GET", f"/api/v1/documents/{doc}", soak.tokens[uploads[0]["email"]])
        versions = reply.json().get("versions") if reply.status == 200 else None
        if not versions:
            report.lost.append(f"document {doc}: GET answered {reply.status}")
            continue
        numbers = [v["number"] for v in versions]
        report.current[doc] = max(numbers)
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            dupes = sorted(n for n, c in Counter(numbers).items() if c > 1)
            gaps = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
            report.numbering.append(f"document {doc}: duplicates {dupes}, gaps {gaps}")
        stored = {v["number"]: v["sha256"] for v in versions}
        for upload in uploads:
            if stored.get(upload["number"]) != upload["sha256"]:
                report.lost.append(
                    f"document {doc} version {upload['number']}: listed sha256 "
                    f"{stored.get(upload['number'])}, uploaded {upload['sha256']}"
                )
            elif upload["server_sha256"] not in (None, upload["sha256"]):
                report.lost.append(f"document {doc} v{upload['number']}: 201 gave another sha")
        unseen = sorted(set(numbers) - {u["number"] for u in uploads})
        extras += len(unseen)
        if unseen:
            report.extra.append(f"document {doc}: versions {unseen[:10]}")
    if extras > unanswered_writes:  # more than the writes whose answer never arrived
        report.lost.append(f"{extras} versions without a 201, {unanswered_writes} unanswered")


def check_download(soak, report: Report, upload: dict) -> None:
    """Download one uploaded version and compare it with its sha256."""
    path = f"/api/v1/documents/{upload['document_id']}/versions/{upload['number']}/file"
    reply = call(soak.port, "GET", path, soak.tokens[upload["email"]])
    if reply.status != 200 or sha256(reply.body) != upload["sha256"]:
        report.downloads_bad.append(f"{path}: {reply.status}, {len(reply.body)} bytes")


def check_word(soak, report: Report, upload: dict) -> None:
    """Search an upload's unique word as its uploader; expect its document's current version."""
    doc, number = upload["document_id"], upload["number"]
    current = report.current.get(doc)
    path = "/api/v1/search?" + urlencode({"q": upload["word"], "per_page": 20})
    reply = call(soak.port, "GET", path, soak.tokens[upload["email"]])
    found = [(r["document_id"], r["version"]) for r in reply.json().get("results", [])]
    total = reply.json().get("total")
    what = f"{upload['word']} (document {doc} v{number}, current v{current}): {reply.status}"
    if number == current:
        if reply.status != 200 or found != [(doc, number)] or total != 1:
            report.unfindable.append(f"{what}, total {total}, found {found[:5]}")
    elif reply.status != 200 or any(d == doc for d, _ in found):
        report.stale.append(f"{what}, total {total}, found {found[:5]}")


def _group(status: int) -> str:
    if status == 0:
        return "none"
    if status == 409:
        return "409"
    return f"{status // 100}xx"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    """Return (p50, p95) in milliseconds; (0, 0) when there are none."""
    if not samples:
        return 0.0, 0.0
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _section(title: str, problems: list[str]) -> None:
    print(f"  {title}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    for text in problems[:5]:
        print(f"    {text[:400]}")
