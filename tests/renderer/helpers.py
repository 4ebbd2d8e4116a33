"""Render limits the renderer tests pass, and readers of what a render produced (no tests here)."""

import dataclasses
import io
import re
import zipfile

from docx import Document
from docx_builder import W_NS
from lxml import etree

from clearinghouse.renderer import RenderLimits


def limits(**changes) -> RenderLimits:
    """Return the default render limits (those the settings declare) with some changed."""
    return dataclasses.replace(RenderLimits.from_settings(), **changes)


DEFAULT_LIMITS = limits()


def docx_text(data: bytes) -> str:
    """Return all text of a .docx: body, headers, footers, footnotes, one paragraph a line."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = ["word/document.xml"] + sorted(
        n
        for n in archive.namelist()
        if re.match(r"word/(header|footer)\d*\.xml|word/footnotes\.xml", n)
    )
    lines = []
    for name in names:
        root = etree.fromstring(archive.read(name))
        for p in root.iter(f"{{{W_NS}}}p"):
            lines.append("".join(t.text or "" for t in p.iter(f"{{{W_NS}}}t")))
    return "\n".join(lines)


def core_properties(data: bytes):
    """Return the python-docx core properties of a .docx."""
    return Document(io.BytesIO(data)).core_properties
