"""Generate pages: choose a template, fill in (or upload) the case, preview, download.

The case is never kept on the server between pages: the form posts it back each time, and the
preview page carries it in a hidden field for the download.
"""

import io
import json
import logging

from flask import Blueprint, current_app, render_template, request, send_file
from flask_login import current_user

from .. import jsonio, permissions
from ..errors import InvalidInput
from ..text import InvalidText, json_problems, replace_bad
from . import case_files, case_pipeline, library, packs, service, sources
from .schema_form import SchemaForm, error_list

log = logging.getLogger(__name__)

bp = Blueprint("generate", __name__)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
FIELD_ERRORS = ("invalid_case_data", "recipient_required")  # shown beside the fields named


def _settings() -> dict:
    return current_app.config["CLEARINGHOUSE"]


def _schema_form(prepared: service.Prepared) -> SchemaForm:
    schema = library.form_schema(prepared.entry.slug)
    return SchemaForm(schema, None, _settings()["RENDER_MAX_LIST_ITEMS"])


def _form_page(
    prepared, data, *, details=(), problem=None, upload_error=None, status=200, notices=()
):
    form = _schema_form(prepared)
    fields = form.fields(data)
    errors, summary = error_list(list(details), fields)
    if errors:
        fields = form.fields(data, errors)
    if problem:
        summary.insert(0, {"text": problem, "href": None})
    if upload_error:
        summary.insert(0, {"text": upload_error, "href": "#case_file"})
    page = render_template(
        "generate/form.html",
        source=prepared.source,
        entry=prepared.entry,
        fields=fields,
        summary=summary,
        upload_error=upload_error,
        notices=list(notices),
        focus=request.form.get("action", "").partition(":")[2] if request.method == "POST" else "",
        max_kb=_settings()["RENDER_MAX_INPUT_KB"],
    )
    return page, status, NO_STORE


def _prepare(slug: str) -> service.Prepared:
    # Anyone signed in may look at a template's questions; generating checks can_generate.
    return service.template_prepare(current_user, slug, generate=False)


@bp.get("/generate")
def choose_template():
    """List the templates the user can generate from."""
    templates = service.templates_list(current_user)
    by_slug = {t.slug: t for t in templates}
    library_templates = [t for t in templates if t.source == "library"]
    chosen = {}
    for entry in library_templates:
        slug = sources.chosen_slug(current_user, entry.slug)
        if slug != entry.slug and slug in by_slug:
            chosen[entry.slug] = by_slug[slug]
    return render_template(
        "generate/choose.html",
        library_templates=library_templates,
        other_templates=[t for t in templates if t.source != "library"],
        chosen=chosen,
        packs=packs.packs_list(current_user),
        can_generate=permissions.can_generate(current_user),
    )


@bp.get("/generate/<slug>")
def case_form(slug: str):
    """Show the case form for a template, empty or filled with the sample data."""
    prepared = _prepare(slug)
    data = prepared.entry.sample if request.args.get("sample") else {}
    return _form_page(prepared, data)


def _uploaded_case():
    """Return (case data, error message) from the uploaded JSON file."""
    upload = request.files.get("case_file")
    if upload is None or not upload.filename:
        return None, "Select a case file (.json) to upload"
    max_kb = _settings()["RENDER_MAX_INPUT_KB"]
    try:
        return case_files.case_file_read(upload.stream.read(max_kb * 1024 + 1), max_kb), None
    except InvalidInput as exc:
        return None, exc.message


def _posted_json() -> dict | None:
    """Return the case posted back from the preview page (InvalidText if it holds bad text)."""
    try:
        data = jsonio.loads(request.form.get("case_json", ""))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _answers(form: SchemaForm) -> tuple[dict, list[dict]]:
    """Return the case from the form's answers and a problem for each holding bad text."""
    data = form.data(request.form)
    details = json_problems(data, lambda parts: "This answer")
    return (replace_bad(data), details) if details else (data, [])


@bp.post("/generate/<slug>")
def case_submit(slug: str):
    """Add or remove a repeating group, review an upload, or check and preview the case."""
    prepared = _prepare(slug)
    form = _schema_form(prepared)
    action = request.form.get("action", "preview")
    if action == "upload":
        data, error = _uploaded_case()
        if error:
            return _form_page(prepared, {}, upload_error=error, status=400)
        return _review(prepared, data)
    try:
        if action == "edit":
            data = _posted_json()
            if data is None:
                return _form_page(prepared, {}, problem="The case could not be read. Start again.")
            return _form_page(prepared, data)
        data, details = _answers(form)
    except InvalidText as exc:
        return _form_page(prepared, {}, problem=exc.message, status=400)
    if details:
        return _form_page(prepared, data, details=details, status=400)
    if action != "preview":
        form.apply_action(data, action)
        return _form_page(prepared, data)
    return _preview(prepared, data)


def _review(prepared, data):
    """Show an uploaded case in the form, with any problems marked on the fields.

    A case file of case model 1 is converted first, and what the conversion chose is listed
    above the form, so the practitioner checks it before anything is generated.
    """
    data, converted = case_pipeline.upgraded(data)
    try:
        service.case_data_check(prepared, service.case_with_authority(current_user, data))
    except InvalidInput as exc:
        if exc.code in FIELD_ERRORS:
            return _form_page(prepared, data, details=exc.details, status=400, notices=converted)
        return _form_page(prepared, {}, upload_error=exc.message, status=exc.status)
    return _form_page(prepared, data, notices=converted)


def _preview(prepared, data, problem=None):
    """Show the preview; with a problem (a PDF not made), its status and Retry-After too."""
    try:
        generated = service.document_generate(current_user, prepared.source.slug, data, fmt="html")
    except InvalidInput as exc:
        if exc.code in FIELD_ERRORS:
            return _form_page(prepared, data, details=exc.details, status=400)
        return _form_page(prepared, data, problem=exc.message, status=exc.status)
    page = render_template(
        "generate/preview.html",
        source=prepared.source,
        generated=generated,
        case_json=json.dumps(data, ensure_ascii=False),
        pdf_problem=service.pdf_problem(),
        problem=problem.message if problem else None,
    )
    if problem is None:
        return page, 200, NO_STORE
    return page, problem.status, {**NO_STORE, **problem.headers}


@bp.post("/generate/<slug>/download")
def download(slug: str):
    """Generate the .docx, PDF or PDF/A from the previewed case and send it."""
    prepared = _prepare(slug)
    try:
        data = _posted_json()
    except InvalidText as exc:
        return _form_page(prepared, {}, problem=exc.message, status=400)
    if data is None:
        return _form_page(
            prepared, {}, problem="The case could not be read. Fill in the form again.", status=400
        )
    try:
        fmt, pdfa = service.format_chosen(request.form.get("format"))
    except InvalidInput as exc:
        return _preview(prepared, data, problem=exc)
    try:
        generated = service.document_generate(current_user, slug, data, fmt=fmt, pdfa=pdfa)
    except service.PDF_PROBLEMS as exc:
        return _preview(prepared, data, problem=exc)
    except InvalidInput as exc:
        if exc.code in FIELD_ERRORS:
            return _form_page(prepared, data, details=exc.details, status=400)
        return _form_page(prepared, data, problem=exc.message, status=exc.status)
    response = send_file(
        io.BytesIO(generated.content),
        mimetype=generated.media_type,
        as_attachment=True,
        download_name=generated.filename,
        max_age=0,
    )
    response.headers.update(NO_STORE)
    return response


@bp.app_template_filter("generate_option")
def generate_option(option, current, key: str = "checked", multiple: bool = False) -> dict:
    """Return a GOV.UK radios, select or checkboxes item for a (value, label) option."""
    value, label = option
    chosen = str(value) in current if multiple else str(value) == str(current)
    return {"value": value, "text": label, key: chosen}
