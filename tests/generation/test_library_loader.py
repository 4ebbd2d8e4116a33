"""The library loader: read once, re-read when a file changes, skip a broken template."""

import json
import os

from clearinghouse.generation import library, sources


def test_loaded_once_and_reloaded_when_a_file_changes(gen_app, library_root, monkeypatch):
    first = library.library_get()
    assert library.library_get() is first
    monkeypatch.setattr(library, "CHECK_SECONDS", 0.0)  # look at the files on every call
    assert library.library_get() is first
    meta_path = library_root / "test-letter" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["title"] = "Renamed letter"
    meta_path.write_text(json.dumps(meta))
    stat = meta_path.stat()
    os.utime(meta_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    second = library.library_get()
    assert second is not first
    assert library.entry_get("test-letter").title == "Renamed letter"


def test_broken_template_is_skipped(gen_app, library_root):
    (library_root / "test-report" / "schema.json").write_text("{broken")
    assert set(library.library_get().entries) == {"test-letter"}


def test_library_provider_gives_version_and_sha256(gen_app, users):
    source = sources.source_get(users["practitioner"], "test-report")
    assert source.source == "library" and source.version == "2.1"
    assert len(source.sha256) == 64
    assert source.load()[:2] == b"PK"
    assert source.purpose == "Report to conference."
