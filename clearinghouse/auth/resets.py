"""One-time password reset links: an admin issues one, the person uses it once to set a password.

Only the token's sha256 is stored. A link works once, for RESET_HOURS, and only for an active
account; every refusal is the same NotFound, so a link never tells whether an account exists.
Each refused token counts against the address as a failed sign-in does, so guessing is limited.
"""

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update

from .. import permissions
from ..errors import InvalidInput, NotAuthorized, NotFound
from ..extensions import db
from ..models import PasswordReset, User, record_audit, utcnow
from . import throttle
from .service import check_new_password, hash_password

log = logging.getLogger(__name__)

RESET_HOURS = 24
MAX_TOKEN_LENGTH = 100
NOT_VALID = (
    "This link to set a password is not valid. It may have been used already or have expired. "
    "Ask your site administrator for a new one."
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def reset_issue(actor, user: User, now: datetime | None = None) -> str:
    """Return a new one-time link token for the user (earlier unused ones stop working)."""
    if not permissions.can_manage_users(actor):
        raise NotAuthorized("Only site administrators can do this.")
    if not user.active:
        raise InvalidInput(
            "user_inactive", "Reactivate the account before giving the person a new password."
        )
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    )
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=_hash(token),
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + timedelta(hours=RESET_HOURS),
        )
    )
    record_audit(
        actor, "password_reset_issued", "user", user.id, about_authority_id=user.authority_id
    )
    db.session.commit()
    return token


def _refuse(address: str | None, now: datetime) -> NotFound:
    """Count the bad token against the address, and return the one refusal every case gets."""
    throttle.failure_record(throttle.address_key(address), now)
    db.session.commit()
    return NotFound(NOT_VALID, "reset_link_not_valid")


def _valid(token: str, now: datetime) -> PasswordReset | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    reset = db.session.scalar(
        db.select(PasswordReset).where(PasswordReset.token_hash == _hash(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    return reset if reset.user.active else None


def _limited(address: str | None, now: datetime) -> None:
    wait = throttle.address_wait_minutes(throttle.address_key(address), now)
    if wait:
        raise InvalidInput(
            "address_locked",
            f"Too many failed attempts from your network. Try again in {wait} minutes.",
            status=429,
        )


def reset_check(token: str, address: str | None = None, now: datetime | None = None) -> None:
    """Refuse (NotFound) a token that is unknown, used, expired or for an inactive account."""
    now = now or utcnow()
    _limited(address, now)
    if _valid(token, now) is None:
        raise _refuse(address, now)


def reset_use(token: str, password: str, address: str | None = None, now=None) -> None:
    """Set the password the link was for, once; end every session of that person."""
    now = now or utcnow()
    _limited(address, now)
    reset = _valid(token, now)
    if reset is None:
        raise _refuse(address, now)
    check_new_password(password or "")
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # another request used it first
        db.session.rollback()
        raise _refuse(address, now)
    user = reset.user
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.session_version = User.session_version + 1
    record_audit(user, "password_reset_used", "user", user.id)
    db.session.commit()
    log.info("password reset link used")
