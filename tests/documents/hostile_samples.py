"""Small files whose shape, not size, makes them costly: for the shape-limit tests.

Every .docx here passes the older checks (entry count, total size, compression ratio of
entries over 1 MB); what it would cost to parse is what makes it hostile.
"""

import io
import random
import zipfile
from functools import cache

from docx_builder import rezip
from docx_samples import good_docx

JUST_UNDER_RATIO_CHECK = 999_000  # entries of 1,000,000 bytes or fewer skip the ratio check


def _tiny_elements(size: int, text: bytes = b"") -> bytes:
    unit = b"<a/>" + text
    count = (size - 20) // len(unit)
    return b"<r>" + unit * count + b"</r>"


@cache
def many_parts(count: int = 100) -> bytes:
    """Return a .docx (about 140 KB) with count parts of tiny elements, each just under 1 MB."""
    part = _tiny_elements(JUST_UNDER_RATIO_CHECK)
    return rezip(good_docx(), add={f"word/part{i}.xml": part for i in range(count)})


@cache
def tiny_elements(count: int = 6) -> bytes:
    """Return a .docx whose few parts (6 MB in all) would build 1.5 million elements."""
    return many_parts(count)


@cache
def random_tiny_elements(megabytes: int = 6) -> bytes:
    """Return a .docx with one part of tiny randomly named elements, too varied to compress."""
    rng = random.Random(10)
    letters = "abcdefghijklmnopqrstuvwxyz"
    names = [a + b for a in letters for b in letters]
    units = "".join(f"<{rng.choice(names)}/>" for _ in range(megabytes * 1024 * 1024 // 5))
    return rezip(good_docx(), add={"word/tiny.xml": f"<r>{units}</r>".encode()})


def deep(levels: int) -> bytes:
    """Return a .docx whose document.xml nests elements levels deep."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "<w:sdt>" * levels + "</w:sdt>" * levels
    xml = f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    return rezip(good_docx(), replace={"word/document.xml": xml})


@cache
def worst_accepted(nodes: int = 940_000, parts: int = 5) -> bytes:
    """Return a .docx just inside the node limit in the costliest shape per node measured.

    An element and a one-character text node after it: about 250 bytes of tree each.
    """
    per_part = nodes // parts
    part = b"<r>" + b"<a/>x" * (per_part - 1) + b"</r>"
    assert len(part) <= JUST_UNDER_RATIO_CHECK * 5
    return rezip(good_docx(), add={f"word/worst{i}.xml": part for i in range(parts)})


def entry_sizes(data: bytes) -> tuple[int, int]:
    """Return (compressed, uncompressed) bytes of every entry."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    return sum(i.compress_size for i in infos), sum(i.file_size for i in infos)
