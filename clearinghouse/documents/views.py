"""Document pages: list with filters, a document and its versions, uploads, downloads."""

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from .. import permissions
from ..accounts import authority_list
from ..errors import Conflict, InvalidInput
from ..forms import show_refusal, uploaded_file
from ..vocabulary import STAGES
from ..web_responses import attachment_response
from . import service
from .forms import (
    DocumentUploadForm,
    RestoreForm,
    VersionUploadForm,
    VisibilityForm,
    WithdrawForm,
)

log = logging.getLogger(__name__)
bp = Blueprint("documents", __name__, url_prefix="/documents")


def _list_url(**changes) -> str:
    """Return this list's address with some arguments changed (a page, a sort)."""
    args = {key: value for key, value in request.args.items() if value} | changes
    return url_for(".list_documents", **{k: v for k, v in args.items() if v not in ("", None)})


@bp.route("")
def list_documents():
    """List the documents the user may see, filtered, sorted and a page at a time."""
    filters = {key: request.args.get(key, "").strip() for key in ("authority", "doc_type", "stage")}
    result = service.document_page(
        current_user,
        authority=filters["authority"] or None,
        doc_type=filters["doc_type"] or None,
        stage=filters["stage"] or None,
        sort=request.args.get("sort"),
        page=request.args.get("page"),
        per_page=request.args.get("per_page"),
    )
    can_upload = current_user.authority_id is not None and permissions.can_upload_document(
        current_user, current_user.authority_id
    )
    return render_template(
        "documents/list.html",
        result=result,
        documents=result.documents,
        filters=filters,
        sorts=[(key, label) for key, (label, _order) in service.SORTS.items()],
        authorities=authority_list(),
        doc_types=service.doc_types_list(),
        stages=STAGES,
        can_upload=can_upload,
        page_url=lambda n: _list_url(page=n),
    )


@bp.route("/withdrawn")
def withdrawn_documents():
    """List the editor's authority's withdrawn documents, each with a way to restore it."""
    documents = service.withdrawn_list(current_user)
    return render_template("documents/withdrawn.html", documents=documents)


@bp.route("/<int:document_id>/restore", methods=["GET", "POST"])
def restore_document(document_id: int):
    """Confirm, then restore a withdrawn document so it is seen and found again."""
    document = service.document_restore_check(current_user, document_id)
    if document.withdrawn_at is None:
        flash(f"“{document.title}” has not been withdrawn.", "info")
        return redirect(url_for(".show_document", document_id=document_id))
    form = RestoreForm()
    if form.validate_on_submit():
        service.document_restore(current_user, document_id)
        flash(f"“{document.title}” has been restored.", "success")
        return redirect(url_for(".show_document", document_id=document_id))
    status = 400 if request.method == "POST" else 200
    return render_template("documents/restore.html", form=form, document=document), status


@bp.route("/new", methods=["GET", "POST"])
def upload_document():
    """Upload a new document for the editor's own authority."""
    service.upload_authority(current_user)
    form = DocumentUploadForm()
    form.set_choices(service.doc_types_list())
    status = 200
    if form.validate_on_submit():
        data, filename = uploaded_file(form.file)
        try:
            version = service.document_create(
                current_user,
                title=form.title.data,
                doc_type=form.doc_type.data,
                visibility=form.visibility.data,
                stage=form.stage.data or None,
                tags=form.tags.data,
                change_note=form.change_note.data,
                data=data,
                filename=filename,
            )
        except (InvalidInput, Conflict) as exc:
            show_refusal(form, exc, fallback=form.file)
            status = exc.status
        else:
            flash("Document uploaded.", "success")
            return redirect(url_for(".show_document", document_id=version.document_id))
    elif request.method == "POST":
        status = 400
    return render_template("documents/upload.html", form=form), status


@bp.route("/<int:document_id>")
def show_document(document_id: int):
    """Show a document, its details and its version history."""
    document = service.document_get(current_user, document_id)
    visibility_form = VisibilityForm(formdata=None, visibility=document.visibility)
    return render_template(
        "documents/document.html", document=document, visibility_form=visibility_form
    )


@bp.route("/<int:document_id>/versions/new", methods=["GET", "POST"])
def upload_version(document_id: int):
    """Upload a new version of a document, with a change note."""
    document = service.document_edit_check(current_user, document_id)
    form = VersionUploadForm()
    status = 200
    if form.validate_on_submit():
        data, filename = uploaded_file(form.file)
        try:
            version = service.version_add(
                current_user, document_id, data, filename, form.change_note.data
            )
        except InvalidInput as exc:
            show_refusal(form, exc, fallback=form.file)
            status = exc.status
        except Conflict as exc:
            show_refusal(form, exc, fallback=form.file)
            status = exc.status
            document = service.document_edit_check(current_user, document_id)  # the new latest
        else:
            flash(f"Version {version.number} uploaded.", "success")
            return redirect(url_for(".show_document", document_id=document_id))
    elif request.method == "POST":
        status = 400
    return render_template("documents/new_version.html", form=form, document=document), status


@bp.route("/<int:document_id>/visibility", methods=["POST"])
def set_visibility(document_id: int):
    """Share a document with every authority or keep it internal."""
    document = service.document_edit_check(current_user, document_id)
    form = VisibilityForm()
    if not form.validate_on_submit():
        document = service.document_get(current_user, document_id)
        return render_template(
            "documents/document.html", document=document, visibility_form=form, form=form
        ), 400
    document = service.document_set_visibility(current_user, document_id, form.visibility.data)
    message = (
        "Document shared with every authority."
        if document.visibility == "shared"
        else "Document kept internal to your authority."
    )
    flash(message, "success")
    return redirect(url_for(".show_document", document_id=document_id))


@bp.route("/<int:document_id>/withdraw", methods=["GET", "POST"])
def withdraw_document(document_id: int):
    """Confirm, then withdraw a document so nobody sees it any more."""
    document = service.document_edit_check(current_user, document_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        service.document_delete(current_user, document_id)
        flash(f"“{document.title}” has been withdrawn.", "success")
        return redirect(url_for(".list_documents"))
    return render_template("documents/withdraw.html", form=form, document=document)


@bp.route("/<int:document_id>/versions/<int:number>")
def show_version(document_id: int, number: int):
    """Show one version as a page."""
    document = service.document_get(current_user, document_id)
    version = service.version_get(current_user, document_id, number)
    # version_html returns sanitised (Markdown, nh3) or escaped (.docx) HTML.
    content = Markup(service.version_html(current_user, document_id, number))  # noqa: S704
    return render_template(
        "documents/version.html", document=document, version=version, content=content
    )


@bp.route("/<int:document_id>/versions/<int:number>/download")
def download_version(document_id: int, number: int):
    """Download a version's original file, byte for byte."""
    chunks, filename, media_type = service.version_stream(current_user, document_id, number)
    return attachment_response(chunks, filename, media_type)
