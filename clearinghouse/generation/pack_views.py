"""Pack pages: upload one case file and download every document of a pack as one zip.

Like the generate pages, nothing of the case is kept: the file is read, rendered and forgotten.
"""

from flask import render_template, request
from flask_login import current_user

from .. import permissions
from ..errors import InvalidInput
from ..web_responses import attachment_response
from . import packs, service
from .views import NO_STORE, _settings, _uploaded_case, bp


def _page(pack, *, upload_error=None, problem=None, details=(), status=200, headers=None):
    page = render_template(
        "generate/pack.html",
        pack=pack,
        upload_error=upload_error,
        problem=problem,
        details=list(details),
        max_kb=_settings()["RENDER_MAX_INPUT_KB"],
        can_generate=permissions.can_generate(current_user),
        pdf_problem=service.pdf_problem(),
        chosen_format=request.form.get("format", "docx"),
    )
    return page, status, {**NO_STORE, **(headers or {})}


@bp.get("/generate/packs/<pack>")
def pack_form(pack: str):
    """Show what a pack makes, and the form to upload the case file for it."""
    return _page(packs.pack_get(current_user, pack))


@bp.post("/generate/packs/<pack>")
def pack_submit(pack: str):
    """Render the pack from the uploaded case file and send the zip (of .docx or PDFs)."""
    found = packs.pack_for_rendering(current_user, pack)  # before reading what was sent
    fmt, pdfa = service.format_chosen(request.form.get("format"))
    data, error = _uploaded_case()
    if error:
        return _page(found, upload_error=error, status=400)
    try:
        generated = packs.pack_render(current_user, pack, data, fmt=fmt, pdfa=pdfa)
    except service.PDF_PROBLEMS as exc:
        return _page(found, problem=exc.message, status=exc.status, headers=exc.headers)
    except InvalidInput as exc:
        return _page(found, problem=exc.message, details=exc.details, status=exc.status)
    response = attachment_response(generated.content, generated.filename, generated.media_type)
    response.headers.update(NO_STORE)
    return response
