"""Admin pages: authorities, users and document types (site administrators only)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import accounts
from ..errors import Conflict, InvalidInput
from ..forms import show_refusal
from ..vocabulary import STAGE_LABELS
from . import renames
from .forms import (
    AuthorityForm,
    ConfirmForm,
    DocTypeForm,
    RenameAuthorityForm,
    RenameDocTypeForm,
    RoleForm,
    UserForm,
)

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
    "last_admin": "role",
}


def _authority_choices() -> list[tuple[str, str]]:
    return [("", "No authority (site administrators only)")] + [
        (a.slug, a.name) for a in accounts.authority_list()
    ]


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
    form.authority.choices = _authority_choices()
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


@bp.route("/users/<int:user_id>")
def show_user(user_id: int):
    """Show one user, with their role, authority and what an admin can do for them."""
    user = accounts.user_get(current_user, user_id)
    return render_template("admin/user.html", user=user, confirm_form=ConfirmForm())


@bp.route("/users/<int:user_id>/role", methods=["GET", "POST"])
def change_role(user_id: int):
    """Give a user another role, or move them to another authority."""
    user = accounts.user_get(current_user, user_id)
    form = RoleForm(data={"role": user.role, "authority": user.authority_slug or ""})
    form.authority.choices = _authority_choices()
    status = 200
    if form.validate_on_submit():
        try:
            changed = accounts.user_change_role(
                current_user, user_id, form.role.data, form.authority.data or None
            )
        except InvalidInput as exc:
            show_refusal(form, exc, FIELD_FOR_CODE)
            status = exc.status
        else:
            flash(
                f"{user.name} is now {form.role.data}." if changed else "Nothing changed.",
                "success",
            )
            if user_id == current_user.id and form.role.data != "admin":
                return redirect(url_for("main.home"))  # no longer an admin: the user page is gone
            return redirect(url_for(".show_user", user_id=user_id))
    elif request.method == "POST":
        status = 400
    return render_template("admin/role.html", form=form, user=user), status


@bp.route("/users/<int:user_id>/password-link", methods=["POST"])
def password_link(user_id: int):
    """Make a one-time link for the user to set a new password, and show it this once."""
    user = accounts.user_get(current_user, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for(".show_user", user_id=user_id))
    try:
        token = accounts.user_password_reset(current_user, user_id)
    except InvalidInput as exc:
        flash(exc.message, "error")
        return redirect(url_for(".show_user", user_id=user_id))
    link = url_for("auth.reset_password", token=token, _external=True)
    return render_template("admin/password_link.html", user=user, link=link)


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
    if request.args.get("back") == "user":
        return redirect(url_for(".show_user", user_id=user_id))
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


def _rename(form, kind: str, names: dict[str, str], rename, back: str):
    """Show and handle a rename form: choose what to rename (``?target=`` preselects it)."""
    form.target.choices = [("", f"Choose the {kind}")] + list(names.items())
    status = 200
    if request.method == "GET" and request.args.get("target") in names:
        form.target.data = request.args["target"]
        form.name.data = names[form.target.data]
    if form.validate_on_submit():
        try:
            done = rename(form.target.data, form.name.data)
        except (InvalidInput, Conflict) as exc:
            fields = {"invalid_name": "name", "invalid_label": "name", "name_taken": "name"}
            show_refusal(form, exc, fields)
            status = exc.status
        else:
            flash(f"Renamed “{done.old}” to “{done.new}”.", "success")
            return redirect(url_for(back))
    elif request.method == "POST":
        status = 400
    return render_template("admin/rename.html", form=form, kind=kind, back=back), status


@bp.route("/authorities/rename", methods=["GET", "POST"])
def rename_authority():
    """Rename an authority; its documents are searched by the new name at once."""
    names = {a.slug: a.name for a in accounts.authority_overview(current_user)}
    return _rename(
        RenameAuthorityForm(),
        "authority",
        names,
        lambda slug, name: renames.authority_rename(current_user, slug, name),
        ".authorities",
    )


@bp.route("/doc-types/rename", methods=["GET", "POST"])
def rename_doc_type():
    """Rename a document type; documents of the type are searched by the new name at once."""
    names = {t.slug: t.label for t in accounts.doc_type_list(current_user)}
    return _rename(
        RenameDocTypeForm(),
        "document type",
        names,
        lambda slug, label: renames.doc_type_rename(current_user, slug, label),
        ".doc_types",
    )
