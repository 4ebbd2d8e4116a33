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
from ..renderer import letterhead, paper
from ..vocabulary import DOC_TYPES
from . import case_convert, case_pipeline, case_printed, library, rendering, sources

log = logging.getLogger(__name__)

FORMATS = ("docx", "html", "pdf")
YES, NO = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")
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


def output_format(fmt, pdfa) -> tuple[str, bool]:
    """Check a requested format and PDF/A flag (as sent by a form, query or CLI, or a bool);
    return them."""
    fmt = "docx" if fmt in (None, "") else str(fmt).strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput("invalid_format", "Choose a format of docx, pdf or html.", status=400)
    if isinstance(pdfa, bool):
        pdfa = "1" if pdfa else ""
    flag = "" if pdfa is None else str(pdfa).strip().lower()
    if flag not in YES + NO:
        raise InvalidInput("invalid_format", "pdfa must be 1 (PDF/A) or 0.", status=400)
    if flag in YES and fmt != "pdf":
        raise InvalidInput(
            "invalid_format", "PDF/A is a kind of PDF: ask for the PDF format with it.", status=400
        )
    return fmt, flag in YES


PDF_PROBLEMS = rendering.PDF_PROBLEMS


def format_chosen(button) -> tuple[str, bool]:
    """Return (format, PDF/A) for a page's download button: docx, pdf or pdfa."""
    if button == "pdfa":
        return "pdf", True
    return output_format(button, None)


def pdf_problem() -> str | None:
    """Return in one line why this server cannot make PDFs (what to install), or None."""
    return rendering.pdf_problem()


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


def _prepare_case(prepared: Prepared, case_data, recipient_id=None):
    """Check the case for the template (raising InvalidInput); return what it renders."""
    return case_pipeline.case_prepare(
        prepared.entry,
        case_data,
        settings=_settings(),
        audience=prepared.source.audience,
        recipient_id=recipient_id,
        today=date.today(),
        template_paths=case_printed.template_paths(prepared.source.sha256, prepared.source.load),
    )


def case_data_check(prepared: Prepared, case_data, recipient_id: str | None = None) -> list[dict]:
    """Check limits and the schema (raising InvalidInput), then return the quality warnings."""
    return _prepare_case(prepared, case_data, recipient_id).warnings


def authority_profile(user) -> dict:
    """Return the user's authority's details from its profile ({} when it has none)."""
    return sources.authority_details(user)


def authority_for_case(user, case_data) -> dict:
    """Return the authority's details a document shows: the profile, then the case's own.

    A practitioner may change a detail for one case; what they leave alone comes from the
    authority's profile, so a change to the profile reaches the next document. A group of
    details (complaints: name, phone...) is merged detail by detail.
    """
    own = case_data.get("authority") if isinstance(case_data, dict) else None
    merged = authority_profile(user)
    for key, value in (own if isinstance(own, dict) else {}).items():
        base = merged.get(key)
        both = isinstance(base, dict) and isinstance(value, dict)
        merged[key] = {**base, **value} if both else value
    return merged


def case_with_authority(user, case_data):
    """Return the case with the authority's details filled in from its profile."""
    if not isinstance(case_data, dict):
        return case_data
    authority = authority_for_case(user, case_data)
    return {**case_data, "authority": authority} if authority else case_data


def template_v1_fields(source: sources.TemplateSource) -> tuple[dict, ...]:
    """Return the case model 1 fields an authority template still uses (none for library)."""
    if source.source == "library":
        return ()
    return case_pipeline.template_v1_fields(source.sha256, source.load)


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


def document_filename(
    doc_type: str, case_data: dict, when: date, extension: str, recipient: dict | None = None
) -> str:
    """Return a file name of document type, initials and the date (no names).

    A letter to one person is named by that person's initials; other documents by the
    children's.
    """
    label = DOC_TYPE_LABELS.get(doc_type, doc_type) or "document"
    stem = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "document"
    children = case_data.get("children") if isinstance(case_data, dict) else None
    people = [recipient] if recipient else (children or [])[:4]
    initials = [_initials(_child_name(c)) for c in people]
    initials = [i for i in initials if i]
    parts = [stem, *(["-".join(initials)] if initials else []), when.isoformat()]
    return "-".join(parts) + "." + extension


def _with_letterhead(docx: bytes, logo: bytes) -> bytes:
    """Return the document with the authority's logo, or as it is if the logo cannot be placed
    (a document without its logo is better than none)."""
    try:
        return letterhead.letterhead_add(docx, logo)
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds on odd images
        log.warning("letterhead logo not placed: %s", type(exc).__name__)
        return docx


def document_generate(
    user,
    slug: str,
    case_data,
    *,
    fmt: str = "docx",
    pdfa: bool = False,
    recipient_id: str | None = None,
    commit: bool = True,
) -> GeneratedDocument:
    """Check and render the case data with a template; audit the generation (not the data).

    ``fmt`` is docx, html (the preview) or pdf (``pdfa`` for PDF/A-2b); ``commit=False``
    leaves the audit event for the caller's one commit (a pack).
    """
    fmt, pdfa = output_format(fmt, pdfa)
    prepared = template_prepare(user, slug)
    prepared_case = _prepare_case(prepared, case_with_authority(user, case_data), recipient_id)
    warnings, age = prepared_case.warnings, prepared_case.age
    source = prepared.source
    context = prepared_case.context
    if template_v1_fields(source):
        # Published before case model 2: it keeps the data it was written for.
        context = case_convert.case_downgrade(context)
    docx = rendering.render_docx(source.load(), context, key=source.sha256)
    # The profile's logo heads library documents; an authority's own template has its own.
    on_paper = fmt in ("docx", "pdf")
    logo = sources.authority_logo(user) if on_paper and source.source == "library" else None
    if logo:
        docx = _with_letterhead(docx, logo)
    docx = paper.paper_layout(docx)  # rows, headings and signatures hold together on paper
    spoken_from = date.fromisoformat(context["document"]["date"])
    filename = document_filename(
        source.doc_type, context, spoken_from, "docx", prepared_case.recipient
    )
    if fmt == "html":
        content: bytes | str = rendering.docx_to_html(docx)
        media_type = "text/html; charset=utf-8"
        filename = filename[: -len("docx")] + "html"
    elif fmt == "pdf":
        content, media_type = rendering.docx_to_pdf(docx, pdfa=pdfa), media_types.PDF
        filename = filename[: -len("docx")] + "pdf"
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
        **({"pdfa": pdfa} if fmt == "pdf" else {}),
        output_sha256=digest,
        warnings=len(warnings),
        actor="system" if permissions.is_system(user) else "user",
    )
    if commit:
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
