"""Letterhead logos: PNG or JPEG, recognised by their first bytes and header, never decoded.

Only the few header bytes that give the format and the pixel size are read, so a hostile file
costs nothing to check; the size cap bounds the rest.
"""

import struct

from ..errors import InvalidInput
from ..renderer.letterhead import letterhead_fits

MAX_BYTES = 200 * 1024
MIN_PIXELS = 16
MAX_PIXELS = 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8\xff"
# JPEG start-of-frame markers (they carry the size); C4, C8 and CC are other tables.
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
MAX_JPEG_SEGMENTS = 200


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    for _ in range(MAX_JPEG_SEGMENTS):
        while at < len(data) and data[at] == 0xFF and at + 1 < len(data) and data[at + 1] == 0xFF:
            at += 1  # fill bytes
        if at + 4 > len(data) or data[at] != 0xFF:
            return None
        marker = data[at + 1]
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in SOF_MARKERS:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        if length < 2:
            return None
        at += 2 + length
    return None


def image_kind(data: bytes) -> str | None:
    """Return "image/png" or "image/jpeg" from the file's first bytes, or None."""
    if data.startswith(PNG_SIGNATURE):
        return "image/png"
    if data.startswith(JPEG_START):
        return "image/jpeg"
    return None


def logo_check(data: bytes) -> str:
    """Return the logo's media type, or raise InvalidInput saying in plain words what is wrong."""
    if not data:
        raise InvalidInput("logo_empty", "The selected file is empty. Choose a PNG or JPEG image.")
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            "logo_too_large",
            f"The logo must be smaller than {MAX_BYTES // 1024} KB. Save it smaller and try again.",
            status=413,
        )
    kind = image_kind(data)
    if kind is None:
        raise InvalidInput("logo_not_image", "The logo must be a PNG or JPEG image.")
    size = _png_size(data) if kind == "image/png" else _jpeg_size(data)
    if size is None:
        raise InvalidInput(
            "logo_damaged", "The logo could not be read. Save it again as PNG or JPEG."
        )
    width, height = size
    if not (MIN_PIXELS <= width <= MAX_PIXELS and MIN_PIXELS <= height <= MAX_PIXELS):
        raise InvalidInput(
            "logo_size",
            f"The logo must be between {MIN_PIXELS} and {MAX_PIXELS} pixels wide and high.",
        )
    if not letterhead_fits(data):  # what documents will need to place it
        raise InvalidInput(
            "logo_damaged", "The logo could not be read. Save it again as PNG or JPEG."
        )
    return kind
