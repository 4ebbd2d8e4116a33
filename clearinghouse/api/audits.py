"""/api/v1/audits: mapping audits as JSON, over the same services as the pages.

A new audit is started from a case (the case file's JSON object, under "case"): the answer
carries the service's pre-assessment once, and nothing of the case is kept.
"""

from dataclasses import asdict

from flask import current_app, jsonify, request

from ..audits import case_input, next_steps, service
from ..errors import InvalidInput
from ..web_responses import attachment_response
from . import api_user, bp


def _body(info: service.AuditInfo) -> dict:
    return {
        "id": info.id,
        "authority": info.authority_name,
        "date": info.audit_date.isoformat(),
        "status": info.status,
        "lead": {"id": info.lead_id, "name": info.lead, "team": info.lead_team},
        "worker": {"id": info.worker_id, "name": info.worker, "team": info.worker_team},
        "ratings": {k: {"rating": r, "reason": c} for k, (r, c) in info.ratings.items()},
        "scale": info.scale,
        "lead_signed_at": _iso(info.lead_signed_at),
        "worker_signed_at": _iso(info.worker_signed_at),
        "completed_at": _iso(info.completed_at),
        "previous_id": info.previous_id,
        "later_ids": list(info.later_ids),
        "still_to_rate": list(info.missing),
    }


def _iso(value):
    return value.isoformat() if value else None


def _json() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("invalid_json", "Send a JSON object.", status=400)
    return body


def _int_or_none(body: dict, key: str):
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("invalid_json", f"{key} must be a whole number.", status=400)
    return value


@bp.get("/audits")
def audits_index():
    """List the mapping audits the caller may see."""
    if "reference" in request.args:
        raise InvalidInput(
            "reference_in_address",
            "Send the case reference in the body of POST /api/v1/audits/find, not in the "
            "address: addresses are kept in servers' access logs.",
            status=400,
        )
    return jsonify({"audits": [_body(a) for a in service.audit_list(api_user(), None)]})


@bp.post("/audits/find")
def audits_find():
    """List the mapping audits of one case, found by the reference in the body."""
    reference = _json().get("reference")
    if not isinstance(reference, str):
        raise InvalidInput("invalid_reference", "Send the case reference as text.", status=422)
    return jsonify({"audits": [_body(a) for a in service.audit_list(api_user(), reference)]})


@bp.post("/audits")
def audits_create():
    """Start a mapping audit from a case; answer it with the pre-assessment (not kept)."""
    service.start_check(api_user())
    body = _json()
    case = case_input.case_from_data(body.get("case"), current_app.config["CLEARINGHOUSE"])
    info = service.audit_start(
        api_user(),
        reference_text=body.get("reference") if body.get("previous_id") is None else None,
        lead_id=_int_or_none(body, "lead_id"),
        worker_id=_int_or_none(body, "worker_id"),
        previous_id=_int_or_none(body, "previous_id"),
    )
    findings, _same = service.audit_findings(api_user(), info.id, case)
    return jsonify({**_body(info), "pre_assessment": [asdict(f) for f in findings]}), 201


@bp.get("/audits/<int:audit_id>")
def audit_get(audit_id: int):
    """Return one mapping audit."""
    return jsonify(_body(service.audit_get(api_user(), audit_id)))


@bp.patch("/audits/<int:audit_id>")
def audit_update(audit_id: int):
    """Save some or all ratings and the scale (refused with 409 once signed off)."""
    service.audit_get(api_user(), audit_id)  # a stranger learns nothing from the body's checks
    body = _json()
    scale = _int_or_none(body, "scale")
    info = service.audit_update(
        api_user(),
        audit_id,
        ratings=body.get("ratings") or {},
        scale=scale,
        clear_scale="scale" in body and scale is None,
    )
    return jsonify(_body(info))


@bp.post("/audits/<int:audit_id>/sign-off")
def audit_sign_off(audit_id: int):
    """Sign the audit off as the caller (its practice lead or its worker)."""
    return jsonify(_body(service.audit_sign_off(api_user(), audit_id)))


@bp.post("/audits/<int:audit_id>/next-steps")
def audit_next_steps(audit_id: int):
    """Return the worker's next steps as a .docx with the agreed ratings (never stored)."""
    service.audit_get(api_user(), audit_id)
    body = _json()
    steps = body.get("next_steps")
    if isinstance(steps, list) and all(isinstance(step, str) for step in steps):
        steps = "\n".join(steps)
    if not isinstance(steps, str):
        raise InvalidInput(
            "invalid_json", "next_steps must be text, or a list of texts, one a step.", status=400
        )
    given = body.get("reference")
    typed = given if isinstance(given, str) else None
    data, name = next_steps.next_steps_document(api_user(), audit_id, steps, typed)
    return attachment_response(data, name, next_steps.DOCX)


_ERR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_AUDIT = (
    '{"id", "authority", "date", "status" (in_progress, awaiting_sign_off, signed_off), "lead" '
    'and "worker" ({"id", "name", "team"}), "ratings" ({element: {"rating", "reason"}}), '
    '"scale" (0-10 or null), "lead_signed_at", "worker_signed_at", "completed_at", '
    '"previous_id", "later_ids", "still_to_rate"}. Elements, ratings and reason codes: '
    "clearinghouse/audits/elements.json."
)
_ID = {"name": "audit_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_JSON_BODY = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
_NOT_FOUND = {"description": "not_found: no such audit, or not yours to see", "content": _ERR}
_SIGNED = {"description": "audit_signed_off: both signed; it cannot change", "content": _ERR}

PATHS: dict = {
    "/audits/find": {
        "post": {
            "summary": "Mapping audits of one case the caller may see, by its reference",
            "description": 'Body: {"reference": the authority\'s case reference}. It is matched '
            "by its keyed hash and never stored; it goes in the body so that no address "
            "carries it into access logs.",
            "requestBody": _JSON_BODY,
            "responses": {
                "200": {"description": '{"audits": [audit, ...]}: each ' + _AUDIT},
                "400": {"description": "invalid_json", "content": _ERR},
                "422": {"description": "invalid_reference", "content": _ERR},
            },
        }
    },
    "/audits": {
        "get": {
            "summary": "Mapping audits the caller may see (participants; the authority's managers)",
            "responses": {
                "200": {"description": '{"audits": [audit, ...]}: each ' + _AUDIT},
                "400": {
                    "description": "reference_in_address: find by reference with POST /audits/find",
                    "content": _ERR,
                },
            },
        },
        "post": {
            "summary": "Start a mapping audit from a case (managers and practitioners)",
            "description": 'Body: {"case": the case file\'s JSON object, "reference": the '
            'case reference (or "previous_id": a signed-off audit this one reviews later), '
            '"lead_id": a manager of the authority, "worker_id": the case\'s worker}. The '
            'answer adds "pre_assessment": [{"element", "suggested", "evidence": [...]}], '
            "given once and never stored; the case is not kept.",
            "requestBody": _JSON_BODY,
            "responses": {
                "201": {"description": _AUDIT + ' Plus "pre_assessment".'},
                "400": {"description": "invalid_json, invalid_case_file", "content": _ERR},
                "403": {"description": "forbidden: not a manager or practitioner", "content": _ERR},
                "404": _NOT_FOUND,
                "409": {"description": "audit_not_signed_off (previous_id)", "content": _ERR},
                "413": {"description": "case_too_large", "content": _ERR},
                "422": {
                    "description": "invalid_reference, invalid_audit (lead_id, worker_id)",
                    "content": _ERR,
                },
            },
        },
    },
    "/audits/{audit_id}": {
        "get": {
            "summary": "One mapping audit",
            "parameters": [_ID],
            "responses": {"200": {"description": _AUDIT}, "404": _NOT_FOUND},
        },
        "patch": {
            "summary": "Save agreed ratings and the scale (the participants, until both sign)",
            "description": 'Body: {"ratings": {element: {"rating": "met" | "partly" | '
            '"not_met", "reason": a reason code of the element that fits the rating}}, '
            '"scale": 0-10 or null}. Ratings not named are left as they are. A change '
            "withdraws any sign-off given so far.",
            "parameters": [_ID],
            "requestBody": _JSON_BODY,
            "responses": {
                "200": {"description": _AUDIT},
                "400": {"description": "invalid_json", "content": _ERR},
                "403": {"description": "forbidden: not a participant", "content": _ERR},
                "404": _NOT_FOUND,
                "409": _SIGNED,
                "422": {"description": "invalid_audit: details give the path", "content": _ERR},
            },
        },
    },
    "/audits/{audit_id}/next-steps": {
        "post": {
            "summary": "The worker's next steps as a Word document (participants, managers)",
            "description": 'Body: {"next_steps": text, one a line, or a list of texts, '
            '"reference": optional case reference, printed only when it is the audited '
            "case's}. The document holds the agreed ratings and scale; the service keeps "
            "neither it nor the steps.",
            "parameters": [_ID],
            "requestBody": _JSON_BODY,
            "responses": {
                "200": {"description": "the .docx"},
                "400": {"description": "invalid_json", "content": _ERR},
                "404": _NOT_FOUND,
                "422": {
                    "description": "invalid_next_steps, reference_mismatch",
                    "content": _ERR,
                },
            },
        },
    },
    "/audits/{audit_id}/sign-off": {
        "post": {
            "summary": "Sign the audit off as its practice lead or its worker",
            "description": "When both have signed, the audit is complete and cannot change; "
            "a later review is a new audit with previous_id.",
            "parameters": [_ID],
            "responses": {
                "200": {"description": _AUDIT},
                "403": {"description": "forbidden: not a participant", "content": _ERR},
                "404": _NOT_FOUND,
                "409": {
                    "description": "audit_incomplete, already_signed, audit_signed_off",
                    "content": _ERR,
                },
            },
        },
    },
}
