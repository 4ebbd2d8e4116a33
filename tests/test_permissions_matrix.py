"""Every role against every action on each kind of document, through pages and the API.

Another authority's internal document must be a 404 everywhere (never a 403 that leaks it).
"""

import io

import pytest

from clearinghouse.extensions import db
from clearinghouse.models import Document

DOCS = ("north_shared", "north_internal", "south_shared", "south_internal")
# Which documents each person may see, written out rather than derived.
VISIBLE = {
    "practitioner": {"north_shared", "north_internal", "south_shared"},
    "editor": {"north_shared", "north_internal", "south_shared"},
    "manager": {"north_shared", "north_internal", "south_shared"},
    "south_editor": {"north_shared", "south_shared", "south_internal"},
    "south_practitioner": {"north_shared", "south_shared", "south_internal"},
    "admin": {"north_shared", "south_shared"},
}
EDITABLE = {
    "editor": {"north_shared", "north_internal"},
    "south_editor": {"south_shared", "south_internal"},
}
UPLOADERS = {"editor", "south_editor"}
ADMINS = {"admin"}
PEOPLE = sorted(VISIBLE)


@pytest.fixture
def docs(users, make_document):
    made = {}
    for key in DOCS:
        authority, visibility = key.split("_")
        owner = users["editor" if authority == "north" else "south_editor"]
        version = make_document(owner, title=f"Doc {key}", visibility=visibility)
        made[key] = version.document_id
    return made


def _change_status(person: str, doc: str, ok: int) -> int:
    if doc in EDITABLE.get(person, set()):
        return ok
    return 403 if doc in VISIBLE[person] else 404


@pytest.mark.parametrize("person", PEOPLE)
def test_view_list_and_download(users, docs, login, api_headers, person):
    client = login(users[person])
    headers = api_headers(users[person])
    listed = client.get("/documents").get_data(as_text=True)
    api_listed = {
        d["title"] for d in client.get("/api/v1/documents", headers=headers).json["documents"]
    }
    for key, document_id in docs.items():
        expected = 200 if key in VISIBLE[person] else 404
        assert client.get(f"/documents/{document_id}").status_code == expected, key
        assert client.get(f"/documents/{document_id}/versions/1").status_code == expected, key
        download = client.get(f"/documents/{document_id}/versions/1/download")
        assert download.status_code == expected, key
        assert client.get(f"/api/v1/documents/{document_id}", headers=headers).status_code == (
            expected
        )
        api_file = client.get(f"/api/v1/documents/{document_id}/versions/1/file", headers=headers)
        assert api_file.status_code == expected, key
        assert (f"Doc {key}" in listed) == (key in VISIBLE[person]), key
        assert (f"Doc {key}" in api_listed) == (key in VISIBLE[person]), key


@pytest.mark.parametrize("person", PEOPLE)
def test_upload(users, login, api_headers, person):
    client = login(users[person])
    expected = 200 if person in UPLOADERS else 403
    assert client.get("/documents/new").status_code == expected
    response = client.post(
        "/api/v1/documents",
        data={
            "title": "New",
            "doc_type": "policy",
            "visibility": "internal",
            "file": (io.BytesIO(b"# New\n"), "new.md"),
        },
        headers=api_headers(users[person]),
        content_type="multipart/form-data",
    )
    assert response.status_code == (201 if person in UPLOADERS else 403)


@pytest.mark.parametrize("person", PEOPLE)
def test_new_version(users, docs, login, api_headers, person):
    client = login(users[person])
    for key, document_id in docs.items():
        page = client.get(f"/documents/{document_id}/versions/new")
        assert page.status_code == _change_status(person, key, 200), key
        response = client.post(
            f"/api/v1/documents/{document_id}/versions",
            data={"file": (io.BytesIO(b"# Two\n"), "two.md"), "change_note": "Second"},
            headers=api_headers(users[person]),
            content_type="multipart/form-data",
        )
        assert response.status_code == _change_status(person, key, 201), key


@pytest.mark.parametrize("person", PEOPLE)
def test_visibility(users, docs, login, person):
    client = login(users[person])
    for key, document_id in docs.items():
        same = key.split("_")[1]  # posting the current value changes nothing
        response = client.post(f"/documents/{document_id}/visibility", data={"visibility": same})
        assert response.status_code == _change_status(person, key, 302), key
        assert db.session.get(Document, document_id).visibility == same


@pytest.mark.parametrize("person", PEOPLE)
def test_withdraw(users, docs, login, api_headers, person):
    client = login(users[person])
    for key, document_id in docs.items():
        assert client.get(f"/documents/{document_id}/withdraw").status_code == _change_status(
            person, key, 200
        ), key
        if key not in EDITABLE.get(person, set()):
            assert client.post(f"/documents/{document_id}/withdraw").status_code in (403, 404)
            delete = client.delete(
                f"/api/v1/documents/{document_id}", headers=api_headers(users[person])
            )
            assert delete.status_code == _change_status(person, key, 204), key
            assert db.session.get(Document, document_id).deleted_at is None
    for key in EDITABLE.get(person, set()):
        assert client.post(f"/documents/{docs[key]}/withdraw").status_code == 302
        assert db.session.get(Document, docs[key]).deleted_at is not None


@pytest.mark.parametrize("person", PEOPLE)
def test_admin_pages(users, login, person):
    client = login(users[person])
    expected = 200 if person in ADMINS else 403
    for url in (
        "/admin",
        "/admin/authorities",
        "/admin/users",
        "/admin/users/new",
        "/admin/doc-types",
        "/admin/authorities/rename",
        "/admin/doc-types/rename",
    ):
        assert client.get(url).status_code == expected, url
    response = client.post("/admin/authorities", data={"name": "East", "slug": "east"})
    assert response.status_code == (302 if person in ADMINS else 403)
    for url, target in (
        ("/admin/authorities/rename", "north"),
        ("/admin/doc-types/rename", "policy"),
    ):
        response = client.post(url, data={"target": target, "name": "Renamed"})
        assert response.status_code == (302 if person in ADMINS else 403), url


def test_the_system_actor_may_do_what_the_commands_need_and_nothing_else(users, docs):
    from clearinghouse import permissions
    from clearinghouse.accounts import user_list
    from clearinghouse.errors import NotAuthorized
    from clearinghouse.permissions import SYSTEM

    assert permissions.can_create_authority(SYSTEM) and permissions.can_create_user(SYSTEM)
    assert permissions.can_read_templates(SYSTEM) and permissions.can_generate(SYSTEM)
    assert not permissions.can_read(SYSTEM)
    assert not permissions.can_manage_users(SYSTEM)
    assert not permissions.can_manage_authorities(SYSTEM)
    assert not permissions.can_upload_document(SYSTEM, users["editor"].authority_id)
    for document_id in docs.values():
        assert not permissions.can_view_document(SYSTEM, db.session.get(Document, document_id))
    with pytest.raises(NotAuthorized):
        user_list(SYSTEM)
    # A missing actor is no longer the system: it is refused like anyone signed out.
    assert not permissions.can_create_authority(None) and not permissions.can_create_user(None)


# The authority profile: everyone of an authority reads their own; its editors and site admins
# change it; another authority's is not found. (Admins name the authority: ?authority=north.)
PROFILE_READ = {
    "practitioner": 200,
    "editor": 200,
    "manager": 200,
    "south_editor": 404,
    "south_practitioner": 404,
    "admin": 200,
}
PROFILE_EDIT = PROFILE_READ | {"practitioner": 403, "manager": 403}


@pytest.mark.parametrize("person", PEOPLE)
def test_authority_profile(users, login, api_headers, person):
    client = login(users[person])
    headers = api_headers(users[person])
    query = "?authority=north"
    assert client.get(f"/authority/profile{query}").status_code == PROFILE_READ[person]
    assert client.get(f"/authority/profile/history{query}").status_code == PROFILE_READ[person]
    api = client.get(f"/api/v1/authority/profile{query}", headers=headers)
    assert api.status_code == PROFILE_READ[person]
    for page in ("service", "complaints", "solicitors", "solicitors/new", "logo"):
        url = f"/authority/profile/{page}{query}"
        assert client.get(url).status_code == PROFILE_EDIT[person], page
    changed = client.post(f"/authority/profile/service{query}", data={"name": "North"})
    assert changed.status_code == (302 if PROFILE_EDIT[person] == 200 else PROFILE_EDIT[person])
    put = client.put(
        f"/api/v1/authority/profile{query}", headers=headers, json={"profile": {"name": "N"}}
    )
    assert put.status_code == PROFILE_EDIT[person]
