"""Authority templates: check a file, upload it as a new version, re-check, publish, settings.

Every upload is a new immutable version with its check report; a version with errors stays
a draft. Each change commits once in a unit of work; an upload's blob is stored before the
commit and never removed here (``storage.blob_gc`` removes blobs no committed version names).
"""

import logging

from sqlalchemy import func, select

from .. import permissions, storage
from ..documents import metadata
from ..documents.writing import check_file
from ..errors import InvalidInput, NotAuthorized
from ..extensions import db
from ..generation import library
from ..models import Template, TemplateVersion, record_audit
from ..unit_of_work import unit_of_work
from .records import (
    TemplateInfo,
    TemplateVersionInfo,
    check_doc_type,
    editable_template,
    template_info,
    template_upload_authority,
    version_info,
    version_of,
)
from .upload_report import report_build, slugify

log = logging.getLogger(__name__)

UPLOAD_CONFLICT = "Someone else changed this template at the same moment. Try again."


def _checked_docx(data: bytes, filename: str):
    upload = check_file(data, filename)
    if upload.extension != ".docx":
        raise InvalidInput(
            "unsupported_type",
            "A template must be a Word document (.docx).",
            [{"path": "file", "message": "A template must be a Word document (.docx)."}],
        )
    return upload


def template_check(user, *, data: bytes, filename: str, doc_type: str) -> dict:
    """Check a template file against a library document type and return the report only."""
    if not permissions.can_read_templates(user):
        raise NotAuthorized("Sign in to check templates.")
    library_slug = check_doc_type(doc_type)
    upload = _checked_docx(data, filename)
    return report_build(upload.data, library_slug)


# ---- upload, re-check, publish -----------------------------------------------------------


def _clean_fields(title: str, visibility: str, change_note: str | None) -> tuple[str, str, str]:
    problems: list[dict] = []
    title = metadata.clean_title(title, "template", problems)
    metadata.check_visibility(visibility, "Choose whether to share the template or not.", problems)
    note = metadata.clean_change_note(change_note, problems)
    metadata.refuse_problems("invalid_template", problems)
    return title, visibility, note


def _unique_slug(authority_slug: str, title: str) -> str:
    base = slugify(title)
    if not base.startswith(f"{authority_slug}-"):
        base = slugify(f"{authority_slug}-{title}")
    taken_library = set(library.library_get().entries)
    slug, n = base, 1
    while slug in taken_library or db.session.scalar(
        select(func.count()).where(Template.slug == slug)
    ):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _next_version_number(template: Template) -> int:
    """Return the number the template's next version takes (read from the database, not the
    versions this session loaded: another server may have added one since)."""
    if template.id is None:
        return 1
    latest = db.session.scalar(
        select(func.max(TemplateVersion.number)).where(TemplateVersion.template_id == template.id)
    )
    return (latest or 0) + 1


def _store(user, template: Template, number: int, upload, note: str, report: dict):
    """Add the version, its audit entry and its blob to the current unit of work."""
    version = TemplateVersion(
        template=template,
        number=number,
        sha256=storage.sha256_of(upload.data),
        filename=upload.filename,
        size=len(upload.data),
        change_note=note,
        status="draft",
        report=report,
        uploaded_by_id=user.id,
    )
    db.session.add(version)
    db.session.flush()
    record_audit(
        user,
        "template_version_added",
        "template",
        template.slug,
        version=number,
        sha256=version.sha256,
        errors=len(report["errors"]),
    )
    return version


def template_upload(
    user,
    *,
    data: bytes,
    filename: str,
    doc_type: str | None = None,
    title: str | None = None,
    visibility: str = "internal",
    change_note: str | None = None,
    slug: str | None = None,
) -> tuple[TemplateInfo, TemplateVersionInfo]:
    """Upload a new template (version 1), or version n+1 of ``slug``; return it with its report."""
    if slug:
        template = editable_template(user, slug)
        note = metadata.version_note(change_note, "invalid_template")
        upload = _checked_docx(data, filename)
        report = report_build(upload.data, template.library_slug)
    else:
        template_upload_authority(user)
        library_slug = check_doc_type(doc_type)
        title, visibility, note = _clean_fields(title, visibility, change_note)
        upload = _checked_docx(data, filename)
        report = report_build(upload.data, library_slug)
        note = note or "First version"
        template = Template(
            slug=_unique_slug(user.authority.slug, title),
            authority_id=user.authority_id,
            library_slug=library_slug,
            title=title,
            visibility=visibility,
            created_by_id=user.id,
        )
    with unit_of_work(UPLOAD_CONFLICT) as work:
        db.session.add(template)  # new templates only: one already stored is in the session
        if template.id is not None:
            work.lock(template)  # concurrent uploads to this template take numbers in turn
        number = _next_version_number(template)
        version = _store(user, template, number, upload, note, report)
        work.stage_blob(upload.data)
    log.info("template %s version %d uploaded", template.slug, number)
    return template_info(user, template), version_info(version)


def template_recheck(user, slug: str, number: int) -> TemplateVersionInfo:
    """Check a stored version again (for example after the library schema changed)."""
    template = editable_template(user, slug)
    version = version_of(template, number)
    report = report_build(storage.get_blob(version.sha256), template.library_slug)
    with unit_of_work():
        version.report = report
        record_audit(user, "template_rechecked", "template", slug, version=number)
    return version_info(version)


def template_publish(user, slug: str, number: int) -> TemplateVersionInfo:
    """Publish a version so practitioners can use it; refused while its report has errors."""
    template = editable_template(user, slug)
    version = version_of(template, number)
    errors = (version.report or {}).get("errors") or []
    if errors or not version.report:
        raise InvalidInput(
            "template_has_errors",
            "This version has errors in its check report, so it cannot be published. "
            "Fix the template and upload a new version.",
            [{"path": "version", "message": e["message"]} for e in errors],
        )
    if version.status != "published":
        with unit_of_work():
            version.status = "published"
            record_audit(user, "template_published", "template", slug, version=number)
    return version_info(version)


def template_settings(user, slug: str, *, title: str, visibility: str) -> TemplateInfo:
    """Change a template's title or who can see it."""
    template = editable_template(user, slug)
    title, visibility, _ = _clean_fields(title, visibility, "")
    with unit_of_work():
        template.title, template.visibility = title, visibility
        record_audit(user, "template_changed", "template", slug, visibility=visibility)
    return template_info(user, template)
