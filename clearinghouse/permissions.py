"""The one place access is decided: ``can_<verb>(user, obj)`` for every action.

Services call these; views and the API never decide access themselves. Reading a thing the
user may not see is reported by services as NotFound, so its existence does not leak.
clearinghouse/access_table.py lists, for every endpoint, which of these rules applies.

Flask commands act as SYSTEM: the site's operator, who has no account and no authority. The
rules below grant it by name what the commands need (creating authorities and users, checking
templates, generating from library templates) and nothing else; services treat it as any actor.
"""

from sqlalchemy import or_

from .models import Document, SavedComparison, Template, TemplateVersion, User

AUTHORITY_ROLES = ("practitioner", "editor", "manager")


class SystemActor:
    """The operator acting through a flask command: no account, no authority, no role."""

    id = None
    authority_id = None
    authority = None
    role = None
    is_authenticated = False
    is_active = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    """Return whether the actor is the command line's SYSTEM actor."""
    return actor is SYSTEM


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _member_of(user, authority_id) -> bool:
    return _signed_in(user) and user.authority_id is not None and user.authority_id == authority_id


def can_read(user) -> bool:
    """Return whether the user may read the clearing house at all."""
    return _signed_in(user)


def can_read_templates(user) -> bool:
    """Return whether the actor may read templates' questions and check template files."""
    return is_system(user) or can_read(user)


def can_view_document(user, document: Document) -> bool:
    """Return whether the user may see this document and its versions."""
    if not _signed_in(user) or document.deleted_at is not None:
        return False
    return document.visibility == "shared" or _member_of(user, document.authority_id)


def visible_documents_clause(user):
    """Return a SQL condition selecting the documents the user may see."""
    clause = Document.deleted_at.is_(None)
    if user.authority_id is None:
        return clause & (Document.visibility == "shared")
    return clause & or_(Document.visibility == "shared", Document.authority_id == user.authority_id)


def can_upload_document(user, authority_id: int) -> bool:
    """Return whether the user may upload documents for this authority."""
    return _member_of(user, authority_id) and user.role == "editor"


def can_edit_document(user, document: Document) -> bool:
    """Return whether the user may add versions, change visibility or delete the document."""
    return can_view_document(user, document) and can_upload_document(user, document.authority_id)


def can_compare(user) -> bool:
    """Return whether the user may compare documents (only ones they can see)."""
    return _signed_in(user)


def can_save_comparison(user) -> bool:
    """Return whether the user may save a comparison for their authority: its managers."""
    return _signed_in(user) and user.role == "manager" and user.authority_id is not None


def can_view_saved_comparison(user, saved: SavedComparison) -> bool:
    """Return whether the user may open a saved comparison: the people of its authority."""
    return _member_of(user, saved.authority_id)


def can_delete_saved_comparison(user, saved: SavedComparison) -> bool:
    """Return whether the user may delete a saved comparison: its authority's managers."""
    return can_view_saved_comparison(user, saved) and can_save_comparison(user)


def can_generate(user) -> bool:
    """Return whether the user may generate documents (SYSTEM: from library templates only)."""
    if is_system(user):
        return True
    return _signed_in(user) and user.role in AUTHORITY_ROLES and user.authority_id is not None


def can_manage_authorities(user) -> bool:
    """Return whether the user may create and rename authorities."""
    return _signed_in(user) and user.role == "admin"


def can_manage_users(user) -> bool:
    """Return whether the user may create, change and deactivate users."""
    return _signed_in(user) and user.role == "admin"


def can_create_authority(actor) -> bool:
    """Return whether the actor may create an authority: an admin, or SYSTEM."""
    return is_system(actor) or can_manage_authorities(actor)


def can_create_user(actor) -> bool:
    """Return whether the actor may create a user: an admin, or SYSTEM."""
    return is_system(actor) or can_manage_users(actor)


def can_manage_doc_types(user) -> bool:
    """Return whether the user may extend the controlled vocabulary of document types."""
    return _signed_in(user) and user.role == "admin"


def can_manage_token(user, token) -> bool:
    """Return whether the user may see or revoke this API token."""
    return _signed_in(user) and token.user_id == user.id


def can_upload_template(user, authority_id: int) -> bool:
    """Return whether the user may upload templates for this authority."""
    return can_upload_document(user, authority_id)


def can_view_template(user, template: Template) -> bool:
    """Return whether the user may know this template exists (any of its versions)."""
    if not _signed_in(user):
        return False
    return template.visibility == "shared" or _member_of(user, template.authority_id)


def can_edit_template(user, template: Template) -> bool:
    """Return whether the user may add versions to, publish or re-check this template."""
    return can_view_template(user, template) and can_upload_template(user, template.authority_id)


def can_use_template_version(user, version: TemplateVersion) -> bool:
    """Return whether the user may generate from this template version."""
    template = version.template
    if not can_view_template(user, template):
        return False
    if version.status == "published":
        return True
    return can_edit_template(user, template)


def can_see_template_version(user, version: TemplateVersion) -> bool:
    """Return whether the user may see this version: one they may use, or any they may edit."""
    return can_use_template_version(user, version) or can_edit_template(user, version.template)


def can_see_template(user, template: Template) -> bool:
    """Return whether the user may see this template: visible, with a version they may see."""
    if not can_view_template(user, template):
        return False
    return can_edit_template(user, template) or any(
        can_use_template_version(user, v) for v in template.versions
    )


def is_user(obj) -> bool:
    """Return whether obj is a signed-in user record."""
    return isinstance(obj, User)


def can_view_audit(user) -> bool:
    """Return whether the user may read the audit log: a site admin, or a manager of one."""
    if not _signed_in(user):
        return False
    return user.role == "admin" or (user.role == "manager" and user.authority_id is not None)


def audit_authority_scope(user) -> int | None:
    """Return the only authority whose audit events the user sees, or None for all (admins)."""
    return None if user.role == "admin" else user.authority_id


def can_see_withdrawn_document(user, document: Document) -> bool:
    """Return whether the user may know a withdrawn document exists: its authority's members."""
    return document.deleted_at is not None and _member_of(user, document.authority_id)


def can_restore_document(user, document: Document) -> bool:
    """Return whether the user may restore the document: an editor of its own authority."""
    return can_upload_document(user, document.authority_id)


def can_read_profile(user, authority_id: int) -> bool:
    """Return whether the actor may read this authority's profile: its people, admins, SYSTEM."""
    if is_system(user):
        return True
    return _member_of(user, authority_id) or (_signed_in(user) and user.role == "admin")


def can_edit_profile(user, authority_id: int) -> bool:
    """Return whether the actor may change this authority's profile: its editors, admins, SYSTEM."""
    if is_system(user):
        return True
    if _signed_in(user) and user.role == "admin":
        return True
    return _member_of(user, authority_id) and user.role == "editor"


def can_read_self_assessments(user, authority_id: int) -> bool:
    """Return whether the actor may read this authority's self-assessment history: its people,
    site admins, SYSTEM (others see only what it shares: can_see_shared_self_assessments)."""
    return can_read_profile(user, authority_id)


# Mapping audits (clearinghouse/audits): a practice lead (a manager) and the case's worker, of
# one authority. The audit is duck-typed here (authority_id, lead_id, worker_id, completed_at).
def can_start_mapping_audit(user) -> bool:
    """Return whether the user may start a mapping audit: a manager or practitioner of one."""
    return _signed_in(user) and user.role in ("manager", "practitioner") and bool(user.authority_id)


def can_lead_mapping_audit(user, authority_id) -> bool:
    """Return whether the user may lead an audit in the authority: its managers."""
    return _member_of(user, authority_id) and user.role == "manager"


def can_view_mapping_audit(user, audit) -> bool:
    """Return whether the user may see the audit: its two participants and their managers."""
    if not _member_of(user, audit.authority_id):
        return False
    return user.id in (audit.lead_id, audit.worker_id) or user.role == "manager"


def can_edit_mapping_audit(user, audit) -> bool:
    """Return whether the user may change the audit's ratings: a participant, until both sign."""
    return _member_of(user, audit.authority_id) and user.id in (audit.lead_id, audit.worker_id)


def _admin_or_manager_of(user, authority_id) -> bool:
    if _signed_in(user) and user.role == "admin":
        return True
    return _member_of(user, authority_id) and user.role == "manager"


def can_record_self_assessment(user, authority_id: int) -> bool:
    """Return whether the user may record a self-assessment for this authority, or choose
    whether it is shared: its managers, site admins."""
    return _admin_or_manager_of(user, authority_id)


def can_manage_teams(user, authority_id) -> bool:
    """Return whether the user may add and rename this authority's teams and set who is in
    which: a site admin, or a manager of the authority."""
    return _admin_or_manager_of(user, authority_id)


def can_see_shared_self_assessments(user) -> bool:
    """Return whether the actor may see the latest self-assessments authorities share."""
    return is_system(user) or _signed_in(user)


def can_manage_some_teams(user) -> bool:
    """Return whether the user may manage the teams of any authority (for links to the page)."""
    return can_manage_teams(user, getattr(user, "authority_id", None))


def can_issue_feedback_code(user) -> bool:
    """Return whether the user may give families feedback codes and key in paper forms:
    anyone who works for an authority."""
    return _signed_in(user) and user.role in AUTHORITY_ROLES and user.authority_id is not None


def can_view_feedback_summary(user, authority_id) -> bool:
    """Return whether the user may see the authority's feedback figures: its managers."""
    return _member_of(user, authority_id) and user.role == "manager"


# Practice figures (clearinghouse/practice_figures): aggregates of audits and feedback, never one.
def can_view_practice_figures(user, authority_id, shared: bool) -> bool:
    """Return whether the actor may see the authority's practice figures: its managers, the
    other authorities' managers while it shares them, site admins, SYSTEM."""
    if is_system(user) or (_signed_in(user) and user.role == "admin"):
        return True
    if not (_signed_in(user) and user.role == "manager" and user.authority_id is not None):
        return False
    return user.authority_id == authority_id or shared


def can_see_practice_figures_page(user) -> bool:
    """Return whether the user may open the practice figures at all: managers, site admins."""
    if not _signed_in(user):
        return False
    return user.role == "admin" or (user.role == "manager" and user.authority_id is not None)


def can_share_practice_figures(user, authority_id) -> bool:
    """Return whether the user may choose whether the authority's figures are shared: its
    managers (the choice is the authority's own, so not a site admin's)."""
    return _member_of(user, authority_id) and user.role == "manager"
