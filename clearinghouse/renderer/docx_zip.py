"""The .docx zip as stored entries: read once, written back with untouched parts still compressed.

Rendering replaces only the parts it fills in; every other entry (images, styles, settings)
is copied into the new zip byte for byte, without being decompressed and compressed again.
"""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from .errors import TemplateError


@dataclass
class Entry:
    """A zip entry kept as it was stored: name, method, crc, sizes, compressed bytes."""

    name: str
    method: int
    crc: int
    compressed: bytes
    size: int
    dos_time: int
    dos_date: int


def read_entries(archive: zipfile.ZipFile, data: bytes) -> list[Entry]:
    """Return the archive's entries as stored (compressed bytes, crc, sizes, dates)."""
    entries = []
    for info in archive.infolist():
        if info.flag_bits & 0x1 or info.compress_type not in (0, 8):
            raise TemplateError("The template is encrypted or uses an unusual zip compression.")
        start = info.header_offset
        name_len, extra_len = struct.unpack("<HH", data[start + 26 : start + 30])
        body = start + 30 + name_len + extra_len
        year, month, day, hour, minute, second = info.date_time
        entries.append(
            Entry(
                info.filename,
                info.compress_type,
                info.CRC,
                data[body : body + info.compress_size],
                info.file_size,
                (hour << 11) | (minute << 5) | (second // 2),
                (max(year - 1980, 0) << 9) | (month << 5) | day,
            )
        )
    return entries


def write_zip(entries: list[Entry], replaced: dict[str, bytes]) -> bytes:
    """Write a zip of the entries, recompressing only the replaced ones."""
    out = io.BytesIO()
    central = []
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0 if entry.name.isascii() else 0x800
        if entry.name in replaced:
            raw = replaced[entry.name]
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = packer.compress(raw) + packer.flush()
            method, crc, size = 8, zlib.crc32(raw), len(raw)
        else:
            data, method, crc, size = entry.compressed, entry.method, entry.crc, entry.size
        offset = out.tell()
        header = (method, entry.dos_time, entry.dos_date, crc, len(data), size, len(name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, *header, 0))
        out.write(name)
        out.write(data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, *header, 0, 0, 0, 0, 0, offset
            )  # noqa: E501
            + name
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    count = len(central)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()
