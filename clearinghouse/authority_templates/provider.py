"""Authority templates as template sources, used by generation, the API and pages like the library.

create_app registers authority_provider() with generation's sources.py, after the library's.
"""

from sqlalchemy import select

from .. import permissions, storage
from ..errors import NotFound
from ..extensions import db
from ..generation import library, sources
from ..models import Template, TemplateVersion
from .choice import template_chosen_slug


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


def _chosen_for(user, library_slug: str) -> str | None:
    slug = template_chosen_slug(user, library_slug)
    return None if slug == library_slug else slug


def authority_provider() -> sources.Provider:
    """Return authorities' templates as a template source provider (create_app registers it)."""
    return sources.Provider("authority", _list_for, _get_for, _chosen_for)
