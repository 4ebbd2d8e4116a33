"""The mapping audit pages: start from a case, rate together, sign off, next steps.

The case is an uploaded case file or the case entered in the journey, carried sealed from its
task list (see journey/carry.py); either is read in memory only. The pre-assessment is shown
on the page that answers the start and carried, signed, in a hidden field while the two rate;
it is never stored. Pages with it answer
Cache-Control: no-store (as every page does).
"""

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from ..errors import InvalidInput
from ..journey import carry
from ..text import InvalidText, field_problems, whole_number
from ..web_responses import attachment_response
from . import case_input, next_steps, service
from .elements import RATINGS, elements, rating_labels, scale_meaning
from .pre_assess import Finding

log = logging.getLogger(__name__)
bp = Blueprint("audits", __name__, url_prefix="/audits")
FIELD_IDS = {"reference": "reference", "lead": "lead", "worker": "worker", "scale": "scale"}
FIELD_IDS[carry.STATE] = "case_file"  # a refused case: the upload is offered in its place


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="mapping-audit-findings")


def _sealed(findings: list[Finding] | None) -> str:
    if not findings:
        return ""
    return _serializer().dumps([[f.element, f.suggested, f.evidence] for f in findings])


def _opened(text: str) -> list[Finding]:
    try:
        rows = _serializer().loads(text) if text else []
        return [Finding(str(e), str(s), [str(x) for x in ev]) for e, s, ev in rows]
    except (BadSignature, TypeError, ValueError):
        return []  # a stale or altered copy: the page shows no pre-assessment


def _errors(exc: InvalidInput) -> dict[str, str]:
    """Return field id -> message for the error summary and the fields."""
    errors = {}
    for detail in exc.details or [{"path": "", "message": exc.message}]:
        path = str(detail.get("path", ""))
        parts = path.split("/")
        if parts[0] == "ratings" and len(parts) == 3:
            field_id = f"{parts[2]}-{parts[1]}"
        else:
            field_id = FIELD_IDS.get(parts[0], parts[0] or "case_file")
        errors.setdefault(field_id, detail.get("message") or exc.message)
    return errors


def _check_text(labels: dict[str, str]) -> None:
    """Refuse form text no page may carry (NUL, lone surrogates), naming the field."""
    details = []
    for name, value in request.form.items(multi=True):
        label = labels.get(name) or labels.get(name.split("-")[0], "This answer")
        details += field_problems([(name, value)], label)
    if details:
        raise InvalidText(details)


START_LABELS = {
    "reference": "Case reference",
    "lead": "Practice lead",
    "worker": "The case's worker",
    carry.STATE: "The case you entered",
}
RATING_LABELS = {"rating": "Agreed rating", "reason": "Reason", "scale": "Agreed scale"}
STEPS_LABELS = {"next_steps": "Next steps for the worker", "reference": "Case reference"}


def _settings() -> dict:
    return current_app.config["CLEARINGHOUSE"]


def _case_given() -> dict:
    """Return the case sent: the journey's sealed case when carried, else the uploaded file."""
    if carry.state_posted():
        return case_input.case_from_data(carry.state_open()["case"], _settings())
    upload = request.files.get("case_file")
    raw = upload.stream.read(_settings()["RENDER_MAX_INPUT_KB"] * 1024 + 1) if upload else b""
    return case_input.case_from_file(raw, _settings())


def _carried(exc: InvalidInput | None = None) -> str:
    """Return the sealed case to carry on to the next page ("" when none, or it has expired)."""
    if not carry.state_posted() or isinstance(exc, carry.CaseExpired):
        return ""
    if exc is not None and "case_file" in _errors(exc):
        return ""  # the case itself was refused: offer the upload instead
    try:
        return carry.state_seal(carry.state_open())
    except carry.CaseExpired:
        return ""


def _int(name: str) -> int | None:
    return whole_number(request.form.get(name, ""))


def _common() -> dict:
    return {
        "elements": elements(),
        "ratings": RATINGS,
        "rating_labels": rating_labels(),
        "scale_meaning": scale_meaning(),
    }


@bp.get("")
def list_audits():
    """List the audits the user may see."""
    return _list_page(None)


@bp.post("")
def find_audits():
    """List the audits of the case whose reference was typed (sent in the body: an address
    with it in would put it in browser histories and the servers' access logs)."""
    return _list_page(request.form.get("reference", ""))


def _list_page(typed: str | None):
    errors, audits = {}, []
    try:
        if typed is not None:
            _check_text({"reference": "Case reference"})
        audits = service.audit_list(current_user, typed if typed is not None else None)
    except InvalidInput as exc:
        errors = _errors(exc)
    status = 400 if errors else 200
    page = render_template(
        "audits/list.html", audits=audits, reference=typed, errors=errors, **_common()
    )
    return page, status


def _new_page(errors=None, status=200, previous=None, carried="", values=None):
    previous_id = request.values.get("after", type=int)
    if previous is None and previous_id:
        previous = service.audit_get(current_user, previous_id)
    page = render_template(
        "audits/new.html",
        choices=service.staff_choices(current_user),
        previous=previous,
        values=request.form if values is None else values,
        errors=errors or {},
        max_kb=_settings()["RENDER_MAX_INPUT_KB"],
        state_field=carry.STATE,
        sealed_state=carried,
    )
    return page, status


@bp.get("/new")
def new_audit():
    """Offer to start an audit from a case file (or a later review of an earlier audit)."""
    service.start_check(current_user)
    return _new_page()


@bp.post("/new/from-case")
def new_from_case():
    """Offer to start an audit of the case entered in the journey (carried, sealed)."""
    service.start_check(current_user)
    try:
        state = carry.state_open()
        case = case_input.case_from_data(state["case"], _settings())
    except InvalidInput as exc:  # expired or refused: the upload is offered instead
        return _new_page({"case_file": exc.message}, exc.status, values={})
    values = {"reference": case_input.case_reference(case) or ""}
    return _new_page(carried=carry.state_seal(state), values=values)


@bp.post("/new")
def start_audit():
    """Start an audit: read the case file in memory, pre-assess it, show the rating page."""
    service.start_check(current_user)
    previous_id = request.form.get("after", type=int)
    try:
        _check_text(START_LABELS)
        case = _case_given()
        info = service.audit_start(
            current_user,
            reference_text=None if previous_id else request.form.get("reference", ""),
            lead_id=_int("lead"),
            worker_id=_int("worker"),
            previous_id=previous_id,
        )
    except InvalidInput as exc:
        return _new_page(_errors(exc), exc.status, carried=_carried(exc))
    findings, _same = service.audit_findings(current_user, info.id, case)
    flash("Audit started. The checks on the case are shown below for now only.", "success")
    return _show(info, findings=findings, carried=_carried())


def _show(info, findings=None, errors=None, status=200, values=None, same=None, carried=""):
    page = render_template(
        "audits/show.html",
        audit=info,
        state_field=carry.STATE,
        sealed_state=carried,
        findings={f.element: f for f in findings or []},
        sealed_findings=_sealed(findings),
        errors=errors or {},
        values=values,
        reference_same=same,
        **_common(),
    )
    return page, status


@bp.get("/<int:audit_id>")
def show_audit(audit_id: int):
    """Show an audit: its ratings, sign-offs and what to do next."""
    return _show(service.audit_get(current_user, audit_id))


def _form_ratings() -> dict:
    ratings = {}
    for element in elements():
        rating = request.form.get(f"rating-{element.code}", "")
        reason = request.form.get(f"reason-{element.code}", "")
        if rating or reason:
            ratings[element.code] = {"rating": rating, "reason": reason}
    return ratings


def _form_scale():
    value = request.form.get("scale", "").strip()
    if not value:
        return None
    if whole_number(value, digits=2) is None:
        raise InvalidInput(
            "invalid_audit",
            "Choose a scale from 0 to 10 for the whole mapping",
            [{"path": "scale", "message": "Choose a scale from 0 to 10 for the whole mapping"}],
        )
    return int(value)


@bp.post("/<int:audit_id>")
def save_audit(audit_id: int):
    """Save the ratings and scale the two agreed."""
    findings = _opened(request.form.get("findings", ""))
    try:
        _check_text(RATING_LABELS)
        info = service.audit_update(
            current_user, audit_id, ratings=_form_ratings(), scale=_form_scale()
        )
    except InvalidInput as exc:
        info = service.audit_get(current_user, audit_id)
        errors = _errors(exc)
        return _show(info, findings, errors, exc.status, values=request.form, carried=_carried())
    flash("Ratings saved.", "success")
    if findings or carry.state_posted():  # shown again, not kept: so answered, not redirected
        return _show(info, findings, carried=_carried())
    return redirect(url_for(".show_audit", audit_id=audit_id))


@bp.post("/<int:audit_id>/check")
def check_case(audit_id: int):
    """Show the checks on a case file again for this audit (nothing of it is kept)."""
    info = service.audit_get(current_user, audit_id)
    try:
        findings, same = service.audit_findings(current_user, audit_id, _case_given())
    except InvalidInput as exc:
        errors = {"case_file": exc.message}
        return _show(info, errors=errors, status=exc.status, carried=_carried(exc))
    return _show(info, findings, same=same, carried=_carried())


@bp.post("/<int:audit_id>/sign-off")
def sign_off(audit_id: int):
    """Sign the audit off as its practice lead or its worker."""
    try:
        info = service.audit_sign_off(current_user, audit_id)
    except InvalidInput as exc:
        info = service.audit_get(current_user, audit_id)
        errors = {"sign-off": exc.message}
        return _show(info, errors=errors, status=exc.status, carried=_carried())
    done = "Both have signed: the audit is complete." if info.completed_at else "Signed off."
    flash(done, "success")
    if carry.state_posted():  # the entered case goes on with the page, so answered here
        return _show(info, carried=_carried())
    return redirect(url_for(".show_audit", audit_id=audit_id))


@bp.post("/<int:audit_id>/next-steps")
def next_steps_download(audit_id: int):
    """Give the worker their next steps as a Word document (not kept by the service)."""
    try:
        _check_text(STEPS_LABELS)
        data, name = next_steps.next_steps_document(
            current_user,
            audit_id,
            request.form.get("next_steps", ""),
            request.form.get("reference", ""),
        )
    except InvalidInput as exc:
        info = service.audit_get(current_user, audit_id)
        errors = _errors(exc)
        return _show(
            info, errors=errors, status=exc.status, values=request.form, carried=_carried()
        )
    return attachment_response(data, name, next_steps.DOCX)
