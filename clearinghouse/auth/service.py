"""Passwords, sign-in with per-account and per-address limits, session versions, API tokens."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import OperationalError
from werkzeug.security import check_password_hash, generate_password_hash

from .. import permissions, sqlite_pragmas
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..models import ApiToken, User, record_audit, utcnow
from . import throttle

log = logging.getLogger(__name__)

# Werkzeug's scrypt (N=2^15, r=8, p=1): slow on purpose, about 0.1-0.3 s a hash. Only the test
# suite, which makes thousands of accounts, sets a cheaper one (tests/conftest.py).
PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method, not a password)
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=PASSWORD_HASH_METHOD)
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    """Return a salted, slow hash of the password (scrypt)."""
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


def check_new_password(password: str) -> None:
    """Refuse a password that is too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "weak_password", f"Password must be at least {MIN_PASSWORD_LENGTH} characters long."
        )


class SignInRefused(InvalidInput):
    """Sign-in failed: wrong details, or the account is locked for a while."""


def _wrong() -> SignInRefused:
    return SignInRefused(
        "sign_in_failed", "Enter a correct email address and password.", status=401
    )


def _account_locked(user: User, now: datetime) -> SignInRefused:
    minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
    return SignInRefused(
        "account_locked",
        f"Too many failed attempts. Try again in {minutes} minutes, "
        "or ask your site administrator.",
        status=429,
    )


def _count_account_failure(user: User, now: datetime) -> None:
    """Count a wrong password against the account, locking it after too many."""
    settings = current_app.config["CLEARINGHOUSE"]
    # Count on the row as it is now, locked till the commit: on PostgreSQL two servers' wrong
    # passwords at once would otherwise both write the same count, and a guesser sending many
    # in parallel would get more than LOGIN_MAX_FAILURES tries (on SQLite, FOR UPDATE takes
    # the database's write lock: sqlite_pragmas).
    db.session.refresh(user, with_for_update=True)
    user.failed_logins += 1
    if user.failed_logins >= settings["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(minutes=settings["LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        record_audit(user, "account_locked", "user", user.id)


def _locked_for(user: User, key: str | None, now: datetime) -> bool:
    """Return whether the account's lock binds this address.

    A lock binds an address that failed a sign-in within the window (or an unknown one), so
    whoever caused it stays locked out while the person it belongs to can still sign in from
    an address that has not been guessing.
    """
    if not (user.locked_until and user.locked_until > now):
        return False
    return key is None or throttle.address_failures(key, now) > 0


def user_authenticate(
    email: str, password: str, address: str | None = None, now: datetime | None = None
) -> User:
    """Return the user for these details, counting failures by account and by address."""
    now = now or utcnow()
    key = throttle.address_key(address)
    wait = throttle.address_wait_minutes(key, now)
    if wait:
        raise SignInRefused(
            "address_locked",
            f"Too many failed sign-ins from your network. Try again in {wait} minutes.",
            status=429,
        )
    user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)  # same time as a real check
        throttle.failure_record(key, now)  # guessing at unknown accounts counts for the address
        db.session.commit()
        raise _wrong()
    if _locked_for(user, key, now):
        refused = _account_locked(user, now)
        throttle.failure_record(key, now)
        db.session.commit()
        raise refused
    if not check_password_hash(user.password_hash, password):
        _count_account_failure(user, now)
        throttle.failure_record(key, now)
        db.session.commit()
        raise _wrong()
    user.failed_logins = 0
    user.locked_until = None
    record_audit(user, "signed_in", "user", user.id)
    db.session.commit()
    return user


def sessions_end(user: User, reason: str = "signed_out") -> None:
    """End every session of the user, on every device and worker (the session version moves)."""
    user.session_version = User.session_version + 1
    record_audit(user, reason, "user", user.id)
    db.session.commit()


def password_change(user: User, current: str, new: str, now: datetime | None = None) -> None:
    """Change the user's password after checking the current one; end their other sessions."""
    now = now or utcnow()
    if user.locked_until and user.locked_until > now:
        raise _account_locked(user, now)
    if not check_password_hash(user.password_hash, current or ""):
        _count_account_failure(user, now)
        db.session.commit()
        raise InvalidInput("wrong_password", "Your current password is not correct.", status=400)
    check_new_password(new or "")
    if check_password_hash(user.password_hash, new):
        raise InvalidInput(
            "same_password", "Choose a new password different from the current one.", status=400
        )
    user.password_hash = hash_password(new)
    user.failed_logins = 0
    sessions_end(user, "password_changed")


@dataclass
class TokenInfo:
    """An API token as shown to its owner (never the secret itself)."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_create(user: User, name: str) -> str:
    """Create an API token for the user and return its secret, shown only this once."""
    name = (name or "").strip() or "API token"
    if len(name) > 100:
        raise InvalidInput("invalid_token_name", "Token name must be 100 characters or fewer.")
    secret = "ch_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user_id=user.id, name=name, token_hash=_token_hash(secret), prefix=secret[:10])
    )
    record_audit(user, "token_created", "user", user.id, name=name)
    db.session.commit()
    return secret


def token_list(user: User) -> list[TokenInfo]:
    """Return the user's tokens, newest first."""
    tokens = db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    )
    return [
        TokenInfo(t.id, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at is not None)
        for t in tokens
    ]


def token_revoke(user: User, token_id: int) -> None:
    """Revoke one of the user's tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or not permissions.can_manage_token(user, token):
        raise NotFound("That token does not exist.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_audit(user, "token_revoked", "api_token", token.id)
        db.session.commit()


def token_user(secret: str) -> User | None:
    """Return the active user a bearer token belongs to, noting its use."""
    if not secret or len(secret) > 200:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == _token_hash(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        try:
            db.session.commit()
        except OperationalError as exc:
            if not sqlite_pragmas.is_busy(exc):
                raise
            db.session.rollback()  # noting the use waits for a later call; this one goes on
            log.warning("token use not noted: the database was busy")
    return token.user
