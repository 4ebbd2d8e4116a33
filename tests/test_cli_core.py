"""The set-up commands: create-user, create-token, import-folder and seed-demo."""

import re
import zipfile

from docx_builder import make_docx

from clearinghouse.auth.service import token_user
from clearinghouse.documents.cli import DEMO_PASSWORD
from clearinghouse.extensions import db
from clearinghouse.models import Authority, Document, DocumentVersion, User


def _docx(text: str) -> bytes:
    return make_docx([f"About {text}."], heading=text)


def test_create_user_reads_the_password_twice_from_stdin(runner, authorities):
    password = "a long enough password"
    result = runner.invoke(
        args=["create-user", "Worker@North.example", "--authority", "north", "--role", "editor"],
        input=f"{password}\n{password}\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "worker@north.example"))
    assert user.role == "editor" and user.authority.slug == "north"
    result = runner.invoke(
        args=["create-user", "other@north.example", "--authority", "north", "--role", "editor"],
        input=f"{password}\nsomething else\n{password}\n{password}\n",
    )
    assert result.exit_code == 0 and "match" in result.output


def test_create_user_refusal_is_a_message_not_a_traceback(runner, authorities):
    result = runner.invoke(
        args=["create-user", "x@north.example", "--authority", "nowhere", "--role", "editor"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 1
    assert "There is no authority called nowhere" in result.output
    assert "Traceback" not in result.output


def test_create_token_prints_only_the_token(app, users):
    runner = app.test_cli_runner(mix_stderr=False) if _mixes() else app.test_cli_runner()
    result = runner.invoke(args=["create-token", users["editor"].email, "--name", "Nightly"])
    assert result.exit_code == 0
    assert re.fullmatch(r"ch_[A-Za-z0-9_-]{40,}\n", result.stdout)
    assert token_user(result.stdout.strip()).id == users["editor"].id
    missing = runner.invoke(args=["create-token", "nobody@north.example"])
    assert missing.exit_code == 1 and missing.stdout == ""


def _mixes() -> bool:
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def test_import_folder_skips_a_bad_file_and_imports_the_rest(runner, users, tmp_path):
    folder = tmp_path / "policies"
    (folder / "forms").mkdir(parents=True)
    (folder / "supervision-policy.md").write_text("# Supervision\n\nEvery 4 weeks.\n")
    (folder / "forms" / "plo-letter-before-proceedings.docx").write_bytes(_docx("PLO letter"))
    (folder / "forms" / "broken.docx").write_bytes(b"not a zip at all")
    (folder / "notes.txt").write_text("ignored: not .docx or .md")
    result = runner.invoke(args=["import-folder", str(folder), "--authority", "north"])
    assert result.exit_code == 1, result.output
    assert "Skipped forms/broken.docx: The file is not a Word document" in result.output
    assert (
        "3 files: 2 new documents, 0 new versions, 0 shared, 0 made internal, 0 unchanged, "
        "1 skipped." in result.output
    )
    documents = {d.title: d for d in db.session.scalars(db.select(Document))}
    assert set(documents) == {"Supervision policy", "Plo letter before proceedings"}
    assert documents["Supervision policy"].doc_type == "supervision"
    assert documents["Plo letter before proceedings"].doc_type == "plo-letter-before-proceedings"
    assert all(d.visibility == "internal" for d in documents.values())
    assert documents["Supervision policy"].versions[0].uploaded_by_id == users["editor"].id

    (folder / "forms" / "broken.docx").unlink()
    (folder / "supervision-policy.md").write_text("# Supervision\n\nEvery 3 weeks.\n")
    result = runner.invoke(
        args=["import-folder", str(folder), "--authority", "north", "--doc-type", "policy"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "0 new documents, 1 new versions, 0 shared, 0 made internal, 1 unchanged, 0 skipped."
        in result.output
    )


def test_import_folder_needs_an_editor(runner, users, tmp_path):
    result = runner.invoke(
        args=["import-folder", str(tmp_path), "--authority", "north", "--as", users["admin"].email]
    )
    assert result.exit_code == 1 and "is not an editor of" in result.output
    result = runner.invoke(args=["import-folder", str(tmp_path), "--authority", "nowhere"])
    assert result.exit_code == 1 and "no authority called nowhere" in result.output
    result = runner.invoke(
        args=["import-folder", str(tmp_path), "--authority", "north", "--doc-type", "nonsense"]
    )
    assert result.exit_code == 1 and "Unknown document type nonsense" in result.output


def test_seed_demo_twice_is_safe(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert f"password {DEMO_PASSWORD}" in first.output
    assert (
        "editor@ashdown.example" in first.output and "admin@clearinghouse.example" in first.output
    )
    counts = (
        db.session.scalar(db.select(db.func.count()).select_from(Authority)),
        db.session.scalar(db.select(db.func.count()).select_from(User)),
        db.session.scalar(db.select(db.func.count()).select_from(Document)),
        db.session.scalar(db.select(db.func.count()).select_from(DocumentVersion)),
    )
    assert counts[0] == 3 and counts[1] == 10 and counts[2] >= 15
    documents = list(db.session.scalars(db.select(Document)))
    assert {d.visibility for d in documents} == {"shared", "internal"}
    assert any(len(d.versions) >= 2 and d.versions[0].filename.endswith(".docx") for d in documents)
    assert any(len(d.versions) >= 2 and d.versions[0].filename.endswith(".md") for d in documents)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "0 document versions added" in second.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert skipped.exit_code == 0 and "demo data not loaded" in skipped.output
    assert "editor@ashdown.example" in skipped.output
    again = (
        db.session.scalar(db.select(db.func.count()).select_from(Authority)),
        db.session.scalar(db.select(db.func.count()).select_from(User)),
        db.session.scalar(db.select(db.func.count()).select_from(Document)),
        db.session.scalar(db.select(db.func.count()).select_from(DocumentVersion)),
    )
    assert again == counts


def test_demo_forms_use_real_heading_styles():
    from pathlib import Path

    forms = sorted((Path(__file__).parent.parent / "policies").glob("*/forms/*.docx"))
    assert len(forms) >= 6
    for path in forms:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode()
        assert 'w:pStyle w:val="Heading1"' in xml, path.name
