"""Backup and restore on PostgreSQL: pg_dump of an exported snapshot, pg_restore, every blob.

Needs the ``postgres_url`` fixture (an empty database on a throw-away cluster whose role may
create databases); without it these tests are left out (see conftest.py here).
"""

import json
import subprocess
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.script import ScriptDirectory
from backup_helpers import WORDS, every_blob_readable, fresh_app, signed_in
from factories import make_authority, make_document, make_user, make_version
from sqlalchemy.engine import make_url

from clearinghouse.accounts import ensure_vocabulary
from clearinghouse.backup import postgres as postgres_module
from clearinghouse.backup.postgres import libpq_target
from clearinghouse.backup.restore import backup_restore
from clearinghouse.backup.service import BackupError, backup_create
from clearinghouse.extensions import db
from clearinghouse.models import Authority, DocType, Document
from clearinghouse.search.query import search_documents

pytestmark = pytest.mark.needs_postgres


def _seed_postgres(app) -> dict:
    with app.app_context():
        db.create_all()
        ensure_vocabulary()
        make_authority("north")
        editor = make_user("editor", "north")
        files = {}
        for word in WORDS[:2]:
            made = make_document(editor, title=word, data=f"# {word}\n".encode(), filename="a.md")
            files[(made.document_id, 1)] = f"# {word}\n".encode()
            data = f"# {word}\n\nThe second {word}.\n".encode()
            make_version(editor, made.document_id, data, "a.md")
            files[(made.document_id, 2)] = data
        return {"files": files, "email": editor.email}


HOSTED = {"SEARCH_ENGINE": "postgres", "BLOB_STORE": "database"}


@pytest.mark.parametrize("hosting", [{}, HOSTED], ids=["whoosh-folder", "postgres-search-blobs"])
def test_postgres_round_trip(tmp_path, postgres_url, second_url, hosting):
    source = fresh_app(tmp_path / "source", DATABASE_URL=postgres_url, **hosting)
    seeded = _seed_postgres(source)
    with source.app_context():
        report = backup_create(tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database_kind"] == "postgresql" and manifest["counts"]["versions"] == 4
    assert (tmp_path / "backup" / "database.pgdump").read_bytes()[:5] == b"PGDMP"
    assert len(report.manifest.blobs) == 4

    target = fresh_app(tmp_path / "target", DATABASE_URL=second_url, **hosting)
    with target.app_context():
        restored = backup_restore(tmp_path / "backup", procs=1)
        assert restored.index.clean and restored.indexed == 2
        reader = make_user("practitioner", "north", email="reader@north.example")
        for word in WORDS[:2]:
            assert [hit.version for hit in search_documents(reader, word).results] == [2]
    assert every_blob_readable(target) == 4
    client = signed_in(target, seeded["email"])  # with the password the user had
    for (document_id, number), data in seeded["files"].items():
        response = client.get(f"/documents/{document_id}/versions/{number}/download")
        assert response.status_code == 200 and response.data == data


def test_postgres_restore_refuses_a_non_empty_database(tmp_path, postgres_url):
    sqlite = fresh_app(tmp_path / "lite", DATABASE_URL=f"sqlite:///{tmp_path / 'lite.sqlite3'}")
    with sqlite.app_context():
        db.create_all()
        backup_create(tmp_path / "sqlite-backup")
    target = fresh_app(tmp_path / "target", DATABASE_URL=postgres_url)
    _seed_postgres(target)
    with target.app_context():
        with pytest.raises(BackupError, match="holds 1 users and 2 documents"):
            backup_restore(tmp_path / "sqlite-backup")  # a move from SQLite is refused alike
        backup_create(tmp_path / "pg-backup")
        with pytest.raises(BackupError, match="holds 1 users and 2 documents"):
            backup_restore(tmp_path / "pg-backup")
        assert db.session.scalar(db.select(db.func.count(Document.id))) == 2


def test_the_password_is_not_on_the_command_line(tmp_path, postgres_url, second_url, monkeypatch):
    password = "literal-Pa55word"  # the cluster trusts local connections: any password does
    source_url = make_url(postgres_url).set(password=password)
    target_url = make_url(second_url).set(password=password)
    seen: list[tuple[list[str], dict]] = []
    real_run, real_popen = subprocess.run, subprocess.Popen

    def run(command, **kwargs):
        seen.append((list(command), kwargs["env"]))
        return real_run(command, **kwargs)

    def popen(command, **kwargs):
        seen.append((list(command), kwargs["env"]))
        return real_popen(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(subprocess, "Popen", popen)
    source = fresh_app(tmp_path / "source", DATABASE_URL=source_url.render_as_string(False))
    with source.app_context():
        db.create_all()
        make_authority("north")
        backup_create(tmp_path / "backup")
    target = fresh_app(tmp_path / "target", DATABASE_URL=target_url.render_as_string(False))
    with target.app_context():
        backup_restore(tmp_path / "backup", procs=1)
    programs = sorted({Path(argv[0]).name for argv, _env in seen})
    assert programs == ["pg_dump", "pg_restore", "psql"]
    for argv, env in seen:
        assert not any(password in part for part in argv), argv
        assert env["PGPASSWORD"] == password


def test_an_older_backup_restores_into_an_init_db_database(tmp_path, postgres_url, second_url):
    old = fresh_app(tmp_path / "old", DATABASE_URL=postgres_url)
    with old.app_context():
        command.upgrade(old.extensions["migrate"].migrate.get_config(), "9ba04120dcda")
        make_authority("north")
        backup_create(tmp_path / "backup")
    target = fresh_app(tmp_path / "target", DATABASE_URL=second_url)
    made = target.test_cli_runner().invoke(args=["init-db"])
    assert made.exit_code == 0, made.output
    with target.app_context():
        restored = backup_restore(tmp_path / "backup", procs=1)
        assert restored.upgraded_from == "9ba04120dcda" and restored.index.clean
        heads = ScriptDirectory.from_config(target.extensions["migrate"].migrate.get_config())
        revision = db.session.scalar(db.text("SELECT version_num FROM alembic_version"))
        assert [revision] == heads.get_heads()
        assert [a.slug for a in db.session.scalars(db.select(Authority))] == ["north"]
        assert db.session.scalar(db.select(db.func.count(DocType.id))) > 0  # the vocabulary


def test_a_database_in_use_fails_in_one_line_and_is_left_as_it_was(
    tmp_path, postgres_url, second_url, monkeypatch
):
    source = fresh_app(tmp_path / "source", DATABASE_URL=postgres_url)
    _seed_postgres(source)
    with source.app_context():
        backup_create(tmp_path / "backup")
    target = fresh_app(tmp_path / "target", DATABASE_URL=second_url)
    _seed_postgres(target)
    monkeypatch.setattr(postgres_module, "LOCK_TIMEOUT", "1s")
    conninfo, env = libpq_target(make_url(second_url))
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as server:
        # An app server in the middle of a transaction: a lock the restore must wait for.
        server.execute("SELECT count(*) FROM document")
        with target.app_context():
            result = target.test_cli_runner().invoke(
                args=["restore", "--force", str(tmp_path / "backup")]
            )
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "stop the app servers first" in result.output
    with target.app_context():
        assert db.session.scalar(db.select(db.func.count(Document.id))) == 2


def test_counts_that_differ_from_the_dump_roll_the_restore_back(tmp_path, postgres_url, second_url):
    source = fresh_app(tmp_path / "source", DATABASE_URL=postgres_url)
    _seed_postgres(source)
    with source.app_context():
        backup_create(tmp_path / "backup")
    path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["counts"]["versions"] += 1  # a manifest that no longer matches its dump
    path.write_text(json.dumps(manifest))
    target = fresh_app(tmp_path / "target", DATABASE_URL=second_url)
    _seed_postgres(target)
    with target.app_context():
        db.session.add(Authority(slug="only-here", name="Only here"))
        db.session.commit()
        result = target.test_cli_runner().invoke(
            args=["restore", "--force", str(tmp_path / "backup")]
        )
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "row counts differ from the manifest" in result.output
    assert "rolled back" in result.output
    with target.app_context():
        assert db.session.scalar(db.select(db.func.count(Document.id))) == 2
        assert db.session.scalar(db.select(Authority).filter_by(slug="only-here")) is not None
