"""Admin pages: authorities, users and document types (site administrators only)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import accounts
from ..errors import Conflict, InvalidInput
from ..forms import show_refusal
from ..vocabulary import STAGE_LABELS
from .forms import AuthorityForm, ConfirmForm, DocTypeForm, UserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Which form field each service refusal belongs to, so the error summary links to it.
FIELD_FOR_CODE = {
    "invalid_slug": "slug",
    "authority_exists": "slug",
    "doc_type_exists": "slug",
    "invalid_name": "name",
    "invalid_label": "label",
    "invalid_stage": "stage",
    "invalid_email": "email",
    "user_exists": "email",
    "invalid_role": "role",
    "unknown_authority": "authority",
    "authority_required": "authority",
    "weak_password": "password",
}


@bp.route("")
def index():
    """Show the admin home page."""
    return render_template("admin/index.html", summary=accounts.admin_summary(current_user))


@bp.route("/authorities", methods=["GET", "POST"])
def authorities():
    """List authorities and add one."""
    rows = accounts.authority_overview(current_user)
    form = AuthorityForm()
    status = 200
    if form.validate_on_submit():
        try:
            authority = accounts.authority_create(current_user, form.slug.data, form.name.data)
        except (InvalidInput, Conflict) as exc:
            show_refusal(form, exc, FIELD_FOR_CODE)
            status = exc.status
        else:
            flash(f"{authority.name} added.", "success")
            return redirect(url_for(".authorities"))
    elif request.method == "POST":
        status = 400
    return render_template("admin/authorities.html", form=form, authorities=rows), status


@bp.route("/users")
def users():
    """List every user."""
    return render_template(
        "admin/users.html", users=accounts.user_list(current_user), confirm_form=ConfirmForm()
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Add a user with a role in an authority."""
    accounts.user_list(current_user)  # refuses anyone but an admin before showing the form
    form = UserForm()
    form.authority.choices = [("", "No authority (site administrators only)")] + [
        (a.slug, a.name) for a in accounts.authority_list()
    ]
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.user_create(
                current_user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                authority_slug=form.authority.data or None,
                password=form.password.data,
            )
        except (InvalidInput, Conflict) as exc:
            show_refusal(form, exc, FIELD_FOR_CODE)
            status = exc.status
        else:
            flash(f"{user.name} ({user.email}) added as {user.role}.", "success")
            return redirect(url_for(".users"))
    elif request.method == "POST":
        status = 400
    return render_template("admin/new_user.html", form=form), status


@bp.route("/users/<int:user_id>/<any(deactivate, reactivate):action>", methods=["POST"])
def set_user_active(user_id: int, action: str):
    """Deactivate or reactivate a user."""
    form = ConfirmForm()
    if form.validate_on_submit():
        active = action == "reactivate"
        try:
            accounts.user_set_active(current_user, user_id, active)
        except InvalidInput as exc:
            flash(exc.message, "error")
        else:
            flash("User reactivated." if active else "User deactivated.", "success")
    return redirect(url_for(".users"))


@bp.route("/doc-types", methods=["GET", "POST"])
def doc_types():
    """List the document-type vocabulary and add a type."""
    rows = accounts.doc_type_list(current_user)
    form = DocTypeForm()
    status = 200
    if form.validate_on_submit():
        try:
            doc_type = accounts.doc_type_create(
                current_user, form.slug.data, form.label.data, form.stage.data
            )
        except (InvalidInput, Conflict) as exc:
            show_refusal(form, exc, FIELD_FOR_CODE)
            status = exc.status
        else:
            flash(f"Document type “{doc_type.label}” added.", "success")
            return redirect(url_for(".doc_types"))
    elif request.method == "POST":
        status = 400
    return render_template(
        "admin/doc_types.html", form=form, doc_types=rows, stage_labels=STAGE_LABELS
    ), status
