"""Helpers for the backup tests: seed an instance, make a fresh one, check a restored one.

Imported as ``backup_helpers`` (tests/backup/ is on sys.path while its tests run).
"""

import json
from pathlib import Path

from docx_builder import make_docx
from factories import PASSWORD, make_document, make_version
from flask import Flask

from clearinghouse import create_app
from clearinghouse.authority_templates.service import template_upload
from clearinghouse.documents.writing import document_delete
from clearinghouse.extensions import db
from clearinghouse.models import Document, DocumentVersion, ProfileVersion, TemplateVersion, User
from clearinghouse.paths import PROJECT_ROOT
from clearinghouse.profiles.service import profile_update

LIBRARY = PROJECT_ROOT / "templates_library"
TEMPLATE_SLUG = "plo-letter-before-proceedings"
# Words no demo or test text uses, one per document, so a search finds exactly that document.
WORDS = ("alphaquorn", "betazimble", "gammafrond", "deltaspurl")


def fresh_app(instance: Path, **settings) -> Flask:
    """Return an app on its own (new or existing) instance folder, as the tests' app has."""
    return create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(instance),
            "FLASK_WTF_CSRF_ENABLED": False,
            **settings,
        }
    )


def seed(users) -> dict:
    """Create documents with several versions (.docx and Markdown), a withdrawn one, an
    authority template and profiles with logos; return what was stored, to check later."""
    from profiles.images import png

    editor, south = users["editor"], users["south_editor"]
    files: dict[tuple[int, int], bytes] = {}
    current: dict[int, tuple[str, int]] = {}
    for index, word in enumerate(WORDS):
        owner = editor if index % 2 == 0 else south
        first = f"# Policy {index}\n\nThe first text of policy {index}.\n".encode()
        made = make_document(owner, title=f"Policy {word}", data=first, filename="p.md")
        files[(made.document_id, 1)] = first
        for number in range(2, 2 + index):
            data = make_docx([f"Version {number} of the {word} guidance."], heading=word.title())
            make_version(owner, made.document_id, data, "guidance.docx")
            files[(made.document_id, number)] = data
        current[made.document_id] = (word, 1 + index)
    gone = make_document(editor, title="Withdrawn", data=b"# Gone\n\nOld words.\n", filename="g.md")
    files[(gone.document_id, 1)] = b"# Gone\n\nOld words.\n"
    document_delete(editor, gone.document_id)
    template = (LIBRARY / TEMPLATE_SLUG / "template.docx").read_bytes()
    template_upload(
        editor,
        data=template,
        filename="letter.docx",
        doc_type=TEMPLATE_SLUG,
        title="North letter",
        visibility="shared",
        slug=None,
        change_note=None,
    )
    sample = json.loads((LIBRARY / TEMPLATE_SLUG / "sample.json").read_text(encoding="utf-8"))
    logos = {"north": png(40, 20), "south": png(30, 30)}
    profile_update(editor, sample["authority"], logo=logos["north"])
    profile_update(south, sample["authority"], logo=logos["south"])
    return {"files": files, "current": current, "template": template, "logos": logos}


def every_blob_readable(app: Flask) -> int:
    """Assert every version, template and logo row's blob reads back verified; return rows."""
    from clearinghouse import storage

    rows = 0
    with app.app_context():
        for column in (DocumentVersion.sha256, TemplateVersion.sha256, ProfileVersion.logo_sha256):
            for digest in db.session.scalars(db.select(column)):
                if digest is not None:
                    assert storage.sha256_of(storage.get_blob(digest)) == digest
                    rows += 1
    return rows


def signed_in(app: Flask, email: str):
    """Return a test client of app signed in as email."""
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def west_unchanged() -> None:
    """Assert the ``other`` fixture's instance still holds its own document, searchable."""
    from clearinghouse.search.check import index_check

    titles = [d.title for d in db.session.scalars(db.select(Document))]
    assert titles == ["West policy"] and db.session.scalar(db.select(db.func.count(User.id))) == 1
    assert index_check().clean
