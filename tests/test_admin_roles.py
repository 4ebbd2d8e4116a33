"""An admin changes a user's role and authority; the last active admin keeps the role."""

import pytest
from factories import make_user

from clearinghouse import accounts
from clearinghouse.errors import InvalidInput, NotAuthorized
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, User


def _role_events():
    query = db.select(AuditEvent).where(AuditEvent.action == "role_changed")
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def test_change_role_records_from_and_to(app, users, authorities):
    target = users["practitioner"]
    assert accounts.user_change_role(users["admin"], target.id, "editor", "north") is True
    assert db.session.get(User, target.id).role == "editor"
    (event,) = _role_events()
    assert event.detail == {"from": "practitioner", "to": "editor"}
    assert event.user_id == users["admin"].id and event.authority_id == authorities["north"].id
    assert accounts.user_change_role(users["admin"], target.id, "editor", "north") is False
    assert len(_role_events()) == 1  # nothing changed, nothing recorded
    accounts.user_change_role(users["admin"], target.id, "manager", "south")
    moved = _role_events()[-1]
    assert moved.detail == {
        "from": "editor",
        "to": "manager",
        "authority_from": "north",
        "authority_to": "south",
    }
    assert moved.authority_id == authorities["south"].id


def test_change_role_refusals(app, users):
    admin = users["admin"]
    target = users["editor"].id
    with pytest.raises(NotAuthorized):
        accounts.user_change_role(users["manager"], target, "manager", "north")
    for role, authority, code in [
        ("boss", "north", "invalid_role"),
        ("editor", None, "authority_required"),
        ("editor", "nowhere", "unknown_authority"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            accounts.user_change_role(admin, target, role, authority)
        assert caught.value.code == code
    accounts.user_change_role(admin, target, "admin", None)  # admins need no authority
    assert db.session.get(User, target).authority_id is None


def test_the_last_active_admin_cannot_step_down(app, users):
    admin = users["admin"]
    with pytest.raises(InvalidInput) as caught:
        accounts.user_change_role(admin, admin.id, "manager", "north")
    assert caught.value.code == "last_admin"
    other = make_user("admin", None, email="second@example.org")
    accounts.user_change_role(admin, admin.id, "manager", "north")  # another admin remains
    assert db.session.get(User, admin.id).role == "manager"
    with pytest.raises(InvalidInput):
        accounts.user_change_role(other, other.id, "editor", "north")


def test_role_pages(users, login):
    client = login(users["admin"])
    target = users["practitioner"]
    page = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert target.email in page and "Change<span" in page
    assert f"/admin/users/{target.id}" in client.get("/admin/users").get_data(as_text=True)
    form = client.get(f"/admin/users/{target.id}/role").get_data(as_text=True)
    assert 'value="practitioner" checked' in form
    response = client.post(
        f"/admin/users/{target.id}/role", data={"role": "editor", "authority": "north"}
    )
    assert response.status_code == 302
    assert "is now editor" in client.get(response.headers["Location"]).get_data(as_text=True)
    data = {"role": "editor", "authority": ""}
    response = client.post(f"/admin/users/{target.id}/role", data=data)
    assert response.status_code == 422
    assert "Choose the authority" in response.get_data(as_text=True)
    response = client.post(
        f"/admin/users/{users['admin'].id}/role", data={"role": "editor", "authority": "north"}
    )
    assert response.status_code == 422 and "only active site administrator" in (
        response.get_data(as_text=True)
    )
    assert client.get("/admin/users/99999").status_code == 404
    assert client.post("/admin/users/99999/role", data={"role": "editor"}).status_code == 404


def test_an_admin_who_steps_down_goes_home(users, login):
    make_user("admin", None, email="second@example.org")
    client = login(users["admin"])
    data = {"role": "manager", "authority": "north"}
    response = client.post(f"/admin/users/{users['admin'].id}/role", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_role_pages_refuse_other_roles(users, login):
    target = users["practitioner"].id
    for person in ("practitioner", "editor", "manager"):
        client = login(users[person])
        assert client.get(f"/admin/users/{target}").status_code == 403
        response = client.post(
            f"/admin/users/{target}/role", data={"role": "admin", "authority": ""}
        )
        assert response.status_code == 403
        assert client.post(f"/admin/users/{target}/password-link").status_code == 403
    assert db.session.get(User, target).role == "practitioner"
