"""Authority templates as callers see them: versions, access checks and reading.

A template belongs to one authority and one library document type (whose schema and sample
data apply). Every upload is a new immutable version with its check report; practitioners
only see published versions, the template's own editors see every version.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from .. import permissions, storage
from ..errors import InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..generation import case_pipeline, library
from ..models import Template, TemplateVersion, User
from .upload_report import report_summary


@dataclass
class TemplateVersionInfo:
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
    versions: list[TemplateVersionInfo] = field(default_factory=list)
    # Case model 1 fields the published version uses, each {"field", "replace_with"}: it keeps
    # rendering with version 1 data until its editors publish a version without them.
    v1_fields: list[dict] = field(default_factory=list)

    @property
    def published(self) -> TemplateVersionInfo | None:
        """Return the newest published version."""
        found = [v for v in self.versions if v.status == "published"]
        return found[-1] if found else None

    @property
    def latest(self) -> TemplateVersionInfo | None:
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
            "case_model_1_fields": self.v1_fields,
        }


def library_title(library_slug: str) -> str:
    """Return the library document type's title (its slug if it is gone)."""
    try:
        return library.entry_get(library_slug).title
    except NotFound:
        return library_slug


def version_info(version: TemplateVersion) -> TemplateVersionInfo:
    """Return a stored version as callers see it."""
    uploader = db.session.get(User, version.uploaded_by_id)
    report = version.report or {}
    return TemplateVersionInfo(
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


def template_info(user, template: Template) -> TemplateInfo:
    """Return a template with the versions the user may see."""
    can_edit = permissions.can_edit_template(user, template)
    versions = [
        version_info(v) for v in template.versions if permissions.can_see_template_version(user, v)
    ]
    published = [v for v in template.versions if v.status == "published"]
    return TemplateInfo(
        template.slug,
        template.title,
        template.library_slug,
        library_title(template.library_slug),
        template.authority.slug,
        template.authority.name,
        template.visibility,
        can_edit,
        versions,
        version_v1_fields(published[-1]) if published else [],
    )


def version_v1_fields(version: TemplateVersion) -> list[dict]:
    """Return the case model 1 fields a stored version uses (read once per file, then cached)."""
    sha256 = version.sha256
    return list(case_pipeline.template_v1_fields(sha256, lambda: storage.get_blob(sha256)))


def visible_template(user, slug: str) -> Template:
    """Return the template if the user may see it; otherwise NotFound."""
    template = db.session.scalar(select(Template).where(Template.slug == slug))
    if template is None or not permissions.can_see_template(user, template):
        raise NotFound("That template does not exist, or you do not have access to it.")
    return template


def editable_template(user, slug: str) -> Template:
    """Return the template if the user may change it: NotFound or NotAuthorized otherwise."""
    template = visible_template(user, slug)
    if not permissions.can_edit_template(user, template):
        raise NotAuthorized("Only editors of the template's own authority can change it.")
    return template


def template_upload_authority(user) -> int:
    """Return the authority the user uploads templates for, or raise NotAuthorized."""
    authority_id = getattr(user, "authority_id", None)
    if authority_id is None or not permissions.can_upload_template(user, authority_id):
        raise NotAuthorized("Only editors can upload templates, and only for their own authority.")
    return authority_id


def template_get_editable(user, slug: str) -> TemplateInfo:
    """Return a template the user may change: NotFound or NotAuthorized otherwise."""
    return template_info(user, editable_template(user, slug))


def version_of(template: Template, number: int) -> TemplateVersion:
    """Return version n of a template; otherwise NotFound."""
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


def check_doc_type(library_slug: str) -> str:
    """Return the library document type slug, or raise InvalidInput if there is none such."""
    library_slug = (library_slug or "").strip()
    if not library_slug or library_slug not in library.library_get().entries:
        raise InvalidInput(
            "invalid_doc_type",
            "Choose a document type from the template library.",
            [{"path": "doc_type", "message": "Choose a document type from the template library."}],
        )
    return library_slug


def template_list(user, doc_type: str | None = None) -> list[TemplateInfo]:
    """Return the authority templates the user may see (own authority's first), by title."""
    query = select(Template)
    if doc_type:
        query = query.where(Template.library_slug == doc_type)
    found = []
    for template in db.session.scalars(query):
        if not permissions.can_view_template(user, template):
            continue
        info = template_info(user, template)
        if info.versions:
            found.append(info)
    own = getattr(user, "authority_id", None)
    authority_ids = {t.slug: t.authority_id for t in db.session.scalars(query)}
    return sorted(found, key=lambda t: (authority_ids[t.slug] != own, t.title.lower()))


def template_get(user, slug: str) -> TemplateInfo:
    """Return one template with the versions the user may see."""
    return template_info(user, visible_template(user, slug))


def template_version_get(user, slug: str, number: int) -> tuple[TemplateInfo, TemplateVersionInfo]:
    """Return one version (with its report) the user may see."""
    template = visible_template(user, slug)
    version = version_of(template, number)
    if not permissions.can_see_template_version(user, version):
        raise NotFound("That version of the template does not exist.")
    return template_info(user, template), version_info(version)


def template_version_file(user, slug: str, number: int) -> tuple[storage.BlobStream, str]:
    """Return a version's .docx as verified chunks, and its file name, for those who may see it."""
    template = visible_template(user, slug)
    version = version_of(template, number)
    if not permissions.can_see_template_version(user, version):
        raise NotFound("That version of the template does not exist.")
    return storage.open_blob(version.sha256), version.filename
