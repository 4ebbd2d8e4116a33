"""Build a fresh Whoosh index from the database with several processes.

Each worker process reads its share of versions from the database in chunks (never the
whole corpus at once) and writes its own segment into the new index folder; the parent
then commits one table of contents naming every segment, and swaps the folder in.
"""

import logging
import multiprocessing
import queue
import resource
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from whoosh import index
from whoosh.writing import SegmentWriter

from .entries import entries_for_versions
from .whoosh_engine import entry_fields
from .whoosh_schema import make_schema, new_dir, swap_in, writer_options

log = logging.getLogger(__name__)
CHUNK = 200
WORKER_CPU: list[float] = []  # CPU seconds each worker of the last build used


def _add_chunks(writer, url: str, ids: list[int], report) -> None:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                for entry in entries_for_versions(session, chunk):
                    writer.add_document(**entry_fields(entry))
                session.expunge_all()
                report(len(chunk))
    finally:
        engine.dispose()


def _worker(path: str, url: str, ids: list[int], limitmb: int, results, progress) -> None:
    try:
        ix = index.open_dir(path)
        writer = SegmentWriter(ix, _lk=False, limitmb=limitmb, **writer_options())
        _add_chunks(writer, url, ids, progress.put)
        segment = writer._finalize_segment() if ids else None
        usage = resource.getrusage(resource.RUSAGE_SELF)
        results.put(("ok", segment, usage.ru_utime + usage.ru_stime))
    except BaseException as exc:  # report the failure's type; the parent gives up
        results.put(("error", type(exc).__name__, 0.0))


def build_single(path: Path, url: str, ids: list[int], progress, **options) -> None:
    """Build in this process with one writer (small indexes; the benchmark's baseline)."""
    ix = index.create_in(str(path), make_schema())
    writer = ix.writer(timeout=5.0, delay=0.05, **options)
    try:
        _add_chunks(writer, url, ids, progress or (lambda n: None))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def build_into(path: Path, url: str, ids: list[int], procs: int, progress, limitmb: int):
    """Build a complete index in the empty folder ``path`` with ``procs`` processes."""
    if procs <= 1 or len(ids) < 2 * CHUNK:
        build_single(path, url, ids, progress, limitmb=limitmb, **writer_options())
        return
    ix = index.create_in(str(path), make_schema())
    context = multiprocessing.get_context("fork")
    results, progress_queue = context.Queue(), context.Queue()
    shares = [ids[i::procs] for i in range(procs)]
    workers = [
        context.Process(
            target=_worker, args=(str(path), url, share, limitmb, results, progress_queue)
        )
        for share in shares
    ]
    for worker in workers:
        worker.start()
    outcomes = []
    while len(outcomes) < len(workers):
        try:
            outcomes.append(results.get(timeout=0.2))
        except queue.Empty:
            if not any(w.is_alive() for w in workers) and results.empty():
                break
        _drain(progress_queue, progress)
    for worker in workers:
        worker.join()
    _drain(progress_queue, progress)
    failed = [o for o in outcomes if o[0] != "ok"]
    if failed or len(outcomes) < len(workers):
        raise RuntimeError(f"index build failed in a worker: {failed[0][1] if failed else 'died'}")
    writer = SegmentWriter(ix)
    segments = writer._merge_segments(None, False, False)
    segments += [segment for _status, segment, _cpu in outcomes if segment is not None]
    WORKER_CPU[:] = [cpu for _status, _segment, cpu in outcomes]
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def _drain(progress_queue, progress) -> None:
    while True:
        try:
            count = progress_queue.get_nowait()
        except queue.Empty:
            return
        if progress:
            progress(count)


def build(
    root: Path,
    url: str,
    ids: list[int],
    procs: int,
    progress: Callable[[int], None] | None = None,
    limitmb: int = 256,
) -> Path:
    """Build a new index beside the live one from these version ids, then swap it in."""
    path = new_dir(root)
    try:
        build_into(path, url, ids, procs, progress, limitmb)
    except BaseException:
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        raise
    return swap_in(root, path)
