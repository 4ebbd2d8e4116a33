"""Self-assessment pages: the authority's history and what others share; record one; sharing.

Each page is about the signed-in user's authority; a site admin (who has none) chooses one,
and the choice travels as ``?authority=<slug>`` on every link and form.
"""

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..errors import InvalidInput
from ..forms import sharing_chosen, show_refusal
from ..web_responses import sharing_saved
from . import service, validate
from .forms import RecordForm, SharingForm

log = logging.getLogger(__name__)
bp = Blueprint("self_assessment", __name__, url_prefix="/self-assessment")


def _slug() -> str | None:
    return request.args.get("authority") or None


def _url(endpoint: str) -> str:
    return url_for(endpoint, authority=_slug()) if _slug() else url_for(endpoint)


def _user():
    return current_user._get_current_object()


def _index(overview, sharing_form=None, status: int = 200):
    if overview.authority is None:
        choices = service.self_assessment_authorities(_user())
        return render_template(
            "self_assessment/choose.html", choices=choices, overview=overview
        ), status
    if sharing_form is None:
        sharing_form = SharingForm(sharing="shared" if overview.shared else "internal")
    return render_template(
        "self_assessment/index.html",
        overview=overview,
        latest=overview.history[0] if overview.history else None,
        sharing_form=sharing_form,
        form=sharing_form,  # the page's error summary
        self_url=_url,
        question=service.SCALE_QUESTION,
        aspects=service.ASPECTS,
    ), status


@bp.get("")
def index():
    """Show the authority's self-assessments, newest first, and what other authorities share."""
    return _index(service.self_assessment_overview(_user(), _slug()))


@bp.route("/new", methods=["GET", "POST"])
def record():
    """Record a new self-assessment (the authority's managers)."""
    overview = service.self_assessment_record_start(_user(), _slug())
    if overview.authority is None:
        return redirect(url_for("self_assessment.index"))
    form = RecordForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                saved = service.self_assessment_record(
                    _user(), form.scale.data, form.note.data, _slug()
                )
            except InvalidInput as exc:
                show_refusal(form, exc, fallback=form.scale)
                status = exc.status
            else:
                flash(f"Self-assessment recorded: {saved.scale} out of 10.", "success")
                return redirect(_url("self_assessment.index"))
    page = render_template(
        "self_assessment/record.html",
        form=form,
        overview=overview,
        self_url=_url,
        question=service.SCALE_QUESTION,
        aspects=service.ASPECTS,
        note_max=validate.NOTE_MAX,
    )
    return page, status


@bp.post("/sharing")
def sharing():
    """Choose whether the authority's latest self-assessment is shared (its managers)."""
    overview = service.self_assessment_record_start(_user(), _slug())
    if overview.authority is None:
        return redirect(url_for("self_assessment.index"))
    form = SharingForm()
    shared = sharing_chosen(form, "Choose who can see your authority's self-assessment.")
    if shared is None:
        return _index(overview, form, 400)
    changed = service.self_assessment_share(_user(), shared, _slug())
    sharing_saved(
        changed,
        shared,
        "Other authorities now see your latest self-assessment.",
        "Your self-assessment is now kept within your authority.",
    )
    return redirect(_url("self_assessment.index"))
