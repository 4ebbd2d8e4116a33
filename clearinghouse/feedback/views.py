"""Feedback pages: the public form families answer with a code (no sign-in, nothing of the
signed-in service shown), getting a code, and keying in a paper form."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import permissions
from ..errors import InvalidInput, NotAuthorized
from ..forms import show_refusal
from ..models import utcnow
from . import codes, comments, service
from .forms import AnswersForm, CodeForm, IssueForm, PaperForm, words

bp = Blueprint("feedback", __name__, url_prefix="/feedback")


def _easy(form=None) -> bool:
    value = request.args.get("easy") or (form.easy.data if form is not None else None)
    return value == "1"


def _public(template: str, status: int = 200, **context):
    return render_template(f"feedback/{template}", **context), status


def _limited(exc: InvalidInput, easy: bool):
    return _public("limited.html", 429, message=exc.message, easy=easy)


def _answers_page(form: AnswersForm, easy: bool, authority: str | None, status: int = 200):
    chosen = words(form, easy)
    return _public("answers.html", status, form=form, easy=easy, authority=authority, words=chosen)


@bp.route("", methods=["GET", "POST"])
def public_form():
    """Ask for the family's code; a good one leads to the questions."""
    form = CodeForm()
    easy = _easy(form)
    form.easy.data = "1" if easy else ""
    status = 200
    if form.validate_on_submit():
        try:
            authority = service.code_check(form.code.data, request.remote_addr)
        except InvalidInput as exc:
            if exc.status == 429:
                return _limited(exc, easy)
            form.code.errors = [exc.message]
            status = 400
        else:
            answers = AnswersForm(formdata=None, code=codes.normalise(form.code.data))
            answers.easy.data = form.easy.data
            return _answers_page(answers, easy, authority)
    elif request.method == "POST":
        status = 400
    return _public("code.html", status, form=form, easy=easy)


@bp.route("/answers", methods=["POST"])
def public_answers():
    """Store the family's answers and use their code up."""
    form = AnswersForm()
    easy = _easy(form)
    words(form, easy)  # before checking, so a refusal names the question as the family saw it
    if not form.validate_on_submit():
        return _answers_page(form, easy, None, 400)
    raw = {name: getattr(form, name).data for name in ("explained", "listened", "helped", "better")}
    try:
        service.feedback_submit(form.code.data or "", raw, request.remote_addr)
    except InvalidInput as exc:
        if exc.status == 429:
            return _limited(exc, easy)
        if exc.code == "invalid_answers":
            show_refusal(form, exc)
            return _answers_page(form, easy, None, 400)
        code_form = CodeForm(formdata=None, easy="1" if easy else "")
        code_form.code.errors = [exc.message]
        return _public("code.html", 400, form=code_form, easy=easy)
    return _public("thanks.html", easy=easy)


def feedback_address() -> str:
    """Return the short web address families type: the setting, or this site's /feedback."""
    setting = current_app.config["CLEARINGHOUSE"]["FEEDBACK_ADDRESS"]
    if setting:
        return setting
    parts = urlsplit(url_for("feedback.public_form", _external=True))
    return parts.netloc + parts.path


@bp.route("/codes", methods=["GET", "POST"])
def issue_code():
    """Give a practitioner a one-time code for a family, shown once."""
    form = IssueForm()
    if request.method == "GET" and not permissions.can_issue_feedback_code(current_user):
        raise NotAuthorized("Only people who work for an authority can get feedback codes.")
    issued = None
    if form.validate_on_submit():
        issued = codes.code_issue(current_user)
    elif request.method == "POST":
        return redirect(url_for(".issue_code"))
    return render_template(
        "feedback/issue.html", form=form, issued=issued, address=feedback_address()
    )


@bp.route("/paper", methods=["GET", "POST"])
def paper_form():
    """Key in a family's paper feedback form, for the practitioner's authority and team."""
    if not permissions.can_issue_feedback_code(current_user):
        raise NotAuthorized("Only people who work for an authority can key in feedback forms.")
    form = PaperForm()
    words(form, easy=False)
    status = 200
    if form.validate_on_submit():
        raw = {n: getattr(form, n).data for n in ("explained", "listened", "helped", "better")}
        try:
            service.paper_enter(current_user, raw, code=form.code.data or "")
        except InvalidInput as exc:
            fields = {"code_not_valid": "code", "code_used": "code"}
            show_refusal(form, exc, None if exc.details else fields)
            status = exc.status
        else:
            flash("The answers are saved. Thank you.", "success")
            return redirect(url_for(".paper_form"))
    elif request.method == "POST":
        status = 400
    quarter = service.quarter_label(service.quarter_of(utcnow().date()))
    return render_template("feedback/paper.html", form=form, quarter=quarter), status


@bp.route("/comments")
def comments_page():
    """What families wrote to the manager's authority, for quarters that are over."""
    found = comments.feedback_comments(current_user)
    return render_template("feedback/comments.html", found=found)
