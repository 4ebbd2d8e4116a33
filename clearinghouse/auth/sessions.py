"""Signed-in sessions: flask-login's user loader and the session version that ends them.

The session cookie is signed, not stored, so a copy of it cannot be deleted. Instead each
session carries the user's ``session_version`` from when it began; the loader refuses a
session whose version is no longer the user's. Signing out, changing the password and
deactivation move the version on, ending every session of that user on every worker.
"""

from flask import session
from flask_login import login_user, logout_user

from ..extensions import db, login_manager
from ..models import User
from . import service

SESSION_VERSION = "_session_version"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the signed-in user for flask-login, if active and the session still current."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active:
        return None
    if session.get(SESSION_VERSION) != user.session_version:
        return None  # signed out, password changed or deactivated since this session began
    return user


def session_start(user: User) -> None:
    """Begin a fresh session for the user (nothing kept from before signing in)."""
    session.clear()
    login_user(user)
    session[SESSION_VERSION] = user.session_version


def session_renew(user: User) -> None:
    """Keep this session after the user's session version moved (say, a password change)."""
    session[SESSION_VERSION] = user.session_version


def session_end(user: User) -> None:
    """Sign the user out here and end every other session of theirs."""
    if user.is_authenticated:
        service.sessions_end(user)
    logout_user()
    session.clear()
