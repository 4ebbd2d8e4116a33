"""The index follows the database: pending tasks, crash recovery, concurrent writers, CLI."""

import multiprocessing
import threading
from datetime import datetime

from sqlalchemy import func, select

from clearinghouse import create_app
from clearinghouse.extensions import db
from clearinghouse.models import IndexTask
from clearinghouse.search import indexing, parallel
from clearinghouse.search.check import index_check
from clearinghouse.search.engine import IndexEntry, SearchSpec
from clearinghouse.search.index import get_engine
from clearinghouse.search.query import search_documents
from clearinghouse.search.whoosh_engine import WhooshEngine
from clearinghouse.search.whoosh_files import rebuild_lock


def pending():
    return db.session.scalar(select(func.count()).select_from(IndexTask))


def test_change_applied_and_task_removed(users, make_document):
    make_document(users["editor"], title="Rota", data=b"# Rota\n\nkoalaword\n", filename="a.md")
    assert pending() == 0
    assert search_documents(users["practitioner"], "koalaword").total == 1


def test_pending_update_survives_a_crash(app, users, make_document, monkeypatch):
    # The process dies between the commit and the index update.
    monkeypatch.setattr(indexing, "apply_pending", lambda *args: 0)
    version = make_document(
        users["editor"], title="Rota", data=b"# Rota\n\nemuword\n", filename="a.md"
    )
    assert pending() == 1
    assert search_documents(users["practitioner"], "emuword").total == 0
    monkeypatch.undo()
    # A new start of the app (as gunicorn would) applies it.
    settings = dict(app.config["CLEARINGHOUSE"])
    restarted = create_app(settings)
    with restarted.app_context():
        assert pending() == 0
        hits = search_documents(users["practitioner"], "emuword").results
        assert [h.document_id for h in hits] == [version.document_id]
        db.session.remove()


def test_failed_update_is_kept_counted_and_never_fails_the_upload(
    users, make_document, monkeypatch
):
    def busy(self, updates, after_commit=None, give_up=None):
        from whoosh.index import LockError

        raise LockError("busy")

    monkeypatch.setattr(WhooshEngine, "apply", busy)
    version = make_document(
        users["editor"], title="Rota", data=b"# Rota\n\nyakword\n", filename="a.md"
    )
    assert version.number == 1
    task = db.session.scalar(select(IndexTask))
    assert task.attempts == 1 and task.last_error == "LockError"
    monkeypatch.undo()
    assert indexing.apply_pending() == 1
    assert pending() == 0
    assert search_documents(users["practitioner"], "yakword").total == 1


def _entry(n: int) -> IndexEntry:
    return IndexEntry(
        n,
        1,
        True,
        f"Doc {n}",
        f"common word{n}",
        "north",
        1,
        "policy",
        "organisational",
        [],
        "shared",
        datetime(2025, 1, 1),
    )


def _write_many(instance: str, start: int) -> None:
    engine = WhooshEngine(instance, writer_timeout=60)
    for n in range(start, start + 5):
        engine.index_version([_entry(n)])


def test_several_writers_never_lock_error(tmp_path):
    instance = str(tmp_path)
    WhooshEngine(instance).open()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_write_many, args=(instance, s)) for s in (100, 200)]
    threads = [threading.Thread(target=_write_many, args=(instance, s)) for s in (300, 400)]
    for worker in processes + threads:
        worker.start()
    for worker in processes + threads:
        worker.join()
    assert all(p.exitcode == 0 for p in processes)
    assert len(WhooshEngine(instance).indexed()) == 20
    outcome = WhooshEngine(instance).query(SearchSpec("common", None, per_page=50), lambda k: {})
    assert outcome.total == 20


def test_reindex_and_check_index(app, runner, users, make_document, monkeypatch):
    for n in range(5):
        make_document(
            users["editor"], title=f"Rota {n}", data=f"# R\n\nword{n}\n".encode(), filename="r.md"
        )
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    get_engine().remove_document(1)
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1
    assert "document 1: not in the index (the database has version 1)" in result.output
    monkeypatch.setattr(parallel, "CHUNK", 2)  # several chunks in two processes
    result = runner.invoke(args=["reindex", "--procs", "2"])
    assert result.exit_code == 0, result.output
    assert "Indexed 5 document versions." in result.output
    assert index_check().clean
    assert runner.invoke(args=["check-index"]).exit_code == 0
    assert search_documents(users["practitioner"], "word1").total == 1


def test_check_index_without_an_index(app, runner, users):
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1
    assert "no search index" in result.output


def test_rebuild_keeps_updates_that_arrive_meanwhile(app, users, make_document):
    engine = get_engine()
    make_document(users["editor"], title="One", data=b"# One\n\nfirstword\n", filename="a.md")
    with rebuild_lock(engine.root):  # as a rebuild in another process holds it
        make_document(users["editor"], title="Two", data=b"# Two\n\nsecondword\n", filename="b.md")
        assert pending() == 1  # applied to the live index, but kept for the new one
    assert indexing.apply_pending() == 1
    assert pending() == 0
