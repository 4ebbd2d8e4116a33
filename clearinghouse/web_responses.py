"""Responses every feature's pages and API share: core web plumbing, not a feature's views."""

from collections.abc import Iterator
from typing import Protocol
from urllib.parse import quote

from flask import Response, flash


class SizedChunks(Protocol):
    """A body sent chunk by chunk whose total size is known first (a stored file's stream)."""

    size: int

    def __iter__(self) -> Iterator[bytes]: ...


def attachment_response(data: bytes | SizedChunks, filename: str, media_type: str) -> Response:
    """Return the bytes, or a stream of chunks with a size, as a download, exactly as stored."""
    if isinstance(data, bytes):
        response = Response(data, headers={"Content-Type": media_type})
        size = len(data)
    else:  # read while it is sent: the stream needs no request context (see storage.BlobStream)
        response = Response(iter(data), headers={"Content-Type": media_type})
        size = data.size
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["Content-Length"] = str(size)
    return response


def sharing_saved(changed: bool, shared: bool, now_shared: str, now_internal: str) -> None:
    """Tell the manager what their sharing choice did (nothing, shared, or kept internal)."""
    if not changed:
        flash("Nothing was changed.", "success")
    else:
        flash(now_shared if shared else now_internal, "success")
