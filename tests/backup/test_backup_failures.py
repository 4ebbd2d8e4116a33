"""A restore that fails leaves a clear state; every failure is one line; a backup is private."""

import json
import os
import sqlite3
import stat

import pytest
from backup_helpers import fresh_app, west_unchanged
from factories import make_authority

from clearinghouse import storage
from clearinghouse.backup import restore as restore_module
from clearinghouse.backup import sqlite as sqlite_module
from clearinghouse.backup.restore import backup_restore
from clearinghouse.backup.service import BackupError, backup_create
from clearinghouse.errors import Conflict
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent
from clearinghouse.search.index import get_engine
from clearinghouse.search.whoosh_files import rebuild_lock


def test_a_blob_that_cannot_be_put_leaves_the_database_as_it_was(backup, other, monkeypatch):
    put = storage.put_blob
    calls = []

    def put_until_the_disk_is_full(data):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return put(data)

    monkeypatch.setattr(storage, "put_blob", put_until_the_disk_is_full)
    if storage.store_name() == "database":  # its blobs live in the database: put after it
        with pytest.raises(BackupError, match="has been replaced.*restore --force"):
            backup_restore(backup, force=True, procs=1)
        return
    with pytest.raises(BackupError, match="database was not changed"):
        backup_restore(backup, force=True, procs=1)
    west_unchanged()


def test_a_running_rebuild_is_refused_before_anything_changes(backup, other):
    with rebuild_lock(get_engine().root):
        with pytest.raises(BackupError, match="being rebuilt.*Nothing changed"):
            backup_restore(backup, force=True, procs=1)
    west_unchanged()


def test_a_failure_after_the_swap_says_what_state_and_what_to_run(backup, other, monkeypatch):
    def rebuild_started_meanwhile(procs=None):
        raise Conflict("The search index is already being rebuilt.", "reindex_running")

    monkeypatch.setattr(restore_module, "index_rebuild", rebuild_started_meanwhile)
    result = other.test_cli_runner().invoke(args=["restore", "--force", str(backup)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "has been replaced by the backup's" in result.output
    assert "flask --app clearinghouse reindex" in result.output


def test_a_locked_sqlite_database_is_one_line_saying_stop_the_servers(
    tmp_path, monkeypatch, request
):
    lite = fresh_app(tmp_path / "lite", DATABASE_URL=f"sqlite:///{tmp_path / 'lite.sqlite3'}")
    with lite.app_context():
        db.create_all()
        backup_create(tmp_path / "backup")
        monkeypatch.setattr(sqlite_module, "BUSY_MS", 50)
        holder = sqlite3.connect(tmp_path / "lite.sqlite3")
        request.addfinalizer(holder.close)
        holder.execute("BEGIN EXCLUSIVE")  # an app server in the middle of a write
        result = lite.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "stop the app servers first" in result.output
    said = result.output.strip().splitlines()  # progress lines, then the error, one line
    assert said[-1].startswith("Error: ") and not any("Error" in line for line in said[:-1])


BAD_MANIFESTS = {
    "a blob outside the backup": (
        lambda m: m["blobs"].update({"/etc/shadow": 10}),
        "is not a sha256",
    ),
    "an upper-case blob name": (
        lambda m: m["blobs"].update({"A" * 64: 10}),
        "is not a sha256",
    ),
    "a negative size": (
        lambda m: m["blobs"].update({next(iter(m["blobs"])): -1}),
        "size of the stored file",
    ),
    "blobs as a list": (lambda m: m.update(blobs=[]), "'blobs' has the wrong type"),
    "a count in words": (lambda m: m["counts"].update(users="six"), "'counts' must map"),
    "a snapshot without sha256": (lambda m: m["snapshot"].pop("sha256"), "'snapshot' must"),
    "no created_at": (lambda m: m.pop("created_at"), "has no 'created_at'"),
    "a list": (lambda m: [m], "is not a Clearinghouse backup manifest"),
}


@pytest.mark.parametrize("bad", sorted(BAD_MANIFESTS))
def test_a_malformed_manifest_is_one_line_saying_what_is_wrong(backup, other, bad):
    change, said = BAD_MANIFESTS[bad]
    path = backup / "manifest.json"
    manifest = json.loads(path.read_text())
    changed = change(manifest)  # edits it in place, or returns what to write instead
    path.write_text(json.dumps(changed if isinstance(changed, list) else manifest))
    result = other.test_cli_runner().invoke(args=["restore", "--force", str(backup)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert said in result.output and len(result.output.strip().splitlines()) == 1
    west_unchanged()


def test_counts_that_differ_from_the_snapshot_are_refused(tmp_path):
    lite = fresh_app(tmp_path / "lite", DATABASE_URL=f"sqlite:///{tmp_path / 'lite.sqlite3'}")
    with lite.app_context():
        db.create_all()
        make_authority("west")
        backup_create(tmp_path / "backup")
    path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["counts"]["authorities"] = 7
    path.write_text(json.dumps(manifest))
    with fresh_app(
        tmp_path / "new", DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}"
    ).app_context():
        with pytest.raises(BackupError, match="row counts differ from the manifest"):
            backup_restore(tmp_path / "backup")


def test_a_backup_is_its_owners_alone_even_in_an_existing_open_folder(backup, app, tmp_path):
    dest = tmp_path / "open"
    dest.mkdir(mode=0o755)
    dest.chmod(0o755)
    previous = os.umask(0o022)  # the usual umask: files 0644 unless the backup says otherwise
    try:
        backup_create(dest)
    finally:
        os.umask(previous)
    paths = [dest, *dest.rglob("*")]
    assert len(paths) > 5
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_an_instance_with_only_an_authority_and_its_audit_log_is_not_empty(backup, tmp_path):
    with fresh_app(tmp_path / "bare").app_context():
        db.create_all()
        make_authority("west")
        db.session.add(AuditEvent(action="sign_in_failed", object_type="user", object_id="9"))
        db.session.commit()
        with pytest.raises(BackupError, match=r"holds 1 authorities, 2 audit events\. .*--force"):
            backup_restore(backup)
        assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 2
