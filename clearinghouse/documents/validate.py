"""Upload checks, run before anything is stored.

Each refusal is an InvalidInput with a stable code and a message a social worker understands.
Limits bound what a file costs by its shape as well as its size (see limits.py).
"""

import io
import logging
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .. import media_types
from ..errors import InvalidInput
from . import markdown_shape
from .limits import MarkdownLimits, UploadLimits, XmlLimits, refuse
from .xml_parts import is_word_part, parsed_parts

log = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = {".docx": media_types.DOCX, ".md": media_types.MARKDOWN}
ACTIVE_CONTENT = re.compile(
    r"(vbaProject\.bin|vbaData\.xml|activeX|/embeddings/.*\.(bin|exe))", re.I
)
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
MAX_FILENAME = 200  # characters; DocumentVersion.filename and TemplateVersion.filename hold 255
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check."""

    data: bytes
    filename: str
    extension: str
    media_type: str
    parts: dict = field(default_factory=dict)  # parsed XML of a .docx, by part name


def _refuse(code: str, message: str) -> InvalidInput:
    return refuse(code, message, status=413 if code == "file_too_large" else 422)


def clean_filename(filename: str) -> str:
    """Return the file's own name without folders or control characters, 200 at most.

    A longer name loses the end of its stem, never its extension.
    """
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) <= MAX_FILENAME:
        return name
    extension = _EXTENSION.search(name)
    suffix = extension.group(0) if extension else ""
    stem = name[: len(name) - len(suffix)][: MAX_FILENAME - len(suffix)].rstrip(" .")
    return stem + suffix


def check_upload(data: bytes, filename: str, limits: UploadLimits) -> CheckedUpload:
    """Check an uploaded file and return it, or raise InvalidInput saying what is wrong."""
    name = clean_filename(filename)
    extension = PurePosixPath(name.lower()).suffix
    if not name or not data:
        raise _refuse(
            "empty_file",
            "The selected file is empty. Choose a Word (.docx) or Markdown (.md) file.",
        )
    if len(data) > limits.max_bytes:
        megabytes = limits.max_bytes // (1024 * 1024)
        raise _refuse("file_too_large", f"The file must be smaller than {megabytes} MB.")
    if extension in {".docm", ".dotm", ".xlsm", ".pptm"}:
        raise _refuse(
            "active_content",
            "The file contains macros. Save it as a Word Document (.docx) without macros "
            "and try again.",
        )
    if extension not in ALLOWED_EXTENSIONS:
        raise _refuse(
            "unsupported_type", "The file must be a Word document (.docx) or a Markdown file (.md)."
        )
    parts = {}
    if extension == ".md":
        check_markdown(data, limits.markdown)
    else:
        parts = check_docx(data, limits)
    return CheckedUpload(data, name, extension, ALLOWED_EXTENSIONS[extension], parts)


def check_markdown(data: bytes, limits: MarkdownLimits | None = None) -> None:
    """Refuse Markdown that is not UTF-8 text, or whose shape would make it costly to show."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(
            "not_utf8", "The Markdown file is not UTF-8 text. Save it as UTF-8 and try again."
        ) from None
    if "\x00" in text:
        raise _refuse("not_text", "The Markdown file is not a text file.")
    markdown_shape.check_markdown_shape(text, limits or MarkdownLimits.from_settings())


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise _refuse(
            "not_docx", "The file is not a Word document. Save it as .docx and try again."
        ) from None
    if "word/document.xml" not in names:
        raise _refuse(
            "not_docx", "The file is not a Word document. Save it as .docx and try again."
        )
    return archive


def _check_sizes(archive: zipfile.ZipFile, limits: UploadLimits) -> None:
    infos = archive.infolist()
    bomb = _refuse(
        "zip_bomb",
        "The file expands to far more than a normal Word document, so it was not accepted.",
    )
    if len(infos) > limits.max_entries:
        raise bomb
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_uncompressed:
            raise bomb
        if info.file_size > 1_000_000 and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise bomb


def _check_parts(archive: zipfile.ZipFile, limits: XmlLimits) -> dict:
    parsed = {}
    for name in archive.namelist():
        if ACTIVE_CONTENT.search(name):
            raise _refuse(
                "active_content",
                "The document contains macros or active content. Remove them and save as .docx.",
            )
    for name, raw, root in parsed_parts(archive, limits):
        if is_word_part(name):
            parsed[name] = root
        if name == "[Content_Types].xml" and re.search(
            rb"macroEnabled|vbaProject|activeX", raw, re.I
        ):
            raise _refuse(
                "active_content",
                "The document contains macros or active content. Remove them and save as .docx.",
            )
        if name.endswith(".rels"):
            for rel in root:
                external = rel.get("TargetMode") == "External"
                if external and rel.get("Type") != HYPERLINK_REL:
                    raise _refuse(
                        "external_relationship",
                        "The document links to content outside itself (for example a remote "
                        "template or image). Remove the link and try again.",
                    )
    return parsed


def check_docx(data: bytes, limits: UploadLimits) -> dict:
    """Refuse a .docx that is not one, is too big inside, or holds active or external content.

    Returns the parsed XML of the word/ parts, so extraction need not parse them again.
    """
    archive = _open_zip(data)
    with archive:
        _check_sizes(archive, limits)
        try:
            return _check_parts(archive, limits.xml)
        except (
            zipfile.BadZipFile,
            zlib.error,
            lzma.LZMAError,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            ValueError,
        ):
            raise _refuse("not_docx", "The Word document is damaged and cannot be read.") from None
