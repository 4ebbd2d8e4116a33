"""A SQLite backup restored into PostgreSQL: how a pilot instance moves to a shared database.

Needs the ``postgres_url`` fixture; without it these tests are left out (see conftest.py).
"""

import sqlite3

import pytest
from alembic.script import ScriptDirectory
from backup_helpers import WORDS, every_blob_readable, fresh_app, signed_in
from docx_builder import make_docx
from factories import make_authority, make_document, make_user, make_version

from clearinghouse.backup.restore import backup_restore
from clearinghouse.backup.service import BackupError, backup_create
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, Authority, Document, User
from clearinghouse.search.query import search_documents

pytestmark = pytest.mark.needs_postgres


def _pilot(tmp_path) -> dict:
    """Make a SQLite instance as init-db does, with documents in several versions; back it up."""
    pilot = fresh_app(tmp_path / "pilot", DATABASE_URL=f"sqlite:///{tmp_path / 'pilot.sqlite3'}")
    made = pilot.test_cli_runner().invoke(args=["init-db"])
    assert made.exit_code == 0, made.output
    files, current = {}, {}
    with pilot.app_context():
        make_authority("north")
        make_authority("south")
        editor = make_user("editor", "north")
        south = make_user("editor", "south")
        for index, word in enumerate(WORDS):
            owner = editor if index % 2 == 0 else south
            first = f"# {word}\n\nThe first {word}.\n".encode()
            document = make_document(owner, title=f"Policy {word}", data=first, filename="p.md")
            files[(document.document_id, 1)] = first
            for number in range(2, 2 + index):
                data = make_docx([f"Version {number} of the {word} guidance."], heading=word)
                make_version(owner, document.document_id, data, "g.docx")
                files[(document.document_id, number)] = data
            current[document.document_id] = (word, 1 + index)
        events = db.session.scalar(db.select(db.func.count(AuditEvent.id)))
        email = editor.email
        report = backup_create(tmp_path / "backup")
    return {
        "files": files,
        "current": current,
        "editor": email,
        "events": events,
        "manifest": report.manifest,
    }


def test_a_sqlite_backup_moves_into_postgresql(tmp_path, postgres_url):
    pilot = _pilot(tmp_path)
    hosted = fresh_app(tmp_path / "hosted", DATABASE_URL=postgres_url)
    result = hosted.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "check-index: the search index is up to date." in result.output
    with hosted.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == pilot["events"]

    client = signed_in(hosted, pilot["editor"])  # the password hash came across
    for (document_id, number), data in pilot["files"].items():
        response = client.get(f"/documents/{document_id}/versions/{number}/download")
        assert response.status_code == 200 and response.data == data
    assert every_blob_readable(hosted) == len(pilot["files"])
    with hosted.app_context():
        assert db.engine.dialect.name == "postgresql"
        revision = db.session.scalar(db.text("SELECT version_num FROM alembic_version"))
        heads = ScriptDirectory.from_config(hosted.extensions["migrate"].migrate.get_config())
        assert [revision] == heads.get_heads()
        reader = make_user("practitioner", "north", email="reader@north.example")
        for document_id, (word, number) in pilot["current"].items():
            hits = search_documents(reader, word).results
            assert [(h.document_id, h.version) for h in hits] == [(document_id, number)]
        # New rows take the next ids and numbers after the copied ones.
        largest = db.session.scalar(db.select(db.func.max(Document.id)))
        editor = db.session.scalar(db.select(User).filter_by(email=pilot["editor"]))
        added = make_document(editor, title="After the move", data=b"# New\n", filename="n.md")
        assert added.document_id == largest + 1
        first_id, (_word, number) = next(iter(pilot["current"].items()))
        assert make_version(editor, first_id, b"# Next\n", "n.md").number == number + 1
        assert reader.id > max(u.id for u in db.session.scalars(db.select(User)) if u != reader)


def test_a_row_postgresql_refuses_leaves_it_as_it_was(tmp_path, postgres_url):
    _pilot(tmp_path)
    # SQLite keeps a text longer than its column allows; PostgreSQL refuses it.
    snapshot = tmp_path / "backup" / "database.sqlite3"
    hosted = fresh_app(tmp_path / "hosted", DATABASE_URL=postgres_url)
    with hosted.app_context():
        db.create_all()
        make_authority("west")
    connection = sqlite3.connect(snapshot)
    connection.execute("UPDATE authority SET name = ? WHERE slug = 'south'", ("x" * 5000,))
    connection.commit()
    connection.close()
    _rewrite_manifest_digest(tmp_path / "backup")
    with hosted.app_context():
        with pytest.raises(BackupError, match="Copying the SQLite backup into PostgreSQL failed"):
            backup_restore(tmp_path / "backup", force=True, procs=1)
        assert [a.slug for a in db.session.scalars(db.select(Authority))] == ["west"]


def test_an_older_sqlite_backup_is_upgraded_in_sqlite_first(tmp_path, postgres_url):
    from alembic import command

    old = fresh_app(tmp_path / "old", DATABASE_URL=f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with old.app_context():
        command.upgrade(old.extensions["migrate"].migrate.get_config(), "9ba04120dcda")
        make_authority("north")
        backup_create(tmp_path / "backup")
    hosted = fresh_app(tmp_path / "hosted", DATABASE_URL=postgres_url)
    with hosted.app_context():
        db.create_all()
        with pytest.raises(BackupError, match="Restore it into a SQLite instance of this version"):
            backup_restore(tmp_path / "backup", procs=1)
        assert db.session.scalar(db.select(db.func.count(Authority.id))) == 0


def _rewrite_manifest_digest(backup) -> None:
    """Record the edited snapshot's sha256 and size, as if the backup had been made so."""
    import json

    from clearinghouse.backup.manifest import file_digest

    path = backup / "manifest.json"
    manifest = json.loads(path.read_text())
    digest, size = file_digest(backup / "database.sqlite3")
    manifest["snapshot"].update(sha256=digest, size=size)
    path.write_text(json.dumps(manifest))
