"""Upload checks, run before anything is stored.

Each refusal is an InvalidInput with a stable code and a message a social worker understands.
"""

import io
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lxml import etree

from ..errors import InvalidInput

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN_MEDIA_TYPE = "text/markdown; charset=utf-8"
ALLOWED_EXTENSIONS = {".docx": DOCX_MEDIA_TYPE, ".md": MARKDOWN_MEDIA_TYPE}
ACTIVE_CONTENT = re.compile(
    r"(vbaProject\.bin|vbaData\.xml|activeX|/embeddings/.*\.(bin|exe))", re.I
)
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class UploadLimits:
    """The numbers an upload must keep within."""

    max_bytes: int
    max_uncompressed: int
    max_entries: int
    max_ratio: int

    @classmethod
    def from_settings(cls, settings: dict) -> "UploadLimits":
        """Return the limits configured for this instance."""
        mb = 1024 * 1024
        return cls(
            settings["MAX_UPLOAD_MB"] * mb,
            settings["MAX_UNCOMPRESSED_MB"] * mb,
            settings["MAX_ZIP_ENTRIES"],
            settings["MAX_COMPRESSION_RATIO"],
        )


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check."""

    data: bytes
    filename: str
    extension: str
    media_type: str
    parts: dict = field(default_factory=dict)  # parsed XML of a .docx, by part name


def _refuse(code: str, message: str) -> InvalidInput:
    details = [{"path": "file", "message": message}]
    return InvalidInput(code, message, details, status=422 if code != "file_too_large" else 413)


def clean_filename(filename: str) -> str:
    """Return the file's own name without folders or control characters."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200]


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
        check_markdown(data)
    else:
        parts = check_docx(data, limits)
    return CheckedUpload(data, name, extension, ALLOWED_EXTENSIONS[extension], parts)


def check_markdown(data: bytes) -> None:
    """Refuse Markdown that is not UTF-8 text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(
            "not_utf8", "The Markdown file is not UTF-8 text. Save it as UTF-8 and try again."
        ) from None
    if "\x00" in text:
        raise _refuse("not_text", "The Markdown file is not a text file.")


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


def parse_xml_safely(raw: bytes, part: str):
    """Parse one XML part, refusing entity declarations and malformed XML."""
    if b"<!ENTITY" in raw or b"<!DOCTYPE" in raw:
        raise _refuse(
            "xml_entities",
            f"Part of the document ({part}) declares XML entities, which are not allowed.",
        )
    try:
        return etree.fromstring(raw, _SAFE_PARSER)
    except etree.XMLSyntaxError:
        raise _refuse(
            "invalid_xml", f"The document is damaged: part of it ({part}) cannot be read."
        ) from None


def _check_parts(archive: zipfile.ZipFile) -> dict:
    parsed = {}
    for name in archive.namelist():
        if ACTIVE_CONTENT.search(name):
            raise _refuse(
                "active_content",
                "The document contains macros or active content. Remove them and save as .docx.",
            )
    for name in archive.namelist():
        if not (name.endswith(".xml") or name.endswith(".rels")):
            continue
        raw = archive.read(name)
        root = parse_xml_safely(raw, name)
        if name.startswith("word/") and "/" not in name[5:]:
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
            return _check_parts(archive)
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
