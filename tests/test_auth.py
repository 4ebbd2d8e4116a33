"""Sign-in, lockout, sign-out, CSRF, session cookie flags and the API tokens page."""

import subprocess
import sys

import pytest
from factories import PASSWORD, make_authority, make_user
from werkzeug.security import check_password_hash

from clearinghouse import create_app
from clearinghouse.auth.service import SignInRefused, user_authenticate
from clearinghouse.extensions import db
from clearinghouse.models import ApiToken


def _sign_in(client, email, password):
    return client.post("/sign-in", data={"email": email, "password": password})


def test_wrong_password_is_refused_with_a_message(client, users):
    response = _sign_in(client, users["editor"].email, "wrong password!")
    assert response.status_code == 401
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert "govuk-error-summary" in response.get_data(as_text=True)


def test_unknown_and_deactivated_users_get_the_same_answer(client, users):
    users["editor"].active = False
    db.session.commit()
    for email in ("nobody@north.example", users["editor"].email):
        response = _sign_in(client, email, PASSWORD)
        assert response.status_code == 401


def test_lockout_after_repeated_failures(app, client, users, clock):
    email = users["practitioner"].email
    for _ in range(app.config["CLEARINGHOUSE"]["LOGIN_MAX_FAILURES"]):
        assert _sign_in(client, email, "not the password").status_code == 401
    response = _sign_in(client, email, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    clock.advance(minutes=app.config["CLEARINGHOUSE"]["LOGIN_LOCK_MINUTES"] + 1)
    assert user_authenticate(email, PASSWORD).id == users["practitioner"].id


def test_lock_is_still_on_before_it_expires(app, users, clock):
    email = users["manager"].email
    for _ in range(5):
        with pytest.raises(SignInRefused):
            user_authenticate(email, "nope nope nope")
    clock.advance(minutes=5, seconds=30)
    with pytest.raises(SignInRefused) as refused:
        user_authenticate(email, PASSWORD)
    assert refused.value.code == "account_locked"
    assert "Try again in 10 minutes" in refused.value.message  # 9.5 minutes left, rounded up


def test_sign_in_redirects_only_within_the_site(client, users):
    response = client.post(
        "/sign-in?next=//evil.example/", data={"email": users["editor"].email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/sign-out")
    response = client.post(
        "/sign-in?next=/documents", data={"email": users["editor"].email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/documents"


def test_sign_out(users, login):
    client = login(users["editor"])
    assert client.get("/documents").status_code == 200
    assert client.post("/sign-out").status_code == 302
    assert client.get("/documents").status_code == 302


def test_deactivated_user_loses_their_session(users, login):
    client = login(users["editor"])
    users["editor"].active = False
    db.session.commit()
    assert client.get("/documents").status_code == 302


@pytest.mark.app_settings(csrf=True)
def test_csrf_is_enforced(app):
    make_authority("north", "North")
    make_user("editor", "north", name="Editor")
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "editor@north.example", "password": PASSWORD})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/sign-in",
        data={"email": "editor@north.example", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert client.post("/documents/1/withdraw").status_code == 400  # signed in, still no token
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 400


def test_session_cookie_flags(client, users):
    response = _sign_in(client, users["editor"].email, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # testing, served over http


def test_session_cookie_is_secure_in_production(tmp_path):
    app = create_app(
        {"ENV": "production", "SECRET_KEY": "prod-secret", "INSTANCE_PATH": str(tmp_path / "p")}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_production_needs_a_secret_key(tmp_path):
    with pytest.raises(RuntimeError):
        create_app({"ENV": "production", "SECRET_KEY": None, "INSTANCE_PATH": str(tmp_path)})


def test_token_page_shows_a_token_once_and_revokes_it(users, login, client):
    web = login(users["editor"])
    page = web.post("/account/tokens", data={"name": "Reporting script"}).get_data(as_text=True)
    secret = page.split('id="new-token" class="app-token">')[1].split("<")[0]
    assert secret.startswith("ch_")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/doc-types", headers=headers).status_code == 200
    listing = web.get("/account/tokens").get_data(as_text=True)
    assert "Reporting script" in listing and secret not in listing
    token = db.session.scalar(db.select(ApiToken))
    assert token.token_hash != secret and secret not in token.token_hash
    assert web.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/doc-types", headers=headers).status_code == 401


def test_cannot_revoke_someone_elses_token(users, login, api_headers):
    api_headers(users["south_editor"])
    token = db.session.scalar(db.select(ApiToken))
    login(users["editor"]).post(f"/account/tokens/{token.id}/revoke")
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_passwords_are_hashed_with_scrypt_as_deployed():
    """The suite hashes cheaply in its own process (conftest.py); the service never does."""
    program = (
        "from clearinghouse.auth.service import hash_password, _DUMMY_HASH;"
        "print(hash_password('a long enough password'));print(_DUMMY_HASH)"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    hashed, dummy = run.stdout.split()
    assert hashed.startswith("scrypt:32768:8:1$") and dummy.startswith("scrypt:32768:8:1$")
    assert check_password_hash(hashed, "a long enough password")
