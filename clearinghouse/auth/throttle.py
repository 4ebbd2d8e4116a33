"""Failed sign-ins by address, counted in the database so every worker and server agrees.

An address is an IPv4 address, or an IPv6 address's /64 network (one host commonly holds a
whole /64, so counting single IPv6 addresses would count nothing). Rows older than the window
are pruned whenever a failure is recorded.
"""

import ipaddress
import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import SignInFailure

MAX_KEY_LENGTH = 64


def address_key(address: str | None) -> str | None:
    """Return the key failures from this address are counted under (None if unknown)."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:MAX_KEY_LENGTH] or None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _window(now: datetime) -> tuple[datetime, timedelta]:
    minutes = current_app.config["CLEARINGHOUSE"]["LOGIN_ADDRESS_WINDOW_MINUTES"]
    return now - timedelta(minutes=minutes), timedelta(minutes=minutes)


def address_failures(key: str | None, now: datetime) -> int:
    """Return how many failed sign-ins the address made in the window."""
    if key is None:
        return 0
    since, _ = _window(now)
    query = select(func.count()).where(SignInFailure.address == key, SignInFailure.at > since)
    return db.session.scalar(query.select_from(SignInFailure)) or 0


def address_wait_minutes(key: str | None, now: datetime) -> int:
    """Return the minutes until the address may try again, or 0 if it is under the limit."""
    limit = current_app.config["CLEARINGHOUSE"]["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    if key is None or address_failures(key, now) < limit:
        return 0
    since, window = _window(now)
    oldest = db.session.scalar(
        select(func.min(SignInFailure.at)).where(
            SignInFailure.address == key, SignInFailure.at > since
        )
    )
    remaining = (oldest + window - now).total_seconds() if oldest else window.total_seconds()
    return max(1, math.ceil(remaining / 60))


def failure_record(key: str | None, now: datetime) -> None:
    """Add a failed sign-in for the address and prune expired ones (the caller commits)."""
    since, _ = _window(now)
    db.session.execute(delete(SignInFailure).where(SignInFailure.at <= since))
    if key is not None:
        db.session.add(SignInFailure(address=key, at=now))
