"""Generate a document from case data: the one service the web form, the API and the CLI call.

Case data is used only in memory for the length of one call: it is never written to the
database, the disk or the logs. The audit event records the template and the output's sha256.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date

from flask import current_app

from .. import media_types, permissions
from ..errors import InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import record_audit
from ..vocabulary import DOC_TYPES
from . import case_quality, case_validation, library, sources

log = logging.getLogger(__name__)

FORMATS = ("docx", "html")
DOC_TYPE_LABELS = {slug: label for slug, label, _stage in DOC_TYPES}


@dataclass
class GeneratedDocument:
    """A generated document: .docx bytes or preview HTML, with its name and quality warnings."""

    content: bytes | str
    filename: str
    media_type: str
    sha256: str
    warnings: list[dict] = field(default_factory=list)
    template_slug: str = ""
    template_version: str = ""
    reading_age: float | None = None  # of the text entered, for documents for families
    reading_age_target: int | None = None


@dataclass
class Prepared:
    """A template source with the library entry whose schema and sample apply to it."""

    source: sources.TemplateSource
    entry: library.LibraryEntry


def _settings() -> dict:
    return current_app.config["CLEARINGHOUSE"]


def template_prepare(user, slug: str, *, generate: bool = True) -> Prepared:
    """Return the template source and its library entry, checking the user may generate."""
    if generate and not permissions.can_generate(user):
        raise NotAuthorized(
            "Only practitioners, editors and managers of an authority can generate documents."
        )
    if not permissions.can_read_templates(user):
        raise NotFound("That template does not exist, or you do not have access to it.")
    source = sources.source_get(user, slug)
    return Prepared(source, library.entry_get(source.library_slug))


def _check(prepared: Prepared, case_data) -> tuple[list[dict], float | None]:
    """Check limits and the schema (raising InvalidInput); return warnings and reading age."""
    settings = _settings()
    case_validation.limits_check(
        case_data,
        max_kb=settings["RENDER_MAX_INPUT_KB"],
        max_items=settings["RENDER_MAX_LIST_ITEMS"],
    )
    form_schema = library.form_schema(prepared.entry.slug)
    case_validation.case_data_validate(
        library.validator_for(prepared.entry.slug), case_data, form_schema
    )
    # Check only what this template uses: one case file may fill every template.
    used = form_schema.get("properties") or {}
    relevant = {k: v for k, v in case_data.items() if k in used} if used else case_data
    family = prepared.source.audience == "family"
    age = case_quality.case_reading_age(relevant) if family else None
    warnings = case_quality.quality_warnings(
        relevant,
        audience=prepared.source.audience,
        about_child=prepared.entry.about_child and any(k in used for k in case_quality.VOICE_KEYS),
        reading_age_target=settings["READING_AGE_TARGET"],
        age=age,
    )
    return warnings, age


def case_data_check(prepared: Prepared, case_data) -> list[dict]:
    """Check limits and the schema (raising InvalidInput), then return the quality warnings."""
    return _check(prepared, case_data)[0]


def _initials(name) -> str:
    words = re.findall(r"[^\W\d_]+", str(name or ""))
    letters = "".join(word[0] for word in words[:3]).upper()
    return re.sub(r"[^A-Z]", "", letters.encode("ascii", "ignore").decode()) or ""


def _child_name(child: dict) -> str:
    if not isinstance(child, dict):
        return ""
    for key in ("name", "full_name", "known_as"):
        if child.get(key):
            return str(child[key])
    parts = [child.get(k) for k in ("first_name", "given_name", "last_name", "family_name")]
    return " ".join(str(p) for p in parts if p)


def document_filename(doc_type: str, case_data: dict, when: date, extension: str) -> str:
    """Return a file name of document type, the children's initials and the date (no names)."""
    label = DOC_TYPE_LABELS.get(doc_type, doc_type) or "document"
    stem = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "document"
    children = case_data.get("children") if isinstance(case_data, dict) else None
    initials = [_initials(_child_name(c)) for c in (children or [])[:4]]
    initials = [i for i in initials if i]
    parts = [stem, *(["-".join(initials)] if initials else []), when.isoformat()]
    return "-".join(parts) + "." + extension


def document_generate(user, slug: str, case_data, *, fmt: str = "docx") -> GeneratedDocument:
    """Check and render the case data with a template; audit the generation (not the data)."""
    from . import rendering

    if fmt not in FORMATS:
        raise InvalidInput("invalid_format", "Choose a format of docx or html.", status=400)
    prepared = template_prepare(user, slug)
    warnings, age = _check(prepared, case_data)
    source = prepared.source
    docx = rendering.render_docx(source.load(), case_data, key=source.sha256)
    filename = document_filename(source.doc_type, case_data, date.today(), "docx")
    if fmt == "html":
        content: bytes | str = rendering.docx_to_html(docx)
        media_type = "text/html; charset=utf-8"
        filename = filename[: -len("docx")] + "html"
    else:
        content, media_type = docx, media_types.DOCX
    raw = content.encode("utf-8") if isinstance(content, str) else content
    digest = hashlib.sha256(raw).hexdigest()
    record_audit(
        user,
        "document_generated",
        "template",
        source.slug,
        template=source.slug,
        source=source.source,
        library_slug=source.library_slug,
        template_version=source.version,
        template_sha256=source.sha256,
        format=fmt,
        output_sha256=digest,
        warnings=len(warnings),
        actor="system" if permissions.is_system(user) else "user",
    )
    db.session.commit()
    log.info("document generated from %s (%s, %s)", source.slug, source.source, fmt)
    family = source.audience == "family"
    return GeneratedDocument(
        content,
        filename,
        media_type,
        digest,
        warnings,
        source.slug,
        source.version,
        age,
        _settings()["READING_AGE_TARGET"] if family else None,
    )


def templates_list(user) -> list[sources.TemplateSource]:
    """Return every template the user may see, titles in order."""
    return sorted(sources.sources_list(user), key=lambda s: (s.source != "library", s.title))


def template_schema(user, slug: str) -> dict:
    """Return the template's JSON Schema, with the shared case model embedded."""
    source = sources.source_get(user, slug)
    return library.schema_bundle(source.library_slug)


def template_sample(user, slug: str) -> dict:
    """Return the template's fictional sample case data."""
    source = sources.source_get(user, slug)
    return library.entry_get(source.library_slug).sample
