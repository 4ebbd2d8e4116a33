"""Restoring a withdrawn document: page, API, audit log, search index, who may."""

import pytest
from factories import PASSWORD
from flask import g

from clearinghouse.documents import service
from clearinghouse.errors import InvalidInput, NotAuthorized, NotFound
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent
from clearinghouse.search.query import search_documents


def _withdrawn(users, make_document, visibility="shared"):
    version = make_document(
        users["editor"],
        title="Wombat escalation policy",
        visibility=visibility,
        data=b"# Wombat escalation\n\nThe quillfeather route for managers.\n",
        filename="w.md",
    )
    service.document_delete(users["editor"], version.document_id)
    return version.document_id


def test_restore_through_the_pages(users, login, make_document):
    doc_id = _withdrawn(users, make_document)
    editor = login(users["editor"])
    assert editor.get(f"/documents/{doc_id}").status_code == 404
    listed = editor.get("/documents/withdrawn").get_data(as_text=True)
    assert "Wombat escalation policy" in listed and f"/documents/{doc_id}/restore" in listed
    page = editor.get(f"/documents/{doc_id}/restore")
    assert page.status_code == 200 and "Restore this document?" in page.get_data(as_text=True)
    response = editor.post(f"/documents/{doc_id}/restore")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/documents/{doc_id}")
    assert "has been restored" in editor.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Wombat" not in editor.get("/documents/withdrawn").get_data(as_text=True)
    assert login(users["south_practitioner"]).get(f"/documents/{doc_id}").status_code == 200
    # Restoring what is not withdrawn is harmless: back to the document.
    again = editor.get(f"/documents/{doc_id}/restore")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/documents/{doc_id}")


def _token(page: str) -> str:
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


@pytest.mark.app_settings(csrf=True)
def test_restore_needs_the_csrf_token(app, users, make_document):
    doc_id = _withdrawn(users, make_document)
    editor = app.test_client()
    sign_in = _token(editor.get("/sign-in").get_data(as_text=True))
    form = {"email": users["editor"].email, "password": PASSWORD, "csrf_token": sign_in}
    assert editor.post("/sign-in", data=form).status_code == 302
    assert editor.post(f"/documents/{doc_id}/restore").status_code == 400
    assert editor.get(f"/documents/{doc_id}").status_code == 404
    g.pop("csrf_token", None)  # the fixture's app context outlives requests: so would g's token
    token = _token(editor.get(f"/documents/{doc_id}/restore").get_data(as_text=True))
    response = editor.post(f"/documents/{doc_id}/restore", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert editor.get(f"/documents/{doc_id}").status_code == 200


def test_restore_is_audited_and_indexed_after_the_commit(users, make_document):
    doc_id = _withdrawn(users, make_document)
    south = users["south_practitioner"]
    assert search_documents(south, "quillfeather").total == 0
    restored = service.document_restore(users["editor"], doc_id)
    assert restored.withdrawn_at is None and restored.versions
    assert {r.document_id for r in search_documents(south, "quillfeather").results} == {doc_id}
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.object_id == str(doc_id))
    ).all()
    assert actions[-2:] == ["document_withdrawn", "document_restored"]
    with pytest.raises(InvalidInput) as refused:
        service.document_restore(users["editor"], doc_id)
    assert refused.value.code == "not_withdrawn" and refused.value.status == 409


def test_who_may_restore(users, make_document):
    doc_id = _withdrawn(users, make_document)
    for person in ("practitioner", "manager"):  # their authority's: they know it, may not
        with pytest.raises(NotAuthorized):
            service.document_restore(users[person], doc_id)
        with pytest.raises(NotAuthorized):
            service.withdrawn_list(users[person])
    for person in ("south_editor", "south_practitioner", "admin"):  # withdrawn: hidden
        with pytest.raises(NotFound):
            service.document_restore(users[person], doc_id)
    assert service.withdrawn_list(users["south_editor"]) == []
    assert [d.id for d in service.withdrawn_list(users["editor"])] == [doc_id]


def test_restore_through_the_api(client, users, api_headers, make_document):
    doc_id = _withdrawn(users, make_document, visibility="internal")
    url = f"/api/v1/documents/{doc_id}/restore"
    south = client.post(url, headers=api_headers(users["south_editor"]))
    assert south.status_code == 404 and south.json["error"]["code"] == "not_found"
    manager = client.post(url, headers=api_headers(users["manager"]))
    assert manager.status_code == 403 and manager.json["error"]["code"] == "forbidden"
    headers = api_headers(users["editor"])
    response = client.post(url, headers=headers)
    assert response.status_code == 200 and response.json["id"] == doc_id
    assert client.get(f"/api/v1/documents/{doc_id}", headers=headers).status_code == 200
    again = client.post(url, headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "not_withdrawn"
    spec = client.get("/api/v1/openapi.json", headers=headers).json
    assert "post" in spec["paths"]["/documents/{document_id}/restore"]
