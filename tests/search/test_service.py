"""The search service over a real Whoosh index: permissions, following changes, language."""

import pytest

from clearinghouse.documents import service as documents
from clearinghouse.errors import InvalidInput
from clearinghouse.search.query import search_documents


def ids(page):
    return {r.document_id for r in page.results}


def test_finds_shared_and_own_documents(users, corpus):
    page = search_documents(users["practitioner"], "escalation")
    assert ids(page) == {corpus["north_internal"]}
    page = search_documents(users["south_practitioner"], "escalation")
    assert ids(page) == {corpus["south_internal"]}


def test_permission_filter_in_counts_snippets_and_suggestions(users, corpus):
    north = users["practitioner"]
    page = search_documents(north, "danger statements")
    assert ids(page) == {corpus["north_shared"]}
    assert page.total == 1
    assert page.facets["authority"] == {"north": 1}
    assert "quokkaroute" not in " ".join(r.snippet for r in page.results)
    # A word only in south's internal document is unknown to north: no hit, no leak.
    page = search_documents(north, "quokkaroute")
    assert page.total == 0 and page.results == []
    assert all(not counts for counts in page.facets.values())
    # A near spelling is never corrected towards a word north cannot see.
    page = search_documents(north, "quokkaroutes")
    assert page.total == 0
    assert page.suggestion is None or "quokka" not in page.suggestion
    # South sees its own word, and is offered it for a typo.
    page = search_documents(users["south_practitioner"], "quokaroute")
    assert page.suggestion == "quokkaroute"
    assert page.total == 1  # small typos are tolerated


def test_admin_without_authority_sees_only_shared(users, corpus):
    page = search_documents(users["admin"], "escalation")
    assert page.total == 0


def test_snippet_marks_matches_and_escapes_html(users, make_document):
    version = make_document(
        users["editor"],
        title="Escaping",
        data=b"# Escaping\n\n<script>x</script> safety plan\n",
        filename="e.md",
    )
    page = search_documents(users["practitioner"], "safety")
    hit = next(r for r in page.results if r.document_id == version.document_id)
    assert "<mark>safety</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_index_follows_new_version_visibility_and_withdrawal(users, corpus, docx_bytes):
    north, south = users["practitioner"], users["south_practitioner"]
    doc_id = corpus["north_internal"]
    assert search_documents(south, "zanzibar").total == 0
    documents.document_set_visibility(users["editor"], doc_id, "shared")
    assert ids(search_documents(south, "zanzibar")) == {doc_id}
    documents.version_add(
        users["editor"],
        doc_id,
        b"# Supervision\n\nNow about the wombatline.\n",
        "v2.md",
        "Rewritten",
    )
    assert ids(search_documents(south, "wombatline")) == {doc_id}
    assert search_documents(south, "zanzibar").total == 0  # only the current version
    documents.document_set_visibility(users["editor"], doc_id, "internal")
    assert search_documents(south, "wombatline").total == 0
    assert ids(search_documents(north, "wombatline")) == {doc_id}
    documents.document_delete(users["editor"], doc_id)
    assert search_documents(north, "wombatline").total == 0


def test_earlier_versions_when_asked(app, users, make_document):
    app.config["CLEARINGHOUSE"]["SEARCH_INDEX_VERSIONS"] = True
    version = make_document(
        users["editor"], title="Rotas", data=b"# Rotas\n\nkiwiword\n", filename="a.md"
    )
    documents.version_add(
        users["editor"], version.document_id, b"# Rotas\n\nlimeword\n", "b.md", "New"
    )
    north = users["practitioner"]
    assert search_documents(north, "kiwiword").total == 0
    page = search_documents(north, "kiwiword", versions="all")
    assert [(r.document_id, r.version, r.current) for r in page.results] == [
        (version.document_id, 1, False)
    ]
    assert search_documents(north, "limeword", versions="all").results[0].current


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("danger statement", {"north_shared"}),
        ('"danger statement"', {"north_shared"}),
        ('"statement danger"', set()),
        ("solicitor OR zanzibar", {"south_shared", "north_internal"}),
        ("escalation -zanzibar", set()),
        ("escalation NOT zanzibar", set()),
        ("title:letter", {"south_shared"}),
        ("letter", {"south_shared"}),
        ("authority:south", {"south_shared"}),
        ("type:supervision", {"north_internal"}),
        ("stage:pre-proceedings", {"south_shared"}),
        ("solicit*", {"south_shared"}),
        ("safetty", {"north_shared"}),
        ("Solicitors", {"south_shared"}),
        ('"unclosed phrase', set()),
        ("AND OR NOT", set()),
        ("((", set()),
        ("title:", set()),
        ("*", set()),
    ],
)
def test_query_language(users, corpus, query, expected):
    page = search_documents(users["practitioner"], query)
    assert ids(page) == {corpus[name] for name in expected}


def test_tags_accents_and_facet_filters(users, make_document):
    version = make_document(
        users["editor"],
        title="Café policy",
        tags=["Neglect", "Early"],
        data="# Café policy\n\nThe café naïve rôle.\n".encode(),
        filename="c.md",
    )
    north = users["practitioner"]
    assert ids(search_documents(north, "cafe naive")) == {version.document_id}
    assert ids(search_documents(north, "tag:neglect")) == {version.document_id}
    assert ids(search_documents(north, "cafe", doc_type="policy")) == {version.document_id}
    assert search_documents(north, "cafe", doc_type="procedure").total == 0
    page = search_documents(north, "", authority="north")
    assert version.document_id in ids(page)


def test_sort_and_pagination(users, make_document):
    made = [
        make_document(
            users["editor"],
            title=f"Rota {n}",
            data=f"# Rota {n}\n\nrota\n".encode(),
            filename="r.md",
        ).document_id
        for n in range(5)
    ]
    north = users["practitioner"]
    first = search_documents(north, "rota", sort="newest", per_page=2)
    assert first.total == 5 and first.pages == 3
    assert [r.document_id for r in first.results] == [made[4], made[3]]
    third = search_documents(north, "rota", sort="newest", per_page=2, page=3)
    assert [r.document_id for r in third.results] == [made[0]]


@pytest.mark.parametrize(
    "kwargs",
    [{"sort": "oldest"}, {"page": "0"}, {"per_page": "500"}, {"versions": "x"}, {"page": "two"}],
)
def test_bad_parameters_are_refused(users, kwargs):
    with pytest.raises(InvalidInput):
        search_documents(users["practitioner"], "rota", **kwargs)
