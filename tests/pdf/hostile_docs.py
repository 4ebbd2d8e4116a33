"""Hostile .docx files: linked images, INCLUDEPICTURE / INCLUDETEXT / LINK / DDE fields, an
external hyperlink and an altChunk, each pointing at a local file or a web address."""

import io
import struct
import zlib
from xml.sax.saxutils import escape

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn


def png(colour: tuple[int, int, int] = (200, 30, 30), size: int = 8) -> bytes:
    """Return a small solid-colour PNG."""
    raw = b"".join(b"\x00" + bytes(colour) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _complex_field(paragraph, instruction: str, shown: str) -> None:
    """Append a complex field (begin, instrText, separate, result, end) to the paragraph."""
    xml = (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r {nsdecls('w')}><w:t>{shown}</w:t></w:r>"
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'
    )
    for run in parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>"):
        paragraph._p.append(run)


def _simple_field(paragraph, instruction: str, shown: str) -> None:
    instr = escape(f" {instruction} ", {'"': "&quot;"})
    xml = (
        f'<w:fldSimple {nsdecls("w")} w:instr="{instr}"><w:r><w:t>{shown}</w:t></w:r></w:fldSimple>'
    )
    paragraph._p.append(parse_xml(xml))


def _linked_picture(document, target: str) -> None:
    """Add a picture whose image is linked (r:link) to target, not embedded."""
    run = document.add_paragraph().add_run()
    run.add_picture(io.BytesIO(png()))
    blip = run._r.xpath(".//a:blip")[0]
    rid = document.part.relate_to(target, RT.IMAGE, is_external=True)
    del blip.attrib[qn("r:embed")]
    blip.set(qn("r:link"), rid)


def _hyperlink(document, url: str, text: str) -> None:
    paragraph = document.add_paragraph()
    rid = document.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'
    )
    paragraph._p.append(link)


def hostile_docx(secret_file: str, picture_file: str, web: str) -> bytes:
    """Return a .docx that asks for the local files and the web address in every way it can."""
    document = Document()
    document.add_paragraph("Hostile document for the converter tests.")
    _complex_field(document.add_paragraph(), f'INCLUDETEXT "{secret_file}"', "cached include")
    _simple_field(document.add_paragraph(), f'INCLUDETEXT "{secret_file}"', "cached simple")
    _complex_field(document.add_paragraph(), f'INCLUDEPICTURE "{web}/field.png" \\d', "pic")
    _simple_field(document.add_paragraph(), f'INCLUDEPICTURE "file://{picture_file}" \\d', "p2")
    _complex_field(document.add_paragraph(), f'LINK Word.Document.12 "{secret_file}" ""', "link")
    _complex_field(
        document.add_paragraph(), 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"', "d"
    )
    _linked_picture(document, f"{web}/linked.png")
    _linked_picture(document, f"file://{picture_file}")
    _hyperlink(document, f"{web}/hyperlink", "Words of a hyperlink that stay")
    document.add_paragraph("The end of the hostile document.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
