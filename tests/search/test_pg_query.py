"""The translation of a parsed query into PostgreSQL: a field's tsvector is read once per OR.

Each ``@@`` reads a row's tsvector afresh, out of TOAST for a body; an abbreviation the
thesaurus expands to a word and two phrases read each candidate's body three times when its
words and phrases were tested one by one. The engine contract suite (test_engine_contract.py)
checks that the rows found are still the rows Whoosh finds; here, that the tests are merged,
and that a merged test finds what each of its parts finds, on a real PostgreSQL database.
"""

import pytest
from factories import make_authority, make_document, make_user
from sqlalchemy.dialects import postgresql
from whoosh import query as wq

from clearinghouse.search.pg_query import condition
from clearinghouse.search.query import search_documents

FIELDS = ("title", "body", "names")


def _everywhere(make) -> wq.Or:
    return wq.Or([make(field) for field in FIELDS])


def _sql(node) -> str:
    compiled = condition(node).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    return str(compiled)


def test_an_or_of_words_and_phrases_reads_each_field_once():
    expanded = wq.Or(
        [
            _everywhere(lambda f: wq.Term(f, "plo")),
            _everywhere(lambda f: wq.Phrase(f, ["pre", "proceed"])),
            _everywhere(lambda f: wq.Phrase(f, ["public", "law", "outlin"])),
        ]
    )
    sql = _sql(expanded)
    for field in FIELDS:
        assert sql.count(f"{field}_tsv @@") == 1, sql
    assert "''plo'' | (''pre'' <-> ''proceed'') | (''public'' <-> ''law'' <-> ''outlin'')" in sql
    # the body, the one read out of TOAST, is tested last: a title that matches spares it
    assert sql.index("body_tsv @@") > max(sql.index("title_tsv @@"), sql.index("names_tsv @@"))


def test_other_conditions_in_the_or_are_kept():
    node = wq.Or([wq.Term("body", "plan"), wq.Term("tags", "urgent"), wq.Term("body", "")])
    sql = _sql(node)
    assert sql.count("body_tsv @@") == 1
    assert "ANY (search_entry.tags)" in sql


@pytest.mark.app_settings(SEARCH_ENGINE="postgres")
def test_a_merged_test_finds_what_each_part_finds(app):
    make_authority("north")
    editor = make_user("editor", "north")
    texts = {
        "Word only": "the quokka visited",
        "Phrase only": "a safety plan was agreed",
        "Words apart": "the plan for safety",
        "Neither": "nothing to see",
    }
    for title, words in texts.items():
        make_document(editor, title=title, data=f"# Doc\n\n{words}\n".encode(), filename="a.md")
    page = search_documents(editor, 'quokka OR "safety plan"')
    assert {hit.title for hit in page.results} == {"Word only", "Phrase only"}
    assert page.total == 2
