"""Authorities' own templates: upload, check, version, publish, choose and generate from.

A template belongs to one authority and one library document type (whose schema and sample
data apply). Every upload is a new immutable version with its check report; a version with
errors stays a draft; practitioners only see published versions. Published templates (the
own authority's, and other authorities' shared ones) are template sources like the
library's, so generation, the API and the pages use them the same way.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import permissions, storage
from ..documents.service import check_file
from ..errors import Conflict, InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import VISIBILITIES, Template, TemplateChoice, TemplateVersion, User, record_audit
from . import library, sources
from .template_checks import report_build, report_summary, slugify

log = logging.getLogger(__name__)
LIBRARY_CHOICE = "library"


@dataclass
class VersionInfo:
    """One version of an authority template, as callers see it."""

    number: int
    sha256: str
    filename: str
    size: int
    change_note: str
    status: str
    uploaded_at: datetime
    uploaded_by: str
    report: dict
    summary: str

    def as_dict(self, with_report: bool = True) -> dict:
        """Return the version as the API shows it."""
        data = {
            "number": self.number,
            "sha256": self.sha256,
            "filename": self.filename,
            "size": self.size,
            "change_note": self.change_note,
            "status": self.status,
            "uploaded_at": self.uploaded_at.isoformat() + "Z",
            "uploaded_by": self.uploaded_by,
        }
        if with_report:
            data["report"] = self.report
        return data


@dataclass
class TemplateInfo:
    """An authority template with the versions the user may see."""

    slug: str
    title: str
    library_slug: str
    library_title: str
    authority: str
    authority_name: str
    visibility: str
    can_edit: bool
    versions: list[VersionInfo] = field(default_factory=list)

    @property
    def published(self) -> VersionInfo | None:
        """Return the newest published version."""
        found = [v for v in self.versions if v.status == "published"]
        return found[-1] if found else None

    @property
    def latest(self) -> VersionInfo | None:
        """Return the newest version the user may see."""
        return self.versions[-1] if self.versions else None

    def as_dict(self) -> dict:
        """Return the template as the API shows it."""
        return {
            "slug": self.slug,
            "title": self.title,
            "doc_type": self.library_slug,
            "authority": self.authority,
            "visibility": self.visibility,
            "published_version": self.published.number if self.published else None,
            "versions": [v.as_dict(with_report=False) for v in self.versions],
        }


def _library_title(library_slug: str) -> str:
    try:
        return library.entry_get(library_slug).title
    except NotFound:
        return library_slug


def _version_info(version: TemplateVersion) -> VersionInfo:
    uploader = db.session.get(User, version.uploaded_by_id)
    report = version.report or {}
    return VersionInfo(
        version.number,
        version.sha256,
        version.filename,
        version.size,
        version.change_note,
        version.status,
        version.uploaded_at,
        uploader.name if uploader else "",
        report,
        report_summary(report),
    )


def _template_info(user, template: Template) -> TemplateInfo:
    can_edit = permissions.can_edit_template(user, template)
    versions = [
        _version_info(v)
        for v in template.versions
        if permissions.can_use_template_version(user, v) or can_edit
    ]
    return TemplateInfo(
        template.slug,
        template.title,
        template.library_slug,
        _library_title(template.library_slug),
        template.authority.slug,
        template.authority.name,
        template.visibility,
        can_edit,
        versions,
    )


def _visible_template(user, slug: str) -> Template:
    template = db.session.scalar(select(Template).where(Template.slug == slug))
    if template is None or not permissions.can_view_template(user, template):
        raise NotFound("That template does not exist, or you do not have access to it.")
    if not permissions.can_edit_template(user, template) and not any(
        permissions.can_use_template_version(user, v) for v in template.versions
    ):
        raise NotFound("That template does not exist, or you do not have access to it.")
    return template


def _editable_template(user, slug: str) -> Template:
    template = _visible_template(user, slug)
    if not permissions.can_edit_template(user, template):
        raise NotAuthorized("Only editors of the template's own authority can change it.")
    return template


def _version(template: Template, number: int) -> TemplateVersion:
    for version in template.versions:
        if version.number == number:
            return version
    raise NotFound("That version of the template does not exist.")


def library_doc_types() -> list[tuple[str, str]]:
    """Return (slug, title) of every library document type, by title."""
    entries = library.library_get().entries.values()
    return sorted(((e.slug, e.title) for e in entries), key=lambda pair: pair[1].lower())


def can_upload(user) -> bool:
    """Return whether the user may upload templates for their authority."""
    authority_id = getattr(user, "authority_id", None)
    return authority_id is not None and permissions.can_upload_template(user, authority_id)


# ---- checks ----------------------------------------------------------------------------


def _checked_docx(data: bytes, filename: str):
    upload = check_file(data, filename)
    if upload.extension != ".docx":
        raise InvalidInput(
            "unsupported_type",
            "A template must be a Word document (.docx).",
            [{"path": "file", "message": "A template must be a Word document (.docx)."}],
        )
    return upload


def _check_doc_type(library_slug: str) -> str:
    library_slug = (library_slug or "").strip()
    if not library_slug or library_slug not in library.library_get().entries:
        raise InvalidInput(
            "invalid_doc_type",
            "Choose a document type from the template library.",
            [{"path": "doc_type", "message": "Choose a document type from the template library."}],
        )
    return library_slug


def template_check(
    user, *, data: bytes, filename: str, doc_type: str, system: bool = False
) -> dict:
    """Check a template file against a library document type and return the report only."""
    if not system and not permissions.can_read(user):
        raise NotAuthorized("Sign in to check templates.")
    library_slug = _check_doc_type(doc_type)
    upload = _checked_docx(data, filename)
    return report_build(upload.data, library_slug)


# ---- upload, re-check, publish -----------------------------------------------------------


def _clean_fields(title: str, visibility: str, change_note: str | None) -> tuple[str, str, str]:
    problems = []
    title = " ".join((title or "").split())
    if not title:
        problems.append({"path": "title", "message": "Enter a title for the template."})
    elif len(title) > 300:
        problems.append({"path": "title", "message": "Title must be 300 characters or fewer."})
    if visibility not in VISIBILITIES:
        problems.append(
            {"path": "visibility", "message": "Choose whether to share the template or not."}
        )
    note = (change_note or "").strip()
    if len(note) > 2000:
        problems.append(
            {"path": "change_note", "message": "Change note must be 2000 characters or fewer."}
        )
    if problems:
        raise InvalidInput("invalid_template", problems[0]["message"], problems)
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


def _store(user, template: Template, number: int, upload, note: str, report: dict):
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
    digest = storage.put_blob(upload.data)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        _forget_blob(digest)
        raise Conflict(
            "Someone else changed this template at the same moment. Try again.",
            "version_conflict",
        ) from None
    except Exception:
        db.session.rollback()
        _forget_blob(digest)
        raise
    return version


def _forget_blob(digest: str) -> None:
    used = db.session.scalar(select(func.count()).where(TemplateVersion.sha256 == digest))
    storage.delete_blob_if_unused(digest, bool(used))


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
) -> tuple[TemplateInfo, VersionInfo]:
    """Upload a new template (version 1), or version n+1 of ``slug``; return it with its report."""
    if slug:
        template = _editable_template(user, slug)
        note = (change_note or "").strip()
        if not note:
            message = "Enter a change note saying what changed in this version."
            raise InvalidInput(
                "change_note_required", message, [{"path": "change_note", "message": message}]
            )
        _, _, note = _clean_fields(template.title, template.visibility, note)
        upload = _checked_docx(data, filename)
        report = report_build(upload.data, template.library_slug)
        number = max((v.number for v in template.versions), default=0) + 1
    else:
        if user.authority_id is None or not permissions.can_upload_template(
            user, user.authority_id
        ):
            raise NotAuthorized(
                "Only editors can upload templates, and only for their own authority."
            )
        library_slug = _check_doc_type(doc_type)
        title, visibility, note = _clean_fields(title, visibility, change_note)
        upload = _checked_docx(data, filename)
        report = report_build(upload.data, library_slug)
        template = Template(
            slug=_unique_slug(user.authority.slug, title),
            authority_id=user.authority_id,
            library_slug=library_slug,
            title=title,
            visibility=visibility,
            created_by_id=user.id,
        )
        db.session.add(template)
        number, note = 1, note or "First version"
    version = _store(user, template, number, upload, note, report)
    log.info("template %s version %d uploaded", template.slug, number)
    return _template_info(user, template), _version_info(version)


def template_recheck(user, slug: str, number: int) -> VersionInfo:
    """Check a stored version again (for example after the library schema changed)."""
    template = _editable_template(user, slug)
    version = _version(template, number)
    version.report = report_build(storage.get_blob(version.sha256), template.library_slug)
    record_audit(user, "template_rechecked", "template", slug, version=number)
    db.session.commit()
    return _version_info(version)


def template_publish(user, slug: str, number: int) -> VersionInfo:
    """Publish a version so practitioners can use it; refused while its report has errors."""
    template = _editable_template(user, slug)
    version = _version(template, number)
    errors = (version.report or {}).get("errors") or []
    if errors or not version.report:
        raise InvalidInput(
            "template_has_errors",
            "This version has errors in its check report, so it cannot be published. "
            "Fix the template and upload a new version.",
            [{"path": "version", "message": e["message"]} for e in errors],
        )
    if version.status != "published":
        version.status = "published"
        record_audit(user, "template_published", "template", slug, version=number)
        db.session.commit()
    return _version_info(version)


def template_settings(user, slug: str, *, title: str, visibility: str) -> TemplateInfo:
    """Change a template's title or who can see it."""
    template = _editable_template(user, slug)
    template.title, template.visibility, _ = _clean_fields(title, visibility, "")
    record_audit(user, "template_changed", "template", slug, visibility=template.visibility)
    db.session.commit()
    return _template_info(user, template)


# ---- reading -------------------------------------------------------------------------------


def template_list(user, doc_type: str | None = None) -> list[TemplateInfo]:
    """Return the authority templates the user may see (own authority's first), by title."""
    query = select(Template)
    if doc_type:
        query = query.where(Template.library_slug == doc_type)
    found = []
    for template in db.session.scalars(query):
        if not permissions.can_view_template(user, template):
            continue
        info = _template_info(user, template)
        if info.versions:
            found.append(info)
    own = getattr(user, "authority_id", None)
    authority_ids = {t.slug: t.authority_id for t in db.session.scalars(query)}
    return sorted(found, key=lambda t: (authority_ids[t.slug] != own, t.title.lower()))


def template_get(user, slug: str) -> TemplateInfo:
    """Return one template with the versions the user may see."""
    return _template_info(user, _visible_template(user, slug))


def template_version_get(user, slug: str, number: int) -> tuple[TemplateInfo, VersionInfo]:
    """Return one version (with its report) the user may see."""
    template = _visible_template(user, slug)
    version = _version(template, number)
    if not (
        permissions.can_use_template_version(user, version)
        or permissions.can_edit_template(user, template)
    ):
        raise NotFound("That version of the template does not exist.")
    return _template_info(user, template), _version_info(version)


def template_version_file(user, slug: str, number: int) -> tuple[bytes, str]:
    """Return a version's .docx bytes and file name, for those who may see it."""
    template = _visible_template(user, slug)
    version = _version(template, number)
    if not (
        permissions.can_use_template_version(user, version)
        or permissions.can_edit_template(user, template)
    ):
        raise NotFound("That version of the template does not exist.")
    return storage.get_blob(version.sha256), version.filename


# ---- choosing --------------------------------------------------------------------------


def template_options(user, doc_type: str) -> list[dict]:
    """Return what a practitioner may choose for a document type: library, own, shared."""
    _check_doc_type(doc_type)
    options = [
        {
            "choice": LIBRARY_CHOICE,
            "title": _library_title(doc_type),
            "source": "library",
            "authority": None,
            "version": None,
        }
    ]
    for info in template_list(user, doc_type):
        published = info.published
        if published is None:
            continue
        own = info.authority == getattr(getattr(user, "authority", None), "slug", None)
        options.append(
            {
                "choice": info.slug,
                "title": info.title,
                "source": "own" if own else "shared",
                "authority": info.authority_name,
                "version": published.number,
            }
        )
    return options


def template_choice_get(user, doc_type: str) -> str:
    """Return the user's remembered choice for a document type ("library" if none or gone)."""
    row = db.session.get(TemplateChoice, (user.id, doc_type))
    if row is None:
        return LIBRARY_CHOICE
    allowed = {o["choice"] for o in template_options(user, doc_type)}
    return row.choice if row.choice in allowed else LIBRARY_CHOICE


def template_choice_set(user, doc_type: str, choice: str) -> str:
    """Remember which template the user chose for a document type."""
    allowed = {o["choice"] for o in template_options(user, doc_type)}
    if choice not in allowed:
        message = "Choose one of the templates listed for this document type."
        raise InvalidInput("invalid_choice", message, [{"path": "choice", "message": message}])
    row = db.session.get(TemplateChoice, (user.id, doc_type))
    if row is None:
        db.session.add(TemplateChoice(user_id=user.id, library_slug=doc_type, choice=choice))
    else:
        row.choice = choice
    db.session.commit()
    return choice


def template_chosen_slug(user, doc_type: str) -> str:
    """Return the template slug to generate from for a document type (library or authority)."""
    choice = template_choice_get(user, doc_type)
    return doc_type if choice == LIBRARY_CHOICE else choice


# ---- the template source provider ------------------------------------------------------------


def _source_version(user, template: Template) -> TemplateVersion | None:
    """Return the version a user generates from: the newest published one, or for the
    template's own editors the newest version (so a draft can be tried out)."""
    if permissions.can_edit_template(user, template) and template.versions:
        return template.versions[-1]
    published = [v for v in template.versions if v.status == "published"]
    return published[-1] if published else None


def _source(template: Template, version: TemplateVersion) -> sources.TemplateSource:
    try:
        entry = library.entry_get(template.library_slug)
        meta = entry.meta
    except NotFound:
        meta = {}
    sha256 = version.sha256
    return sources.TemplateSource(
        slug=template.slug,
        title=template.title + ("" if version.status == "published" else " (draft)"),
        doc_type=meta.get("doc_type", template.library_slug),
        audience=meta.get("audience", "professional"),
        source="authority",
        library_slug=template.library_slug,
        version=str(version.number),
        sha256=sha256,
        load=lambda: storage.get_blob(sha256),
        authority=template.authority.slug,
        purpose=meta.get("purpose", ""),
    )


def _list_for(user) -> list[sources.TemplateSource]:
    if not permissions.can_read(user):
        return []
    found = []
    for template in db.session.scalars(select(Template).order_by(Template.title)):
        if template.library_slug not in library.library_get().entries:
            continue
        if permissions.can_view_template(user, template):
            version = _source_version(user, template)
            if version is not None and permissions.can_use_template_version(user, version):
                found.append(_source(template, version))
    return found


def _get_for(user, slug: str) -> sources.TemplateSource | None:
    template = db.session.scalar(select(Template).where(Template.slug == slug))
    if template is None or not permissions.can_view_template(user, template):
        return None
    version = _source_version(user, template)
    if version is None or not permissions.can_use_template_version(user, version):
        return None
    return _source(template, version)


sources.register_provider(sources.Provider("authority", _list_for, _get_for))
