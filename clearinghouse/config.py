"""Every setting, declared once with its default and a one-line description.

Each is read from the environment variable ``CLEARINGHOUSE_<NAME>``; a mapping passed to
``create_app(config)`` overrides both (tests use that).
"""

import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, type and what it is for."""

    name: str
    default: Any
    description: str
    kind: type = str
    choices: tuple = ()  # when given, the only values accepted


class SettingError(ValueError):
    """A setting has a value the service cannot run with."""


SETTINGS = [
    Setting(
        "ENV", "production", "development, testing or production; development relaxes cookie rules"
    ),
    Setting("SECRET_KEY", None, "signs sessions and CSRF tokens; required outside development"),
    Setting("INSTANCE_PATH", None, "folder for the database, blobs and search index"),
    Setting(
        "AUDIT_REFERENCE_KEY",
        None,
        "key for mapping audits' hashed case references (per authority); none: from SECRET_KEY",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "SQLite (the default, in the instance folder) or PostgreSQL: postgresql+psycopg://...",
    ),
    Setting("MAX_UPLOAD_MB", 20, "largest file accepted, in megabytes", int),
    Setting("MAX_UNCOMPRESSED_MB", 200, "largest total uncompressed size of a .docx", int),
    Setting("MAX_ZIP_ENTRIES", 2000, "most entries a .docx may hold", int),
    Setting(
        "MAX_COMPRESSION_RATIO", 100, "highest compressed-to-uncompressed ratio of one entry", int
    ),
    Setting("MAX_XML_PART_MB", 20, "largest XML part of a .docx that is read, in megabytes", int),
    Setting("MAX_XML_TOTAL_MB", 40, "largest total of the XML parts of a .docx read, in MB", int),
    Setting(
        "MAX_XML_NODES", 1_000_000, "most XML elements and attributes read from one .docx", int
    ),
    Setting("MAX_XML_DEPTH", 100, "deepest nesting of XML elements in a .docx", int),
    Setting("MARKDOWN_MAX_KB", 1024, "largest Markdown file accepted, in kilobytes", int),
    Setting("MARKDOWN_MAX_LINES", 30_000, "most lines in a Markdown file", int),
    Setting(
        "MARKDOWN_MAX_BLOCK_LINES", 1000, "most Markdown lines in a row without a blank line", int
    ),
    Setting("MARKDOWN_MAX_DEPTH", 20, "deepest nesting of Markdown lists and quotes", int),
    Setting("MARKDOWN_MAX_HTML_TAGS", 1000, "most HTML tags in a Markdown file", int),
    Setting(
        "MARKDOWN_MAX_INLINE_WORK",
        5_000_000_000,
        "most inline formatting characters times their paragraph's length, summed over a file",
        int,
    ),
    Setting(
        "MARKDOWN_MAX_SCAN",
        1_000_000,
        "most characters rendering may scan for the ends of brackets and tags left open",
        int,
    ),
    Setting("LOGIN_MAX_FAILURES", 5, "failed sign-ins allowed before an account is locked", int),
    Setting(
        "LOGIN_LOCK_MINUTES", 15, "how long an account stays locked after failed sign-ins", int
    ),
    Setting(
        "LOGIN_MAX_FAILURES_PER_ADDRESS",
        20,
        "failed sign-ins one address may make in the window before it is refused",
        int,
    ),
    Setting("LOGIN_ADDRESS_WINDOW_MINUTES", 15, "window over which failures by address count", int),
    Setting(
        "TRUSTED_PROXIES",
        0,
        "proxies in front of the app whose X-Forwarded-For/-Proto to trust; 0 trusts none",
        int,
    ),
    Setting(
        "SEARCH_INDEX_VERSIONS", False, "index earlier versions as well as the current one", bool
    ),
    Setting(
        "SEARCH_ENGINE",
        "whoosh",
        "whoosh (an index in the instance folder, one machine) or postgres (full-text search "
        "in the PostgreSQL database, shared by several app servers)",
    ),
    Setting("SEARCH_WRITER_TIMEOUT", 30.0, "seconds to wait for the index writer lock", float),
    Setting("SEARCH_CACHE_MB", 256, "memory each process may use for cached search postings", int),
    Setting(
        "BLOB_STORE",
        "folder",
        "where stored files live: folder (instance/blobs) or database (shared by app servers)",
        choices=("folder", "database"),
    ),
    Setting(
        "BLOB_GC_GRACE_HOURS", 24.0, "age a stored file needs before gc-blobs may remove it", float
    ),
    Setting("RENDER_TIMEOUT_SECONDS", 10.0, "longest a document render may run", float),
    Setting(
        "RENDER_MAX_INPUT_KB", 512, "largest case data accepted for a render, in kilobytes", int
    ),
    Setting("RENDER_MAX_LIST_ITEMS", 500, "longest list allowed anywhere in case data", int),
    Setting("RENDER_MAX_OUTPUT_MB", 20, "largest generated document, in megabytes", int),
    Setting("PACK_MAX_DOCUMENTS", 12, "most documents one pack may render in one request", int),
    Setting("READING_AGE_TARGET", 12, "reading age family documents should not exceed", int),
    Setting(
        "TEMPLATES_LIBRARY_PATH", None, "folder of built-in templates; default templates_library/"
    ),
    Setting("REPORT_DAYS_BEFORE_INITIAL", 3, "working days before an initial conference", int),
    Setting("REPORT_DAYS_BEFORE_REVIEW", 5, "working days before a review conference", int),
    Setting("PDF_SOFFICE", "soffice", "LibreOffice's soffice program, for PDF output"),
    Setting("PDF_PYTHON", "/usr/bin/python3", "the Python that imports LibreOffice's uno"),
    Setting(
        "PDF_WORK_DIR",
        "/dev/shm",  # noqa: S108 - each converter makes its own 0700 folder inside
        "memory-backed (tmpfs) folder for the converters' own folders",
    ),
    Setting("PDF_CONVERTERS", 2, "warm LibreOffice converters each app process keeps", int),
    Setting("PDF_QUEUE", 4, "PDF requests that may wait for a converter before 503", int),
    Setting("PDF_TIMEOUT_SECONDS", 30.0, "longest one PDF conversion may run", float),
    Setting("PDF_MAX_CONVERSIONS", 200, "conversions after which a converter is restarted", int),
    Setting(
        "PDF_WARM", True, "start converters at a server's first request, not its first PDF", bool
    ),
    Setting(
        "CASE_JOURNEY_HOURS", 10.0, "hours a case in progress stays readable in the browser", float
    ),
    Setting("FEEDBACK_CODE_DAYS", 28, "days a family's one-time feedback code works", int),
    Setting(
        "FEEDBACK_MAX_FAILURES_PER_ADDRESS",
        10,
        "wrong, used or expired feedback codes one address may enter in the window before 429",
        int,
    ),
    Setting(
        "FEEDBACK_WINDOW_MINUTES", 60, "window over which those feedback code failures count", int
    ),
    Setting(
        "FEEDBACK_ADDRESS",
        "",
        "the short web address printed for families, e.g. ourcouncil.example/feedback "
        "(default: this site's /feedback)",
    ),
]


def _convert(setting: Setting, raw: str) -> Any:
    if setting.kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return setting.kind(raw)


def load_settings(overrides: dict | None = None) -> dict:
    """Return every setting from its default, the environment, then overrides (checked)."""
    values = {}
    for setting in SETTINGS:
        raw = os.environ.get(f"CLEARINGHOUSE_{setting.name}")
        values[setting.name] = setting.default if raw is None else _convert(setting, raw)
    values.update(overrides or {})
    for setting in SETTINGS:
        if setting.choices and values[setting.name] not in setting.choices:
            raise SettingError(
                f"CLEARINGHOUSE_{setting.name} must be one of {', '.join(setting.choices)}, "
                f"not {values[setting.name]!r}."
            )
    return values


def describe_settings() -> list[tuple[str, Any, str]]:
    """Return (environment variable, default, description) for the README and CLI."""
    return [(f"CLEARINGHOUSE_{s.name}", s.default, s.description) for s in SETTINGS]
