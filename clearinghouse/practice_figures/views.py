"""The practice figures page, its CSV and the sharing choice (managers and site admins).

The page is about the signed-in manager's authority; ``?authority=<slug>`` names another that
shares its figures (a site admin, who has none, names any). ``?quarter=2026-Q3`` chooses which
completed quarter the ratings by element show (the latest by default).
"""

import logging

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user

from ..errors import InvalidInput
from ..forms import sharing_chosen
from ..models import utcnow
from ..renderer.sandbox import long_date
from ..web_responses import sharing_saved
from . import charts, export, service
from .forms import SharingForm

log = logging.getLogger(__name__)
bp = Blueprint("practice_figures", __name__, url_prefix="/practice-figures")
BAD_QUARTER = "Choose one of the quarters listed on the page."


def _user():
    return current_user._get_current_object()


def _slug() -> str | None:
    return request.args.get("authority") or None


def _chosen_quarter(data: dict) -> dict:
    """Return the quarter of ratings by element the address asks for (the latest if none)."""
    wanted = request.args.get("quarter")
    by_quarter = {q["quarter"]: q for q in data["audit_ratings"]}
    if wanted is None:
        return data["audit_ratings"][-1]
    if wanted not in by_quarter:
        raise InvalidInput("invalid_quarter", BAD_QUARTER, status=400)
    return by_quarter[wanted]


def _page(place, sharing_form=None, status: int = 200):
    user = _user()
    choices = service.figures_choices(user)
    if place is None:
        return render_template("practice_figures/choose.html", choices=choices), status
    data = service.practice_figures(user, place.slug, utcnow().date())
    chosen = _chosen_quarter(data)
    if sharing_form is None:
        sharing_form = SharingForm(sharing="shared" if data["shared"] else "internal")
    own = getattr(user, "authority", None)
    history = data["self_assessments"]
    history_labels = [long_date(r["date"]) for r in history or ()]
    return render_template(
        "practice_figures/index.html",
        data=data,
        place=place,
        own=own is not None and own.slug == place.slug,
        chosen=chosen,
        ratings_chart=charts.ratings_chart(chosen),
        scales_chart=charts.scales_chart(data["scales"]),
        feedback_chart=charts.feedback_chart(data["feedback"]["all_teams"]),
        history_labels=history_labels,
        history_chart=charts.self_assessment_chart(history, history_labels) if history else None,
        choices=choices,
        sharing_form=sharing_form,
        form=sharing_form,  # the page's error summary
        withheld=export.withheld_words,
    ), status


@bp.get("")
def index():
    """Show the authority's practice figures for the last eight completed quarters."""
    return _page(service.figures_authority(_user(), _slug()))


@bp.get("/figures.csv")
def download_csv():
    """Download the figures as CSV, with the same groups withheld as on the page."""
    data = service.practice_figures(_user(), _slug(), utcnow().date())
    name = f"practice-figures-{data['authority']['slug']}.csv"
    return Response(
        export.figures_csv(data),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/sharing")
def sharing():
    """Choose whether the authority's figures are shared (its managers)."""
    place = service.figures_share_place(_user())
    form = SharingForm()
    shared = sharing_chosen(form, "Choose who can see your authority's practice figures.")
    if shared is None:
        return _page(place, form, 400)
    changed = service.figures_share(_user(), shared)
    sharing_saved(
        changed,
        shared,
        "The other authorities' managers can now see your practice figures.",
        "Your practice figures are now kept within your authority.",
    )
    return redirect(url_for("practice_figures.index"))
