"""What only the folder store has: files, their temporary names and their folder."""

import os
import time

import pytest

from clearinghouse.storage import blob_gc, blob_path, put_blob

pytestmark = pytest.mark.blob_stores("folder")
DAY = 24 * 3600


def _age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_put_blob_leaves_a_young_file_as_it_was(app):
    digest = put_blob(b"written once")
    before = blob_path(digest).stat()
    put_blob(b"written once")
    after = blob_path(digest).stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_gc_removes_stale_temporary_files(app):
    put_blob(b"something, so the folders exist")
    folder = blob_path(put_blob(b"something, so the folders exist")).parent
    stale, fresh = folder / ".tmp-stale", folder / ".tmp-fresh"
    stale.write_bytes(b"half a file from a crash")
    fresh.write_bytes(b"a write in progress")
    _age(stale, 2 * DAY)

    report = blob_gc(DAY)

    assert [name for name, _size in report.removed] == [".tmp-stale"]
    assert not stale.exists() and fresh.exists()


def test_gc_with_no_blob_folder_does_nothing(app):
    assert blob_gc(DAY).removed == []
