"""Sign-in, sign-out, password change and the API tokens page."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..errors import InvalidInput
from . import resets, service, sessions
from .forms import ConfirmForm, PasswordChangeForm, PasswordResetForm, SignInForm, TokenForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Return target if it is a path on this site, else the home page."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Show the sign-in form and sign the person in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = service.user_authenticate(
                form.email.data, form.password.data, address=request.remote_addr
            )
        except service.SignInRefused as exc:
            form.password.errors.append(exc.message)
            status = exc.status
        else:
            sessions.session_start(user)
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """Sign the person out everywhere (a POST, so other sites cannot do it for them)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        sessions.session_end(current_user._get_current_object())
        flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


# Which form field each refusal of a password change belongs to.
PASSWORD_FIELD_FOR_CODE = {"wrong_password": "current", "account_locked": "current"}


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Change the user's password, ending their sessions everywhere else."""
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.password_change(
                current_user._get_current_object(), form.current.data, form.new.data
            )
        except InvalidInput as exc:
            field = getattr(form, PASSWORD_FIELD_FOR_CODE.get(exc.code, "new"))
            field.errors = [*field.errors, exc.message]
            status = exc.status
        else:
            sessions.session_renew(current_user)
            flash(
                "Your password has been changed. Any other sessions have been signed out.",
                "success",
            )
            return redirect(url_for("main.home"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/password.html", form=form), status


RESET_TOKEN = "_reset_token"  # noqa: S105 - the session key, not a secret


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password through a one-time link an admin gave (public: the link is the key).

    Opened, the link's key moves into the session and the page moves to an address without
    it, so the key is not left in the browser's history or in logs of the pages that follow.
    """
    resets.reset_check(token, address=request.remote_addr)
    if request.method == "GET":
        session[RESET_TOKEN] = token
        return redirect(url_for("auth.reset_password_form"))
    return _reset_page(token)


@bp.route("/account/reset", methods=["GET", "POST"])
def reset_password_form():
    """The set-a-new-password page for the link just opened (public, like the link)."""
    token = session.get(RESET_TOKEN)
    resets.reset_check(token if isinstance(token, str) else "", address=request.remote_addr)
    return _reset_page(token)


def _reset_page(token: str):
    form = PasswordResetForm()
    status = 200
    if form.validate_on_submit():
        try:
            resets.reset_use(token, form.new.data, address=request.remote_addr)
        except InvalidInput as exc:
            form.new.errors = [*form.new.errors, exc.message]
            status = exc.status
        else:
            session.pop(RESET_TOKEN, None)
            flash("Your password has been set. Sign in with it.", "success")
            return redirect(url_for("auth.sign_in"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/reset.html", form=form), status


@bp.route("/account/tokens", methods=["GET", "POST"])
def tokens():
    """List the user's API tokens and create a new one."""
    form = TokenForm()
    new_token = None
    status = 200
    if form.validate_on_submit():
        try:
            new_token = service.token_create(current_user, form.name.data)
        except InvalidInput as exc:
            form.name.errors.append(exc.message)
            status = 400
        else:
            form = TokenForm(formdata=None)
    elif request.method == "POST":
        status = 400
    return (
        render_template(
            "auth/tokens.html",
            form=form,
            new_token=new_token,
            tokens=service.token_list(current_user),
            revoke_form=ConfirmForm(),
        ),
        status,
    )


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int):
    """Revoke one of the user's API tokens."""
    form = ConfirmForm()
    if form.validate_on_submit():
        service.token_revoke(current_user, token_id)
        flash("Token revoked. Anything using it can no longer reach the API.", "success")
    return redirect(url_for("auth.tokens"))
