"""Responses every feature's pages and API share: core web plumbing, not a feature's views."""

from urllib.parse import quote

from flask import Response


def attachment_response(data: bytes, filename: str, media_type: str) -> Response:
    """Return the bytes as a download with the given name and media type, exactly as stored."""
    response = Response(data, headers={"Content-Type": media_type})
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["Content-Length"] = str(len(data))
    return response
