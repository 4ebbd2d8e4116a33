"""The home page: what the signed-in person's role is for first, then every other area they may use.

Each tile is shown only when the person may do what it offers (decided by permissions.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from . import permissions
from .audit_log.recent import generated_recently

bp = Blueprint("main", __name__)


def _editor(user) -> bool:
    return permissions.can_upload_document(user, user.authority_id)


def _own_authority(user) -> dict:
    return {"authority": user.authority.slug} if _editor(user) and user.authority else {}


@dataclass(frozen=True)
class Tile:
    """A link on the home page, and who may follow it."""

    label: str
    endpoint: str
    description: str
    allowed: Callable[[object], bool]
    args: Callable[[object], dict] = field(default=lambda user: {})


TILES = {
    "case": Tile(
        "Enter a case",
        "journey.start",
        "Enter a family's case once, part by part, then generate any document from it.",
        permissions.can_generate,
    ),
    "generate": Tile(
        "Generate",
        "generate.choose_template",
        "Fill a Signs of Safety-format document or a pack of letters from case data.",
        permissions.can_generate,
    ),
    "search": Tile(
        "Search",
        "search.search_page",
        "Find forms, policies and guidance across every authority.",
        permissions.can_read,
    ),
    "documents": Tile(
        "Documents",
        "documents.list_documents",
        "Browse aligned documents; editors upload and share their authority's.",
        permissions.can_read,
        _own_authority,
    ),
    "templates": Tile(
        "Templates",
        "templates.list_templates",
        "Your authority's own templates for generated documents: upload, check and publish.",
        permissions.can_read,
    ),
    "profile": Tile(
        "Authority profile",
        "profiles.profile",
        "The details every generated document takes: addresses, phone numbers, services.",
        lambda user: (
            user.authority_id is not None and permissions.can_edit_profile(user, user.authority_id)
        ),
    ),
    "compare": Tile(
        "Compare",
        "compare.compare_page",
        "Compare two versions, or two authorities' documents.",
        permissions.can_compare,
    ),
    "coverage": Tile(
        "Coverage",
        "compare.coverage_page",
        "See which authorities have aligned which resources.",
        permissions.can_read,
    ),
    "self_assessment": Tile(
        "Self-assessment",
        "self_assessment.index",
        "Where your authority sees itself in putting the practice in place, 0 to 10, over time.",
        permissions.can_see_shared_self_assessments,
    ),
    "audit": Tile(
        "Audit log",
        "audit.audit_page",
        "Who did what, and when. Filter it, or download it as CSV.",
        permissions.can_view_audit,
    ),
    "feedback": Tile(
        "Family feedback",
        "feedback.issue_code",
        "Get a one-time code for a family to answer the feedback form online, or key in a "
        "paper form.",
        permissions.can_issue_feedback_code,
    ),
    "families_words": Tile(
        "What families told us",
        "feedback.comments_page",
        "Families' own words about working with your authority, for quarters that are over.",
        lambda user: permissions.can_view_feedback_summary(
            user, getattr(user, "authority_id", None)
        ),
    ),
    "practice_figures": Tile(
        "Practice figures",
        "practice_figures.index",
        "How practice is going: audit ratings, mapping scales and families' feedback by quarter.",
        permissions.can_see_practice_figures_page,
    ),
    "teams": Tile(
        "Teams",
        "teams.teams_page",
        "Your authority's teams and who is in which.",
        permissions.can_manage_some_teams,
    ),
    "admin": Tile(
        "Administration",
        "admin.index",
        "Users and their roles, password links, authorities and document types.",
        permissions.can_manage_users,
    ),
}
# What each role comes for first; every other tile the person may use follows.
FIRST = {
    "practitioner": ("case", "generate"),
    "editor": ("documents", "templates", "profile"),
    "manager": ("coverage", "compare", "audit"),
    "admin": ("admin", "audit"),
}


def _links(user, keys) -> list[dict]:
    links = []
    for key in keys:
        tile = TILES[key]
        if tile.allowed(user):
            href = url_for(tile.endpoint, **tile.args(user))
            links.append({"label": tile.label, "href": href, "description": tile.description})
    return links


@bp.route("/")
def home():
    """Show the home page for the signed-in person's role."""
    user = current_user._get_current_object()
    first = FIRST.get(user.role, ())
    recent = generated_recently(user) if user.role == "practitioner" else None
    return render_template(
        "main/home.html",
        first=_links(user, first),
        others=_links(user, [key for key in TILES if key not in first]),
        recent=recent,
    )
