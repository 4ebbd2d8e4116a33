"""flask backfill-html: versions uploaded before HTML was stored get it, as their page shows it."""

from blob_helpers import blob_remove
from docx_builder import make_docx
from sqlalchemy import select

from clearinghouse.documents import reading
from clearinghouse.extensions import db
from clearinghouse.models import DocumentVersion


def _row(info) -> DocumentVersion:
    return db.session.scalar(
        select(DocumentVersion).filter_by(document_id=info.document_id, number=info.number)
    )


def _forget_html(*versions) -> None:
    for version in versions:
        _row(version).html = None
    db.session.commit()


def test_backfill_stores_what_the_page_shows(app, runner, users, make_document, monkeypatch):
    editor = users["editor"]
    markdown = make_document(
        editor, title="Rota", data=b"# Rota\n\n*Monday*: Sam\n", filename="r.md"
    )
    word = make_document(
        editor, title="Plan", data=make_docx(["Safety plan", "Who helps"]), filename="p.docx"
    )
    expected = {
        _row(v).id: reading.version_html(editor, v.document_id, v.number) for v in (markdown, word)
    }
    _forget_html(markdown, word)
    result = runner.invoke(args=["backfill-html"])
    assert result.exit_code == 0, result.output
    assert "2 versions now have their HTML stored" in result.output
    for version_id, html in expected.items():
        assert db.session.get(DocumentVersion, version_id).html == html
    # Shown from what is stored: nothing is made again on a view.
    monkeypatch.setattr(reading, "html_made_now", lambda v: (_ for _ in ()).throw(AssertionError))
    assert reading.version_html(editor, markdown.document_id, 1) == expected[_row(markdown).id]
    again = runner.invoke(args=["backfill-html"])
    assert "0 versions now have their HTML stored" in again.output


def test_a_missing_file_is_reported_and_left(app, runner, users, make_document):
    editor = users["editor"]
    kept = make_document(editor, title="Rota", data=b"# Rota\n", filename="r.md")
    lost = make_document(editor, title="Gone", data=b"# Gone\n\nonly here\n", filename="g.md")
    _forget_html(kept, lost)
    blob_remove(lost.sha256)
    result = runner.invoke(args=["backfill-html"])
    assert result.exit_code == 1
    assert (
        "1 versions now have their HTML stored; 1 have a missing or damaged file" in result.output
    )
    assert _row(kept).html is not None
    assert _row(lost).html is None
