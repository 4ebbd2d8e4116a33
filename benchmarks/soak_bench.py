"""Soak: many API clients at once against gunicorn, then prove nothing was lost.

A fresh instance (temp folder, demo data, API tokens for editors and practitioners) is served
by gunicorn (4 workers x 4 threads) on 127.0.0.1. Client threads then, for --seconds: add
versions of ONE shared document at once (a 409 version_conflict, the backstop, is counted), add
versions of their own documents, upload new documents, search, render a library template,
compare, diff and download. Every upload is a small Markdown file holding a unique made-up
word. Afterwards it checks and prints:

  requests, statuses and 5xx by kind (and the first 5xx bodies); version numbers of every
  document (no duplicate, no gap); every upload downloaded against its sha256; every unique
  word searched as its uploader (found in its document's current version only);
  ``flask check-index`` clean within 5 s of the last write; p50/p95 by kind under load and
  the idle search p95 before the load, side by side. Exit status 1 if a target fails.

With ``--postgres`` the instance runs on a throw-away PostgreSQL database (tests/pg_cluster.py)
with blobs and search in it; ``--servers 2`` starts a second gunicorn on its own instance
folder against the same database, and the clients and the checks spread their requests over
both, so what one server stored is downloaded and searched through the other.

    .venv/bin/python benchmarks/soak_bench.py                          # 16 clients, 180 s
    .venv/bin/python benchmarks/soak_bench.py --clients 4 --seconds 20 # a quick run
    .venv/bin/python benchmarks/soak_bench.py --postgres --servers 2   # two servers, one database

``--backup-during`` runs `flask backup` halfway through the load, then restores it into a fresh
instance and checks every upload it holds downloads byte for byte and every current version
is found by search (benchmarks/soak_backup.py).
"""

import argparse
import atexit
import itertools
import random
import secrets
import signal
import string
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import soak_backup  # noqa: E402
from soak_checks import Report, run_checks  # noqa: E402
from soak_server import ROOT, Instance, Reply, call, multipart, sha256  # noqa: E402

AUTHORITIES = ("ashdown", "brackwater", "fernmouth")
SHARED_AUTHORITY = "ashdown"
QUERIES = [
    {"q": "safety plan"},
    {"q": "conference"},
    {"q": '"family network meeting"'},
    {"q": "supervision"},
    {"q": "neglect"},
    {"q": "pre-proceedings"},
    {"q": "danger statement"},
    {"q": "timescales"},
    {"q": "scaling"},
    {"q": "worried OR worries"},
    {"q": "safety", "doc_type": "procedure"},
    {"q": "conference", "stage": "child-protection"},
]
WEIGHTS = {
    "shared_version": 3,
    "version": 3,
    "new_document": 2,
    "search": 6,
    "render": 1,
    "compare": 1,
    "diff": 1,
    "download": 2,
}
WRITES = ("shared_version", "version", "new_document")
EXPECTED = {
    "shared_version": {201, 409},
    "version": {201},
    "new_document": {201},
    "setup": {200, 201},
}
SENTENCES = [
    "The family network agreed a safety plan with the social worker.",
    "What are we worried about, and what is working well for the children?",
    "The danger statement and the safety goal are written in plain language.",
    "Scaling questions show where each person stands on a scale of 0 to 10.",
    "Next steps say who does what and by when, with the child's voice heard.",
]


def editor(slug: str) -> str:
    """Return the demo editor's email for an authority."""
    return f"editor@{slug}.example"


def practitioner(slug: str) -> str:
    """Return the demo practitioner's email for an authority."""
    return f"practitioner@{slug}.example"


def unique_word(rng: random.Random, taken: set) -> str:
    """Return a made-up word no upload used: letters only, ending in q so stemming keeps it."""
    for _ in range(1000):
        word = "soak" + "".join(rng.choices(string.ascii_lowercase, k=10)) + "q"
        if word not in taken:
            taken.add(word)
            return word
    raise RuntimeError("no unique word found")


def markdown(word: str, rng: random.Random) -> bytes:
    """Return a small Markdown document holding the unique word."""
    lines = ["# Soak test document", "", f"This version is marked {word}.", ""]
    for heading in rng.sample(["Purpose", "Safety plan", "Next steps", "Scaling"], 2):
        lines += [f"## {heading}", "", " ".join(rng.sample(SENTENCES, 3)), ""]
    return "\n".join(lines).encode()


class Soak:
    """The shared state of one run: the server, tokens, the world and what was recorded."""

    WEIGHTS = WEIGHTS
    WRITES = WRITES

    def __init__(self, instance: Instance, tokens: dict, args, others: list | None = None):
        self.instance, self.tokens, self.args = instance, tokens, args
        self.servers = [instance, *(others or [])]
        self.ports = [server.port for server in self.servers]
        self.turn = itertools.count()
        self.lock = threading.Lock()
        self.words: set[str] = set()
        self.samples: list[tuple[str, int, float]] = []  # (kind, status, seconds)
        self.bad: dict[str, list[str]] = {"5xx": [], "no answer": [], "unexpected": []}
        self.uploads: list[dict] = []
        self.conflicts_other = 0
        self.client_errors: list[str] = []
        self.last_write = time.monotonic()
        self.stop = threading.Event()

    # -- requests ------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """Return the next server's port, in turn (the one server, when there is one)."""
        return self.ports[next(self.turn) % len(self.ports)]

    def request(self, kind: str, method: str, path: str, email: str, body=None, ctype=None):
        """Send a request as the user and record its status and time."""
        reply = call(self.port, method, path, self.tokens[email], body, ctype)
        with self.lock:
            self.samples.append((kind, reply.status, reply.seconds))
            if kind in WRITES:
                self.last_write = time.monotonic()
            expected = EXPECTED.get(kind, {200})
            text = f"{kind} {method} {path} -> {reply.status}: {_short(reply)}"
            if reply.status == 0:
                _keep(self.bad["no answer"], text)
            elif reply.status >= 500:
                _keep(self.bad["5xx"], text)
            elif reply.status not in expected or (
                reply.status == 409 and reply.code() != "version_conflict"
            ):
                _keep(self.bad["unexpected"], text)
        return reply

    def upload(self, kind: str, email: str, rng: random.Random, document_id=None) -> Reply:
        """Upload a new document or version holding a unique word; record it on 201."""
        with self.lock:
            word = unique_word(rng, self.words)
        data = markdown(word, rng)
        if document_id is None:
            fields = {
                "title": f"Soak document {word[4:9]}",
                "doc_type": rng.choice(self.doc_types),
                "visibility": rng.choice(("shared", "internal")),
                "tags": "soak",
                "change_note": "First soak version",
            }
            path = "/api/v1/documents"
        else:
            fields = {"change_note": f"Soak version {word[4:9]}"}
            path = f"/api/v1/documents/{document_id}/versions"
        body, ctype = multipart(fields, f"{word}.md", data)
        reply = self.request(kind, "POST", path, email, body, ctype)
        if reply.status == 201:
            answer = reply.json()
            if document_id is None:  # the document, with "version": 1 and its versions
                doc, number = answer.get("id"), answer.get("version")
                versions = [v for v in answer.get("versions", []) if v.get("number") == number]
                server_sha = versions[0].get("sha256") if versions else None
            else:
                doc, number, server_sha = document_id, answer.get("number"), answer.get("sha256")
            with self.lock:
                self.uploads.append(
                    {
                        "document_id": doc,
                        "number": number,
                        "word": word,
                        "sha256": sha256(data),
                        "server_sha256": server_sha,
                        "email": email,
                        "kind": kind,
                    }
                )
        return reply

    # -- set-up --------------------------------------------------------------------------

    def setup(self, rng: random.Random) -> None:
        """Read the vocabulary, demo documents and samples; upload the shared document."""
        reply = self.request("setup", "GET", "/api/v1/doc-types", practitioner("ashdown"))
        self.doc_types = [t["slug"] for t in _loads_list(reply.body)] or ["policy"]
        self.visible = {}
        for slug in AUTHORITIES:
            reply = self.request("setup", "GET", "/api/v1/documents", practitioner(slug))
            docs = reply.json().get("documents", [])
            self.visible[slug] = [(d["id"], d["latest_version"]) for d in docs]
        self.samples_json = {}
        for folder in sorted((ROOT / "templates_library").glob("*/sample.json"))[:4]:
            self.samples_json[folder.parent.name] = folder.read_bytes()
        reply = self.upload("setup", editor(SHARED_AUTHORITY), rng)
        if reply.status != 201:
            raise RuntimeError(f"could not create the shared document: {_short(reply)}")
        self.shared_id = self.uploads[-1]["document_id"]
        self.samples.clear()

    def idle_search(self, passes: int = 5) -> list[float]:
        """Return search latencies with no other load (one warm-up pass not counted)."""
        times = []
        for number in range(passes + 1):
            for params in QUERIES:
                reply = call(
                    self.port, "GET", _search_path(params), self.tokens[practitioner("ashdown")]
                )
                if number and reply.status == 200:
                    times.append(reply.seconds)
        return times

    # -- load ----------------------------------------------------------------------------

    def client(self, number: int, deadline: float) -> None:
        """Run one client's loop until the deadline, the stop signal or --max-ops."""
        rng = random.Random(self.args.seed * 1000 + number)
        slug = AUTHORITIES[number % len(AUTHORITIES)]
        own: list[int] = []
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        for _ in range(self.args.max_ops):
            if time.monotonic() >= deadline or self.stop.is_set():
                return
            kind = rng.choices(kinds, weights)[0]
            try:
                self.step(kind, slug, own, rng)
            except Exception as exc:  # a soak bug must be reported, never hang the run
                with self.lock:
                    _keep(self.client_errors, f"{kind}: {type(exc).__name__}: {exc}")

    def step(self, kind: str, slug: str, own: list[int], rng: random.Random) -> None:
        """Do one operation of the given kind as this client's users."""
        if kind == "shared_version":
            self.upload(kind, editor(SHARED_AUTHORITY), rng, self.shared_id)
        elif kind == "version" and own:
            self.upload(kind, editor(slug), rng, rng.choice(own))
        elif kind in ("version", "new_document"):
            reply = self.upload("new_document", editor(slug), rng)
            if reply.status == 201:
                own.append(_doc_id(reply))
        elif kind == "search":
            self.request(kind, "GET", _search_path(rng.choice(QUERIES)), practitioner(slug))
        elif kind == "render":
            name, data = rng.choice(sorted(self.samples_json.items()))
            path = f"/api/v1/templates/{name}/render"
            self.request(kind, "POST", path, practitioner(slug), data, "application/json")
        elif kind == "compare":
            (left, _), (right, _) = rng.sample(self.visible[slug], 2)
            path = f"/api/v1/compare?left={left}&right={right}"
            self.request(kind, "GET", path, practitioner(slug))
        elif kind == "diff":
            with self.lock:
                shared = [u["number"] for u in self.uploads if u["document_id"] == self.shared_id]
            a, b = rng.sample(shared, 2) if len(shared) > 1 else (1, 1)
            path = f"/api/v1/documents/{self.shared_id}/diff?from={min(a, b)}&to={max(a, b)}"
            self.request(kind, "GET", path, practitioner(slug))
        elif kind == "download":
            with self.lock:
                mine = [u for u in self.uploads[-200:] if u["email"] == editor(slug)]
            if not mine:
                return
            upload = rng.choice(mine)
            path = f"/api/v1/documents/{upload['document_id']}/versions/{upload['number']}/file"
            reply = self.request(kind, "GET", path, upload["email"])
            if reply.status == 200 and sha256(reply.body) != upload["sha256"]:
                with self.lock:
                    _keep(self.bad["unexpected"], f"download {path}: sha256 differs")

    def run_load(self) -> float:
        """Run the clients for --seconds; return the wall time the load took."""
        started = time.monotonic()
        deadline = started + self.args.seconds
        threads = [
            threading.Thread(target=self.client, args=(n, deadline), daemon=True, name=f"c{n}")
            for n in range(self.args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()) + 90)
        self.stop.set()
        stuck = [t.name for t in threads if t.is_alive()]
        if stuck:
            _keep(self.client_errors, f"clients still running after the deadline: {stuck}")
        return time.monotonic() - started


def _doc_id(reply: Reply) -> int:
    return reply.json()["id"]


def _search_path(params: dict) -> str:
    from urllib.parse import urlencode

    return "/api/v1/search?" + urlencode(params)


def _loads_list(body: bytes) -> list:
    import json

    try:
        value = json.loads(body)
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _short(reply: Reply) -> str:
    return (reply.error or reply.body[:600].decode("utf-8", "replace")).replace("\n", " ")


def _keep(items: list, text: str, most: int = 5) -> None:
    if len(items) < most:
        items.append(text)


def main() -> int:
    """Run the soak; print the figures and the targets; return 1 if any target fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-ops", type=int, default=100_000, help="per client, a bound")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--servers", type=int, default=1, help="gunicorn servers, one database")
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL with blobs and search in it"
    )
    parser.add_argument(
        "--backup-during", action="store_true", help="back up mid-load, restore, and check"
    )
    args = parser.parse_args()
    if args.servers > 1 and not args.postgres:
        parser.error("several servers share one PostgreSQL database: add --postgres")
    args.clients = max(1, min(args.clients, 64))
    args.seconds = max(1.0, min(args.seconds, 3600.0))

    instances = [Instance() for _ in range(max(1, min(args.servers, 4)))]
    for instance in instances:
        atexit.register(instance.close)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(143))
    if args.postgres:
        sys.path.insert(0, str(ROOT / "tests"))
        import pg_cluster

        shared = {
            "CLEARINGHOUSE_DATABASE_URL": pg_cluster.cluster().create_database(),
            "CLEARINGHOUSE_BLOB_STORE": "database",
            "CLEARINGHOUSE_SEARCH_ENGINE": "postgres",
            "CLEARINGHOUSE_SECRET_KEY": secrets.token_hex(32),
        }
        for instance in instances:
            instance.env.update(shared)
    try:
        return run(instances[0], args, instances[1:])
    finally:
        for instance in instances:
            instance.close()


def run(instance: Instance, args, others: list[Instance] | None = None) -> int:
    """Set up, measure idle search, run the load, then check and report."""
    started = time.monotonic()
    emails = [f(slug) for slug in AUTHORITIES for f in (editor, practitioner)]
    tokens = instance.prepare(emails)
    servers = [instance, *(others or [])]
    for server in servers:
        server.start(args.workers, args.threads)
    for server in servers:
        server.wait_ready(tokens[practitioner("ashdown")])
    database = "PostgreSQL (blobs and search in it)" if args.postgres else "SQLite"
    print(
        f"instance ready in {time.monotonic() - started:.1f}s: {len(servers)} gunicorn "
        f"server(s) of {args.workers} workers x {args.threads} threads on 127.0.0.1:"
        f"{', '.join(str(s.port) for s in servers)}, on {database}; tokens for {len(tokens)} "
        "demo editors and practitioners"
    )
    soak = Soak(instance, tokens, args, others)
    soak.setup(random.Random(args.seed))
    idle = soak.idle_search()
    backup = soak_backup.backup_during(soak, args.seconds / 2) if args.backup_during else None
    print(
        f"idle search: {len(idle)} queries timed; load: {args.clients} clients for "
        f"{args.seconds:.0f}s ...",
        flush=True,
    )
    took = soak.run_load()
    report = Report(soak, idle, took)
    run_checks(soak, report)
    status = report.print()
    if backup is not None:
        thread, run = backup
        thread.join(timeout=600)
        url = None
        if args.postgres:
            import pg_cluster

            url = pg_cluster.cluster().create_database()
        soak_backup.restore_and_check(soak, run, url)
        status = max(status, soak_backup.print_backup(run))
    return status


if __name__ == "__main__":
    sys.exit(main())
