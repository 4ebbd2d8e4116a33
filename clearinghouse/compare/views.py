"""Compare and coverage pages: choose documents, see the differences, see who covers what."""

import logging

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_login import current_user

from ..accounts import authority_list
from ..errors import InvalidInput
from ..renderer.sandbox import long_date
from ..vocabulary import STAGES
from . import coverage, service
from .forms import CompareForm, VersionDiffForm, document_id
from .render import changes_html

log = logging.getLogger(__name__)
bp = Blueprint("compare", __name__)
bp.add_app_template_filter(changes_html, "diff_html")
bp.add_app_template_filter(long_date, "long_date")  # one date format for pages and documents


def document_url(document_id: int, external: bool = False) -> str:
    """Return the address of a document's page."""
    if "documents.show_document" in current_app.view_functions:
        return url_for("documents.show_document", document_id=document_id, _external=external)
    return f"/documents/{document_id}"


@bp.app_context_processor
def _helpers():
    return {"document_url": document_url}


def _attach(form: CompareForm, exc: InvalidInput) -> None:
    """Show a service refusal on the first document select, for the error summary."""
    form.first.errors = [*form.first.errors, exc.message]


@bp.route("/compare")
def compare_page():
    """Choose documents to compare (step one), then, if asked, their versions (step two)."""
    choices = service.compare_choices(current_user)
    if request.args.get("step") != "versions":
        form = CompareForm(request.args, choices)
        form.keep_documents_only()
        return render_template("compare/choose.html", form=form)
    form = CompareForm(request.args, choices)
    if not form.validate():
        form.keep_documents_only()
        return render_template("compare/choose.html", form=form), 400
    fields = form.offer_versions(choices)
    if len(fields) < 2:
        form.keep_documents_only()
        form.second.errors = [*form.second.errors, "Choose two documents you can see"]
        return render_template("compare/choose.html", form=form), 404
    back = url_for(".compare_page", **{f.name: document_id(f.data) for f in fields})
    return render_template("compare/choose_versions.html", form=form, fields=fields, back=back)


@bp.route("/compare/result")
def compare_result():
    """Compare the chosen documents: side by side for two, a coverage table for more."""
    form = CompareForm(request.args, service.compare_choices(current_user))
    if not form.validate():
        return render_template("compare/choose.html", form=form), 400
    refs = form.refs()
    try:
        if len(refs) == 2:
            result = service.documents_compare(current_user, refs[0], refs[1])
            return render_template("compare/result.html", result=result, refs=refs)
        table = service.documents_table(current_user, refs)
    except InvalidInput as exc:
        _attach(form, exc)
        return render_template("compare/choose.html", form=form), exc.status
    return render_template("compare/table.html", table=table, refs=refs)


@bp.route("/documents/<int:document_id>/diff")
def version_diff(document_id: int):
    """Show what changed between two versions of a document, like tracked changes."""
    document = service.visible_document_info(current_user, document_id)
    try:
        result = service.version_diff(
            current_user, document_id, request.args.get("from"), request.args.get("to")
        )
    except InvalidInput as exc:
        return render_template("compare/diff.html", document=document, problem=exc), exc.status
    form = VersionDiffForm(result["versions"], result["from"]["number"], result["to"]["number"])
    return render_template("compare/diff.html", document=document, result=result, picker=form)


def _coverage_filters() -> dict:
    return {key: request.args.get(key, "").strip() for key in ("stage", "authority")}


@bp.route("/coverage")
def coverage_page():
    """Show which authorities have a current document of each type, by practice stage."""
    filters = _coverage_filters()
    matrix = coverage.coverage_matrix(current_user, **filters)
    return render_template(
        "compare/coverage.html",
        matrix=matrix,
        filters=filters,
        stages=STAGES,
        authorities=authority_list(),
    )


@bp.route("/coverage.csv")
def coverage_csv():
    """Download the coverage matrix, with the same filters, as CSV."""
    matrix = coverage.coverage_matrix(current_user, **_coverage_filters())
    body = coverage.coverage_csv(matrix, lambda i: document_url(i, external=True))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="coverage.csv"'},
    )
