"""The case journey's pages: a task list, a short page per part, check answers, generate.

Every page after the first is a POST carrying the case sealed in one hidden field (see
sealed.py), so the server keeps nothing between pages, and every page that holds it answers
Cache-Control: no-store. The case can also be saved to a file and uploaded again later.
"""

import logging

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from .. import permissions
from ..errors import InvalidInput
from ..generation import case_files
from ..generation.schema_form import error_list
from ..web_responses import attachment_response
from . import answers as page_answers
from . import carry, nodes, parts, places, service

log = logging.getLogger(__name__)

bp = Blueprint("journey", __name__, url_prefix="/case")
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
STATE = carry.STATE


def _settings() -> dict:
    return current_app.config["CLEARINGHOUSE"]


def _page(template: str, state: dict | None, status: int = 200, headers=None, **context):
    sealed_state = carry.state_seal(state) if state is not None else ""
    page = render_template(template, state_field=STATE, sealed_state=sealed_state, **context)
    return page, status, {**NO_STORE, **(headers or {})}


def _max_items() -> int:
    return _settings()["RENDER_MAX_LIST_ITEMS"]


def _target(state: dict):
    code = state.get("target")
    if not code:
        return None
    try:
        return service.target_get(current_user, code)
    except InvalidInput:
        return None


def _tasks(state: dict, *, notices=(), problem=None, status=200):
    target = _target(state)
    needed = {p.slug for p in service.parts_needed(current_user, target)} if target else set()
    statuses = parts.statuses(state["case"], service.documents_using())
    has_profile = bool(service.authority_defaults(current_user))
    return _page(
        "journey/tasks.html",
        state,
        status,
        core=[s for s in statuses if s.part.core],
        extra=[s for s in statuses if not s.part.core and (not target or s.part.slug in needed)],
        others=[s for s in statuses if not s.part.core and target and s.part.slug not in needed],
        targets=service.targets_list(current_user),
        target=target,
        notices=list(notices),
        problem=problem,
        has_profile=has_profile,
        pages=places.part_pages(),
        can_audit=permissions.can_start_mapping_audit(current_user),
    )


@bp.get("")
def start():
    """Offer to start a new case or to upload a saved case file."""
    service.journey_allowed(current_user)
    code = _checked_target(request.args.get("for", ""))
    page = render_template(
        "journey/start.html",
        target=code or "",
        target_title=service.target_get(current_user, code).title if code else "",
        max_kb=_settings()["RENDER_MAX_INPUT_KB"],
        upload_error=None,
    )
    return page, 200, NO_STORE


@bp.post("/new")
def new_case():
    """Start an empty case and show its task list."""
    service.journey_allowed(current_user)
    state = {"case": service.empty_case(), "target": _checked_target(request.form.get("for"))}
    return _tasks(state)


def _checked_target(code) -> str | None:
    if not code:
        return None
    try:
        return service.target_get(current_user, str(code)).code
    except InvalidInput:
        return None


@bp.post("/upload")
def upload():
    """Open a saved case file (converting case model 1) and show its task list."""
    service.journey_allowed(current_user)
    error = None
    upload_file = request.files.get("case_file")
    if upload_file is None or not upload_file.filename:
        error = "Select a case file (.json) to upload"
    else:
        max_kb = _settings()["RENDER_MAX_INPUT_KB"]
        try:
            case = case_files.case_file_read(upload_file.stream.read(max_kb * 1024 + 1), max_kb)
            case, converted = service.case_upgraded(case)
        except InvalidInput as exc:
            error = exc.message
    if error:
        page = render_template(
            "journey/start.html",
            target=request.form.get("for", ""),
            max_kb=_settings()["RENDER_MAX_INPUT_KB"],
            upload_error=error,
        )
        return page, 400, NO_STORE
    state = {"case": case, "target": _checked_target(request.form.get("for"))}
    return _tasks(state, notices=converted)


@bp.post("/tasks")
def tasks():
    """Show the task list: each part of the case and how complete it is."""
    service.journey_allowed(current_user)
    state = carry.state_open()
    if "target" in request.form:
        state["target"] = _checked_target(request.form.get("target"))
    return _tasks(state)


def _edit_page(state, at, back, *, answers=None, details=(), status=200):
    case = service.case_with_profile(current_user, state["case"])
    node = nodes.node_view(case, at, max_items=_max_items(), answers=answers)
    fields = [f for block in node.blocks if block.kind == "fields" for f in block.fields]
    errors, summary = error_list(list(details), fields)
    if errors:
        node = nodes.node_view(case, at, max_items=_max_items(), answers=answers, errors=errors)
    return _page("journey/edit.html", state, status, node=node, back=back, summary=summary)


def _after_save(state, at, back):
    parent = nodes.node_view(state["case"], at, max_items=_max_items()).parent
    if parent != "tasks":
        return _edit_page(state, parent, back)
    return _go_back(state, back)


def _go_back(state, back):
    if back.startswith("check:"):
        state["target"] = _checked_target(back[6:]) or state.get("target")
        return _check(state)
    return _tasks(state)


def _store(case: dict, at: str, given: dict) -> tuple[dict, str]:
    settings = _settings()
    return service.answers_save(
        current_user,
        case,
        at,
        given,
        max_kb=settings["RENDER_MAX_INPUT_KB"],
        max_items=settings["RENDER_MAX_LIST_ITEMS"],
    )


@bp.post("/edit")
def edit():
    """Show one page of the case, or save its answers, add, change or remove an item."""
    service.journey_allowed(current_user)
    state = carry.state_open()
    at, back = request.form.get("at", ""), request.form.get("back", "tasks")
    action = request.form.get("action", "show")
    try:
        if action == "show":
            return _edit_page(state, at, back)
        sent = page_answers.answers_read(state["case"], at, request.form, max_items=_max_items())
        answers, details = sent.values, sent.problems
        if sent.unusable or (details and action == "save"):
            return _edit_page(state, at, back, answers=answers, details=details, status=400)
        if action == "save":
            state["case"], at = _store(state["case"], at, answers)
            return _after_save(state, at, back)
        # Adding, changing or removing an item keeps what was typed, problems and all: they are
        # shown again when this page is saved, and in "check your answers".
        state["case"], at = _store(state["case"], at, answers)
        verb, _, pointer = action.partition(":")
        if verb == "add":
            return _edit_page(state, f"{pointer}/-", back)
        if verb == "change":
            return _edit_page(state, pointer, back)
        if verb == "remove":
            state["case"] = page_answers.item_remove(state["case"], pointer)
            return _edit_page(state, at, back)
    except places.NodeNotFound:
        return _tasks(state, problem="That part of the case is no longer there.", status=400)
    except InvalidInput as exc:  # too large: the page again, the case as it was before
        return _edit_page(state, at, back, details=[{"path": "", "message": exc.message}],
                          status=exc.status)  # fmt: skip
    return _tasks(state)


def _check(state, status=200, recipient_error=None, problem=None):
    target = _target(state)
    if target is None:
        return _tasks(state, problem="Choose a document or pack to generate", status=400)
    check = service.case_check(current_user, state["case"], target)
    return _page(
        "journey/check.html",
        state,
        status,
        check=check,
        recipient_error=recipient_error,
        pages=places.part_pages(),
        pdf_problem=service.pdf_problem(),
        problem=problem.message if problem else None,
        headers=problem.headers if problem else None,
    )


@bp.post("/check")
def check():
    """Show "check your answers" for the chosen document or pack."""
    service.journey_allowed(current_user)
    state = carry.state_open()
    if "target" in request.form:
        state["target"] = _checked_target(request.form.get("target"))
    target = _target(state)
    if target is not None and request.form.get("action") == "recipient":
        try:
            state["case"] = service.recipient_choose(
                current_user, target, state["case"], request.form.get("recipient", "")
            )
        except InvalidInput as exc:
            return _check(state, 400, recipient_error=exc.message)
    return _check(state)


@bp.post("/generate")
def generate():
    """Preview the chosen document, or download the chosen pack's zip."""
    service.journey_allowed(current_user)
    state = carry.state_open()
    target = _target(state)
    if target is None:
        return _tasks(state, problem="Choose a document or pack to generate", status=400)
    action = request.form.get("action", "")
    problem = None
    try:
        if target.kind == "pack" or action.startswith("download"):
            fmt, pdfa = service.format_chosen(action.partition("-")[2] or "docx")
            made = service.document_download(current_user, state["case"], target, fmt, pdfa)
            response = attachment_response(made.content, made.filename, made.media_type)
            response.headers.update(NO_STORE)
            return response
    except service.PDF_PROBLEMS as exc:
        if target.kind == "pack":
            return _check(state, status=exc.status, problem=exc)
        problem = exc
    except InvalidInput:
        return _check(state, status=400)
    try:
        generated = service.document_preview(current_user, state["case"], target)
    except InvalidInput:
        return _check(state, status=400)
    return _page(
        "journey/preview.html",
        state,
        problem.status if problem else 200,
        problem.headers if problem else None,
        generated=generated,
        target=target,
        pdf_problem=service.pdf_problem(),
        problem=problem.message if problem else None,
    )


@bp.post("/save")
def save():
    """Send the case as a file for the practitioner to keep on their own device."""
    service.journey_allowed(current_user)
    state = carry.state_open()
    response = attachment_response(
        case_files.case_file_bytes(state["case"]), "case.json", "application/json"
    )
    response.headers.update(NO_STORE)
    return response
