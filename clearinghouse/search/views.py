"""Search pages: the GOV.UK search page with facet filters, results and pagination."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from ..errors import InvalidInput
from .query import search_documents

bp = Blueprint("search", __name__)


def _page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for("search.search_page", **args)


@bp.get("/search")
def search_page():
    """Show the search box, facet filters and a page of results."""
    args = request.args
    error = None
    try:
        result = search_documents(
            current_user,
            q=args.get("q", ""),
            authority=args.getlist("authority"),
            doc_type=args.getlist("doc_type"),
            stage=args.getlist("stage"),
            versions=args.get("versions"),
            sort=args.get("sort"),
            page=args.get("page"),
            per_page=args.get("per_page"),
        )
    except InvalidInput as exc:
        # A bad page number or sort in a hand-edited address: show page 1 with a message.
        error = exc.message
        result = search_documents(
            current_user,
            q=args.get("q", ""),
            authority=args.getlist("authority"),
            doc_type=args.getlist("doc_type"),
            stage=args.getlist("stage"),
        )
    return render_template("search/search.html", result=result, error=error, page_url=_page_url)
