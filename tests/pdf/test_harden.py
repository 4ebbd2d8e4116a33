"""docx_harden: every external link and linking field goes; the document still opens."""

import io
import zipfile

import docx
import pytest
from docx_builder import make_docx

from clearinghouse.pdf import PdfFailed, docx_harden

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


def _rezip(data: bytes, change) -> bytes:
    """Return the .docx with its parts changed by change(parts) (a dict it edits)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def _begin(instruction_xml: str, *, end: bool = True, result: str = "shown") -> str:
    runs = [
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        f"<w:r>{instruction_xml}</w:r>",
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r><w:t>{result}</w:t></w:r>",
    ]
    if end:
        runs.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return "<w:p>" + "".join(runs) + "</w:p>"


@pytest.mark.parametrize(
    "field",
    [
        _begin('<w:instrText> INCLUDETEXT "/etc/passwd" </w:instrText>', end=False),
        _begin('<w:t xml:space="preserve"> INCLUDETEXT "/etc/passwd" </w:t>'),
        _begin('<w:delInstrText> INCLUDETEXT "/etc/passwd" </w:delInstrText>'),
        _begin('<w:instrText> "INCLUDETEXT" "/etc/passwd" </w:instrText>'),
        _begin('<w:instrText> includepicture "/etc/passwd" </w:instrText>'),
        _begin('<w:instrText> HYPERLINK "file:///etc/passwd" </w:instrText>'),
        '<w:p><w:fldSimple w:instr=\' "INCLUDETEXT" "/etc/passwd" \'><w:r><w:t>shown</w:t></w:r>'
        "</w:fldSimple></w:p>",
        '<w:p><s:fldSimple xmlns:s="http://purl.oclc.org/ooxml/wordprocessingml/main" '
        "s:instr=' INCLUDETEXT \"/etc/passwd\" '><s:r><s:t>shown</s:t></s:r></s:fldSimple></w:p>",
    ],
    ids=[
        "no end",
        "code as text",
        "deleted code",
        "quoted",
        "lower case",
        "hyperlink",
        "simple quoted",
        "strict",
    ],
)
def test_every_way_of_writing_a_field_loses_its_codes(field):
    text = _parts(docx_harden(_with_body_start(field)))["word/document.xml"]
    assert "/etc/passwd" not in text
    assert "shown" in text  # what the field last showed stays, as plain text


def test_a_part_in_utf16_or_not_named_xml_is_still_read():
    field = _begin('<w:instrText> INCLUDETEXT "/etc/passwd" </w:instrText>')
    document = _with_body_start(field)

    def as_utf16(parts):
        body = parts["word/document.xml"].decode("utf-8")
        body = body.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
        parts["word/document.xml"] = body.encode("utf-16")
        parts["word/header9.bin"] = parts["word/document.xml"]

    hardened = docx_harden(_rezip(document, as_utf16))
    with zipfile.ZipFile(io.BytesIO(hardened)) as archive:
        for name in ("word/document.xml", "word/header9.bin"):
            raw = archive.read(name)
            text = raw.decode("utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8")
            assert "INCLUDETEXT" not in text and "/etc/passwd" not in text


def test_a_comment_in_a_relationships_part_is_no_problem():
    def commented(parts):
        rels = parts["word/_rels/document.xml.rels"].decode()
        parts["word/_rels/document.xml.rels"] = rels.replace(
            "<Relationship ", "<!-- a comment --><?pi here?><Relationship ", 1
        ).encode()

    hostile = _rezip(hostile_docx("/etc/hostname", "/tmp/picture.png", WEB), commented)
    assert "External" not in "\n".join(_parts(docx_harden(hostile)).values())


def test_two_parts_of_one_name_are_refused():
    data = make_docx(["x"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            archive.writestr(name, source.read(name))
        with pytest.warns(UserWarning):
            archive.writestr("word/document.xml", b"<w:document/>")
    with pytest.raises(PdfFailed):
        docx_harden(out.getvalue())
