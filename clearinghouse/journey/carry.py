"""The case in progress as the pages carry it: sealed into a form field, opened from one.

Shared by the journey's pages and by the pages that take a case entered in the journey (a
mapping audit starts from one), so the case is sealed to the same user and sign-in everywhere.
"""

import secrets

from flask import current_app, request, session
from flask_login import current_user

from . import sealed

STATE = "case_state"
SIGN_IN = "_case_sign_in"
CaseExpired = sealed.CaseExpired


def _sign_in() -> str:
    """Return this sign-in's random value (the session is cleared at sign-in and sign-out)."""
    if SIGN_IN not in session:
        session[SIGN_IN] = secrets.token_urlsafe(16)
    return session[SIGN_IN]


def state_seal(state: dict) -> str:
    """Return the journey state sealed for this user and sign-in, to carry in a page."""
    return sealed.case_seal(
        state, secret_key=current_app.secret_key, user_id=current_user.id, sign_in=_sign_in()
    )


def state_posted() -> bool:
    """Return whether this request carries a sealed case."""
    return bool(request.form.get(STATE, ""))


def state_open() -> dict:
    """Return the journey state posted with this page (CaseExpired when it cannot be read)."""
    text = request.form.get(STATE, "")
    if not text:
        raise sealed.CaseExpired("The case was not sent with the page. Start again.")
    state = sealed.case_open(
        text,
        secret_key=current_app.secret_key,
        user_id=current_user.id,
        sign_in=_sign_in(),
        max_age_seconds=current_app.config["CLEARINGHOUSE"]["CASE_JOURNEY_HOURS"] * 3600,
    )
    if not isinstance(state, dict) or not isinstance(state.get("case"), dict):
        raise sealed.CaseExpired("The case could not be read. Start again.")
    return state
