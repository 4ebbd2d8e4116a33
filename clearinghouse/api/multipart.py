"""Reading multipart uploads in the API: required fields and the uploaded file."""

from flask import request

from ..errors import InvalidInput


def require_fields(messages: dict[str, str], *names: str) -> None:
    """Refuse the request, naming every missing field with its message, if any is absent."""
    missing = []
    for name in names:
        if name == "file":
            upload = request.files.get("file")
            if upload is None or not upload.filename:
                missing.append(name)
        elif not (request.form.get(name) or "").strip():
            missing.append(name)
    if missing:
        details = [{"path": name, "message": messages[name]} for name in missing]
        raise InvalidInput("missing_fields", "Some required fields are missing.", details)


def uploaded_file() -> tuple[bytes, str]:
    """Return the bytes and file name of the multipart field 'file'."""
    upload = request.files["file"]
    return upload.read(), upload.filename or ""
