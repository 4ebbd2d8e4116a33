"""Text extraction: tables, headers and footers in order, headings as sections, tracked changes;
and versions that never change once stored."""

import io
import zipfile

from blob_helpers import blob_stored_at
from docx_builder import W_NS, DocxBuilder, make_docx, rezip

from clearinghouse.documents import extract
from clearinghouse.documents.service import document_create, version_add, version_file
from clearinghouse.extensions import db
from clearinghouse.models import DocumentVersion
from clearinghouse.storage import sha256_of


def _structured() -> bytes:
    return (
        DocxBuilder()
        .header("Ashdown header")
        .footer("Page footer")
        .paragraph("Opening words before any heading.")
        .heading("Worries")
        .paragraph("Danger statement one.")
        .table([["Who", "Score"], ["Mum", "4"]])
        .heading("Scaling detail", level=2)
        .paragraph("Everyone scales.")
        .heading("What needs to happen")
        .bullets(["Next steps with dates."])
        .build()
    )


def test_blocks_in_document_order_with_headers_and_footers():
    result = extract.extract(_structured(), ".docx")
    lines = result.text.split("\n")
    assert lines[0] == "Ashdown header"
    assert lines[-1] == "Page footer"
    assert lines.index("Opening words before any heading.") < lines.index("Worries")
    assert "Who\tScore" in lines and "Mum\t4" in lines
    assert (
        lines.index("Danger statement one.")
        < lines.index("Who\tScore")
        < lines.index("Scaling detail")
    )


def test_headings_are_section_boundaries():
    sections = extract.extract(_structured(), ".docx").sections
    assert [(s["heading"], s["level"]) for s in sections] == [
        (None, 0),
        ("Worries", 1),
        ("Scaling detail", 2),
        ("What needs to happen", 1),
    ]
    assert sections[0]["text"] == "Ashdown header\nOpening words before any heading."
    assert sections[1]["text"] == "Danger statement one.\nWho\tScore\nMum\t4"
    assert sections[3]["text"] == "Next steps with dates.\nPage footer"


def test_tracked_changes_read_as_final_text():
    body = (
        f'<w:document xmlns:w="{W_NS}"><w:body>'
        '<w:p><w:r><w:t xml:space="preserve">The child </w:t></w:r>'
        '<w:del w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r>'
        "<w:delText>was not</w:delText></w:r></w:del>"
        '<w:ins w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r>'
        "<w:t>has been</w:t></w:r></w:ins>"
        '<w:r><w:t xml:space="preserve"> seen alone.</w:t></w:r></w:p>'
        '<w:p><w:moveFrom w:id="3" w:author="A"><w:r><w:t>Moved away.</w:t></w:r></w:moveFrom>'
        '<w:moveTo w:id="4" w:author="A"><w:r><w:t>Moved here.</w:t></w:r></w:moveTo></w:p>'
        "</w:body></w:document>"
    )
    data = rezip(make_docx(["x"]), replace={"word/document.xml": body})
    text = extract.extract(data, ".docx").text
    assert "The child has been seen alone." in text
    assert "was not" not in text
    assert "Moved here." in text and "Moved away." not in text


def test_markdown_sections():
    text = "Intro line.\n\n# Purpose\n\nWhy we do it.\n\n## Steps\n\n- First\n- Second\n"
    result = extract.extract(text.encode(), ".md")
    assert [s["heading"] for s in result.sections] == [None, "Purpose", "Steps"]
    assert result.sections[2]["text"] == "First\nSecond"


def test_upload_stores_extracted_text_and_sections(app, users):
    version = document_create(
        users["editor"],
        title="Structured",
        doc_type="policy",
        visibility="shared",
        data=_structured(),
        filename="s.docx",
    )
    row = db.session.scalar(db.select(DocumentVersion).where(DocumentVersion.id.isnot(None)))
    assert version.number == 1
    assert "Danger statement one." in row.extracted_text
    assert row.sections[1]["heading"] == "Worries"


def test_old_versions_stay_byte_identical(app, users):
    editor = users["editor"]
    v1 = _structured()
    first = document_create(
        editor, title="Policy", doc_type="policy", visibility="shared", data=v1, filename="p.docx"
    )
    v1_row = db.session.scalar(
        db.select(DocumentVersion).where(DocumentVersion.document_id == first.document_id)
    )
    stored = blob_stored_at(first.sha256)
    before = (v1_row.sha256, v1_row.size, v1_row.extracted_text, v1_row.filename, stored)
    for n, payload in enumerate([b"# Two\n", make_docx(["three"]), v1], 2):
        added = version_add(
            editor,
            first.document_id,
            payload,
            f"p{n}.md" if payload.startswith(b"#") else f"p{n}.docx",
            f"change {n}",
        )
        assert added.number == n
    db.session.expire_all()
    v1_row = db.session.get(DocumentVersion, v1_row.id)
    stored = blob_stored_at(first.sha256)
    after = (v1_row.sha256, v1_row.size, v1_row.extracted_text, v1_row.filename, stored)
    assert before[:4] == after[:4]
    assert before[4] == after[4]  # the blob was never rewritten, nor renewed
    data, filename, _ = version_file(editor, first.document_id, 1)
    assert data == v1 and sha256_of(data) == first.sha256 and filename == "p.docx"
    # version 4 re-uploads version 1's bytes: a new version row, the same blob
    data4, _, _ = version_file(editor, first.document_id, 4)
    assert data4 == v1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/document.xml" in archive.namelist()
