"""The home page."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("main", __name__)

AREAS = [
    ("Search", "search.search_page", "Find forms, policies and guidance across every authority."),
    ("Documents", "documents.list_documents", "Browse, upload and share aligned documents."),
    (
        "Generate",
        "generate.choose_template",
        "Fill a Signs of Safety-format document from case data.",
    ),
    ("Compare", "compare.compare_page", "Compare two versions, or two authorities' documents."),
    ("Coverage", "compare.coverage_page", "See which authorities have aligned which resources."),
    ("Templates", "templates.list_templates", "Upload and check your authority's own templates."),
]


@bp.route("/")
def home():
    """Show the home page with a link to each area."""
    areas = [area for area in AREAS if area[1] in current_app.view_functions]
    return render_template("main/home.html", areas=areas)
