"""The numbers an upload must keep within, read from the settings, and how a refusal looks.

Size alone does not bound what a file costs: a small .docx of tiny XML elements or a short
Markdown file of open brackets can cost gigabytes or minutes. So besides sizes there are
limits on shape (XML nodes and depth; Markdown lines, nesting, tags and open brackets).
Every number is declared once in clearinghouse/config.py.
"""

from dataclasses import dataclass, field

from ..config import SETTINGS
from ..errors import InvalidInput

MB = 1024 * 1024
_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


def _values(settings: dict | None) -> dict:
    return {**_DEFAULTS, **(settings or {})}


def refuse(code: str, message: str, status: int = 422) -> InvalidInput:
    """Return the InvalidInput for a refused file, its message also its one detail."""
    return InvalidInput(code, message, [{"path": "file", "message": message}], status=status)


@dataclass(frozen=True)
class XmlLimits:
    """What reading a .docx's XML may cost: bytes per part and in all, nodes and depth."""

    max_part: int
    max_total: int
    max_nodes: int
    max_depth: int

    @classmethod
    def from_settings(cls, settings: dict | None = None) -> "XmlLimits":
        """Return the limits in these settings (the declared defaults for any missing)."""
        values = _values(settings)
        return cls(
            values["MAX_XML_PART_MB"] * MB,
            values["MAX_XML_TOTAL_MB"] * MB,
            values["MAX_XML_NODES"],
            values["MAX_XML_DEPTH"],
        )


@dataclass(frozen=True)
class MarkdownLimits:
    """What rendering Markdown may cost: its size, lines, nesting, tags and open brackets."""

    max_bytes: int
    max_lines: int
    max_block_lines: int
    max_depth: int
    max_html_tags: int
    max_scan: int
    max_inline_work: int

    @classmethod
    def from_settings(cls, settings: dict | None = None) -> "MarkdownLimits":
        """Return the limits in these settings (the declared defaults for any missing)."""
        values = _values(settings)
        return cls(
            values["MARKDOWN_MAX_KB"] * 1024,
            values["MARKDOWN_MAX_LINES"],
            values["MARKDOWN_MAX_BLOCK_LINES"],
            values["MARKDOWN_MAX_DEPTH"],
            values["MARKDOWN_MAX_HTML_TAGS"],
            values["MARKDOWN_MAX_SCAN"],
            values["MARKDOWN_MAX_INLINE_WORK"],
        )


@dataclass(frozen=True)
class UploadLimits:
    """The numbers an upload must keep within."""

    max_bytes: int
    max_uncompressed: int
    max_entries: int
    max_ratio: int
    xml: XmlLimits = field(default_factory=XmlLimits.from_settings)
    markdown: MarkdownLimits = field(default_factory=MarkdownLimits.from_settings)

    @classmethod
    def from_settings(cls, settings: dict) -> "UploadLimits":
        """Return the limits configured for this instance."""
        values = _values(settings)
        return cls(
            values["MAX_UPLOAD_MB"] * MB,
            values["MAX_UNCOMPRESSED_MB"] * MB,
            values["MAX_ZIP_ENTRIES"],
            values["MAX_COMPRESSION_RATIO"],
            XmlLimits.from_settings(values),
            MarkdownLimits.from_settings(values),
        )
