"""Compare and coverage pages: choose documents, see the differences, see who covers what."""

import logging

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from .. import permissions
from ..accounts import authority_list
from ..errors import InvalidInput
from ..renderer.sandbox import long_date
from ..vocabulary import STAGES
from . import coverage, present, saved, service
from .forms import CompareForm, SaveComparisonForm, VersionDiffForm, document_id
from .pairs import pairs_text
from .render import changes_html, wording_html

log = logging.getLogger(__name__)
SIDES = ("left", "right")
bp = Blueprint("compare", __name__)
bp.add_app_template_filter(changes_html, "diff_html")
bp.add_app_template_filter(wording_html, "wording_html")
bp.add_app_template_filter(long_date, "long_date")  # one date format for pages and documents


def document_url(document_id: int, external: bool = False) -> str:
    """Return the address of a document's page."""
    if "documents.show_document" in current_app.view_functions:
        return url_for("documents.show_document", document_id=document_id, _external=external)
    return f"/documents/{document_id}"


def version_url(document_id: int, number: int) -> str:
    """Return the address of one version of a document, shown as a page."""
    if "documents.show_version" in current_app.view_functions:
        return url_for("documents.show_version", document_id=document_id, number=number)
    return f"/documents/{document_id}/versions/{number}"


@bp.app_context_processor
def _helpers():
    return {"document_url": document_url, "version_url": version_url}


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
    """Compare the chosen documents: side by side for two, a table by purpose for more.

    For two, ``pairs=3:5,4:-`` fixes pairs of sections; ``pair=3:5`` (a re-pairing form) adds
    one to them and comes back here with the new ``pairs``.
    """
    form = CompareForm(request.args, service.compare_choices(current_user))
    if not form.validate():
        return render_template("compare/choose.html", form=form), 400
    refs = form.refs()
    try:
        if len(refs) == 2 and "pair" in request.args:
            return _repaired(refs, request.args.get("pairs", ""), request.args["pair"])
        if len(refs) == 2:
            return _comparison_page(refs, request.args.get("pairs", ""))
        table = service.documents_table(current_user, refs)
    except InvalidInput as exc:
        _attach(form, exc)
        return render_template("compare/choose.html", form=form), exc.status
    purposes = present.purpose_rows(table)
    return render_template("compare/table.html", table=table, refs=refs, purposes=purposes)


def _compare(refs: list[str], text: str) -> tuple[dict, list, InvalidInput | None]:
    """Compare two documents with the explicit pairs in text; if the pairs are refused, compare
    them without and return the refusal too."""
    if not (text or "").strip():
        return service.documents_compare(current_user, refs[0], refs[1]), [], None
    try:
        pairs = service.parse_pairs(text)
        return service.documents_compare(current_user, *refs, pairs=pairs), pairs, None
    except InvalidInput as exc:
        return service.documents_compare(current_user, refs[0], refs[1]), [], exc


def _comparison_page(refs, text, saved_info=None, save_form=None, problem=None, status=200):
    """Render two documents compared, with the pairing controls and the save form."""
    result, pairs, refused = _compare(refs, text)
    problem = problem or refused
    sides = present.comparison_sides(result)
    repair = present.can_repair(result, sides)
    if save_form is None and permissions.can_save_comparison(current_user):
        pinned = {side: f"{result[side]['id']}@{result[side]['version']}" for side in SIDES}
        save_form = SaveComparisonForm(
            formdata=None,
            first=pinned["left"],
            second=pinned["right"],
            pairs=pairs_text(pairs),
        )
    page = render_template(
        "compare/result.html",
        result=result,
        refs=refs,
        sides=sides,
        pairs=pairs_text(pairs),
        pairing=present.pairing_forms(result, sides, pairs) if repair else None,
        why=present.why_text,
        saved=saved_info,
        form=save_form,
        problem=problem,
    )
    return page, (problem.status if problem and status == 200 else status)


def _repaired(refs: list[str], current: str, change: str):
    """Add one re-pairing to the explicit pairs and show the comparison at its new address."""
    try:
        explicit = service.parse_pairs(current) if current.strip() else []
        new = service.parse_pairs(change) if change.strip() else []
        if len(new) != 1:
            raise InvalidInput("invalid_pairs", "Choose a section to pair it with.", status=400)
        pairs = pairs_text(present.pairs_merge(explicit, new[0]))
        service.pairs_check(current_user, refs[0], refs[1], pairs)  # before saying it is done
    except InvalidInput as exc:
        return _comparison_page(refs, current, problem=exc)
    left, right = new[0]
    # "info", not "success": a success banner takes the focus, and the page opens at the section.
    flash(
        f"Section {left} of the first document is now paired with section {right} of the second."
        if right is not None
        else f"Section {left} of the first document is now left unpaired.",
        "info",
    )
    anchor = f"section-left-{left}"
    return redirect(
        url_for(".compare_result", first=refs[0], second=refs[1], pairs=pairs, _anchor=anchor)
    )


@bp.route("/compare/saved")
def saved_list():
    """List the comparisons saved in the user's authority."""
    return render_template(
        "compare/saved_list.html",
        comparisons=saved.saved_list(current_user),
        can_save=permissions.can_save_comparison(current_user),
    )


@bp.route("/compare/saved", methods=["POST"])
def save_comparison():
    """Save the comparison shown (documents, versions, pairs) under a name, for the authority."""
    saved.save_check(current_user)
    form = SaveComparisonForm()
    if form.validate_on_submit():
        try:
            info = saved.comparison_save(
                current_user, form.name.data, form.first.data, form.second.data, form.pairs.data
            )
        except InvalidInput as exc:
            form.name.errors = [*form.name.errors, exc.message]
        else:
            flash(f"Comparison saved as “{info.name}”.", "success")
            return redirect(url_for(".saved_comparison", saved_id=info.id))
    refs = [form.first.data or "", form.second.data or ""]
    pairs = "" if form.pairs.errors else form.pairs.data or ""  # refused pairs: shown without
    try:
        return _comparison_page(refs, pairs, save_form=form, status=400)
    except InvalidInput as exc:
        choose = CompareForm(None, service.compare_choices(current_user))
        _attach(choose, exc)
        return render_template("compare/choose.html", form=choose), exc.status


@bp.route("/compare/saved/<int:saved_id>")
def saved_comparison(saved_id: int):
    """Open a comparison saved in the user's authority, with its pairs."""
    info = saved.saved_get(current_user, saved_id)
    return _comparison_page([info.left, info.right], info.pairs, saved_info=info)


@bp.route("/compare/saved/<int:saved_id>/delete", methods=["POST"])
def delete_saved_comparison(saved_id: int):
    """Delete a comparison saved in the manager's authority."""
    name = saved.saved_delete(current_user, saved_id)
    flash(f"Deleted the saved comparison “{name}”.", "success")
    return redirect(url_for(".saved_list"))


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
