"""Sign-in limits: by address as well as by account, counted in the database, proxies trusted
only as configured."""

from datetime import timedelta

import pytest
from testdata import PASSWORD

from clearinghouse import create_app
from clearinghouse.accounts import user_create
from clearinghouse.auth import throttle
from clearinghouse.auth.service import SignInRefused, user_authenticate
from clearinghouse.extensions import db
from clearinghouse.models import SignInFailure, utcnow
from clearinghouse.permissions import SYSTEM

ATTACKER = "203.0.113.9"
VICTIM = "198.51.100.7"


def _sign_in(client, email, password, address=None, headers=None):
    environ = {"REMOTE_ADDR": address} if address else None
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base=environ,
        headers=headers or {},
    )


@pytest.fixture
def limits(app):
    """Set a small per-address limit (below the per-account one)."""
    settings = app.config["CLEARINGHOUSE"]
    settings.update(LOGIN_MAX_FAILURES_PER_ADDRESS=8, LOGIN_ADDRESS_WINDOW_MINUTES=15)
    return settings


def test_an_address_locks_itself_out_not_the_account_it_guesses(app, client, users, limits):
    victim = users["editor"].email
    for _ in range(limits["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        assert _sign_in(client, victim, "a wrong guess", ATTACKER).status_code in (401, 429)
    refused = _sign_in(client, victim, PASSWORD, ATTACKER)
    assert refused.status_code == 429
    assert "Too many failed sign-ins from your network" in refused.get_data(as_text=True)
    # The account's own lock (5 failures) binds the attacker's address, not the victim's.
    assert users["editor"].locked_until is not None
    assert _sign_in(app.test_client(), victim, PASSWORD, VICTIM).status_code == 302
    # Another account from the attacker's address is refused too, even with its password.
    other = _sign_in(app.test_client(), users["manager"].email, PASSWORD, ATTACKER)
    assert other.status_code == 429


def test_guesses_at_unknown_accounts_count_for_the_address(client, users, limits):
    for n in range(limits["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        assert _sign_in(client, f"nobody{n}@north.example", "x", ATTACKER).status_code == 401
    assert _sign_in(client, users["editor"].email, PASSWORD, ATTACKER).status_code == 429


def test_the_address_may_try_again_after_the_window(app, users, limits):
    start = utcnow()
    for _ in range(limits["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        with pytest.raises(SignInRefused):
            user_authenticate("nobody@north.example", "x", address=ATTACKER, now=start)
    with pytest.raises(SignInRefused) as refused:
        user_authenticate(users["editor"].email, PASSWORD, address=ATTACKER, now=start)
    assert refused.value.code == "address_locked" and "15 minutes" in refused.value.message
    later = start + timedelta(minutes=16)
    assert user_authenticate(users["editor"].email, PASSWORD, address=ATTACKER, now=later)


def test_old_failures_are_pruned(app, users, limits):
    long_ago = utcnow() - timedelta(days=2)
    db.session.add_all(SignInFailure(address=f"192.0.2.{n}", at=long_ago) for n in range(30))
    db.session.commit()
    with pytest.raises(SignInRefused):
        user_authenticate("nobody@north.example", "x", address=ATTACKER)
    assert db.session.query(SignInFailure).count() == 1


def test_a_locked_account_still_refuses_addresses_that_failed(app, client, users):
    email = users["practitioner"].email
    for _ in range(app.config["CLEARINGHOUSE"]["LOGIN_MAX_FAILURES"]):
        _sign_in(client, email, "not the password", ATTACKER)
    assert _sign_in(client, email, PASSWORD, ATTACKER).status_code == 429
    with pytest.raises(SignInRefused) as refused:
        user_authenticate(email, PASSWORD)  # an unknown address is treated as suspect
    assert refused.value.code == "account_locked"


def test_ipv6_addresses_count_by_their_64_network(app, client, users, limits):
    for n in range(limits["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        _sign_in(client, "nobody@north.example", "x", f"2001:db8:1:2::{n + 1:x}")
    assert (
        _sign_in(client, users["editor"].email, PASSWORD, "2001:db8:1:2::ffff").status_code == 429
    )
    assert _sign_in(client, users["editor"].email, PASSWORD, "2001:db8:1:3::1").status_code == 302
    assert throttle.address_key("::ffff:192.0.2.1") == "192.0.2.1"


def _proxied_app(tmp_path, proxies):
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / f"proxies-{proxies}"),
            "FLASK_WTF_CSRF_ENABLED": False,
            "TRUSTED_PROXIES": proxies,
            "LOGIN_MAX_FAILURES_PER_ADDRESS": 3,
        }
    )
    return app


@pytest.mark.parametrize("proxies, counted_as", [(0, "127.0.0.1"), (1, ATTACKER)])
def test_forwarded_for_is_believed_only_through_trusted_proxies(tmp_path, proxies, counted_as):
    app = _proxied_app(tmp_path, proxies)
    with app.app_context():
        db.create_all()
        user_create(
            SYSTEM,
            email="admin@example.org",
            name="Admin",
            role="admin",
            authority_slug=None,
            password=PASSWORD,
        )
        client = app.test_client()
        forwarded = {"X-Forwarded-For": f"10.9.9.9, {ATTACKER}"}
        _sign_in(client, "nobody@example.org", "x", "127.0.0.1", headers=forwarded)
        assert db.session.scalar(db.select(SignInFailure.address)) == counted_as
        db.session.remove()
        db.engine.dispose()
