"""Type names, tags and authority names are words search finds; ``type:`` takes the shown name.

Renaming a type or an authority re-indexes the documents it names; ``check-index`` compares
the names; an index built before the names field existed keeps working and is rebuilt.
"""

import pytest
from whoosh import fields, index

from clearinghouse import create_app
from clearinghouse.admin import renames
from clearinghouse.errors import InvalidInput, NotAuthorized
from clearinghouse.extensions import db
from clearinghouse.models import Document
from clearinghouse.search.check import index_check, index_repair
from clearinghouse.search.entries import document_entries
from clearinghouse.search.field_names import resolve
from clearinghouse.search.index import get_engine
from clearinghouse.search.query import search_documents
from clearinghouse.search.whoosh_schema import (
    current_dir,
    make_schema,
    new_dir,
    schema_outdated,
    swap_in,
)


def ids(page):
    return {r.document_id for r in page.results}


@pytest.fixture
def plan(users, make_document):
    """A north safety plan whose text names neither its type, its tag nor its authority."""
    return make_document(
        users["editor"],
        title="Our rules",
        doc_type="safety-plan",
        tags=["Neglect"],
        data=b"# Our rules\n\nNana collects the children from school.\n",
        filename="rules.md",
    ).document_id


@pytest.mark.parametrize(
    "query",
    ["safety plan", "Northshire", "neglect", "northshire rules", '"safety plan"', "SAFETY plan"],
)
def test_type_name_tags_and_authority_name_are_words(users, plan, query):
    assert ids(search_documents(users["south_practitioner"], query)) == {plan}


@pytest.mark.parametrize(
    "query",
    [
        'type:"Safety plan"',
        "type:Safety plan",
        "TYPE:SAFETY PLAN",
        "type:safety-plan",
        "type:safety plan nana",
        'authority:"Northshire County Council" rules',
        "authority:northshire county council rules",
        "authority:north rules",
    ],
)
def test_type_and_authority_take_the_shown_name(users, plan, make_document, query):
    make_document(users["editor"], title="Plan for supervision", doc_type="supervision")
    make_document(
        users["south_editor"], title="South rules", doc_type="safety-plan", visibility="internal"
    )
    assert ids(search_documents(users["practitioner"], query)) == {plan}


def test_shown_names_resolve_to_slugs():
    names = {
        "doc_type": {
            "plo-letter-before-proceedings": "PLO letter before proceedings",
            "plo-guidance-notes": "PLO letter before proceedings guidance notes",
            "policy": "Policy",
        },
        "authority": {"ashdown": "Ashdown County Council"},
    }
    assert resolve("type:PLO letter before proceedings", names) == (
        "type:plo-letter-before-proceedings"
    )
    assert resolve("type:PLO letter before proceedings guidance notes x", names) == (
        "type:plo-guidance-notes x"
    )
    assert resolve('type:"plo Letter  before proceedings" OR policy', names) == (
        "type:plo-letter-before-proceedings OR policy"
    )
    assert resolve("type:policy letter", names) == "type:policy letter"
    assert resolve("authority:Ashdown County Council -type:policy", names) == (
        "authority:ashdown -type:policy"
    )
    # A name not known is left as typed; so are operators after a name.
    assert resolve("type:leaflet", names) == "type:leaflet"
    assert resolve("type:Policy OR letter", names) == "type:policy OR letter"
    assert resolve("type: policy", names) == "type: policy"


def test_renaming_a_type_reindexes_its_documents(users, plan):
    north = users["practitioner"]
    done = renames.doc_type_rename(users["admin"], "safety-plan", "Family safety agreement")
    assert (done.old, done.new, done.documents) == ("Safety plan", "Family safety agreement", 1)
    assert ids(search_documents(north, "agreement")) == {plan}
    assert ids(search_documents(north, 'type:"family safety agreement"')) == {plan}
    assert search_documents(north, "safety plan").total == 0
    assert index_check().clean


def test_renaming_an_authority_reindexes_its_documents(users, plan, make_document):
    other = make_document(users["south_editor"], title="South rules").document_id
    done = renames.authority_rename(users["admin"], "north", "Northshire and Dales Council")
    assert done.documents == 1
    south = users["south_practitioner"]
    assert ids(search_documents(south, "dales")) == {plan}
    assert ids(search_documents(south, "authority:Northshire and Dales Council")) == {plan}
    assert ids(search_documents(south, "rules Northshire")) == {plan}
    assert search_documents(south, "rules county").total == 0  # the old name's word is gone
    assert other not in ids(search_documents(south, "dales"))
    assert index_check().clean


def test_renames_are_for_admins_and_need_a_name(users, plan):
    with pytest.raises(NotAuthorized):
        renames.authority_rename(users["editor"], "north", "Elsewhere")
    with pytest.raises(NotAuthorized):
        renames.doc_type_rename(users["manager"], "policy", "Policies")
    with pytest.raises(InvalidInput):
        renames.doc_type_rename(users["admin"], "policy", "   ")
    same = renames.doc_type_rename(users["admin"], "safety-plan", " Safety   plan ")
    assert same.documents == 0  # nothing changed, nothing re-indexed


def test_rename_pages(users, plan, login):
    admin = login(users["admin"])
    page = admin.get("/admin/doc-types").get_data(as_text=True)
    assert "/admin/doc-types/rename?target=safety-plan" in page
    form = admin.get("/admin/doc-types/rename?target=safety-plan").get_data(as_text=True)
    assert 'value="Safety plan"' in form and 'value="safety-plan" selected' in form
    data = {"target": "safety-plan", "name": "Family rules"}
    response = admin.post("/admin/doc-types/rename", data=data)
    assert response.status_code == 302
    assert "Family rules" in admin.get("/admin/doc-types").get_data(as_text=True)
    response = admin.post("/admin/authorities/rename", data={"target": "north", "name": ""})
    assert response.status_code == 400 and "Enter the new name" in response.get_data(as_text=True)
    response = admin.post("/admin/authorities/rename", data={"target": "nowhere", "name": "X"})
    assert response.status_code == 400
    assert "/admin/authorities/rename?target=north" in admin.get("/admin/authorities").get_data(
        as_text=True
    )
    response = admin.post("/admin/authorities/rename", data={"target": "north", "name": "Dales"})
    assert response.status_code == 302
    assert ids(search_documents(users["practitioner"], "family rules dales")) == {plan}
    assert login(users["editor"]).get("/admin/doc-types/rename").status_code == 403
    assert admin.get("/admin/authorities/rename").status_code == 200


def test_check_index_compares_the_names(users, plan, runner):
    stale = document_entries(db.session.get_one(Document, plan), False)[0]
    stale.authority_name = "An old name"
    get_engine().apply({plan: [stale]})
    report = index_check()
    assert report.differences == {plan: "version 1's type name, tags or authority name differ"}
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1 and "authority name differ" in result.output
    index_repair()
    assert index_check().clean


def _old_schema() -> fields.Schema:
    schema = make_schema()
    schema.remove("names")
    return schema


def test_an_index_built_before_names_keeps_working_then_is_rebuilt(app, users, make_document):
    root = get_engine().root
    folder = new_dir(root, "init")
    index.create_in(str(folder), _old_schema())
    swap_in(root, folder)
    assert schema_outdated(get_engine().open())
    # Updates still apply (without the field the index lacks), and searches answer.
    doc = make_document(users["editor"], title="Rota", doc_type="safety-plan").document_id
    assert ids(search_documents(users["practitioner"], "rota")) == {doc}
    assert search_documents(users["practitioner"], "safety plan").total == 0
    report = index_check()
    assert report.outdated and not report.clean
    # The next start rebuilds a small index with the new schema.
    restarted = create_app(dict(app.config["CLEARINGHOUSE"]))
    with restarted.app_context():
        assert not schema_outdated(get_engine().open())
        assert index_check().clean
        assert ids(search_documents(users["practitioner"], "safety plan")) == {doc}
        db.session.remove()
    assert current_dir(root) is not None


def test_check_index_repair_rebuilds_an_outdated_index(app, users, make_document, runner):
    make_document(users["editor"], title="Rota", doc_type="safety-plan")
    root = get_engine().root
    folder = new_dir(root, "init")
    index.create_in(str(folder), _old_schema())
    swap_in(root, folder)
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1 and "earlier version" in result.output
    result = runner.invoke(args=["check-index", "--repair"])
    assert result.exit_code == 0, result.output
    assert ids(search_documents(users["practitioner"], "safety plan"))


def test_a_rename_cannot_take_another_ones_name_or_short_name(users):
    from clearinghouse.admin import renames
    from clearinghouse.errors import Conflict

    admin = users["admin"]
    for name in ("North", "north", "Southborough Council", " SOUTH "):
        target = "south" if name.strip().lower().startswith("north") else "north"
        with pytest.raises(Conflict) as refused:
            renames.authority_rename(admin, target, name)
        assert refused.value.code == "name_taken"
    with pytest.raises(Conflict):
        renames.doc_type_rename(admin, "policy", "procedure")
    assert renames.authority_rename(admin, "north", "North").new == "North"  # its own short name
