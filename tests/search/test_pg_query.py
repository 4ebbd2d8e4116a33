"""The translation of a parsed query into PostgreSQL: a field's tsvector is read once per OR.

Each ``@@`` reads a row's tsvector afresh, a body's out of TOAST; an abbreviation the
thesaurus expands to a word and two phrases read each candidate's body three times when its
words and phrases were tested one by one. The engine contract suite (test_engine_contract.py)
checks that the rows found are still the rows Whoosh finds; here, that the tests are merged,
and that a merged test finds what each of its parts finds, on a real PostgreSQL database.
"""

from contextlib import contextmanager

import pytest
from factories import make_authority, make_document, make_user, make_version
from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql
from whoosh import query as wq

from clearinghouse.search.pg_plan import PLAN_SETTINGS, SEARCH_SETTINGS, set_for_transaction
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
FROM generate_series(1, 20000) AS n;
INSERT INTO search_body (document_id, version, body_tsv)
SELECT document_id, version, body_tsv FROM search_entry WHERE document_id > 100000
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


@contextmanager
def _statements(wanted):
    """Collect (statement, parameters) of the statements run inside that ``wanted`` picks."""
    from clearinghouse.extensions import db

    seen = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if wanted(statement):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)


def _explain(statement, parameters, filler: str, table: str, settings: dict, how: str = ""):
    """Return the plan of a statement captured from a search, over filler rows, rolled back.

    The filler gives the table a real size, so the plan is the one a large instance gets.
    """
    from clearinghouse.extensions import db

    db.session.rollback()
    db.session.execute(text(filler))
    db.session.execute(text(f"ANALYZE {table}"))
    set_for_transaction(db.session, settings)
    explained = db.session.connection().exec_driver_sql(f"EXPLAIN {how} {statement}", parameters)
    plan = explained.scalar() if "JSON" in how else "\n".join(explained.scalars())
    db.session.rollback()
    return plan


@pytest.mark.app_settings(SEARCH_ENGINE="postgres")
def test_a_phrase_is_tested_and_ranked_in_parallel_after_the_filters(app):
    """Reading word lists is a search's cost: the workers share it, and only on filtered rows.

    Under the subquery fence this replaced, the phrase was tested and ranked above the
    Gather, by the backend alone.
    """
    make_authority("north")
    editor = make_user("editor", "north")
    for title, words in {"Plan": "a safety plan was agreed", "Apart": "plan for safety"}.items():
        make_document(editor, title=title, data=f"# Doc\n\n{words}\n".encode(), filename="a.md")
    with _statements(lambda statement: "json_agg" in statement) as seen:
        page = search_documents(editor, '"safety plan"')
    assert [hit.title for hit in page.results] == ["Plan"]
    statement, parameters = seen[-1]
    explained = _explain(
        statement,
        parameters,
        FILLER_ROWS,
        "search_entry, search_body",
        PLAN_SETTINGS,
        "(VERBOSE, FORMAT JSON)",
    )
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
def test_only_the_statement_of_the_matches_is_planned_for_workers_and_its_words(app):
    """Its settings, and the search's, are put back right after it, in one statement.

    Only its plan depends on the words. Planned afresh on every search, with workers free to
    start, the dozen small lookups around it would pay for planning each time, and could
    start workers to read a few rows.
    """
    from clearinghouse.extensions import db

    make_authority("north")
    editor = make_user("editor", "north")
    make_document(editor, title="Plan", data=b"# Doc\n\nsafety plan\n", filename="a.md")
    read = text("SELECT " + ", ".join(f"current_setting('{name}')" for name in PLAN_SETTINGS))
    before = db.session.execute(read).one()
    within = []

    def settings_then(conn, cursor, statement, parameters, context, executemany):
        if "set_config" not in statement and "current_setting" not in statement:
            row = conn.exec_driver_sql(read.text).one()
            within.append(("json_agg" in statement, dict(zip(PLAN_SETTINGS, row, strict=True))))

    event.listen(db.engine, "before_cursor_execute", settings_then)
    try:
        assert search_documents(editor, "safety plan").total == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", settings_then)
    assert db.session.execute(read).one() == before  # put back within the same transaction
    matches = [settings for is_matches, settings in within if is_matches]
    first_after = [is_matches for is_matches, _ in within].index(True) + 1
    outside = dict(zip(PLAN_SETTINGS, before, strict=True))
    assert within[first_after:] and all(s == outside for _, s in within[first_after:])
    lookups = [settings for is_matches, settings in within if not is_matches]
    assert len(matches) == 1 and lookups
    assert matches[0] == PLAN_SETTINGS
    for settings in lookups:
        if settings["enable_seqscan"] == "off":  # within the search, not before or after it
            assert settings["plan_cache_mode"] == "auto" and settings["parallel_setup_cost"] != "0"


@pytest.mark.app_settings(SEARCH_ENGINE="postgres")
def test_a_prefix_is_read_as_a_range_of_the_lexicon(app):
    """A prefix and "Did you mean" look words up by their first letters, never every word."""
    make_authority("north")
    editor = make_user("editor", "north")
    words = "placement placing planning plaice playground"
    make_document(editor, title="Plans", data=f"# Doc\n\n{words}\n".encode(), filename="a.md")
    looked_up = lambda statement: "FROM search_term" in statement and "LIKE" in statement  # noqa: E731
    with _statements(looked_up) as seen:
        assert search_documents(editor, "plac*").total == 1
        assert search_documents(editor, "plaicement").suggestion == "placement"
    assert len(seen) >= 2
    for statement, parameters in seen:
        plan = _explain(statement, parameters, LEXICON_FILLER, "search_term", SEARCH_SETTINGS)
        assert "ix_search_term_prefix" in plan and "~>=~" in plan, plan


@pytest.mark.app_settings(SEARCH_ENGINE="postgres", SEARCH_INDEX_VERSIONS=True)
@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_the_page_of_hits_shows_each_entry_as_it_is_stored(app, sort):
    """The statement of the matches also reads the page's titles, labels, state and date.

    Each hit equals its entry, its time to the microsecond, superseded versions included;
    the order is the statement's (best first, or newest first).
    """
    from clearinghouse.extensions import db
    from clearinghouse.search.engine import SearchSpec
    from clearinghouse.search.pg_engine import PostgresEngine
    from clearinghouse.search.pg_tables import SearchEntry

    make_authority("north")
    editor = make_user("editor", "north")
    first = make_document(
        editor, title="Kinship care", data=b"# A\n\nkinship kinship\n", filename="a.md"
    )
    undated = make_document(
        editor,
        title="Kinship plan",
        data=b"# B\n\nkinship\n",
        filename="b.md",
        doc_type="supervision",
        stage="pre-proceedings",
    )
    make_version(editor, first.document_id, b"# A\n\nkinship care, kinship\n", "a.md")
    entries = text("UPDATE search_entry SET updated = NULL WHERE document_id = :d")
    db.session.execute(entries, {"d": undated.document_id})  # an entry may have no date
    spec = SearchSpec(
        text="kinship", viewer_authority_id=editor.authority_id, all_versions=True, sort=sort
    )
    hits = PostgresEngine().query(spec, lambda keys: {}).hits
    assert len(hits) == 3
    for hit in hits:
        entry = db.session.get(SearchEntry, (hit.document_id, hit.version))
        shown = (hit.title, hit.authority, hit.doc_type, hit.stage, hit.current, hit.updated)
        assert shown == (
            entry.title,
            entry.authority,
            entry.doc_type,
            entry.stage,
            entry.current,
            entry.updated,
        )
    assert {hit.current for hit in hits} == {True, False}
    assert [hit.updated is None for hit in hits].count(True) == 1
    if sort == "newest":  # the undated last
        dates = [hit.updated for hit in hits]
        assert dates[-1] is None and dates[:-1] == sorted(dates[:-1], reverse=True)
    else:
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


@pytest.mark.app_settings(SEARCH_ENGINE="postgres")
def test_a_search_that_fails_in_python_puts_its_settings_back(app, monkeypatch):
    """The transaction goes on after such a failure, so the search's settings must not."""
    from clearinghouse.extensions import db
    from clearinghouse.search import pg_engine

    make_authority("north")
    editor = make_user("editor", "north")
    make_document(editor, title="Plan", data=b"# Doc\n\nsafety plan\n", filename="a.md")
    read = text("SELECT " + ", ".join(f"current_setting('{name}')" for name in PLAN_SETTINGS))
    before = db.session.execute(read).one()

    def broken(*args, **kwargs):
        raise ValueError("a bug in the spelling code")

    monkeypatch.setattr(pg_engine, "spelling", broken)
    with pytest.raises(ValueError):
        search_documents(editor, "saftey")
    assert db.session.execute(read).one() == before
