"""Strip from a .docx everything that could make LibreOffice read a file or reach the network.

LibreOffice follows linked images, INCLUDEPICTURE / INCLUDETEXT / LINK / DDE fields, external
relationships (attached templates, subdocuments, linked OLE objects, frames) and imported
chunks (altChunk), including ``file://`` addresses: the SSRF and local-file reports against
jodconverter, unoserver and Gotenberg. An authority's uploaded template could carry any of
them into a generated document, so every document is hardened before it is converted:

- every relationship that is external, imports a chunk, or whose target names a scheme, a
  drive or a host is removed, and so is every attribute that pointed at it (a hyperlink keeps
  its words);
- w:altChunk, w:subDoc, w:attachedTemplate, w:mailMerge and every OLE object go;
- fields keep their codes only when they are on an allowlist of fields that compute from the
  document itself (PAGE, NUMPAGES, DATE, REF...); every other field (INCLUDEPICTURE,
  INCLUDETEXT, LINK, DDE, HYPERLINK, a name in quotes, a misspelling, one never ended) loses
  its codes, wherever they are written (instrText, deleted instrText, or plain text before
  the field's separator); what it last showed stays as plain text;
- VML and DrawingML attributes holding an address (o:href, src, href) are removed.

Both namespaces of Word's XML (Transitional and Strict) are handled, whatever a part is
named; a part is skipped unparsed only when it is plain UTF-8 with none of the words any of
these need. A package with two entries of one name is refused.
"""

import io
import posixpath
import re
import zipfile

from lxml import etree

from .errors import PdfFailed

W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
R_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
R_PREFIXES = tuple(f"{{{ns}}}" for ns in R_NAMESPACES)
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
OFFICE = "urn:schemas-microsoft-com:office:office"
SAFE_FIELDS = {
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "CREATEDATE", "SAVEDATE",
    "PRINTDATE", "REF", "PAGEREF", "NOTEREF", "STYLEREF", "SEQ", "TOC", "TC", "TA", "TOA",
    "XE", "INDEX", "LISTNUM", "AUTONUM", "AUTONUMLGL", "AUTONUMOUT", "SYMBOL", "EQ", "ADVANCE",
    "FORMTEXT", "FORMCHECKBOX", "FORMDROPDOWN", "IF", "COMPARE", "QUOTE", "TITLE", "AUTHOR",
    "SUBJECT", "KEYWORDS", "COMMENTS", "NUMWORDS", "NUMCHARS", "BIDIOUTLINE", "=",
}  # fmt: skip
FIELD_NAME = re.compile(r'^[\s"\']*([A-Za-z]+|=)')
SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|[\\/]{2})", re.IGNORECASE)  # file:, C:, //host
ADDRESS = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|[\\/])", re.IGNORECASE)  # and absolute paths
REMOVED = {"altChunk", "subDoc", "attachedTemplate", "mailMerge"}
ADDRESS_ATTRIBUTES = {f"{{{OFFICE}}}href", "src", "href"}
MARKERS = (b"instrText", b"fldSimple", b"fldChar", b"altChunk", b"subDoc", b"attachedTemplate")
MARKERS += (b"mailMerge", b"OLEObject", b"href", b"src")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _word(element, *names: str) -> bool:
    """Say whether the element is w:<one of names> in either of Word's namespaces."""
    tag = element.tag
    return isinstance(tag, str) and any(tag == f"{{{ns}}}{n}" for ns in W_NAMESPACES for n in names)


def _w_attribute(element, name: str) -> str:
    for ns in W_NAMESPACES:
        value = element.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return ""


def _safe_field(instruction: str) -> bool:
    match = FIELD_NAME.match(instruction or "")
    return bool(match) and match.group(1).upper() in SAFE_FIELDS


def _rels_source(name: str) -> str:
    """Return the part a .rels part describes ("word/_rels/document.xml.rels" -> its part)."""
    folder, base = posixpath.split(name)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def _unsafe_relationship(rel) -> bool:
    if (rel.get("TargetMode") or "").lower() == "external":
        return True
    if (rel.get("Type") or "").endswith("/aFChunk"):
        return True
    return bool(SCHEME.match(rel.get("Target") or ""))


def _strip_relationships(parts: dict[str, bytes]) -> dict[str, set[str]]:
    """Remove unsafe relationships; return the removed ids by the part they belonged to."""
    removed: dict[str, set[str]] = {}
    for name in [n for n in parts if n.endswith(".rels")]:
        root = etree.fromstring(parts[name], PARSER)
        gone = [rel for rel in root.iter(RELATIONSHIP) if _unsafe_relationship(rel)]
        if not gone:
            continue
        for rel in gone:
            rel.getparent().remove(rel)
        removed[_rels_source(name)] = {rel.get("Id") for rel in gone}
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return removed


def _unwrap(element) -> None:
    """Put an element's children in its place (a hyperlink keeps its runs)."""
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _field_codes(root) -> list:
    """Return the code elements (fldChar, instruction text) of every field not on the
    allowlist, including one never ended and code written as plain text before separate."""
    stack: list[dict] = []
    doomed = []

    def close(field: dict) -> None:
        if not _safe_field(field["instr"]):
            doomed.extend(field["elements"])

    for element in root.iter():
        if not stack and not _word(element, "fldChar"):
            continue
        if _word(element, "fldChar"):
            kind = _w_attribute(element, "fldCharType")
            if kind == "begin":
                stack.append({"instr": "", "elements": [element], "code": True})
            elif stack:
                stack[-1]["elements"].append(element)
                if kind == "separate":
                    stack[-1]["code"] = False
                elif kind == "end":
                    close(stack.pop())
        elif stack and stack[-1]["code"] and _word(element, "instrText", "delInstrText", "t"):
            stack[-1]["instr"] += element.text or ""
            stack[-1]["elements"].append(element)
    for field in stack:  # never ended: judged by what it asked for so far
        close(field)
    return doomed


def _remove(element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _harden_element(element, removed_ids: set[str]) -> bool:
    """Harden one element; say whether anything changed."""
    if _word(element, *REMOVED) or element.tag == f"{{{OFFICE}}}OLEObject":
        _remove(element)
        return True
    if _word(element, "fldSimple") and not _safe_field(_w_attribute(element, "instr")):
        _unwrap(element)
        return True
    changed = False
    for attribute, value in list(element.attrib.items()):
        points_away = attribute.startswith(R_PREFIXES) and value in removed_ids
        if points_away or (attribute in ADDRESS_ATTRIBUTES and ADDRESS.match(value)):
            if _word(element, "hyperlink"):
                _unwrap(element)
                return True
            del element.attrib[attribute]
            changed = True
    return changed


def _needs_reading(data: bytes, removed_ids: set[str]) -> bool:
    if removed_ids or data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:200]:
        return True  # UTF-16 (or odd) text: the words cannot be looked for as bytes
    return any(marker in data for marker in MARKERS)


def _harden_part(data: bytes, removed_ids: set[str]) -> bytes | None:
    """Return the part without links and unsafe fields, or None if nothing changed."""
    if not _needs_reading(data, removed_ids):
        return None
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        return None  # not XML (an image, an embedded file): LibreOffice reads it as such
    changed = False
    for element in list(root.iter()):
        if element is not root and isinstance(element.tag, str):
            changed |= _harden_element(element, removed_ids)
    for element in _field_codes(root):
        _remove(element)
        changed = True
    if not changed:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def docx_harden(docx: bytes) -> bytes:
    """Return the .docx with every external link and linking field removed (see above)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        infos = archive.infolist()
        if len({info.filename for info in infos}) != len(infos):
            raise PdfFailed(
                "This document could not be made into a PDF: its file holds two parts of one "
                "name. Download the Word document instead, and tell your administrator."
            )
        parts = {info.filename: archive.read(info) for info in infos}
    removed = _strip_relationships(parts)
    changed = bool(removed)
    for name in [n for n in parts if not n.endswith(".rels") and n != "[Content_Types].xml"]:
        new = _harden_part(parts[name], removed.get(name, set()))
        if new is not None:
            parts[name], changed = new, True
    if not changed:
        return docx
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()
