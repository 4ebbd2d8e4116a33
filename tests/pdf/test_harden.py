"""docx_harden: every external link and linking field goes; the document still opens."""

import io
import zipfile

import docx
from docx_builder import make_docx

from clearinghouse.pdf import docx_harden

from .hostile_docs import hostile_docx

WEB = "http://127.0.0.1:9"


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            n: archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.endswith((".xml", ".rels"))
        }


def test_a_hostile_document_keeps_nothing_that_points_away():
    hostile = hostile_docx("/etc/hostname", "/tmp/picture.png", WEB)
    before = "\n".join(_parts(hostile).values())
    assert "INCLUDETEXT" in before and 'TargetMode="External"' in before  # the test is real
    hardened = docx_harden(hostile)
    text = "\n".join(_parts(hardened).values())
    for gone in ("INCLUDETEXT", "INCLUDEPICTURE", "LINK Word", "DDEAUTO", "r:link=", "External"):
        assert gone not in text, gone
    assert "/etc/hostname" not in text and "127.0.0.1" not in text and "file://" not in text


def test_the_words_stay_and_the_document_still_opens():
    hardened = docx_harden(hostile_docx("/etc/hostname", "/tmp/picture.png", WEB))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(hardened)).paragraphs]
    assert "Words of a hyperlink that stay" in paragraphs
    assert "cached include" in paragraphs and "cached simple" in paragraphs
    assert paragraphs[-1] == "The end of the hostile document."


def test_an_ordinary_document_is_returned_unchanged():
    ordinary = make_docx(["Worries", "Lily-Mae's school says she is often hungry."])
    assert docx_harden(ordinary) is ordinary


def _with_body_start(xml: str, styles_target: str = "styles.xml") -> bytes:
    """Return a small .docx with xml at the start of its body (and the styles part named so)."""
    with zipfile.ZipFile(io.BytesIO(make_docx(["x"]))) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    body = parts["word/document.xml"].decode()
    parts["word/document.xml"] = body.replace("<w:body>", "<w:body>" + xml, 1).encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    styles = rels.replace('Target="styles.xml"', f'Target="{styles_target}"')
    parts["word/_rels/document.xml.rels"] = styles.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_internal_fields_and_absolute_part_names_are_left_alone():
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t>'
        '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    document = _with_body_start(field, styles_target="/word/styles.xml")
    assert docx_harden(document) is document


def test_a_field_inside_a_field_is_removed_with_the_outer_one_kept():
    """INCLUDETEXT nested in an IF: only the INCLUDETEXT's codes go."""

    def run(inner: str) -> str:
        return f"<w:r>{inner}</w:r>"

    nested = (
        "<w:p>"
        + "".join(
            run(x)
            for x in (
                '<w:fldChar w:fldCharType="begin"/>',
                '<w:instrText> IF 1 = 1 "</w:instrText>',
                '<w:fldChar w:fldCharType="begin"/>',
                '<w:instrText> INCLUDETEXT "/etc/passwd" </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>',
                "<w:t>inner</w:t>",
                '<w:fldChar w:fldCharType="end"/>',
                '<w:instrText>" ""</w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>',
                "<w:t>outer</w:t>",
                '<w:fldChar w:fldCharType="end"/>',
            )
        )
        + "</w:p>"
    )
    text = _parts(docx_harden(_with_body_start(nested)))["word/document.xml"]
    assert "INCLUDETEXT" not in text and "/etc/passwd" not in text
    assert "IF 1 = 1" in text and "outer" in text and "inner" in text
