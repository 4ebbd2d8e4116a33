"""What backup and restore refuse, and that a refused restore changes nothing."""

import json
import shutil

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from backup_helpers import fresh_app, west_unchanged
from factories import make_document

from clearinghouse.backup.manifest import SNAPSHOT_NAMES
from clearinghouse.backup.restore import backup_restore
from clearinghouse.backup.service import BackupError, backup_create
from clearinghouse.extensions import db
from clearinghouse.models import DocumentVersion


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text())


def _edit_manifest(folder, **changes):
    manifest = _manifest(folder)
    manifest.update(changes)
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_dest_must_be_new_or_empty(app, users, tmp_path, runner):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    result = runner.invoke(args=["backup", str(tmp_path / "full")])
    assert result.exit_code == 1 and "is not empty" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["notes.txt"]
    (tmp_path / "file").write_text("x")
    result = runner.invoke(args=["backup", str(tmp_path / "file")])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    (tmp_path / "empty").mkdir()
    assert runner.invoke(args=["backup", str(tmp_path / "empty")]).exit_code == 0


def test_a_missing_blob_fails_the_backup_and_leaves_it_unrestorable(app, users, tmp_path):
    version = make_document(users["editor"], title="Lost", data=b"# Lost\n", filename="l.md")
    row = db.session.scalar(
        db.select(DocumentVersion).where(DocumentVersion.document_id == version.document_id)
    )
    row.sha256 = "0" * 64  # a row naming a file the store does not hold
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "0" * 64 in result.output and "missing" in result.output
    assert not (tmp_path / "backup" / "manifest.json").exists()
    assert (tmp_path / "backup" / "INCOMPLETE").exists()
    with pytest.raises(BackupError, match="did not finish"):
        backup_restore(tmp_path / "backup")


def test_a_non_empty_instance_is_refused_without_force(backup, other):
    with pytest.raises(BackupError, match=r"holds 1 users and 1 documents.*--force"):
        backup_restore(backup)
    west_unchanged()


@pytest.mark.parametrize("damage", ["blob", "snapshot", "missing blob", "manifest"])
def test_a_damaged_backup_is_refused_before_anything_changes(backup, other, damage):
    manifest = _manifest(backup)
    digest = sorted(manifest["blobs"])[0]
    blob = backup / "blobs" / digest[:2] / digest[2:4] / digest
    if damage == "blob":
        blob.write_bytes(blob.read_bytes()[:-1] + b"!")
    elif damage == "missing blob":
        blob.unlink()
    elif damage == "snapshot":
        snapshot = backup / manifest["snapshot"]["name"]
        data = bytearray(snapshot.read_bytes())
        data[len(data) // 2] ^= 0xFF
        snapshot.write_bytes(bytes(data))
    else:
        (backup / "manifest.json").write_text("{not json")
    with pytest.raises(BackupError, match="damaged|missing|cannot be read"):
        backup_restore(backup, force=True)
    west_unchanged()


def test_an_unfinished_backup_is_refused(backup, other):
    (backup / "manifest.json").unlink()
    with pytest.raises(BackupError, match="not a backup, or its backup did not finish"):
        backup_restore(backup, force=True)
    west_unchanged()


def test_a_postgresql_backup_is_refused_by_sqlite(backup, other, tmp_path):
    if _manifest(backup)["database_kind"] == "sqlite":  # this run's backups: make one claim it
        (backup / SNAPSHOT_NAMES["sqlite"]).rename(backup / SNAPSHOT_NAMES["postgresql"])
        snapshot = dict(_manifest(backup)["snapshot"], name=SNAPSHOT_NAMES["postgresql"])
        _edit_manifest(backup, database_kind="postgresql", snapshot=snapshot)
    lite = fresh_app(tmp_path / "lite", DATABASE_URL=f"sqlite:///{tmp_path / 'lite.sqlite3'}")
    with lite.app_context():
        db.create_all()
        said = "backup of a PostgreSQL database; this instance uses SQLite"
        with pytest.raises(BackupError, match=said):
            backup_restore(backup, force=True)
    west_unchanged()


def test_a_backup_from_a_newer_version_is_refused(backup, other):
    _edit_manifest(backup, alembic_revision="ffffffffffff")
    with pytest.raises(BackupError, match="newer version of Clearinghouse"):
        backup_restore(backup, force=True)
    west_unchanged()


def test_a_backup_from_an_older_migration_is_upgraded(app, tmp_path):
    old = fresh_app(tmp_path / "old")
    with old.app_context():
        config = old.extensions["migrate"].migrate.get_config()
        command.upgrade(config, "9ba04120dcda")  # before saved comparisons
        report = backup_create(tmp_path / "backup")
    assert report.manifest.alembic_revision == "9ba04120dcda"
    new = fresh_app(tmp_path / "new")
    with new.app_context():
        restored = backup_restore(tmp_path / "backup", procs=1)
        assert restored.upgraded_from == "9ba04120dcda" and restored.index.clean
        revision = db.session.scalar(db.text("SELECT version_num FROM alembic_version"))
        heads = ScriptDirectory.from_config(new.extensions["migrate"].migrate.get_config())
        assert [revision] == heads.get_heads()
        assert db.inspect(db.engine).has_table("saved_comparison")


def test_a_restored_instance_can_be_backed_up_again(backup, tmp_path):
    copy = fresh_app(tmp_path / "copy")
    with copy.app_context():
        backup_restore(backup, procs=1)
        again = backup_create(tmp_path / "again")
    assert again.manifest.blobs == _manifest(backup)["blobs"]
    assert again.manifest.counts == _manifest(backup)["counts"]
    shutil.rmtree(tmp_path / "again")
