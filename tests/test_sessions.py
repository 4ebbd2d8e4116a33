"""Sessions end for real: sign-out, a password change and deactivation end every copy of one."""

from factories import PASSWORD

from clearinghouse.accounts import user_set_active
from clearinghouse.extensions import db

NEW_PASSWORD = "a brand new passphrase"


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app, value):
    client = app.test_client()
    client.set_cookie("session", value)
    return client


def _signed_in(client) -> bool:
    return client.get("/documents").status_code == 200


def test_a_copied_cookie_stops_working_after_sign_out(app, users, login):
    client = login(users["editor"])
    copied = _cookie(client)
    assert _signed_in(_with_cookie(app, copied))
    assert client.post("/sign-out").status_code == 302
    replay = _with_cookie(app, copied).get("/documents")
    assert replay.status_code == 302 and "/sign-in" in replay.headers["Location"]


def test_signing_out_ends_the_other_sessions_too(users, login):
    laptop, phone = login(users["editor"]), login(users["editor"])
    laptop.post("/sign-out")
    assert not _signed_in(phone)
    assert _signed_in(login(users["editor"]))  # signing in again works


def test_password_change_ends_the_other_session_but_not_this_one(app, users, login, client):
    here, there = login(users["editor"]), login(users["editor"])
    response = here.post(
        "/account/password",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "new_again": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(there)
    refused = client.post("/sign-in", data={"email": users["editor"].email, "password": PASSWORD})
    assert refused.status_code == 401
    accepted = client.post(
        "/sign-in", data={"email": users["editor"].email, "password": NEW_PASSWORD}
    )
    assert accepted.status_code == 302


def test_password_change_needs_the_current_password(users, login):
    client = login(users["editor"])
    page = client.post(
        "/account/password",
        data={"current": "not my password", "new": NEW_PASSWORD, "new_again": NEW_PASSWORD},
    )
    assert page.status_code == 400
    assert "Your current password is not correct" in page.get_data(as_text=True)
    short = client.post(
        "/account/password", data={"current": PASSWORD, "new": "short", "new_again": "short"}
    )
    assert short.status_code == 422
    assert "at least 12 characters" in short.get_data(as_text=True)
    differ = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "new_again": NEW_PASSWORD + "x"},
    )
    assert differ.status_code == 400
    assert "The new passwords do not match" in differ.get_data(as_text=True)
    assert _signed_in(client)


def test_password_page_is_linked_from_every_page(users, login):
    html = login(users["practitioner"]).get("/").get_data(as_text=True)
    assert 'href="/account/password"' in html


def test_reactivating_a_user_does_not_revive_old_sessions(users, login):
    client = login(users["editor"])
    user_set_active(users["admin"], users["editor"].id, False)
    assert not _signed_in(client)
    user_set_active(users["admin"], users["editor"].id, True)
    assert not _signed_in(client)
    assert _signed_in(login(users["editor"]))


def test_a_session_without_a_version_is_refused(app, users, login):
    client = login(users["editor"])
    with client.session_transaction() as session:
        session.pop("_session_version")
    assert not _signed_in(client)


def test_session_version_is_counted_in_the_database(users, login):
    before = users["editor"].session_version
    login(users["editor"]).post("/sign-out")
    db.session.refresh(users["editor"])
    assert users["editor"].session_version == before + 1
