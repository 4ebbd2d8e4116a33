"""Passwords, sign-in with lockout, and API tokens."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from .. import permissions
from ..errors import InvalidInput, NotFound
from ..extensions import db, login_manager
from ..models import ApiToken, User, record_audit, utcnow

log = logging.getLogger(__name__)

_DUMMY_HASH = generate_password_hash("not-a-real-password")
MIN_PASSWORD_LENGTH = 12


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the signed-in user for flask-login, if still active."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user and user.active else None


def hash_password(password: str) -> str:
    """Return a salted, slow hash of the password (scrypt)."""
    return generate_password_hash(password)


def check_new_password(password: str) -> None:
    """Refuse a password that is too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "weak_password", f"Password must be at least {MIN_PASSWORD_LENGTH} characters long."
        )


class SignInRefused(InvalidInput):
    """Sign-in failed: wrong details, or the account is locked for a while."""


def user_authenticate(email: str, password: str, now: datetime | None = None) -> User:
    """Return the user for these details, counting failures and locking after too many."""
    now = now or utcnow()
    settings = current_app.config["CLEARINGHOUSE"]
    user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    wrong = SignInRefused(
        "sign_in_failed", "Enter a correct email address and password.", status=401
    )
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)  # same time as a real check
        raise wrong
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise SignInRefused(
            "account_locked",
            f"Too many failed attempts. Try again in {minutes} minutes, "
            "or ask your site administrator.",
            status=429,
        )
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= settings["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=settings["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
            record_audit(user, "account_locked", "user", user.id)
        db.session.commit()
        raise wrong
    user.failed_logins = 0
    user.locked_until = None
    record_audit(user, "signed_in", "user", user.id)
    db.session.commit()
    return user


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
        db.session.commit()
    return token.user
