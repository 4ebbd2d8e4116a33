"""A backup taken while another process keeps uploading versions restores whole.

This is the reported bug: copying the instance folder under load gave copies where versions
had no blob. Here a writer process uploads through the documents service throughout; the
backup waits, after its snapshot, until the writer has committed more versions, so the live
store holds blobs the snapshot does not name while the blobs are copied.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from backup_helpers import every_blob_readable, fresh_app, signed_in
from factories import make_authority, make_document, make_user

from clearinghouse import storage
from clearinghouse.accounts import ensure_vocabulary
from clearinghouse.backup.restore import backup_restore
from clearinghouse.backup.service import backup_create
from clearinghouse.extensions import db
from clearinghouse.models import DocumentVersion

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("backup_writer.py")


def _live_versions() -> int:
    db.session.rollback()  # a fresh read of what the writer has committed
    return db.session.scalar(db.select(db.func.count(DocumentVersion.id)))


def _wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.05)


def _backup_under_load(source, target, editor, tmp_path) -> None:
    """Back up source while a writer process uploads; restore into target; check it whole."""
    email = editor.email
    first = make_document(editor, title="Busy policy", data=b"# Busy\n\nStart.\n", filename="b.md")
    db.session.commit()
    stop = tmp_path / "stop"
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    # The writer uses the source's database, whichever it is (the suite may run on PostgreSQL).
    env["CLEARINGHOUSE_DATABASE_URL"] = db.engine.url.render_as_string(hide_password=False)
    arguments = [source.instance_path, email, str(first.document_id), str(stop), "2000"]
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: _live_versions() >= 5)
        seen = {}

        def after_snapshot(message: str) -> None:
            if not seen:  # the snapshot is taken: let the writer commit more before blobs copy
                seen["live"] = _live_versions()
                _wait_for(lambda: _live_versions() >= seen["live"] + 3)

        report = backup_create(tmp_path / "backup", progress=after_snapshot)
        during = _live_versions()
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert "Traceback" not in err
    snapshot_versions = report.manifest.counts["versions"]
    assert 5 <= snapshot_versions <= seen["live"] < during <= _live_versions()
    assert len(out.split()) >= during - 1  # the writer committed throughout

    with target.app_context():
        result = backup_restore(tmp_path / "backup", procs=1)
        assert result.index.clean
        numbers = list(db.session.scalars(db.select(DocumentVersion.number)))
        assert len(numbers) == snapshot_versions
        # Exactly the blobs the snapshot names: none missing, none from after it.
        referenced = storage.referenced_digests() - {None}
        assert referenced == set(report.manifest.blobs)
    assert every_blob_readable(target) == snapshot_versions
    client = signed_in(target, email)
    for number in numbers:
        response = client.get(f"/documents/{first.document_id}/versions/{number}/download")
        assert response.status_code == 200


def test_backup_while_a_writer_uploads_restores_every_blob(app, users, tmp_path):
    target = fresh_app(tmp_path / "restored")
    _backup_under_load(app, target, users["editor"], tmp_path)


@pytest.mark.needs_postgres
def test_postgres_backup_while_a_writer_uploads_restores_every_blob(
    tmp_path, postgres_url, second_url
):
    source = fresh_app(tmp_path / "source", DATABASE_URL=postgres_url)
    target = fresh_app(tmp_path / "restored", DATABASE_URL=second_url)
    with source.app_context():
        db.create_all()
        ensure_vocabulary()
        make_authority("north")
        editor = make_user("editor", "north")
        _backup_under_load(source, target, editor, tmp_path)
