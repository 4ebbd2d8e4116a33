"""One-time password links: issued by an admin, used once by the person, refused alike otherwise."""

import re
from datetime import timedelta

import pytest
from factories import PASSWORD
from flask import g, request_started

from clearinghouse.auth import resets
from clearinghouse.errors import InvalidInput, NotAuthorized, NotFound
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, PasswordReset, User, utcnow

NEW = "a brand new long password"


def _events(action):
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def test_issue_stores_only_the_hash_and_use_sets_the_password_once(app, users):
    target = users["practitioner"]
    version = target.session_version
    token = resets.reset_issue(users["admin"], target)
    stored = db.session.scalar(db.select(PasswordReset))
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.expires_at - stored.created_at == timedelta(hours=24)
    resets.reset_check(token)
    resets.reset_use(token, NEW)
    user = db.session.get(User, target.id)
    assert user.session_version == version + 1
    with pytest.raises(NotFound):
        resets.reset_use(token, "yet another long password")
    issued, used = _events("password_reset_issued"), _events("password_reset_used")
    assert len(issued) == 1 and len(used) == 1
    assert issued[0].authority_id == target.authority_id and used[0].user_id == target.id
    for event in issued + used:
        assert token not in str(event.detail) and NEW not in str(event.detail)


def test_refusals_are_all_the_same_not_found(app, users):
    target = users["editor"]
    expired = resets.reset_issue(users["admin"], target, now=utcnow() - timedelta(hours=25))
    for bad in ("", "x" * 200, "not-a-token", expired):
        with pytest.raises(NotFound) as caught:
            resets.reset_check(bad)
        assert caught.value.message == resets.NOT_VALID
    old = resets.reset_issue(users["admin"], target)
    newer = resets.reset_issue(users["admin"], target)
    with pytest.raises(NotFound):
        resets.reset_check(old)  # a new link replaces the old one
    db.session.get(User, target.id).active = False
    db.session.commit()
    with pytest.raises(NotFound):
        resets.reset_check(newer)


def test_only_admins_issue_and_not_for_deactivated_accounts(app, users):
    with pytest.raises(NotAuthorized):
        resets.reset_issue(users["manager"], users["practitioner"])
    users["practitioner"].active = False
    db.session.commit()
    with pytest.raises(InvalidInput):
        resets.reset_issue(users["admin"], users["practitioner"])


def test_weak_password_keeps_the_link(app, users):
    token = resets.reset_issue(users["admin"], users["editor"])
    with pytest.raises(InvalidInput):
        resets.reset_use(token, "short")
    resets.reset_check(token)  # still usable


def test_guessing_links_is_limited_by_address(app, users):
    limit = app.config["CLEARINGHOUSE"]["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for _ in range(limit):
        with pytest.raises(NotFound):
            resets.reset_check("guess", address="203.0.113.9")
    token = resets.reset_issue(users["admin"], users["editor"])
    with pytest.raises(InvalidInput) as caught:
        resets.reset_check(token, address="203.0.113.9")
    assert caught.value.status == 429
    resets.reset_check(token, address="198.51.100.1")


def _forget_csrf_token(sender, **extra):
    g.pop("csrf_token", None)  # the tests' one app context would share it between clients


@pytest.fixture
def csrf_clients(app):
    """Let several clients each have their own CSRF token in one test."""
    request_started.connect(_forget_csrf_token, app)
    yield
    request_started.disconnect(_forget_csrf_token, app)


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _sign_in(app, email: str, password: str):
    """Sign in through the form with its CSRF token; return the client and the answer."""
    client = app.test_client()
    token = _csrf(client.get("/sign-in").get_data(as_text=True))
    data = {"csrf_token": token, "email": email, "password": password}
    return client, client.post("/sign-in", data=data)


@pytest.mark.app_settings(csrf=True)
def test_admin_makes_a_link_and_the_person_uses_it(app, users, csrf_clients):
    admin, _ = _sign_in(app, users["admin"].email, PASSWORD)
    target = users["practitioner"]
    old_session, _ = _sign_in(app, target.email, PASSWORD)
    page = admin.get(f"/admin/users/{target.id}").get_data(as_text=True)
    url = f"/admin/users/{target.id}/password-link"
    assert admin.post(url).status_code == 400  # no CSRF token
    response = admin.post(url, data={"csrf_token": _csrf(page)})
    assert response.status_code == 200
    link = re.search(r'id="reset-link"[^>]*>([^<]+)<', response.get_data(as_text=True)).group(1)
    path = link.split("localhost", 1)[1]
    assert path.startswith("/account/reset/")
    assert response.headers["Cache-Control"] == "no-store"

    visitor = app.test_client()
    opened = visitor.get(path)  # the key moves into the session; the address loses it
    assert opened.status_code == 302 and opened.headers["Location"] == "/account/reset"
    form = visitor.get("/account/reset")
    assert form.status_code == 200 and "Set a new password" in form.get_data(as_text=True)
    data = {"csrf_token": _csrf(form.get_data(as_text=True)), "new": NEW, "new_again": "other"}
    assert visitor.post("/account/reset", data=data).status_code == 400
    data["new_again"] = NEW
    response = visitor.post("/account/reset", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert old_session.get("/documents").status_code == 302  # signed out everywhere
    assert visitor.get(path).status_code == 404  # used
    assert visitor.get("/account/reset").status_code == 404
    assert app.test_client().get("/account/reset").status_code == 404  # no link opened
    assert _sign_in(app, target.email, NEW)[1].status_code == 302
    assert _sign_in(app, target.email, PASSWORD)[1].status_code == 401


def test_bad_link_page_says_nothing_about_accounts(client):
    response = client.get("/account/reset/abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "not valid" in page and "@" not in page.split("<main", 1)[1].split("</main>")[0]
