"""Team pages: an authority's teams and who is in which (its managers, and site admins)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import accounts
from ..errors import Conflict, InvalidInput
from ..forms import show_refusal
from . import service
from .forms import MemberForm, RenameTeamForm, TeamForm

bp = Blueprint("teams", __name__, url_prefix="/teams")

FIELD_FOR_CODE = {"invalid_team_name": "name", "team_exists": "name", "unknown_team": "team"}


@bp.app_template_global()
def team_name(team_id):
    """Return the name of a team (the header shows the signed-in person's)."""
    return service.team_name(team_id)


def _authority():
    """Return the authority the page is about, from ?authority= for admins."""
    return service.team_authority(current_user, request.args.get("authority"))


def _args(authority) -> dict:
    return {"authority": authority.slug} if current_user.role == "admin" else {}


@bp.route("", methods=["GET", "POST"])
def teams_page():
    """List the authority's teams and people, and add a team."""
    authority = _authority()
    if authority is None:  # an admin chooses an authority first
        return render_template("teams/choose.html", authorities=accounts.authority_list())
    form = TeamForm()
    status = 200
    if form.validate_on_submit():
        try:
            team = service.team_create(current_user, authority.id, form.name.data)
        except (InvalidInput, Conflict) as exc:
            show_refusal(form, exc, FIELD_FOR_CODE)
            status = exc.status
        else:
            flash(f"{team.name} added.", "success")
            return redirect(url_for(".teams_page", **_args(authority)))
    elif request.method == "POST":
        status = 400
    return render_template(
        "teams/list.html",
        form=form,
        authority=authority,
        args=_args(authority),
        teams=service.team_list(current_user, authority.id),
        members=service.team_members(current_user, authority.id),
    ), status


@bp.route("/rename", methods=["GET", "POST"])
def rename_team():
    """Rename one of the authority's teams (``?target=`` preselects it)."""
    authority = _authority()
    if authority is None:
        return redirect(url_for(".teams_page"))
    teams = service.team_list(current_user, authority.id)
    form = RenameTeamForm()
    form.target.choices = [("", "Choose the team")] + [(str(t.id), t.name) for t in teams]
    if request.method == "GET" and request.args.get("target"):
        form.target.data = request.args["target"]
        form.name.data = next((t.name for t in teams if str(t.id) == form.target.data), None)
    status = 200
    if form.validate_on_submit():
        try:
            old, new = service.team_rename(current_user, form.target.data, form.name.data)
        except (InvalidInput, Conflict) as exc:
            show_refusal(form, exc, FIELD_FOR_CODE)
            status = exc.status
        else:
            flash(f"Renamed “{old}” to “{new}”.", "success")
            return redirect(url_for(".teams_page", **_args(authority)))
    elif request.method == "POST":
        status = 400
    return render_template(
        "teams/rename.html", form=form, args=_args(authority), teams=teams
    ), status


@bp.route("/people", methods=["GET", "POST"])
def member_team():
    """Put a person of the authority in a team (``?person=`` preselects them)."""
    authority = _authority()
    if authority is None:
        return redirect(url_for(".teams_page"))
    members = service.team_members(current_user, authority.id)
    teams = service.team_list(current_user, authority.id)
    form = MemberForm()
    form.person.choices = [("", "Choose the person")] + [
        (str(m.id), f"{m.name} ({m.role})") for m in members
    ]
    form.team.choices = [("", "No team")] + [(str(t.id), t.name) for t in teams]
    if request.method == "GET" and request.args.get("person"):
        form.person.data = request.args["person"]
        current = next((m for m in members if str(m.id) == form.person.data), None)
        form.team.data = str(current.team_id) if current and current.team_id else ""
    status = 200
    if form.validate_on_submit():
        try:
            changed = service.user_set_team(current_user, form.person.data, form.team.data or None)
        except InvalidInput as exc:
            show_refusal(form, exc, FIELD_FOR_CODE)
            status = exc.status
        else:
            flash("Team saved." if changed else "Nothing changed.", "success")
            return redirect(url_for(".teams_page", **_args(authority)))
    elif request.method == "POST":
        status = 400
    return render_template(
        "teams/member.html", form=form, args=_args(authority), teams=teams
    ), status
