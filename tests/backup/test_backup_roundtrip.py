"""Back up an instance and restore it into a fresh one: files, search and the index all return."""

import json

from backup_helpers import every_blob_readable, fresh_app, seed, signed_in
from factories import make_authority, make_user

from clearinghouse import storage
from clearinghouse.backup.manifest import SNAPSHOT_NAMES, blob_file, file_digest
from clearinghouse.backup.restore import backup_restore
from clearinghouse.backup.service import backup_create
from clearinghouse.extensions import db
from clearinghouse.models import Authority
from clearinghouse.profiles.service import profile_logo
from clearinghouse.search.check import index_check
from clearinghouse.search.query import search_documents


def test_round_trip_into_a_fresh_instance(app, users, tmp_path):
    seeded = seed(users)
    emails = {label: user.email for label, user in users.items()}
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "6 authorities" not in result.output and "2 authorities, 6 users" in result.output

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database_kind"] == db.engine.dialect.name and manifest["format_version"] == 1
    assert manifest["counts"]["documents"] == 5 and manifest["counts"]["versions"] == 11
    assert manifest["counts"]["templates"] == 1 and manifest["counts"]["profiles"] == 2
    wanted = {storage.sha256_of(data) for data in seeded["files"].values()}
    wanted |= {storage.sha256_of(seeded["template"])}
    wanted |= {storage.sha256_of(logo) for logo in seeded["logos"].values()}
    assert set(manifest["blobs"]) == wanted and manifest["counts"]["blobs"] == len(wanted)
    snapshot = tmp_path / "backup" / SNAPSHOT_NAMES[manifest["database_kind"]]
    assert file_digest(snapshot) == (manifest["snapshot"]["sha256"], manifest["snapshot"]["size"])
    for digest, size in manifest["blobs"].items():
        assert file_digest(blob_file(tmp_path / "backup", digest)) == (digest, size)
    assert not (tmp_path / "backup" / "INCOMPLETE").exists()
    assert (tmp_path / "backup").stat().st_mode & 0o077 == 0  # the owner's alone

    restored = fresh_app(tmp_path / "restored")
    with restored.app_context():  # flask commands use the app whose context is current
        result = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "check-index: the search index is up to date." in result.output

    # Every version downloads byte for byte from a server on the restored instance.
    editor = signed_in(restored, emails["editor"])
    for (document_id, number), data in seeded["files"].items():
        response = editor.get(f"/documents/{document_id}/versions/{number}/download")
        if document_id in seeded["current"]:
            assert response.status_code == 200 and response.data == data
    with restored.app_context():
        assert index_check().clean
        reader = db.session.get(type(users["practitioner"]), users["practitioner"].id)
        for document_id, (word, number) in seeded["current"].items():
            hits = search_documents(reader, word).results
            assert [(h.document_id, h.version) for h in hits] == [(document_id, number)]
        assert profile_logo(reader) == seeded["logos"]["north"]
    assert every_blob_readable(restored) == len(seeded["files"]) + 3


def test_restore_with_force_replaces_what_was_there(app, users, tmp_path, make_document):
    seed(users)
    backup_create(tmp_path / "backup")
    other = fresh_app(tmp_path / "other")
    with other.app_context():
        db.create_all()
        make_authority("west")
        make_user("editor", "west")
        refused = other.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert refused.exit_code == 1
        assert "holds 1 users" in refused.output and "--force" in refused.output
        report = backup_restore(tmp_path / "backup", force=True, procs=1)
        held = {"authorities": 1, "users": 1, "audit events": 2}  # creating each is audited
        assert report.replaced == held and report.index.clean
        assert report.indexed == 4  # the current version of each document not withdrawn
        slugs = {a.slug for a in db.session.scalars(db.select(Authority))}
        assert slugs == {"north", "south"}
    assert every_blob_readable(other) == 11 + 3
