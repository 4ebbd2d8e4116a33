"""Sign-in limits: by address as well as by account, counted in the database, proxies trusted
only as configured."""

from datetime import timedelta

import pytest
from factories import PASSWORD, make_user

from clearinghouse.auth import throttle
from clearinghouse.auth.service import SignInRefused, user_authenticate
from clearinghouse.extensions import db
from clearinghouse.models import SignInFailure

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


def test_the_address_may_try_again_after_the_window(app, users, limits, clock):
    for _ in range(limits["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        with pytest.raises(SignInRefused):
            user_authenticate("nobody@north.example", "x", address=ATTACKER)
    with pytest.raises(SignInRefused) as refused:
        user_authenticate(users["editor"].email, PASSWORD, address=ATTACKER)
    assert refused.value.code == "address_locked" and "15 minutes" in refused.value.message
    clock.advance(minutes=16)
    assert user_authenticate(users["editor"].email, PASSWORD, address=ATTACKER)


def test_old_failures_are_pruned(app, users, limits, clock):
    long_ago = clock.utcnow() - timedelta(days=2)
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


def _proxies(count: int) -> dict:
    return {"TRUSTED_PROXIES": count, "LOGIN_MAX_FAILURES_PER_ADDRESS": 3}


@pytest.mark.parametrize(
    "app, counted_as",
    [
        pytest.param(_proxies(0), "127.0.0.1", id="0-127.0.0.1"),
        pytest.param(_proxies(1), ATTACKER, id=f"1-{ATTACKER}"),
    ],
    indirect=["app"],
)
def test_forwarded_for_is_believed_only_through_trusted_proxies(app, counted_as):
    make_user("admin", None, name="Admin")
    client = app.test_client()
    forwarded = {"X-Forwarded-For": f"10.9.9.9, {ATTACKER}"}
    _sign_in(client, "nobody@example.org", "x", "127.0.0.1", headers=forwarded)
    assert db.session.scalar(db.select(SignInFailure.address)) == counted_as
