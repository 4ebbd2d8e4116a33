"""Admin pages: authorities, users (create, deactivate, reactivate) and document types."""

from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, Authority, DocType, User


def test_authorities_list_and_create(users, login, make_document):
    make_document(users["editor"])
    client = login(users["admin"])
    page = client.get("/admin/authorities").get_data(as_text=True)
    assert "Northshire County Council" in page and "Southborough Council" in page
    response = client.post("/admin/authorities", data={"name": "Eastvale Council", "slug": "east"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Authority).where(Authority.slug == "east")).name == (
        "Eastvale Council"
    )
    response = client.post("/admin/authorities", data={"name": "Again", "slug": "east"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and 'href="#slug"' in page
    assert "already exists" in page and 'value="Again"' in page
    response = client.post("/admin/authorities", data={"name": "Bad", "slug": "Bad Slug!"})
    assert response.status_code == 422 and "lower-case letters" in response.get_data(as_text=True)


def test_create_user_then_they_can_sign_in(app, users, login):
    client = login(users["admin"])
    form = {
        "name": "New Editor",
        "email": "New.Editor@South.example",
        "role": "editor",
        "authority": "south",
        "password": "another long password",
        "password_again": "another long password",
    }
    assert client.post("/admin/users/new", data=form).status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "new.editor@south.example"))
    assert user.role == "editor" and user.authority.slug == "south"
    assert user.password_hash != form["password"]
    fresh = app.test_client()
    signed_in = fresh.post(
        "/sign-in", data={"email": "new.editor@south.example", "password": form["password"]}
    )
    assert signed_in.status_code == 302
    assert "New Editor" in client.get("/admin/users").get_data(as_text=True)


def test_create_user_refusals_keep_the_form(users, login):
    client = login(users["admin"])
    base = {
        "name": "Someone",
        "email": "someone@north.example",
        "role": "practitioner",
        "authority": "north",
        "password": "short",
        "password_again": "short",
    }
    response = client.post("/admin/users/new", data=base)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "at least 12 characters" in page and 'value="someone@north.example"' in page
    response = client.post(
        "/admin/users/new",
        data={**base, "authority": "", "password": "x" * 12, "password_again": "x" * 12},
    )
    assert response.status_code == 422
    assert "Choose the authority" in response.get_data(as_text=True)
    response = client.post("/admin/users/new", data={**base, "password_again": "different"})
    assert response.status_code == 400 and "do not match" in response.get_data(as_text=True)


def test_deactivate_and_reactivate(users, login):
    admin = login(users["admin"])
    editor = login(users["editor"])
    target = users["editor"].id
    assert admin.post(f"/admin/users/{target}/deactivate").status_code == 302
    assert db.session.get(User, target).active is False
    assert editor.get("/documents").status_code == 302  # signed out at once
    assert admin.post(f"/admin/users/{target}/reactivate").status_code == 302
    assert db.session.get(User, target).active is True
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"user_deactivated", "user_activated"} <= actions


def test_admin_cannot_deactivate_themself(users, login):
    admin = login(users["admin"])
    response = admin.post(f"/admin/users/{users['admin'].id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    assert db.session.get(User, users["admin"].id).active is True


def test_doc_types_list_and_add(users, login):
    client = login(users["admin"])
    assert "PLO letter before proceedings" in client.get("/admin/doc-types").get_data(as_text=True)
    form = {
        "label": "Family safety plan",
        "slug": "family-safety-plan",
        "stage": "child-protection",
    }
    assert client.post("/admin/doc-types", data=form).status_code == 302
    assert db.session.scalar(db.select(DocType).where(DocType.slug == "family-safety-plan"))
    editor = login(users["editor"])
    assert "Family safety plan" in editor.get("/documents/new").get_data(as_text=True)
    response = client.post("/admin/doc-types", data=form)
    assert response.status_code == 409


def test_only_admins_see_the_admin_link(users, login):
    assert 'href="/admin"' in login(users["admin"]).get("/").get_data(as_text=True)
    for role in ("practitioner", "editor", "manager"):
        assert 'href="/admin"' not in login(users[role]).get("/").get_data(as_text=True)
