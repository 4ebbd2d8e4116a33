"""The blob store: writes, and the garbage collector that alone decides a blob is unused."""

import os
import time

import pytest
from sqlalchemy.exc import IntegrityError

from clearinghouse import storage
from clearinghouse.errors import Conflict
from clearinghouse.extensions import db
from clearinghouse.models import Authority
from clearinghouse.storage import blob_gc, blob_path, get_blob, put_blob
from clearinghouse.unit_of_work import unit_of_work

DAY = 24 * 3600


def _age(path, seconds: float) -> None:
    """Make the file look as if it was last written `seconds` ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_every_sha256_column_is_in_the_registry(app):
    columns = {
        (mapper.class_.__name__, column.key)
        for mapper in db.Model.registry.mappers
        for column in mapper.columns
        if column.key.endswith("sha256")
    }
    registered = {(model.__name__, column.key) for model, column in storage.BLOB_REFERENCES}
    expected = {
        ("DocumentVersion", "sha256"),
        ("TemplateVersion", "sha256"),
        ("ProfileVersion", "logo_sha256"),  # an authority's letterhead logo
    }
    assert columns == registered == expected


def test_gc_removes_old_orphans_only(app, users, make_document):
    kept = make_document(users["editor"], title="Kept")
    old_orphan = put_blob(b"an upload whose commit failed long ago")
    young_orphan = put_blob(b"an upload whose commit may still be running")
    for digest in (kept.sha256, old_orphan):
        _age(blob_path(digest), 2 * DAY)

    report = blob_gc(DAY)

    assert report.removed == [(old_orphan, len(b"an upload whose commit failed long ago"))]
    assert report.bytes_freed == len(b"an upload whose commit failed long ago")
    assert (report.kept_referenced, report.kept_young) == (1, 1)
    assert not blob_path(old_orphan).exists()
    assert get_blob(kept.sha256)
    assert get_blob(young_orphan) == b"an upload whose commit may still be running"


def test_put_blob_renews_an_old_orphan_so_gc_keeps_it(app):
    data = b"the same bytes uploaded again after a month"
    digest = put_blob(data)
    path = blob_path(digest)
    _age(path, 30 * DAY)

    assert put_blob(data) == digest  # a new upload, not yet committed, reuses the orphan
    assert time.time() - path.stat().st_mtime < DAY

    report = blob_gc(DAY)
    assert report.removed == [] and report.kept_young == 1
    assert get_blob(digest) == data


def test_put_blob_leaves_a_young_blob_as_it_was(app):
    digest = put_blob(b"written once")
    before = blob_path(digest).stat()
    put_blob(b"written once")
    after = blob_path(digest).stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_gc_removes_stale_temporary_files(app):
    put_blob(b"something, so the folders exist")
    folder = blob_path(storage.sha256_of(b"something, so the folders exist")).parent
    stale, fresh = folder / ".tmp-stale", folder / ".tmp-fresh"
    stale.write_bytes(b"half a file from a crash")
    fresh.write_bytes(b"a write in progress")
    _age(stale, 2 * DAY)

    report = blob_gc(DAY)

    assert [name for name, _size in report.removed] == [".tmp-stale"]
    assert not stale.exists() and fresh.exists()


def test_gc_dry_run_removes_nothing(app):
    digest = put_blob(b"unused")
    _age(blob_path(digest), 2 * DAY)
    report = blob_gc(DAY, dry_run=True)
    assert report.removed == [(digest, 6)] and report.dry_run
    assert blob_path(digest).exists()


def test_gc_with_no_blob_folder_does_nothing(app):
    assert blob_gc(DAY).removed == []


def test_cli_dry_run_lists_and_removes_nothing(app, runner, users, make_document):
    used = make_document(users["editor"], title="Used")
    orphan = put_blob(b"nobody's file")
    for digest in (used.sha256, orphan):
        _age(blob_path(digest), 3 * DAY)

    result = runner.invoke(args=["gc-blobs", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert f"Would remove {orphan} (13 bytes)" in result.output
    assert "Would remove 1 files, would free 13 bytes" in result.output
    assert used.sha256 not in result.output
    assert blob_path(orphan).exists() and blob_path(used.sha256).exists()


def test_cli_removes_and_reports_bytes_freed(app, runner, users, make_document):
    used = make_document(users["editor"], title="Used")
    orphan = put_blob(b"nobody's file")
    young = put_blob(b"just written")
    for digest in (used.sha256, orphan):
        _age(blob_path(digest), 3 * DAY)

    result = runner.invoke(args=["gc-blobs"])

    assert result.exit_code == 0, result.output
    assert f"Removed {orphan} (13 bytes)" in result.output
    assert "Removed 1 files, freed 13 bytes; kept 1 in use and 1 younger than 24 h." in (
        result.output
    )
    assert not blob_path(orphan).exists()
    assert blob_path(used.sha256).exists() and blob_path(young).exists()


def test_cli_grace_comes_from_the_setting(app, runner):
    orphan = put_blob(b"an hour old")
    _age(blob_path(orphan), 3600)
    app.config["CLEARINGHOUSE"]["BLOB_GC_GRACE_HOURS"] = 0.5
    result = runner.invoke(args=["gc-blobs"])
    assert f"Removed {orphan}" in result.output
    assert not blob_path(orphan).exists()


def test_unit_of_work_keeps_staged_blobs_when_the_commit_fails(app, authorities):
    data = b"staged for a commit that fails"
    with pytest.raises(IntegrityError):
        with unit_of_work() as work:
            db.session.add(Authority(slug="north", name="A second north"))  # slug is unique
            digest = work.stage_blob(data)
    assert get_blob(digest) == data  # left for blob_gc, which can see every table
    assert db.session.scalar(db.select(db.func.count()).select_from(Authority)) == 2


def test_unit_of_work_maps_a_unique_clash_to_version_conflict(app, authorities):
    with pytest.raises(Conflict) as raised:
        with unit_of_work("Someone else got there first."):
            db.session.add(Authority(slug="south", name="A second south"))
    assert raised.value.code == "version_conflict" and raised.value.status == 409
    assert raised.value.message == "Someone else got there first."
