"""Real good and bad .docx files for the upload-check and extraction tests."""

import io
import os
import zipfile

from docx_builder import W_NS, docx_part, make_docx, rezip

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def good_docx(text: str = "A perfectly ordinary policy.") -> bytes:
    """Return a small, valid .docx made by python-docx."""
    return make_docx([text], heading="Policy")


def with_relationship(rel_type: str, target: str, part="word/_rels/document.xml.rels") -> bytes:
    """Return a .docx whose part has one more relationship, TargetMode External."""
    data = good_docx()
    rels = docx_part(data, part).decode()
    extra = f'<Relationship Id="rIdX1" Type="{REL_TYPE}/{rel_type}" Target="{target}" '
    extra += 'TargetMode="External"/>'
    return rezip(data, replace={part: rels.replace("</Relationships>", extra + "</Relationships>")})


def without_document_xml() -> bytes:
    """Return a zip that looks like a package but has no word/document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/styles.xml", '<?xml version="1.0"?><styles/>')
    return out.getvalue()


def macro_content_type() -> bytes:
    """Return a .docx whose content types declare a macro-enabled main part."""
    data = good_docx()
    types = docx_part(data, "[Content_Types].xml").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return rezip(data, replace={"[Content_Types].xml": types})


def many_entries(count: int) -> bytes:
    """Return a .docx with count extra tiny entries."""
    return rezip(good_docx(), add={f"customXml/item{i}.txt": b"x" for i in range(count)})


def high_ratio() -> bytes:
    """Return a .docx with a 4 MB entry of zeros that compresses about 1000 to 1."""
    return rezip(good_docx(), add={"word/media/zeros.bin": b"\0" * (4 * 1024 * 1024)})


def large_total(megabytes: float) -> bytes:
    """Return a .docx holding an incompressible (stored) entry of the given size."""
    size = int(megabytes * 1024 * 1024)
    return rezip(
        good_docx(), add={"word/media/noise.bin": os.urandom(size)}, stored={"word/media/noise.bin"}
    )


def entity_xml() -> bytes:
    """Return a .docx whose document.xml declares entities (billion laughs)."""
    body = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    return rezip(good_docx(), replace={"word/document.xml": body})


def malformed_xml() -> bytes:
    """Return a .docx whose document.xml is cut short."""
    return rezip(
        good_docx(), replace={"word/document.xml": f'<w:document xmlns:w="{W_NS}"><w:body>'}
    )


# name -> (filename, builder, expected code); the default limits refuse every one.
BAD_FILES = {
    "not_a_zip": ("policy.docx", lambda: b"This is plain text, not a Word document.", "not_docx"),
    "zip_without_document": ("policy.docx", without_document_xml, "not_docx"),
    "docm_extension": ("policy.docm", good_docx, "active_content"),
    "vba_project": (
        "policy.docx",
        lambda: rezip(good_docx(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        "active_content",
    ),
    "macro_content_type": ("policy.docx", macro_content_type, "active_content"),
    "activex": (
        "policy.docx",
        lambda: rezip(good_docx(), add={"word/activeX/activeX1.xml": b'<?xml version="1.0"?><a/>'}),
        "active_content",
    ),
    "external_template": (
        "policy.docx",
        lambda: with_relationship(
            "attachedTemplate",
            "https://evil.example/template.dotm",
            part="word/_rels/document.xml.rels",
        ),
        "external_relationship",
    ),
    "external_image": (
        "policy.docx",
        lambda: with_relationship("image", "https://tracker.example/pixel.png"),
        "external_relationship",
    ),
    "too_many_entries": ("policy.docx", lambda: many_entries(2001), "zip_bomb"),
    "compression_ratio": ("policy.docx", high_ratio, "zip_bomb"),
    "xml_entities": ("policy.docx", entity_xml, "xml_entities"),
    "malformed_xml": ("policy.docx", malformed_xml, "invalid_xml"),
    "markdown_not_utf8": ("policy.md", lambda: "Café policy".encode("latin-1"), "not_utf8"),
    "unsupported_type": ("policy.pdf", lambda: b"%PDF-1.4", "unsupported_type"),
    "empty_file": ("policy.docx", lambda: b"", "empty_file"),
}
