"""Search pages: the GOV.UK search page with facet filters, results and pagination."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from .query import search_args, search_documents

bp = Blueprint("search", __name__)


def _page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for("search.search_page", **args)


@bp.get("/search")
def search_page():
    """Show the search box, facet filters and a page of results."""
    result = search_documents(current_user, **search_args(request.args), lenient=True)
    return render_template(
        "search/search.html", result=result, error=result.problem, page_url=_page_url
    )
