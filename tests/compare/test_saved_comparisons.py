"""Saved comparisons: a manager names a comparison (documents, versions, pairs) and everyone in
their authority, and nobody else, can open it."""

import logging
from html import unescape

import compare_pages
import pytest
from factories import make_user, make_version
from flask_migrate import upgrade
from sqlalchemy import inspect

from clearinghouse import create_app
from clearinghouse.compare import saved, service
from clearinghouse.documents.service import document_set_visibility
from clearinghouse.errors import InvalidInput, NotAuthorized, NotFound
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, SavedComparison

letters = compare_pages.letters  # fixtures shared by the compare page tests


def _save(client, letters, name="Letters: north and south", pairs="2:1,3:2", **extra):
    data = {
        "name": name,
        "first": str(letters["north"]),
        "second": str(letters["south"]),
        "pairs": pairs,
        **extra,
    }
    return client.post("/compare/saved", data=data)


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_manager_saves_a_comparison_with_its_pairs(users, login, letters):
    client = login(users["manager"])
    page = _text(client.get(f"/compare/result?first={letters['north']}&second={letters['south']}"))
    assert "Save this comparison" in page and 'action="/compare/saved"' in page
    assert f'name="first" type="hidden" value="{letters["north"]}@1"' in page  # pinned version
    response = _save(client, letters, pairs=" 3:2 , 2:1 ")
    assert response.status_code == 302
    row = db.session.scalars(db.select(SavedComparison)).one()
    assert response.headers["Location"] == f"/compare/saved/{row.id}"
    assert (row.name, row.pairs) == ("Letters: north and south", "2:1,3:2")
    assert (row.left_document_id, row.left_version) == (letters["north"], 1)
    assert (row.right_document_id, row.right_version) == (letters["south"], 1)
    assert row.authority_id == users["manager"].authority_id
    assert row.created_by_id == users["manager"].id
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action.like("comparison%")))
    assert [(e.action, e.object_id) for e in event] == [("comparison_saved", str(row.id))]
    page = _text(client.get(response.headers["Location"]))
    assert "Comparison saved as “Letters: north and south”." in page
    assert "Saved comparison" in page and '<h1 class="govuk-heading-l">Letters: north' in page
    assert "Everyone in Northshire County Council" in page
    assert f"http://localhost/compare/saved/{row.id}" in page
    assert page.count("Paired by you") >= 2
    assert '<input type="hidden" name="pairs" value="2:1,3:2">' in page  # re-pairing goes on


def test_everyone_in_the_authority_opens_it_nobody_else(users, login, letters):
    info = saved.comparison_save(
        users["manager"], "Ours", str(letters["north"]), str(letters["south"]), "2:1"
    )
    url = f"/compare/saved/{info.id}"
    for person in ("practitioner", "editor", "manager"):
        page = _text(login(users[person]).get(url))
        assert "Ours" in page and "Paired by you" in page, person
    for person in ("south_editor", "south_practitioner", "admin"):
        response = login(users[person]).get(url)
        assert response.status_code == 404, person
        assert "Ours" not in _text(response)
    for bad in ("/compare/saved/999", "/compare/saved/0", "/compare/saved/99999999999999"):
        assert login(users["manager"]).get(bad).status_code == 404


def test_only_managers_save(users, login, letters):
    for person in ("practitioner", "editor", "south_editor", "admin"):
        client = login(users[person])
        assert _save(client, letters).status_code == 403, person
        page = _text(
            client.get(f"/compare/result?first={letters['north']}&second={letters['south']}")
        )
        assert "Save this comparison" not in page, person
    assert db.session.scalars(db.select(SavedComparison)).all() == []
    with pytest.raises(NotAuthorized):
        saved.comparison_save(users["practitioner"], "x", str(letters["north"]), "1")


@pytest.mark.parametrize(
    "change, status, message",
    [
        ({"name": ""}, 400, "Enter a name for the comparison"),
        ({"name": "   "}, 400, "Enter a name for the comparison"),
        ({"name": "x" * 121}, 400, "The name must be 120 characters or fewer."),
        ({"pairs": "2:1,banana"}, 400, None),  # the service's own message
        ({"pairs": "1:" * 3000}, 400, "The pairs must be 4000 characters or fewer."),
        ({"first": "nonsense"}, 422, "must be a document number"),
        ({"pairs": "99:1"}, 400, "There is no left section 99"),
        ({"second": "{north}", "pairs": "1:1"}, 400, "Two versions of one document are paired"),
    ],
)
def test_bad_saves_are_explained(users, login, letters, change, status, message):
    if message is None:
        with pytest.raises(InvalidInput) as refused:
            service.parse_pairs(change["pairs"])
        message = refused.value.message
    client = login(users["manager"])
    response = client.post(
        "/compare/saved",
        data={
            "name": "Ours",
            "first": str(letters["north"]),
            "second": str(letters["south"]),
            "pairs": "",
            **{k: v.replace("{north}", str(letters["north"])) for k, v in change.items()},
        },
    )
    page = _text(response)
    assert response.status_code == status, page[-2000:]
    assert message in page and "There is a problem" in page
    assert db.session.scalars(db.select(SavedComparison)).all() == []


def test_a_document_one_cannot_see_cannot_be_saved(users, login, letters, make_document):
    hidden = make_document(users["south_editor"], title="South internal", visibility="internal")
    client = login(users["manager"])
    response = _save(client, {"north": letters["north"], "south": hidden.document_id})
    assert response.status_code == 404
    with pytest.raises(NotFound):
        saved.comparison_save(users["manager"], "x", f"{letters['north']}@7", str(letters["south"]))


def test_a_saved_comparison_keeps_its_versions(users, login, letters, md):
    info = saved.comparison_save(
        users["manager"], "Ours", str(letters["north"]), str(letters["south"])
    )
    make_version(users["editor"], letters["north"], md([("New", ["Text"])]), "n.md")
    page = _text(login(users["practitioner"]).get(f"/compare/saved/{info.id}"))
    assert "version 1 (the latest is version 2)" in page
    assert "Paired by you" not in page  # saved without pairs: the automatic pairing


def test_a_document_made_internal_later_is_not_found(users, login, letters):
    info = saved.comparison_save(
        users["manager"], "Ours", str(letters["north"]), str(letters["south"])
    )
    document_set_visibility(users["south_editor"], letters["south"], "internal")
    assert login(users["practitioner"]).get(f"/compare/saved/{info.id}").status_code == 404
    page = _text(login(users["practitioner"]).get("/compare/saved"))
    assert "Ours" in page and "a document you cannot see now" in page
    assert "South letter before proceedings" not in page


def test_the_list_shows_the_authoritys_own(users, login, letters):
    empty = _text(login(users["manager"]).get("/compare/saved"))
    assert "Nobody in your authority has saved a comparison yet." in empty
    assert "compare two documents</a>, then use “Save this comparison”" in empty
    saved.comparison_save(users["manager"], "North's", str(letters["north"]), str(letters["south"]))
    south_manager = make_user("manager", "south", name="South manager")
    saved.comparison_save(south_manager, "South's", str(letters["south"]), str(letters["north"]))
    page = _text(login(users["practitioner"]).get("/compare/saved"))
    assert "North's" in page and "South's" not in page
    assert "Managers in your authority can save comparisons." in page
    assert "North letter before proceedings and South letter before proceedings" in page
    page = _text(login(users["admin"]).get("/compare/saved"))
    assert "You are not in one" in page and "North's" not in page
    page = _text(login(users["south_editor"]).get("/compare/saved"))
    assert "South's" in page and "North's" not in page
    assert "Comparisons saved in your authority" in _text(login(users["manager"]).get("/compare"))


def test_managers_delete_their_authoritys_saved_comparisons(users, login, letters):
    info = saved.comparison_save(
        users["manager"], "Ours", str(letters["north"]), str(letters["south"])
    )
    url = f"/compare/saved/{info.id}/delete"
    assert login(users["practitioner"]).post(url).status_code == 403
    assert "Delete this saved comparison" not in _text(
        login(users["practitioner"]).get(f"/compare/saved/{info.id}")
    )
    south_manager = make_user("manager", "south", name="South manager")
    assert login(south_manager).post(url).status_code == 404
    client = login(users["manager"])
    assert "Delete this saved comparison" in _text(client.get(f"/compare/saved/{info.id}"))
    response = client.post(url)
    assert response.status_code == 302 and response.headers["Location"] == "/compare/saved"
    assert "Deleted the saved comparison “Ours”." in _text(client.get("/compare/saved"))
    assert client.get(f"/compare/saved/{info.id}").status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # migrations/env.py get_engine
def test_the_migration_makes_the_table_the_model_describes(tmp_path):
    app = create_app({"ENV": "testing", "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    generation_log = logging.getLogger("clearinghouse.generation.service")
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        columns = {c["name"] for c in inspect(db.engine).get_columns("saved_comparison")}
        db.engine.dispose()
    assert columns == {c.name for c in SavedComparison.__table__.columns}
    # Migrations run in the app's process; their logging set-up must not silence its loggers.
    assert not generation_log.disabled
