"""The index converges to the database: slow writers, concurrent readers, killed rebuilds.

Each test reproduces a finding of the soak (issue 10) and fails on the code before it.
"""

import multiprocessing
import os
import signal
import threading
import time
from datetime import datetime

from sqlalchemy import func, select

from clearinghouse import create_app
from clearinghouse.documents.service import version_add
from clearinghouse.extensions import db
from clearinghouse.models import Document, DocumentVersion, IndexTask, User
from clearinghouse.search.check import index_check
from clearinghouse.search.engine import IndexEntry, SearchSpec
from clearinghouse.search.entries import document_entries
from clearinghouse.search.index import get_engine, index_rebuild
from clearinghouse.search.query import search_documents
from clearinghouse.search.whoosh_engine import WhooshEngine


def _pending() -> int:
    return db.session.scalar(select(func.count()).select_from(IndexTask))


def _indexed_versions(document_id: int) -> list[int]:
    return sorted(v for d, v in get_engine().indexed() if d == document_id)


def test_a_slow_writer_never_overwrites_a_newer_version(app, users, make_document, monkeypatch):
    """Finding 2: version 2's update, held behind a busy writer, must not undo version 3."""
    first = make_document(users["editor"], title="Rota", data=b"# Rota\n\none\n", filename="a.md")
    doc_id, editor_id = first.document_id, users["editor"].id
    newer_done = threading.Event()
    original_writer = WhooshEngine.writer

    def writer(self, ix):
        if threading.current_thread().name == "slow":
            newer_done.wait(20)  # the index is busy until the newer upload has finished
        return original_writer(self, ix)

    monkeypatch.setattr(WhooshEngine, "writer", writer)
    errors = []

    def upload(word: str) -> None:
        try:
            with app.app_context():
                user = db.session.get(User, editor_id)
                version_add(user, doc_id, f"# Rota\n\n{word}\n".encode(), "a.md", "change")
                db.session.remove()
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)

    slow = threading.Thread(target=upload, args=("slowword",), name="slow")
    slow.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        db.session.rollback()
        count = db.session.scalar(select(func.count()).where(DocumentVersion.document_id == doc_id))
        if count == 2:
            break
        time.sleep(0.01)
    fast = threading.Thread(target=upload, args=("fastword",), name="fast")
    fast.start()
    fast.join(20)
    newer_done.set()
    slow.join(20)
    assert not errors
    db.session.rollback()
    assert _indexed_versions(doc_id) == [3]
    assert _pending() == 0
    assert search_documents(users["practitioner"], "fastword").total == 1
    assert search_documents(users["practitioner"], "slowword").total == 0
    assert index_check().clean


def _commit_many(instance: str, rounds: int) -> None:
    engine = WhooshEngine(instance, writer_timeout=30)
    for n in range(rounds):
        entry = IndexEntry(
            document_id=1 + n % 4,
            version=n + 1,
            current=True,
            title=f"Plan {n}",
            body=f"safety plan network {n} " * 20,
            authority="ashdown",
            authority_id=1,
            doc_type="policy",
            stage="organisational",
            tags=[],
            visibility="shared",
            updated=datetime(2026, 1, 1),
        )
        engine.apply({entry.document_id: [entry]})
        if n % 10 == 9:
            engine.optimize()
    os._exit(0)


def test_searches_during_concurrent_commits_never_fail(tmp_path):
    """Finding 3: a search while another process commits and merges answers, never raises."""
    instance = str(tmp_path)
    engine = WhooshEngine(instance)
    engine.open()
    context = multiprocessing.get_context("fork")
    writer = context.Process(target=_commit_many, args=(instance, 60))
    writer.start()
    failures, searches = [], 0

    def search_loop():
        nonlocal searches
        reader = WhooshEngine(instance)
        while writer.is_alive():
            try:
                outcome = reader.query(SearchSpec("safety", None), lambda keys: {})
                assert outcome.total <= 4
                for hit in outcome.hits:
                    assert hit.title.startswith("Plan")
                searches += 1
            except Exception as exc:  # every failure is collected and reported
                failures.append(repr(exc))

    threads = [threading.Thread(target=search_loop) for _ in range(3)]
    for thread in threads:
        thread.start()
    writer.join(120)
    for thread in threads:
        thread.join(30)
    assert writer.exitcode == 0
    assert failures == []
    assert searches > 0
    assert WhooshEngine(instance).query(SearchSpec("safety", None), lambda k: {}).total == 4


def _rebuild_then_hang(settings: dict) -> None:
    app = create_app(settings)
    with app.app_context():
        index_rebuild(procs=1, progress=lambda n: time.sleep(120))
    os._exit(0)


def test_a_killed_rebuild_is_noticed_and_cleaned(app, runner, users, make_document):
    """Finding 5: kill -9 during reindex must not stop task deletion or fool check-index."""
    for n in range(3):
        make_document(
            users["editor"], title=f"Rota {n}", data=f"# R\n\nw{n}\n".encode(), filename="r.md"
        )
    root = get_engine().root
    context = multiprocessing.get_context("fork")
    rebuild = context.Process(target=_rebuild_then_hang, args=(dict(app.config["CLEARINGHOUSE"]),))
    rebuild.start()
    deadline = time.monotonic() + 30
    while not list(root.glob("build-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(root.glob("build-*")), "the rebuild did not start"
    # While it runs, an upload's task is kept for the new index.
    make_document(users["editor"], title="During", data=b"# D\n\nduringword\n", filename="d.md")
    assert _pending() == 1
    os.kill(rebuild.pid, signal.SIGKILL)
    rebuild.join(10)
    # After the kill, tasks are deleted again at once, and the check reports the leftovers.
    make_document(users["editor"], title="After", data=b"# A\n\nafterword\n", filename="a.md")
    assert _pending() == 0
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1
    assert "A rebuild that is no longer running left: build-" in result.output
    # The next start clears them.
    restarted = create_app(dict(app.config["CLEARINGHOUSE"]))
    with restarted.app_context():
        db.session.remove()
    assert not list(root.glob("build-*"))
    assert runner.invoke(args=["check-index"]).exit_code == 0
    assert search_documents(users["practitioner"], "duringword").total == 1


def test_check_index_compares_content_and_repairs(app, runner, users, make_document):
    made = [make_document(users["editor"], title=f"Rota {n}") for n in range(3)]
    engine = get_engine()
    # The index keeps an old state of document 2 (as a lost update would leave it).
    engine.apply({made[1].document_id: []})
    doc = db.session.get(Document, made[2].document_id)
    stale = document_entries(doc, False)[0]
    stale.visibility = "internal"
    engine.apply({doc.id: [stale]})
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1
    assert f"document {made[1].document_id}: not in the index" in result.output
    assert f"document {made[2].document_id}: visibility is 'internal' in the index" in (
        result.output
    )
    result = runner.invoke(args=["check-index", "--repair"])
    assert result.exit_code == 0, result.output
    assert "The search index is up to date." in result.output
    assert index_check().clean


def test_an_upload_stops_waiting_once_another_process_applied_its_task(app, users, make_document):
    """While the index is busy, an upload whose task was applied elsewhere returns at once."""
    first = make_document(users["editor"], title="Rota", data=b"# Rota\n\none\n", filename="a.md")
    engine = get_engine()
    finished = threading.Event()

    def upload() -> None:
        with app.app_context():
            user = db.session.get(User, users["editor"].id)
            version_add(user, first.document_id, b"# Rota\n\ntwo\n", "a.md", "change")
            db.session.remove()
        finished.set()

    with engine.locked():  # as another worker's slow commit holds the writer lock
        thread = threading.Thread(target=upload)
        thread.start()
        deadline = time.monotonic() + 10
        while not _pending() and time.monotonic() < deadline:
            db.session.rollback()
            time.sleep(0.01)
        assert _pending() == 1
        # Another process applies it (here: the task is taken as that process would).
        db.session.execute(IndexTask.__table__.delete())
        db.session.commit()
        assert finished.wait(5), "the upload kept waiting for the busy index"
    thread.join(5)
