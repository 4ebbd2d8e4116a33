"""Type names, tags and authority names are words search finds; ``type:`` takes the shown name.

``check-index`` compares the names; an index built before the names field existed keeps
working and is rebuilt.
"""

import pytest
from whoosh import fields, index

from clearinghouse import create_app
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
