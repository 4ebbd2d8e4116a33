"""Strip from a .docx everything that could make LibreOffice read a file or reach the network.

LibreOffice follows linked images, INCLUDEPICTURE / INCLUDETEXT / LINK / DDE fields, external
relationships (attached templates, subdocuments, linked OLE objects, frames) and imported
chunks (altChunk), including ``file://`` addresses: the SSRF and local-file reports against
jodconverter, unoserver and Gotenberg. An authority's uploaded template could carry any of
them into a generated document, so every document is hardened before it is converted:

- every relationship that is external, or whose target names a scheme, a drive or a host,
  is removed, and so is every attribute that pointed at it (a hyperlink keeps its words);
- w:altChunk, w:subDoc, w:attachedTemplate, w:mailMerge and linked OLE objects go;
- INCLUDEPICTURE, INCLUDETEXT, INCLUDE, IMPORT, LINK, DDE and DDEAUTO fields lose their field
  codes (simple and complex fields alike); what the field last showed stays as plain text;
- VML and DrawingML attributes holding an address (o:href, src, href) are removed.
"""

import io
import posixpath
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "urn:schemas-microsoft-com:office:office"
ALT_CHUNK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"
DANGEROUS_FIELD = re.compile(
    r"^\s*(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|IMPORT|LINK|DDEAUTO|DDE)\b", re.IGNORECASE
)
SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|[\\/]{2})", re.IGNORECASE)  # file:, C:, //host
ADDRESS = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|[\\/])", re.IGNORECASE)  # and absolute paths
REMOVED_ELEMENTS = {f"{{{W}}}{tag}" for tag in ("altChunk", "subDoc", "attachedTemplate")}
REMOVED_ELEMENTS |= {f"{{{W}}}mailMerge"}
ADDRESS_ATTRIBUTES = {f"{{{OFFICE}}}href", "src", "href"}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _rels_source(name: str) -> str:
    """Return the part a .rels part describes ("word/_rels/document.xml.rels" -> its part)."""
    folder, base = posixpath.split(name)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def _unsafe_relationship(rel) -> bool:
    if rel.get("TargetMode", "").lower() == "external":
        return True
    if rel.get("Type") == ALT_CHUNK:
        return True
    return bool(SCHEME.match(rel.get("Target", "")))


def _strip_relationships(parts: dict[str, bytes]) -> dict[str, set[str]]:
    """Remove unsafe relationships; return the removed ids by the part they belonged to."""
    removed: dict[str, set[str]] = {}
    for name in [n for n in parts if n.endswith(".rels")]:
        root = etree.fromstring(parts[name], PARSER)
        gone = [rel for rel in root if _unsafe_relationship(rel)]
        if not gone:
            continue
        for rel in gone:
            root.remove(rel)
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


def _field_elements(root) -> list:
    """Return the fldChar and instrText elements of every dangerous complex field."""
    stack: list[dict] = []
    doomed = []
    for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText"):
        if element.tag == f"{{{W}}}instrText":
            if stack:
                stack[-1]["instr"] += element.text or ""
                stack[-1]["elements"].append(element)
            continue
        kind = element.get(f"{{{W}}}fldCharType")
        if kind == "begin":
            stack.append({"instr": "", "elements": [element]})
        elif stack:
            stack[-1]["elements"].append(element)
            if kind == "end":
                field = stack.pop()
                if DANGEROUS_FIELD.match(field["instr"]):
                    doomed += field["elements"]
    return doomed


# A part holding none of these (styles, themes, fonts: most of a document's XML) can hold no
# field, link or import, so it is not parsed at all.
MARKERS = (b"instrText", b"fldSimple", b"altChunk", b"subDoc", b"attachedTemplate", b"mailMerge")
MARKERS += (b"OLEObject", b"href", b"src")


def _harden_part(data: bytes, removed_ids: set[str]) -> bytes | None:
    """Return the part without links and dangerous fields, or None if nothing changed."""
    if not removed_ids and not any(marker in data for marker in MARKERS):
        return None
    root = etree.fromstring(data, PARSER)
    changed = False
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.tag in REMOVED_ELEMENTS or (
            element.tag == f"{{{OFFICE}}}OLEObject" and element.get("Type") == "Link"
        ):
            element.getparent().remove(element)
            changed = True
            continue
        if element.tag == f"{{{W}}}fldSimple" and DANGEROUS_FIELD.match(
            element.get(f"{{{W}}}instr", "")
        ):
            _unwrap(element)
            changed = True
            continue
        for attribute, value in list(element.attrib.items()):
            points_away = attribute.startswith(f"{{{R}}}") and value in removed_ids
            if points_away or (attribute in ADDRESS_ATTRIBUTES and ADDRESS.match(value)):
                if element.tag == f"{{{W}}}hyperlink":
                    _unwrap(element)
                    changed = True
                    break
                del element.attrib[attribute]
                changed = True
    for element in _field_elements(root):
        element.getparent().remove(element)
        changed = True
    if not changed:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def docx_harden(docx: bytes) -> bytes:
    """Return the .docx with every external link and linking field removed (see above)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    removed = _strip_relationships(parts)
    changed = bool(removed)
    for name in [n for n in parts if n.endswith(".xml") and n != "[Content_Types].xml"]:
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
