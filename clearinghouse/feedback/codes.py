"""One-time feedback codes: made, kept as a keyed hash, checked, used once; and the limit on
wrong codes from one address.

A code is 8 characters from an alphabet without the look-alikes (no 0/O, 1/I/L, 2/Z, 5/S,
8/B, U/V), printed as two groups of four (K7PM-3QXD): about 36 bits, against at most
FEEDBACK_MAX_FAILURES_PER_ADDRESS guesses an hour from one address. The hash is an HMAC with
the site's secret key, so a copy of the database alone does not let the codes be tried
offline.
"""

import hashlib
import hmac
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from .. import permissions
from ..auth.throttle import address_key
from ..errors import InvalidInput, NotAuthorized
from ..extensions import db
from ..models import record_audit, utcnow
from .models import FeedbackAttempt, FeedbackCode

log = logging.getLogger(__name__)

ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
LENGTH = 8
MAX_TYPED = 40  # longer input is refused before it is hashed

NOT_VALID = (
    "We could not find that code. Check you typed it as it is on your form. If it still does "
    "not work, ask your social worker for a new one."
)
USED = "This code has already been used. Each code works once. Thank you for your answers."
EXPIRED = "This code has run out. Ask your social worker for a new one."
PAPER_NOT_FOUND = (
    "There is no feedback code like this for your authority. Check it against the form, or "
    "leave it empty if the form has none."
)
PAPER_USED = (
    "The family has already answered with this form's code (online or on another paper "
    "form), so these answers would be counted twice. They were not saved."
)


@dataclass
class IssuedCode:
    """A code made for a family: shown once, never stored as it is."""

    code: str
    expires_at: datetime


def _settings() -> dict:
    return current_app.config["CLEARINGHOUSE"]


def normalise(typed: str) -> str:
    """Return the code as typed, without spaces or hyphens and in capitals."""
    return "".join(ch for ch in (typed or "")[:MAX_TYPED].upper() if ch not in " -\t")


def code_hash(code: str) -> str:
    """Return the keyed hash a code is stored under."""
    key = (current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def code_issue(actor, now: datetime | None = None) -> IssuedCode:
    """Make a one-time code for a family of the actor's authority, counted for their team."""
    if not permissions.can_issue_feedback_code(actor):
        raise NotAuthorized("Only people who work for an authority can get feedback codes.")
    # Kept to the day, never the moment: a code made at the very microsecond of the audit
    # event naming its worker could be matched to it, and through it to the family's answer.
    day = (now or utcnow()).replace(hour=0, minute=0, second=0, microsecond=0)
    expires = day + timedelta(days=_settings()["FEEDBACK_CODE_DAYS"] + 1)  # to the day's end
    code = _new_code()
    while db.session.scalar(
        select(FeedbackCode.id).where(FeedbackCode.code_hash == code_hash(code))
    ):
        code = _new_code()  # one in tens of billions; never two rows for one code
    db.session.add(
        FeedbackCode(
            code_hash=code_hash(code),
            authority_id=actor.authority_id,
            team_id=actor.team_id,
            created_at=day,
            expires_at=expires,
        )
    )
    # Which code is not recorded: the worker and the answer must never be linked.
    record_audit(actor, "feedback_code_issued", "feedback_code", "-")
    db.session.commit()
    return IssuedCode(code, expires)


def _window(now: datetime) -> tuple[datetime, timedelta]:
    minutes = _settings()["FEEDBACK_WINDOW_MINUTES"]
    return now - timedelta(minutes=minutes), timedelta(minutes=minutes)


def _wait(key: str | None, now: datetime, own: int) -> int:
    """Return the minutes the address must wait, counting ``own`` attempts of this request."""
    if key is None:
        return 0
    since, window = _window(now)
    where = (FeedbackAttempt.address == key, FeedbackAttempt.at > since)
    failures = db.session.scalar(select(func.count()).select_from(FeedbackAttempt).where(*where))
    if failures - own < _settings()["FEEDBACK_MAX_FAILURES_PER_ADDRESS"]:
        return 0
    oldest = db.session.scalar(select(func.min(FeedbackAttempt.at)).where(*where))
    return max(1, math.ceil((oldest + window - now).total_seconds() / 60))


def _hold(key: str | None, now: datetime) -> int | None:
    """Count this request's attempt before the code is looked at; return its row's id.

    Committed first, so requests from one address at once each see the others' attempts:
    counting only after a failure let several guesses in flight pass the limit together.
    """
    if key is None:
        return None
    since, _ = _window(now)
    db.session.execute(delete(FeedbackAttempt).where(FeedbackAttempt.at <= since))
    attempt = FeedbackAttempt(address=key, at=now)
    db.session.add(attempt)
    db.session.commit()
    return attempt.id


def _release(held: int | None) -> None:
    """Take back a held attempt that was not a failure."""
    if held is not None:
        db.session.execute(delete(FeedbackAttempt).where(FeedbackAttempt.id == held))
        db.session.commit()


def code_find(typed: str, address: str | None, now: datetime | None = None) -> FeedbackCode:
    """Return the code's row if it can be used now; refuse it (its held attempt counted as the
    address's failure) if not."""
    now = now or utcnow()
    key = address_key(address)
    held = _hold(key, now)
    wait = _wait(key, now, 1)
    if wait:
        _release(held)
        raise InvalidInput(
            "too_many_codes",
            f"Too many codes were tried from your network. Please try again in {wait} minutes.",
            status=429,
        )
    code = normalise(typed)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        raise InvalidInput("code_not_valid", NOT_VALID)
    row = db.session.scalar(select(FeedbackCode).where(FeedbackCode.code_hash == code_hash(code)))
    if row is None:
        raise InvalidInput("code_not_valid", NOT_VALID)
    if row.used:
        raise InvalidInput("code_used", USED)
    if row.expires_at <= now:
        raise InvalidInput("code_expired", EXPIRED)
    _release(held)
    return row


def code_use(row: FeedbackCode) -> bool:
    """Mark the code used, in the caller's transaction; False if another request used it first."""
    result = db.session.execute(
        update(FeedbackCode)
        .where(FeedbackCode.id == row.id, FeedbackCode.used.is_(False))
        .values(used=True)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def paper_code(authority_id: int, typed: str) -> FeedbackCode:
    """Return the authority's unused code printed on a paper form, to use up with it; a code
    that has run out still counts (forms come back late), a used one is refused."""
    code = normalise(typed)
    row = None
    if len(code) == LENGTH and all(ch in ALPHABET for ch in code):
        row = db.session.scalar(
            select(FeedbackCode).where(FeedbackCode.code_hash == code_hash(code))
        )
    if row is None or row.authority_id != authority_id:
        raise InvalidInput("code_not_valid", PAPER_NOT_FOUND)
    if row.used:
        raise InvalidInput("code_used", PAPER_USED)
    return row
