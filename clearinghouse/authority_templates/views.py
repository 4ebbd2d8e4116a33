"""Authorities' own templates pages: list and choose, upload, versions, check report, publish."""

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from .. import media_types
from ..errors import InvalidInput
from ..forms import show_refusal, uploaded_file
from ..web_responses import attachment_response
from . import service
from .forms import ActionForm, ChoiceForm, TemplateUploadForm, TemplateVersionForm

log = logging.getLogger(__name__)
bp = Blueprint("templates", __name__, url_prefix="/templates")


@bp.get("")
def list_templates():
    """List, per document type, the library template and authorities' templates."""
    doc_types = service.library_doc_types()
    templates = service.template_list(current_user)
    rows = []
    for slug, title in doc_types:
        own = [t for t in templates if t.library_slug == slug]
        rows.append(
            {
                "slug": slug,
                "title": title,
                "templates": own,
                "choice": service.template_choice_get(current_user, slug),
            }
        )
    titles = {t.slug: t.title for t in templates}
    return render_template(
        "templates/list.html", rows=rows, titles=titles, can_upload=service.can_upload(current_user)
    )


@bp.route("/new", methods=["GET", "POST"])
def upload_template():
    """Upload a new template for the editor's authority; it is checked straight away."""
    service.template_upload_authority(current_user)
    form = TemplateUploadForm()
    form.set_choices(service.library_doc_types())
    if request.method == "GET" and request.args.get("doc_type"):
        form.doc_type.data = request.args["doc_type"]
    status = 200
    if form.validate_on_submit():
        data, filename = uploaded_file(form.file)
        try:
            template, version = service.template_upload(
                current_user,
                data=data,
                filename=filename,
                doc_type=form.doc_type.data,
                title=form.title.data,
                visibility=form.visibility.data,
                change_note=form.change_note.data,
            )
        except InvalidInput as exc:
            show_refusal(form, exc, fallback=form.file)
            status = exc.status
        else:
            _flash_report(version)
            return redirect(url_for(".show_version", slug=template.slug, number=version.number))
    elif request.method == "POST":
        status = 400
    return render_template("templates/upload.html", form=form), status


def _flash_report(version) -> None:
    if version.report.get("errors"):
        flash(
            f"Version {version.number} was saved as a draft. It has errors to fix before it "
            "can be published.",
            "info",
        )
    else:
        flash(f"Version {version.number} passed the checks. You can now publish it.", "success")


@bp.get("/<slug>")
def show_template(slug: str):
    """Show a template, its versions and the newest version's check report."""
    template = service.template_get(current_user, slug)
    return render_template("templates/template.html", template=template)


@bp.route("/<slug>/versions/new", methods=["GET", "POST"])
def upload_version(slug: str):
    """Upload a new version of a template, with a change note."""
    template = service.template_get_editable(current_user, slug)
    form = TemplateVersionForm()
    status = 200
    if form.validate_on_submit():
        data, filename = uploaded_file(form.file)
        try:
            _, version = service.template_upload(
                current_user,
                slug=slug,
                data=data,
                filename=filename,
                change_note=form.change_note.data,
            )
        except InvalidInput as exc:
            show_refusal(form, exc, fallback=form.file)
            status = exc.status
        else:
            _flash_report(version)
            return redirect(url_for(".show_version", slug=slug, number=version.number))
    elif request.method == "POST":
        status = 400
    return render_template("templates/new_version.html", form=form, template=template), status


@bp.get("/<slug>/versions/<int:number>")
def show_version(slug: str, number: int):
    """Show one version's check report and preview."""
    template, version = service.template_version_get(current_user, slug, number)
    # The preview is escaped HTML made by docx_to_html from the fictional sample data.
    preview = Markup(version.report.get("preview_html") or "")  # noqa: S704
    return render_template(
        "templates/version.html",
        template=template,
        version=version,
        preview=preview,
        action_form=ActionForm(),
    )


@bp.post("/<slug>/versions/<int:number>/check")
def recheck_version(slug: str, number: int):
    """Run the checks on a version again."""
    form = ActionForm()
    if form.validate_on_submit():
        version = service.template_recheck(current_user, slug, number)
        flash(f"Version {number} checked again: {version.summary}.", "success")
    return redirect(url_for(".show_version", slug=slug, number=number))


@bp.post("/<slug>/versions/<int:number>/publish")
def publish_version(slug: str, number: int):
    """Publish a version for practitioners (refused while it has errors)."""
    form = ActionForm()
    if form.validate_on_submit():
        try:
            service.template_publish(current_user, slug, number)
        except InvalidInput as exc:
            flash(exc.message, "info")
        else:
            flash(f"Version {number} is published. Practitioners can now choose it.", "success")
    return redirect(url_for(".show_version", slug=slug, number=number))


@bp.get("/<slug>/versions/<int:number>/download")
def download_version(slug: str, number: int):
    """Download a version's .docx exactly as uploaded."""
    chunks, filename = service.template_version_file(current_user, slug, number)
    return attachment_response(chunks, filename, media_types.DOCX)


@bp.route("/choose/<doc_type>", methods=["GET", "POST"])
def choose(doc_type: str):
    """Choose which template to use for a document type; the choice is remembered."""
    options = service.template_options(current_user, doc_type)
    form = ChoiceForm()
    form.choice.choices = [(o["choice"], _option_label(o)) for o in options]
    status = 200
    if request.method == "GET":
        form.choice.data = service.template_choice_get(current_user, doc_type)
    elif form.validate_on_submit():
        try:
            service.template_choice_set(current_user, doc_type, form.choice.data)
        except InvalidInput as exc:
            form.choice.errors = [exc.message]
            status = exc.status
        else:
            slug = service.template_chosen_slug(current_user, doc_type)
            if request.form.get("then") == "generate":
                return redirect(url_for("journey.start", **{"for": f"template:{slug}"}))
            flash("Your choice of template is saved.", "success")
            return redirect(url_for(".list_templates"))
    else:
        status = 400
    title = options[0]["title"]
    return render_template(
        "templates/choose.html", form=form, title=title, doc_type=doc_type
    ), status


def _option_label(option: dict) -> str:
    if option["source"] == "library":
        return f"The template library's {option['title']}"
    owner = "your authority" if option["source"] == "own" else option["authority"]
    return f"{option['title']} ({owner}, version {option['version']})"
