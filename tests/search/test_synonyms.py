"""Synonyms and abbreviations of the field expand a query; the words typed count a little more."""

import pytest
from sqlalchemy import select
from whoosh import query as wq

from clearinghouse import thesaurus
from clearinghouse.extensions import db
from clearinghouse.models import User
from clearinghouse.search import synonyms
from clearinghouse.search import whoosh_query as wqy
from clearinghouse.search.query import search_documents
from clearinghouse.search.whoosh_schema import TEXT_FIELDS, make_schema

TABLE = synonyms.synonym_table(
    [["PLO letter", "letter before proceedings"], ["CIN", "child in need"], ["s47", "section 47"]]
)


def titles(page):
    return [r.title for r in page.results]


def expanded(text: str) -> wq.Query:
    parsed, _plain = wqy.parse(text, make_schema())
    return synonyms.expand(parsed, TEXT_FIELDS, TABLE)


@pytest.fixture
def letters(users, make_document):
    """Two letters in other words than the query's, a document in the query's words, and chaff."""

    def md(title, text):
        return make_document(
            users["editor"], title=title, data=f"# {title}\n\n{text}\n".encode(), filename="d.md"
        ).document_id

    return {
        "formal": md("Formal notice", "This letter before proceedings goes to each parent."),
        "typed": md("Our PLO letter", "The PLO letter in plain words."),
        "other": md("Other letter", "A letter about school holidays."),
        "need": md("Support plans", "Each child in need has a plan."),
    }


def test_a_synonym_finds_documents_in_other_words(users, letters):
    north = users["practitioner"]
    page = search_documents(north, "PLO letter")
    assert titles(page)[:2] == ["Our PLO letter", "Formal notice"]  # the typed words first
    assert page.total == 2
    assert search_documents(north, "PLO letter", synonyms=False).total == 1
    assert titles(search_documents(north, "CIN")) == ["Support plans"]
    assert "<mark>child</mark>" in search_documents(north, "CIN").results[0].snippet


def test_a_phrase_of_the_thesaurus_keeps_its_words_own_synonyms(users, letters):
    # "CIN plan" is a phrase of the thesaurus; the document says "child in need ... a plan".
    north = users["practitioner"]
    assert ("cin", "plan") in synonyms.practice_table().alternatives
    assert titles(search_documents(north, "CIN plan")) == ["Support plans"]
    assert titles(search_documents(north, "plan CIN")) == ["Support plans"]


def test_quoted_words_fields_and_not_stay_as_typed(users, letters):
    north = users["practitioner"]
    assert titles(search_documents(north, '"PLO letter"')) == ["Our PLO letter"]
    assert titles(search_documents(north, '"CIN"')) == []
    assert titles(search_documents(north, "title:CIN")) == []
    assert search_documents(north, "plans -CIN").total == 1  # NOT leaves out the word only


def test_expansion_shapes():
    assert expanded("letter") == wqy.parse("letter", make_schema())[0]  # no synonym: unchanged
    q = expanded("the PLO letter x")
    assert isinstance(q, wq.And) and len(q.subqueries) == 2
    alternatives = q.subqueries[0]
    assert isinstance(alternatives, wq.Or)
    exact = alternatives.subqueries[0]
    assert {leaf.boost for leaf in exact.leaves()} == {
        f * synonyms.EXACT_BOOST for f in (3.0, 1.0, 2.0)
    }
    phrase = alternatives.subqueries[1].subqueries[1]
    assert phrase == wq.Phrase("body", ["letter", "befor", "proceed"])
    # Each word of an OR, and a word alone, is expanded; a longer match wins over a shorter.
    assert "s47" in str(expanded("(section 47) OR CIN")) and "need" in str(expanded("CIN OR x"))
    assert '"section 47"' in str(expanded("s47"))


def test_the_practice_thesaurus_has_the_issues_groups():
    table = synonyms.practice_table().alternatives
    for a, b in [
        ("PLO", "pre-proceedings"),
        ("PLO letter", "letter before proceedings"),
        ("s47", "section 47 enquiry"),
        ("ICPC", "initial child protection conference"),
        ("RCPC", "review child protection conference"),
        ("CP", "child protection"),
        ("CIN", "child in need"),
        ("LAC", "CLA"),
        ("LAC", "child looked after"),
        ("FGC", "family network meeting"),
        ("MASH", "multi-agency safeguarding hub"),
        ("LADO", "local authority designated officer"),
        ("EHA", "early help assessment"),
    ]:
        stems = tuple(wqy.analyze(a)), tuple(wqy.analyze(b))
        assert stems[1] in table[stems[0]], (a, b)
    words = synonyms.vocabulary_words()
    assert {"section", "plo", "looked", "conference"} <= words
    assert all(len(group) >= 2 for group in thesaurus.synonym_groups())


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def test_issue_examples_on_the_demo(demo, users, make_document):
    """'PLO letter' finds both letters before proceedings (tagged plo) first; 'section 47' is
    not corrected to 'session 47'."""
    sessions = make_document(
        users["editor"],
        title="Training",
        data=b"# Training\n\nSession 47 is on Tuesday.\n",
        filename="t.md",
    )
    asker = db.session.scalar(select(User).where(User.email == "practitioner@brackwater.example"))
    page = search_documents(asker, "PLO letter")
    top = [(r.authority, r.title) for r in page.results[:2]]
    assert sorted(top) == [
        ("ashdown", "Letter before proceedings"),
        ("fernmouth", "Letter before proceedings"),
    ]
    page = search_documents(asker, "section 47")
    assert page.suggestion is None
    assert sessions.document_id not in {r.document_id for r in page.results}
