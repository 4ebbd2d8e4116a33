"""import-folder --visibility over files already imported: applied, reported, audited, indexed."""

from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, Document
from clearinghouse.search.query import search_documents


def _folder(tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "supervision-policy.md").write_text("# Supervision\n\nThe kestrelmoor rota.\n")
    (folder / "escalation-guide.md").write_text("# Escalation\n\nThe marshwren route.\n")
    return folder


def _import(runner, folder, *options):
    return runner.invoke(args=["import-folder", str(folder), "--authority", "north", *options])


def _visibility() -> dict:
    return {d.title: d.visibility for d in db.session.scalars(db.select(Document))}


def test_visibility_is_applied_to_files_already_imported(runner, users, tmp_path):
    folder = _folder(tmp_path)
    first = _import(runner, folder)
    assert first.exit_code == 0, first.output
    assert set(_visibility().values()) == {"internal"}
    south = users["south_practitioner"]
    assert search_documents(south, "kestrelmoor").total == 0

    shared = _import(runner, folder, "--visibility", "shared")
    assert shared.exit_code == 0, shared.output
    assert (
        "2 files: 0 new documents, 0 new versions, 2 shared, 0 made internal, 0 unchanged, "
        "0 skipped." in shared.output
    )
    assert set(_visibility().values()) == {"shared"}
    assert search_documents(south, "kestrelmoor").total == 1  # the index follows
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "visibility_changed")
    ).all()
    assert len(events) == 2 and all(e.detail == {"visibility": "shared"} for e in events)

    again = _import(runner, folder, "--visibility", "shared")
    assert "0 shared, 0 made internal, 2 unchanged" in again.output
    plain = _import(runner, folder)  # no --visibility: what was shared stays shared
    assert "2 unchanged" in plain.output and set(_visibility().values()) == {"shared"}

    (folder / "escalation-guide.md").write_text("# Escalation\n\nThe new marshwren route.\n")
    internal = _import(runner, folder, "--visibility", "internal")
    assert (
        "2 files: 0 new documents, 1 new versions, 0 shared, 2 made internal, 0 unchanged, "
        "0 skipped." in internal.output
    )
    assert set(_visibility().values()) == {"internal"}
    assert search_documents(south, "marshwren").total == 0
