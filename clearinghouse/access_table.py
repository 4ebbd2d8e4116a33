"""Who may use each endpoint of the app, web and API: one row per endpoint in app.url_map.

The rows describe what permissions.py decides; they decide nothing themselves, except that the
sign-in gate lets the public rows through. tests/test_routes_protected.py walks app.url_map,
fails on any endpoint missing here (or listed here but gone), and requests every route as each
role to prove the answers match.
"""

from dataclasses import dataclass

from .permissions import AUTHORITY_ROLES

EVERYONE = frozenset({*AUTHORITY_ROLES, "admin"})


@dataclass(frozen=True)
class Access:
    """The rule for one endpoint: the roles it serves and the object check its service makes."""

    roles: frozenset[str] | None  # None: public, no sign-in needed
    check: str | None = None  # the permissions.can_<verb> the service applies to the URL's object

    @property
    def public(self) -> bool:
        """Return whether anyone, signed in or not, may use the endpoint."""
        return self.roles is None


PUBLIC = Access(None)
SIGNED_IN = Access(EVERYONE)  # any signed-in user of any role (permissions.can_read)
EDITORS = Access(frozenset({"editor"}))  # an editor of an authority, for their own authority
ADMINS = Access(frozenset({"admin"}))  # a site administrator
STAFF = Access(frozenset(AUTHORITY_ROLES))  # anyone of an authority (permissions.can_generate)
AUDITORS = Access(frozenset({"manager", "admin"}))  # permissions.can_view_audit

# Object rules: a user who may not see the object is told it does not exist (404); one who may
# see it but not change it is refused (403).
VIEW_DOCUMENT = Access(EVERYONE, "can_view_document")
EDIT_DOCUMENT = Access(EVERYONE, "can_edit_document")
VIEW_TEMPLATE = Access(EVERYONE, "can_see_template")
USE_TEMPLATE = Access(EVERYONE, "can_use_template_version")  # its questions, not generating
EDIT_TEMPLATE = Access(EVERYONE, "can_edit_template")
GENERATE_FROM = Access(frozenset(AUTHORITY_ROLES), "can_use_template_version")
OWN_TOKEN = Access(EVERYONE, "can_manage_token")
RESTORE_DOCUMENT = Access(EVERYONE, "can_restore_document")
# The authority profile: the URL names no authority (a user's own; an admin picks one), so
# the rule is by role: anyone reads their own authority's profile, editors and admins change it.
PROFILE_EDITORS = Access(frozenset({"editor", "admin"}))
# Saved comparisons belong to one authority: its managers save and delete them, and any of its
# people opens one; to everyone else it does not exist (404).
COMPARISON_SAVERS = Access(frozenset({"manager"}))  # permissions.can_save_comparison
VIEW_SAVED_COMPARISON = Access(EVERYONE, "can_view_saved_comparison")
DELETE_SAVED_COMPARISON = Access(frozenset({"manager"}), "can_delete_saved_comparison")
SELF_ASSESSORS = Access(frozenset({"manager", "admin"}))  # permissions.can_record_self_assessment
# Mapping audits: its authority's managers and practitioners start them; an audit is seen by its
# two participants and the authority's managers (anyone else: 404), changed by the participants.
AUDIT_STARTERS = Access(frozenset({"manager", "practitioner"}))  # can_start_mapping_audit
VIEW_MAPPING_AUDIT = Access(frozenset({"manager", "practitioner"}), "can_view_mapping_audit")
EDIT_MAPPING_AUDIT = Access(frozenset({"manager", "practitioner"}), "can_edit_mapping_audit")
TEAM_MANAGERS = Access(frozenset({"manager", "admin"}))  # permissions.can_manage_teams
# Practice figures: managers (their own authority's, and others' that share them) and site
# admins (any authority's) see them (permissions.can_view_practice_figures); practitioners and
# editors are refused. Only an authority's managers choose whether it shares them.
FIGURE_VIEWERS = Access(frozenset({"manager", "admin"}))  # can_see_practice_figures_page
FIGURE_SHARERS = Access(frozenset({"manager"}))  # permissions.can_share_practice_figures

ACCESS = {
    "static": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.tokens": SIGNED_IN,
    "auth.revoke_token": OWN_TOKEN,
    "main.home": SIGNED_IN,
    "search.search_page": SIGNED_IN,
    "admin.index": ADMINS,
    "admin.authorities": ADMINS,
    "admin.users": ADMINS,
    "admin.new_user": ADMINS,
    "admin.set_user_active": ADMINS,
    "admin.doc_types": ADMINS,
    "admin.rename_authority": ADMINS,
    "admin.rename_doc_type": ADMINS,
    "admin.show_user": ADMINS,
    "admin.change_role": ADMINS,
    "admin.password_link": ADMINS,
    "auth.reset_password": PUBLIC,  # the one-time link is the key; bad links answer 404
    "auth.reset_password_form": PUBLIC,  # the same page, its key moved into the session
    "audit.audit_page": AUDITORS,
    "audit.audit_csv": AUDITORS,
    "documents.list_documents": SIGNED_IN,
    "documents.upload_document": EDITORS,
    "documents.show_document": VIEW_DOCUMENT,
    "documents.show_version": VIEW_DOCUMENT,
    "documents.download_version": VIEW_DOCUMENT,
    "documents.upload_version": EDIT_DOCUMENT,
    "documents.set_visibility": EDIT_DOCUMENT,
    "documents.withdraw_document": EDIT_DOCUMENT,
    "compare.compare_page": SIGNED_IN,
    "compare.compare_result": SIGNED_IN,
    "compare.coverage_page": SIGNED_IN,
    "compare.coverage_csv": SIGNED_IN,
    "compare.version_diff": VIEW_DOCUMENT,
    "compare.saved_list": SIGNED_IN,
    "compare.save_comparison": COMPARISON_SAVERS,
    "compare.saved_comparison": VIEW_SAVED_COMPARISON,
    "compare.delete_saved_comparison": DELETE_SAVED_COMPARISON,
    "generate.choose_template": SIGNED_IN,
    "generate.case_form": USE_TEMPLATE,
    "generate.case_submit": USE_TEMPLATE,  # adds rows and previews; the preview generates
    "generate.download": GENERATE_FROM,
    "generate.pack_form": SIGNED_IN,
    "generate.pack_submit": STAFF,
    # The case journey enters a case to generate from: who may generate (can_generate).
    "journey.start": STAFF,
    "journey.new_case": STAFF,
    "journey.upload": STAFF,
    "journey.tasks": STAFF,
    "journey.edit": STAFF,
    "journey.check": STAFF,
    "journey.generate": STAFF,
    "journey.save": STAFF,
    "templates.list_templates": SIGNED_IN,
    "templates.upload_template": EDITORS,
    "templates.show_template": VIEW_TEMPLATE,
    "templates.show_version": VIEW_TEMPLATE,
    "templates.download_version": VIEW_TEMPLATE,
    "templates.upload_version": EDIT_TEMPLATE,
    "templates.recheck_version": EDIT_TEMPLATE,
    "templates.publish_version": EDIT_TEMPLATE,
    "templates.choose": SIGNED_IN,
    "api.openapi_json": SIGNED_IN,
    "api.api_doc_types": SIGNED_IN,
    "api.api_documents": SIGNED_IN,
    "api.api_document_create": EDITORS,
    "api.api_document": VIEW_DOCUMENT,
    "api.api_version_file": VIEW_DOCUMENT,
    "api.document_diff": VIEW_DOCUMENT,
    "api.api_document_update": EDIT_DOCUMENT,
    "api.api_document_delete": EDIT_DOCUMENT,
    "api.api_version_add": EDIT_DOCUMENT,
    "api.search_api": SIGNED_IN,
    "api.compare_documents": SIGNED_IN,
    "api.compare_table": SIGNED_IN,
    "api.coverage_get": SIGNED_IN,
    "api.templates_index": SIGNED_IN,
    "api.templates_check": SIGNED_IN,
    "api.templates_upload": EDITORS,
    "api.templates_versions": VIEW_TEMPLATE,
    "api.templates_version_get": VIEW_TEMPLATE,
    "api.templates_version_add": EDIT_TEMPLATE,
    "api.templates_version_recheck": EDIT_TEMPLATE,
    "api.templates_version_publish": EDIT_TEMPLATE,
    "api.template_schema": USE_TEMPLATE,
    "api.template_sample": USE_TEMPLATE,
    "api.template_render": GENERATE_FROM,
    "api.packs_index": SIGNED_IN,
    "api.pack_render": STAFF,
    "api.template_choice_get": SIGNED_IN,
    "api.template_choice_put": SIGNED_IN,
    "documents.withdrawn_documents": EDITORS,
    "documents.restore_document": RESTORE_DOCUMENT,
    "api.api_document_restore": RESTORE_DOCUMENT,
    "profiles.profile": SIGNED_IN,
    "profiles.history": SIGNED_IN,
    "profiles.logo_image": SIGNED_IN,
    "profiles.edit_section": PROFILE_EDITORS,
    "profiles.solicitors": PROFILE_EDITORS,
    "profiles.solicitor_new": PROFILE_EDITORS,
    "profiles.solicitor_edit": PROFILE_EDITORS,
    "profiles.logo": PROFILE_EDITORS,
    "api.profile_get": SIGNED_IN,
    "api.profile_put": PROFILE_EDITORS,
    # The self-assessment: anyone reads their authority's (and what others share); its managers
    # (site admins for any authority) record one and choose whether it is shared.
    "self_assessment.index": SIGNED_IN,
    "self_assessment.record": SELF_ASSESSORS,
    "self_assessment.sharing": SELF_ASSESSORS,
    "api.self_assessments_get": SIGNED_IN,
    "api.self_assessments_post": SELF_ASSESSORS,
    "audits.list_audits": SIGNED_IN,
    "audits.find_audits": SIGNED_IN,
    "audits.new_audit": AUDIT_STARTERS,
    "audits.start_audit": AUDIT_STARTERS,
    "audits.new_from_case": AUDIT_STARTERS,
    "audits.show_audit": VIEW_MAPPING_AUDIT,
    "audits.save_audit": EDIT_MAPPING_AUDIT,
    "audits.check_case": VIEW_MAPPING_AUDIT,
    "audits.sign_off": EDIT_MAPPING_AUDIT,
    "audits.next_steps_download": VIEW_MAPPING_AUDIT,
    "api.audits_index": SIGNED_IN,
    "api.audits_find": SIGNED_IN,
    "api.audits_create": AUDIT_STARTERS,
    "api.audit_get": VIEW_MAPPING_AUDIT,
    "api.audit_update": EDIT_MAPPING_AUDIT,
    "api.audit_sign_off": EDIT_MAPPING_AUDIT,
    "api.audit_next_steps": VIEW_MAPPING_AUDIT,
    # Teams: a manager for their own authority, an admin for any (permissions.can_manage_teams).
    "teams.teams_page": TEAM_MANAGERS,
    "teams.rename_team": TEAM_MANAGERS,
    "teams.member_team": TEAM_MANAGERS,
    # Families' feedback: the form families answer with a one-time code needs no sign-in.
    "feedback.public_form": PUBLIC,
    "feedback.public_answers": PUBLIC,
    "feedback.issue_code": STAFF,  # permissions.can_issue_feedback_code
    "feedback.paper_form": STAFF,
    "api.feedback_summary": Access(frozenset({"manager"})),  # can_view_feedback_summary
    "feedback.comments_page": Access(frozenset({"manager"})),  # can_view_feedback_summary
    "api.feedback_comments": Access(frozenset({"manager"})),
    "practice_figures.index": FIGURE_VIEWERS,
    "practice_figures.download_csv": FIGURE_VIEWERS,
    "practice_figures.sharing": FIGURE_SHARERS,
    "api.practice_figures_get": FIGURE_VIEWERS,
}


def public_endpoints() -> set[str]:
    """Return the endpoints an anonymous visitor may reach."""
    return {endpoint for endpoint, access in ACCESS.items() if access.public}
