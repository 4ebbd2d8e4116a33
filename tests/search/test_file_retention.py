"""Index files outlive the commits that replace them, for as long as a request may run."""

from datetime import datetime
from pathlib import Path

import pytest
from fake_clock import FakeClock
from whoosh.index import TOC

from clearinghouse.search import whoosh_files
from clearinghouse.search.engine import IndexEntry
from clearinghouse.search.whoosh_engine import WhooshEngine


@pytest.fixture
def clock(monkeypatch):
    """Return a FakeClock that the retention arithmetic (whoosh_files) reads as time.time."""
    fake = FakeClock()
    monkeypatch.setattr(whoosh_files.time, "time", fake.time)
    return fake


def entry(doc_id: int, version: int = 1) -> IndexEntry:
    return IndexEntry(
        document_id=doc_id,
        version=version,
        current=True,
        title=f"Plan {doc_id}",
        body=f"safety plan number {doc_id} version {version}",
        authority="ashdown",
        authority_id=1,
        doc_type="policy",
        stage="organisational",
        tags=[],
        visibility="shared",
        updated=datetime(2026, 1, 1),
    )


def segment_files(folder: Path) -> set[str]:
    pattern = TOC._segment_pattern("MAIN")
    return {p.name for p in folder.iterdir() if pattern.match(p.name)}


def toc_generations(folder: Path) -> set[int]:
    pattern = TOC._pattern("MAIN")
    return {int(m.group(1)) for p in folder.iterdir() if (m := pattern.match(p.name))}


def test_a_searcher_outlives_commits_within_the_retention_time(tmp_path, clock):
    engine = WhooshEngine(str(tmp_path))
    for doc_id in range(1, 6):
        engine.apply({doc_id: [entry(doc_id)]})
    searcher = engine.open().searcher()
    for step in range(40):  # a commit every 2.5 s: 100 s of commits, merges and deletions
        clock.advance(seconds=2.5)
        engine.apply({step % 5 + 1: [entry(step % 5 + 1, step + 2)]})
    # Stored fields are opened lazily: they must still be there for the old searcher.
    assert sorted(int(f["document_id"]) for f in searcher.all_stored_fields()) == [1, 2, 3, 4, 5]
    searcher.close()


def test_files_no_recent_table_names_are_deleted(tmp_path, clock):
    engine = WhooshEngine(str(tmp_path))
    engine.apply({1: [entry(1)]})
    folder = engine.live_folder()
    orphan = folder / "MAIN_orphanorphanorph.pst"  # as a crashed writer would leave
    orphan.write_bytes(b"x")
    for step in range(10):
        clock.advance(seconds=11)
        engine.apply({1: [entry(1, step + 2)]})
    # The log does not cover the retention time yet: nothing unlogged may go.
    assert orphan.exists()
    assert min(toc_generations(folder)) == 0  # the empty index it was created as
    for step in range(30):
        clock.advance(seconds=11)
        engine.apply({1: [entry(1, step + 20)]})
    assert not orphan.exists()
    current = engine.open()
    generation = current.latest_generation()
    kept = toc_generations(folder)
    # Tables current in the last RETAIN_SECONDS (a commit each 11 s) are kept, older ones not.
    assert generation in kept
    assert max(kept) - min(kept) <= whoosh_files.RETAIN_SECONDS / 11 + 2
    assert len(kept) < 40
    live_ids = {s.segment_id() for s in current._segments()}
    assert all(any(name.startswith(f"{i}.") for name in segment_files(folder)) for i in live_ids)
    logs = sorted(p.name for p in folder.glob(".commits-*"))
    assert len(logs) <= whoosh_files.RETAIN_SECONDS / whoosh_files.BUCKET_SECONDS + 2
    with current.searcher() as searcher:
        assert [int(f["version"]) for f in searcher.all_stored_fields()] == [49]


def test_a_record_cut_short_keeps_everything(tmp_path, clock):
    engine = WhooshEngine(str(tmp_path))
    engine.apply({1: [entry(1)]})
    folder = engine.live_folder()
    for step in range(20):
        clock.advance(seconds=11)
        engine.apply({1: [entry(1, step + 2)]})
    before = toc_generations(folder)
    newest = max(folder.glob(".commits-*"))
    with open(newest, "a") as handle:
        handle.write("12")  # no segment ids, no newline: then the next commit appends
    with open(newest, "a") as handle:
        handle.write("x\n")
    clock.advance(seconds=11)
    engine.apply({1: [entry(1, 99)]})
    assert before <= toc_generations(folder)
