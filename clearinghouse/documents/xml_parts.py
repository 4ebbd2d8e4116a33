"""Reading a .docx's XML parts at a cost bounded by their shape, not only their size.

A parsed tree costs about 120 to 250 bytes of memory for each element or attribute, however
few bytes wrote it (``<a/>`` is four), so a 143 KB .docx of tiny elements once cost 3 GB. Here
the sizes of the parts to be read are checked before any is decompressed, and the parts'
nodes are counted from their bytes (every tag that opens, every ``=``: never fewer than lxml
will build) against one budget for the whole file before any tree is built; nesting depth is
checked on each tree, which that budget already bounds.
"""

import io
import logging
import zipfile
from functools import lru_cache

from lxml import etree

from .limits import XmlLimits, refuse

log = logging.getLogger(__name__)

TOO_COMPLEX = (
    "This Word file is too complex to read safely (too many parts or elements). "
    "Save it again from Word, or split it, and upload it again."
)
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def too_complex():
    """Return the refusal of a .docx whose XML would cost too much to read."""
    return refuse("document_too_complex", TOO_COMPLEX)


def is_xml_part(name: str) -> bool:
    """Say whether a .docx entry is XML that the checks parse."""
    return name.endswith(".xml") or name.endswith(".rels")


def is_word_part(name: str) -> bool:
    """Say whether an entry is a top-level word/ XML part, the ones extraction reads."""
    return name.startswith("word/") and name.endswith(".xml") and "/" not in name[5:]


def node_estimate(raw: bytes) -> int:
    """Return at least the number of elements and attributes lxml would build from raw."""
    return raw.count(b"<") - raw.count(b"</") + raw.count(b"=")


class XmlBudget:
    """What is left, for one .docx, of the bytes and nodes its XML parts may cost."""

    def __init__(self, limits: XmlLimits):
        self.limits = limits
        self.bytes_left = limits.max_total
        self.nodes_left = limits.max_nodes

    def check_sizes(self, infos: list[zipfile.ZipInfo]) -> None:
        """Refuse before reading if any part, or all of them, would be too large."""
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > self.limits.max_part or total > self.bytes_left:
                log.info("refused .docx: XML part %s makes %d bytes", info.filename, total)
                raise too_complex()

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """Return a part's bytes, never reading more than the limits allow."""
        limit = min(self.limits.max_part, self.bytes_left)
        with archive.open(info) as stream:
            raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise too_complex()
        self.bytes_left -= len(raw)
        return raw

    def spend(self, raw: bytes, part: str) -> None:
        """Take the nodes raw would build from the budget, refusing when they exceed it."""
        nodes = node_estimate(raw)
        if nodes > self.nodes_left:
            log.info("refused .docx: %s would build %d more XML nodes", part, nodes)
            raise too_complex()
        self.nodes_left -= nodes


@lru_cache(maxsize=8)
def _deeper_than(depth: int) -> etree.XPath:
    return etree.XPath("boolean(/" + "/".join(["*"] * (depth + 1)) + ")")


def _parse(raw: bytes, part: str, limits: XmlLimits):
    if b"<!ENTITY" in raw or b"<!DOCTYPE" in raw:
        raise refuse(
            "xml_entities",
            f"Part of the document ({part}) declares XML entities, which are not allowed.",
        )
    try:
        root = etree.fromstring(raw, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise too_complex() from None
        raise refuse(
            "invalid_xml", f"The document is damaged: part of it ({part}) cannot be read."
        ) from None
    if _deeper_than(limits.max_depth)(root):
        log.info("refused .docx: %s nests deeper than %d", part, limits.max_depth)
        raise too_complex()
    return root


def parse_xml_safely(raw: bytes, part: str, limits: XmlLimits | None = None):
    """Parse one XML part, refusing entity declarations, malformed XML and costly shapes."""
    limits = limits or XmlLimits.from_settings()
    XmlBudget(limits).spend(raw, part)
    return _parse(raw, part, limits)


def parsed_parts(archive: zipfile.ZipFile, limits: XmlLimits, wanted=is_xml_part):
    """Yield (name, bytes, parsed root) of each wanted XML part, within the limits.

    Every part is read and its nodes counted before any tree is built, so a refusal costs
    no more than the parts' bytes.
    """
    infos = [info for info in archive.infolist() if wanted(info.filename)]
    budget = XmlBudget(limits)
    budget.check_sizes(infos)
    raws = [(info.filename, budget.read(archive, info)) for info in infos]
    for name, raw in raws:
        budget.spend(raw, name)
    raws.reverse()
    while raws:
        name, raw = raws.pop()
        yield name, raw, _parse(raw, name, limits)


def word_parts(data: bytes, limits: XmlLimits | None = None) -> dict:
    """Parse the top-level word/ XML parts of a .docx, within the XML limits."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = parsed_parts(archive, limits or XmlLimits.from_settings(), wanted=is_word_part)
        return {name: root for name, _raw, root in parts}
