"""The blob store, run against both stores: writes, verified reads, streams, and the garbage
collector that alone decides a blob is unused."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from blob_helpers import blob_age, blob_exists, blob_remove, blob_stored_at, blob_tamper
from sqlalchemy.exc import IntegrityError

from clearinghouse import create_app, storage
from clearinghouse.config import SettingError
from clearinghouse.errors import Conflict
from clearinghouse.extensions import db
from clearinghouse.models import Authority
from clearinghouse.storage import BlobCorrupted, blob_gc, get_blob, open_blob, put_blob
from clearinghouse.unit_of_work import unit_of_work

ROOT = Path(__file__).resolve().parents[2]
DAY = 24 * 3600
MIB = 1024 * 1024


def _committed(data: bytes) -> str:
    """Put data and commit, as an upload's unit of work would."""
    digest = put_blob(data)
    db.session.commit()
    return digest


def test_every_sha256_column_is_in_the_registry(app):
    stores_own = {"Blob", "BlobChunk"}  # the database store's tables hold blobs, not references
    columns = {
        (mapper.class_.__name__, column.key)
        for mapper in db.Model.registry.mappers
        for column in mapper.columns
        if column.key.endswith("sha256") and mapper.class_.__name__ not in stores_own
    }
    registered = {(model.__name__, column.key) for model, column in storage.BLOB_REFERENCES}
    expected = {
        ("DocumentVersion", "sha256"),
        ("TemplateVersion", "sha256"),
        ("ProfileVersion", "logo_sha256"),  # an authority's letterhead logo
    }
    assert columns == registered == expected


def test_round_trip_and_the_same_bytes_are_stored_once(app):
    data = b"# A policy\n\nIts words.\n"
    digest = _committed(data)
    assert digest == storage.sha256_of(data)
    assert _committed(data) == digest
    assert get_blob(digest) == data
    if storage.store_name() == "database":
        count = db.session.scalar(db.text("SELECT count(*) FROM blob"))
        assert count == 1
    else:
        assert [p.name for p in storage.blob_root().glob("??/??/*")] == [digest]


def test_an_empty_blob_round_trips(app):
    digest = _committed(b"")
    assert get_blob(digest) == b"" and open_blob(digest).size == 0
    assert list(open_blob(digest)) == []


def test_a_damaged_blob_is_refused_on_read(app):
    digest = _committed(b"# Original\n")
    blob_tamper(digest, b"# Tampered\n")
    with pytest.raises(BlobCorrupted) as raised:
        get_blob(digest)
    assert raised.value.code == "blob_corrupted" and "damaged" in raised.value.message
    with pytest.raises(BlobCorrupted):
        open_blob(digest)  # refused before a download sends anything


def test_a_missing_blob_is_file_not_found(app):
    digest = _committed(b"soon lost")
    blob_remove(digest)
    with pytest.raises(FileNotFoundError):
        get_blob(digest)
    with pytest.raises(FileNotFoundError):
        open_blob(digest)
    with pytest.raises(ValueError):
        get_blob("../../etc/passwd")


def test_a_large_blob_streams_in_chunks_the_same_bytes(app):
    data = os.urandom(3 * MIB + 12345)
    digest = _committed(data)
    stream = open_blob(digest)
    chunks = list(stream)
    assert stream.size == len(data)
    assert [len(c) for c in chunks] == [MIB, MIB, MIB, 12345]
    assert b"".join(chunks) == data == get_blob(digest)


def test_a_stream_damaged_after_opening_stops_before_its_last_chunk(app):
    data = os.urandom(2 * MIB + 10)
    digest = _committed(data)
    stream = open_blob(digest)  # checked whole here
    blob_tamper(digest, os.urandom(MIB), seq=0)  # the file, or its first chunk
    sent = []
    with pytest.raises(BlobCorrupted):
        for chunk in stream:
            sent.append(chunk)
    assert sum(len(c) for c in sent) < len(data)  # the download falls short of Content-Length


def test_gc_removes_old_orphans_only(app, users, make_document):
    kept = make_document(users["editor"], title="Kept")
    old_orphan = _committed(b"an upload whose commit failed long ago")
    young_orphan = _committed(b"an upload whose commit may still be running")
    for digest in (kept.sha256, old_orphan):
        blob_age(digest, 2 * DAY)

    report = blob_gc(DAY)

    assert report.removed == [(old_orphan, len(b"an upload whose commit failed long ago"))]
    assert report.bytes_freed == len(b"an upload whose commit failed long ago")
    assert (report.kept_referenced, report.kept_young) == (1, 1)
    assert not blob_exists(old_orphan)
    assert get_blob(kept.sha256)
    assert get_blob(young_orphan) == b"an upload whose commit may still be running"


def test_gc_removes_an_old_orphan_of_several_chunks_whole(app):
    digest = _committed(os.urandom(2 * MIB + 1))
    blob_age(digest, 2 * DAY)
    assert blob_gc(DAY).removed == [(digest, 2 * MIB + 1)]
    assert not blob_exists(digest)
    if storage.store_name() == "database":  # the chunks went with the header
        assert db.session.scalar(db.text("SELECT count(*) FROM blob_chunk")) == 0


def test_put_blob_renews_an_old_orphan_so_gc_keeps_it(app):
    data = b"the same bytes uploaded again after a month"
    digest = _committed(data)
    blob_age(digest, 30 * DAY)

    assert _committed(data) == digest  # a new upload reuses the orphan
    assert time.time() - blob_stored_at(digest) < DAY

    report = blob_gc(DAY)
    assert report.removed == [] and report.kept_young == 1
    assert get_blob(digest) == data


def test_put_blob_leaves_a_young_blob_as_it_was(app):
    digest = _committed(b"written once")
    blob_age(digest, 3600)  # younger than half the grace period
    before = blob_stored_at(digest)
    _committed(b"written once")
    assert blob_stored_at(digest) == before


def test_gc_dry_run_removes_nothing(app):
    digest = _committed(b"unused")
    blob_age(digest, 2 * DAY)
    report = blob_gc(DAY, dry_run=True)
    assert report.removed == [(digest, 6)] and report.dry_run
    assert (report.kept_referenced, report.kept_young) == (0, 0)
    assert blob_exists(digest)


def test_gc_with_nothing_stored_does_nothing(app):
    assert blob_gc(DAY).removed == []


def test_cli_dry_run_lists_and_removes_nothing(app, runner, users, make_document):
    used = make_document(users["editor"], title="Used")
    orphan = _committed(b"nobody's file")
    for digest in (used.sha256, orphan):
        blob_age(digest, 3 * DAY)

    result = runner.invoke(args=["gc-blobs", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert f"Would remove {orphan} (13 bytes)" in result.output
    assert "Would remove 1 files, would free 13 bytes" in result.output
    assert used.sha256 not in result.output
    assert blob_exists(orphan) and blob_exists(used.sha256)


def test_cli_removes_and_reports_bytes_freed(app, runner, users, make_document):
    used = make_document(users["editor"], title="Used")
    orphan = _committed(b"nobody's file")
    young = _committed(b"just written")
    for digest in (used.sha256, orphan):
        blob_age(digest, 3 * DAY)

    result = runner.invoke(args=["gc-blobs"])

    assert result.exit_code == 0, result.output
    assert f"Removed {orphan} (13 bytes)" in result.output
    assert "Removed 1 files, freed 13 bytes; kept 1 in use and 1 younger than 24 h." in (
        result.output
    )
    assert not blob_exists(orphan)
    assert blob_exists(used.sha256) and blob_exists(young)


def test_cli_grace_comes_from_the_setting(app, runner):
    orphan = _committed(b"an hour old")
    blob_age(orphan, 3600)
    app.config["CLEARINGHOUSE"]["BLOB_GC_GRACE_HOURS"] = 0.5
    result = runner.invoke(args=["gc-blobs"])
    assert f"Removed {orphan}" in result.output
    assert not blob_exists(orphan)


@pytest.mark.blob_stores("folder")
def test_unit_of_work_keeps_a_written_file_when_the_commit_fails(app, authorities):
    data = b"staged for a commit that fails"
    with pytest.raises(IntegrityError):
        with unit_of_work() as work:
            db.session.add(Authority(slug="north", name="A second north"))  # slug is unique
            digest = work.stage_blob(data)
    assert get_blob(digest) == data  # left for blob_gc, which can see every table
    assert db.session.scalar(db.select(db.func.count()).select_from(Authority)) == 2


@pytest.mark.blob_stores("database")
def test_unit_of_work_rolls_the_blob_back_with_a_failed_commit(app, authorities):
    data = os.urandom(MIB + 1)  # two chunks
    with pytest.raises(IntegrityError):
        with unit_of_work() as work:
            db.session.add(Authority(slug="north", name="A second north"))  # slug is unique
            digest = work.stage_blob(data)
    assert not blob_exists(digest)
    assert db.session.scalar(db.text("SELECT count(*) FROM blob_chunk")) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Authority)) == 2


def test_unit_of_work_maps_a_unique_clash_to_version_conflict(app, authorities):
    with pytest.raises(Conflict) as raised:
        with unit_of_work("Someone else got there first."):
            db.session.add(Authority(slug="south", name="A second south"))
    assert raised.value.code == "version_conflict" and raised.value.status == 409
    assert raised.value.message == "Someone else got there first."


def test_an_unknown_blob_store_is_refused_at_start(tmp_path):
    with pytest.raises(SettingError) as raised:
        create_app({"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "BLOB_STORE": "s3"})
    assert (
        str(raised.value) == "CLEARINGHOUSE_BLOB_STORE must be one of folder, database, not 's3'."
    )


def test_an_unknown_blob_store_stops_a_command_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARINGHOUSE_")}
    env.update(
        CLEARINGHOUSE_INSTANCE_PATH=str(tmp_path),
        CLEARINGHOUSE_BLOB_STORE="Database ",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "clearinghouse", "gc-blobs"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "Error: CLEARINGHOUSE_BLOB_STORE must be one of folder, database, not 'Database '."
    )
