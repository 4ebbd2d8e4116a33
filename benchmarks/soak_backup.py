"""A backup taken during the soak, restored afterwards into a fresh instance, and checked.

`flask backup` runs against the first server's settings halfway through the load. After the
load the backup is restored (`flask restore`) into a new instance (a new PostgreSQL database
when the soak runs on one), served by its own gunicorn, and every upload the restored
instance holds is downloaded and compared with the sha256 the client sent, and every one
that is its document's current version there is searched for by its unique word.
"""

import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from soak_server import Instance, call, sha256

CHECK_THREADS = 4


@dataclass
class BackupRun:
    """What the backup and the restore did, and what the restored instance was found to hold."""

    dest: Path
    started_after: float = 0.0
    backup: str = ""
    backup_seconds: float = 0.0
    restore: str = ""
    restore_seconds: float = 0.0
    versions: int = 0
    downloads_ok: int = 0
    current_found: int = 0
    current: int = 0
    problems: list[str] = field(default_factory=list)


def backup_during(soak, after_seconds: float) -> tuple[threading.Thread, BackupRun]:
    """Start a thread that runs `flask backup` once the load has run ``after_seconds``."""
    run = BackupRun(dest=soak.instance.tmp / "backup")

    def work() -> None:
        time.sleep(after_seconds)  # bounded: the load runs for longer than this
        run.started_after = after_seconds
        started = time.monotonic()
        result = soak.instance.flask("backup", str(run.dest), timeout=600)
        run.backup_seconds = time.monotonic() - started
        said = (result.stdout + result.stderr).strip().splitlines()[-1:] or [""]
        run.backup = f"exit {result.returncode}: {said[0][:200]}"
        if result.returncode != 0:
            run.problems.append(f"backup failed: {result.stderr.strip()[-500:]}")

    thread = threading.Thread(target=work, name="backup", daemon=True)
    thread.start()
    return thread, run


def restore_and_check(soak, run: BackupRun, database_url: str | None) -> None:
    """Restore the backup into a fresh instance, serve it, and check every upload it holds."""
    if not (run.dest / "manifest.json").exists():
        run.problems.append("no finished backup to restore")
        return
    restored = Instance()
    try:
        shared = {k: v for k, v in soak.instance.env.items() if k.startswith("CLEARINGHOUSE_")}
        shared.pop("CLEARINGHOUSE_INSTANCE_PATH", None)
        restored.env.update(shared)
        if database_url:
            restored.env["CLEARINGHOUSE_DATABASE_URL"] = database_url
        started = time.monotonic()
        try:
            result = restored.flask("restore", str(run.dest), timeout=900)
        except subprocess.TimeoutExpired:
            run.problems.append("restore did not finish within 900 s")
            return
        run.restore_seconds = time.monotonic() - started
        run.restore = f"exit {result.returncode}: {result.stdout.strip().splitlines()[-1:]}"
        if result.returncode != 0:
            run.problems.append(f"restore failed: {result.stderr.strip()[-500:]}")
            return
        restored.start(workers=2, threads=4)
        restored.wait_ready(next(iter(soak.tokens.values())))
        _check(soak, restored.port, run)
    finally:
        restored.close()


def _check(soak, port: int, run: BackupRun) -> None:
    by_doc: dict[int, list[dict]] = {}
    for upload in soak.uploads:
        by_doc.setdefault(upload["document_id"], []).append(upload)
    lock = threading.Lock()

    def document(doc: int) -> None:
        uploads = by_doc[doc]
        reply = call(port, "GET", f"/api/v1/documents/{doc}", soak.tokens[uploads[0]["email"]])
        if reply.status == 404:
            return  # made after the snapshot
        versions = {v["number"]: v for v in reply.json().get("versions", [])}
        if not versions:
            with lock:
                run.problems.append(f"document {doc}: {reply.status}")
            return
        current = max(versions)
        for upload in uploads:
            if upload["number"] not in versions:
                continue  # made after the snapshot
            ok = _downloads(port, soak, upload)
            found = upload["number"] != current or _found(port, soak, upload)
            with lock:
                run.versions += 1
                run.downloads_ok += ok
                run.current += upload["number"] == current
                run.current_found += upload["number"] == current and found
                if not ok or not found:
                    run.problems.append(f"document {doc} v{upload['number']}: {ok=}, {found=}")

    with ThreadPoolExecutor(CHECK_THREADS) as pool:
        list(pool.map(document, sorted(by_doc)))


def _downloads(port: int, soak, upload: dict) -> bool:
    path = f"/api/v1/documents/{upload['document_id']}/versions/{upload['number']}/file"
    reply = call(port, "GET", path, soak.tokens[upload["email"]])
    return reply.status == 200 and sha256(reply.body) == upload["sha256"]


def _found(port: int, soak, upload: dict) -> bool:
    path = "/api/v1/search?" + urlencode({"q": upload["word"], "per_page": 20})
    reply = call(port, "GET", path, soak.tokens[upload["email"]])
    found = [(r["document_id"], r["version"]) for r in reply.json().get("results", [])]
    return reply.status == 200 and found == [(upload["document_id"], upload["number"])]


def print_backup(run: BackupRun) -> int:
    """Print what the backup and the restore did; return 1 if anything was lost."""
    print(f"\nbackup during the load (after {run.started_after:.0f}s): {run.backup}")
    print(f"  backup took {run.backup_seconds:.1f}s; restore took {run.restore_seconds:.1f}s")
    print(f"  restore: {run.restore}")
    print(
        f"  restored instance: {run.versions} soak versions, {run.downloads_ok} downloaded "
        f"byte for byte; {run.current_found} of {run.current} current versions found by search"
    )
    for problem in run.problems[:10]:
        print(f"  PROBLEM {problem}")
    failed = bool(run.problems) or run.versions == 0 or run.downloads_ok != run.versions
    print("  backup restored with nothing lost" if not failed else "  backup check FAILED")
    return 1 if failed or run.current_found != run.current else 0
