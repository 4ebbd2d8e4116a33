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

from clearinghouse.search.pg_query import candidates, condition
from clearinghouse.search.query import search_documents

FIELDS = ("title", "body", "names")
# Rows enough to pass min_parallel_table_scan_size (8 MB of search_entry, TOAST aside), a
# safety plan in each.
FILLER_ROWS = """
INSERT INTO search_entry (document_id, version, current, visibility, owner_id, authority,
    doc_type, stage, tags, updated, title, names, stamp, title_tsv, body_tsv, names_tsv)
SELECT 100000 + n, 1, true, 'shared', 1, 'Filler', 'policy', 'policy', '{}', now(), 'Filler',
    repeat(md5(n::text), 12), 'filler', 'filler'::tsvector,
    to_tsvector('simple', 'a safeti plan ' || md5(n::text)), 'filler'::tsvector
FROM generate_series(1, 20000) AS n
"""


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


def _candidates_sql(node) -> tuple[str, bool]:
    found, again = candidates(node)
    compiled = found.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    return str(compiled), again


ALL_TEXT = "((search_entry.title_tsv || search_entry.body_tsv) || search_entry.names_tsv) @@"


def test_words_sought_everywhere_are_one_tsquery_of_all_the_text():
    """Asked field by field, the planner took one word from an index and read every row for
    the other; all three fields' index answers "safety goal" alone, exactly."""
    two_words = wq.And(
        [_everywhere(lambda f: wq.Term(f, "safeti")), _everywhere(lambda f: wq.Term(f, "goal"))]
    )
    sql, again = _candidates_sql(two_words)
    assert sql.count("@@") == 1 and ALL_TEXT in sql, sql
    assert "((''safeti'') & (''goal''))" in sql
    assert not again
    phrase = _everywhere(lambda f: wq.Phrase(f, ["safeti", "plan"]))
    sql, again = _candidates_sql(wq.Or([phrase, _everywhere(lambda f: wq.Term(f, "plo"))]))
    assert ALL_TEXT in sql and "(''safeti'' & ''plan'') | ''plo''" in sql, sql
    assert again  # the phrase's words may stand apart or in two fields: rechecked


def test_other_shapes_keep_their_fields():
    in_title = wq.Term("title", "goal")
    near = _everywhere(lambda f: wq.Phrase(f, ["safeti", "plan"], slop=3))  # not rechecked
    some_fields = wq.Or([wq.Term("title", "goal"), wq.Term("body", "goal")])
    for node in (in_title, near, some_fields):
        sql, _again = _candidates_sql(node)
        assert ALL_TEXT not in sql, sql
    # a part that qualifies still does, beside one that does not, or a negation
    mixed = wq.And([_everywhere(lambda f: wq.Term(f, "plan")), in_title])
    sql, again = _candidates_sql(mixed)
    assert f"{ALL_TEXT} CAST('(''plan'')'" in sql, sql
    assert "title_tsv @@ CAST('''goal'''" in sql, sql
    assert not again
    negated = wq.AndNot(_everywhere(lambda f: wq.Term(f, "plan")), wq.Term("body", "draft"))
    sql, again = _candidates_sql(negated)
    assert ALL_TEXT in sql and "draft" not in sql and again


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
    page = search_documents(editor, "safety plan")  # all three fields' index, exact
    assert {hit.title for hit in page.results} == {"Phrase only", "Words apart"}
    page = search_documents(editor, "visited plan")  # one word in each of two documents
    assert page.total == 0


# Words enough in each field that reading them all costs more than reading a range.
LEXICON_FILLER = """
INSERT INTO search_term (field, term)
SELECT field, md5(n::text) FROM unnest(ARRAY['title', 'body', 'names']) AS field,
    generate_series(1, 5000) AS n
"""


def _plan_nodes(node, under_gather=False):
    """Yield (plan node, whether a Gather is above it) for a plan and every node below."""
    yield node, under_gather
    below = under_gather or node["Node Type"].startswith("Gather")
    for child in node.get("Plans", []):
        yield from _plan_nodes(child, below)


@pytest.mark.app_settings(SEARCH_ENGINE="postgres")
def test_a_phrase_is_tested_and_ranked_in_parallel_after_the_filters(app):
    """Reading word lists is a search's cost: the workers share it, and only on filtered rows.

    Under the subquery fence this replaced, the phrase was tested and ranked above the
    Gather, by the backend alone.
    """
    from sqlalchemy import event, text

    from clearinghouse.extensions import db
    from clearinghouse.search.pg_engine import PLAN_SETTINGS

    make_authority("north")
    editor = make_user("editor", "north")
    for title, words in {"Plan": "a safety plan was agreed", "Apart": "plan for safety"}.items():
        make_document(editor, title=title, data=f"# Doc\n\n{words}\n".encode(), filename="a.md")
    seen = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if "json_agg" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        page = search_documents(editor, '"safety plan"')
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    assert [hit.title for hit in page.results] == ["Plan"]
    statement, parameters = seen[-1]
    db.session.rollback()
    db.session.execute(text(FILLER_ROWS))
    db.session.execute(text("ANALYZE search_entry"))
    for name, value in PLAN_SETTINGS.items():
        db.session.execute(text(f"SET LOCAL {name} = {value}"))
    connection = db.session.connection()
    explained = connection.exec_driver_sql(
        "EXPLAIN (VERBOSE, FORMAT JSON) " + statement, parameters
    ).scalar()
    db.session.rollback()
    nodes = list(_plan_nodes(explained[0]["Plan"]))
    for node, _ in nodes:
        for key in ("Index Cond", "Recheck Cond"):
            assert "<->" not in node.get(key, ""), f"a phrase tested by an index: {node}"
    tested = [(node, below) for node, below in nodes if "<->" in node.get("Filter", "")]
    assert tested and all(below for _, below in tested), nodes
    for node, _ in tested:
        assert node["Filter"].index("CASE WHEN") < node["Filter"].index("<->")
        assert any("ts_rank" in column for column in node.get("Output", []))


@pytest.mark.app_settings(SEARCH_ENGINE="postgres")
def test_a_prefix_is_read_as_a_range_of_the_lexicon(app):
    """A prefix and "Did you mean" look words up by their first letters, never every word."""
    from sqlalchemy import event, text

    from clearinghouse.extensions import db
    from clearinghouse.search.pg_engine import PLAN_SETTINGS

    make_authority("north")
    editor = make_user("editor", "north")
    words = "placement placing planning plaice playground"
    make_document(editor, title="Plans", data=f"# Doc\n\n{words}\n".encode(), filename="a.md")
    seen = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if "FROM search_term" in statement and "LIKE" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        assert search_documents(editor, "plac*").total == 1
        assert search_documents(editor, "plaicement").suggestion == "placement"
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    assert len(seen) >= 2
    for statement, parameters in seen:
        db.session.rollback()
        db.session.execute(text(LEXICON_FILLER))  # a lexicon's size, so the plan is a real one
        db.session.execute(text("ANALYZE search_term"))
        for name, value in PLAN_SETTINGS.items():
            db.session.execute(text(f"SET LOCAL {name} = {value}"))
        plan = "\n".join(
            db.session.connection().exec_driver_sql("EXPLAIN " + statement, parameters).scalars()
        )
        assert "ix_search_term_prefix" in plan and "~>=~" in plan, plan
    db.session.rollback()
