"""PostgreSQL full-text search keeps its entries in the change's own transaction.

Real PostgreSQL databases from the test cluster: an upload is found at once with nothing left
pending, a change that fails to commit leaves no entry, writers in several threads and a
rebuild running beside them converge to what the database says, and `check-index` and
`reindex` work on these entries as on a Whoosh index.
"""

import threading

import pytest
from factories import make_authority, make_document, make_user
from sqlalchemy import event, func, select, text

from clearinghouse import create_app
from clearinghouse.documents.service import document_set_visibility, version_add
from clearinghouse.extensions import db
from clearinghouse.models import Document, IndexTask
from clearinghouse.search.check import index_check, index_repair
from clearinghouse.search.index import index_rebuild
from clearinghouse.search.pg_tables import SearchBody, SearchEntry
from clearinghouse.search.query import search_documents

# Every app here searches with PostgreSQL, on a PostgreSQL database of its own.
pytestmark = pytest.mark.app_settings(SEARCH_ENGINE="postgres")


@pytest.fixture
def editor(app):
    make_authority("north")
    return make_user("editor", "north")


def _md(words: str) -> bytes:
    return f"# Policy\n\n{words}\n".encode()


def test_an_upload_is_found_at_once_with_nothing_pending(editor):
    """The entry is written before the commit: no task waits, no separate index exists."""
    made = make_document(editor, title="Quokka route", data=_md("zebra crossing"), filename="a.md")
    assert db.session.scalar(select(func.count()).select_from(IndexTask)) == 0
    page = search_documents(editor, "zebra")
    assert [r.document_id for r in page.results] == [made.document_id]
    version_add(editor, made.document_id, _md("giraffe"), "b.md", "Second")
    assert search_documents(editor, "zebra").total == 0
    assert search_documents(editor, "giraffe").results[0].version == 2
    assert index_check().clean


def test_a_change_that_fails_to_commit_leaves_no_entry(app, editor):
    """The entry rolls back with the change it belongs to."""
    before = db.session.scalar(select(func.count()).select_from(SearchEntry))

    def refuse(session):
        raise RuntimeError("the database went away at commit")

    event.listen(db.session, "before_commit", refuse)
    try:
        with pytest.raises(RuntimeError):
            make_document(editor, title="Lost", data=_md("okapi"), filename="a.md")
    finally:
        event.remove(db.session, "before_commit", refuse)
    assert db.session.scalar(select(func.count()).select_from(SearchEntry)) == before
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert search_documents(editor, "okapi").total == 0


def test_check_index_finds_and_repairs_a_missing_entry(editor):
    """check-index compares the entries with the database; --repair writes what is missing."""
    made = make_document(editor, title="Kept", data=_md("narwhal"), filename="a.md")
    db.session.execute(db.delete(SearchEntry).where(SearchEntry.document_id == made.document_id))
    db.session.commit()
    report = index_check()
    assert not report.clean and made.document_id in report.differences
    before, after = index_repair()
    assert not before.clean and after.clean
    assert search_documents(editor, "narwhal").total == 1


def _bodies() -> dict[tuple[int, int], str]:
    rows = db.session.execute(text("SELECT document_id, version, body_tsv::text FROM search_body"))
    return {(d, v): body for d, v, body in rows}


def test_each_entry_keeps_its_body_words_in_a_row_of_their_own(editor):
    """Ranking reads search_body: one row per entry, the same words, held in the row itself.

    A body of about 6 KB of words, as most policies have, must not go to TOAST, since reading
    it back out of TOAST for every match was most of a common word's search.
    """
    words = " ".join(f"practice{i}" for i in range(400))
    made = make_document(editor, title="Long", data=_md(words), filename="a.md")
    entries = db.session.execute(
        text("SELECT document_id, version, body_tsv::text FROM search_entry")
    ).all()
    assert _bodies() == {(d, v): body for d, v, body in entries}
    stored = db.session.execute(
        text(
            "SELECT pg_column_size(body_tsv), pg_relation_size(reltoastrelid), reloptions "
            "FROM search_body, pg_class WHERE relname = 'search_body'"
        )
    ).one()
    assert 6000 < stored[0] < 8000  # a tsvector of a body this long, stored whole
    assert stored[1:] == (0, ["toast_tuple_target=8160"])  # and nothing of it in TOAST
    version_add(editor, made.document_id, _md("giraffe"), "b.md", "Second")
    assert list(_bodies()) == [(made.document_id, 2)]  # the old entry's body went with it
    assert search_documents(editor, "giraffe").results[0].version == 2


def test_check_index_finds_and_repairs_a_missing_body(editor):
    """An entry without its body row (as a server of the release before writes) is still found,
    ranked and phrase-tested from search_entry's copy; check-index says so, repair writes it."""
    made = make_document(editor, title="Kept", data=_md("narwhal tusk"), filename="a.md")
    db.session.execute(db.delete(SearchBody).where(SearchBody.document_id == made.document_id))
    db.session.commit()
    for words in ("narwhal", '"narwhal tusk"', "narwhal -walrus"):
        assert search_documents(editor, words).total == 1, words
    assert search_documents(editor, '"tusk narwhal"').total == 0
    report = index_check()
    assert "body words are missing" in report.differences[made.document_id]
    before, after = index_repair()
    assert not before.clean and after.clean
    assert search_documents(editor, "narwhal").total == 1


def test_reindex_rebuilds_every_entry(editor):
    """A rebuild writes every entry afresh in one transaction."""
    for word in ("alpha", "bravo", "charlie"):
        make_document(editor, title=word.title(), data=_md(word), filename="a.md")
    db.session.execute(db.delete(SearchEntry))
    db.session.commit()
    assert index_rebuild() == 3
    assert index_check().clean
    assert search_documents(editor, "bravo").total == 1
    tidied = db.session.execute(
        text(
            "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL "
            "AND last_analyze IS NOT NULL AND relname LIKE 'search%'"
        )
    )
    assert sorted(tidied.scalars()) == ["search_body", "search_entry", "search_term"]


def test_writers_and_a_rebuild_in_threads_converge(app, editor):
    """Versions and visibility changes from several threads, a rebuild among them: clean."""
    documents = [
        make_document(editor, title=f"Doc {i}", data=_md(f"word{i}"), filename="a.md").document_id
        for i in range(4)
    ]
    errors: list[BaseException] = []

    def work(document_id: int, rounds: int) -> None:
        with app.app_context():
            user = db.session.get(type(editor), editor.id)
            try:
                for n in range(rounds):
                    version_add(
                        user, document_id, _md(f"round{n} doc{document_id}"), "v.md", "Next"
                    )
                    document_set_visibility(user, document_id, ("internal", "shared")[n % 2])
            except BaseException as exc:  # a failure here must fail the test, not vanish
                errors.append(exc)
            finally:
                db.session.remove()

    def rebuild() -> None:
        with app.app_context():
            try:
                for _ in range(3):
                    index_rebuild()
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(d, 6)) for d in documents]
    threads.append(threading.Thread(target=rebuild))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    db.session.rollback()
    report = index_check()
    assert report.clean, report.differences
    for document_id in documents:
        assert search_documents(editor, f"round5 doc{document_id}").total == 1


def test_postgres_search_needs_a_postgresql_database(tmp_path):
    """Starting with the PostgreSQL engine on SQLite, or an unknown engine, is refused."""
    base = {"ENV": "testing", "SECRET_KEY": "test", "INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(ValueError, match="CLEARINGHOUSE_DATABASE_URL=postgresql"):
        create_app(
            {**base, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "SEARCH_ENGINE": "postgres"}
        )
    with pytest.raises(ValueError, match="whoosh or postgres"):
        create_app({**base, "SEARCH_ENGINE": "solr"})


def test_a_text_too_large_for_one_tsvector_is_kept_as_far_as_it_fits(editor):
    """A body whose words overflow PostgreSQL's 1 MB tsvector is stored, not refused (500)."""
    many = " ".join(f"w{n:07d}" for n in range(100_000))  # 100,000 distinct words, 900 KB
    data = f"# Big\n\nquokka {many} zebrafinch\n".encode()
    made = make_document(editor, title="Huge glossary", data=data, filename="big.md")
    assert search_documents(editor, "quokka").results[0].document_id == made.document_id
    assert search_documents(editor, "w0000100").total == 1  # an early word is found
    assert search_documents(editor, "Huge glossary").total == 1


def test_a_phrase_with_a_distance_is_answered_at_once(editor):
    """ "a b c d e f"~40 once spelt out every distance: minutes, or a tsquery too big (500)."""
    make_document(
        editor, title="Plan", data=_md("safety plan family network meeting school"), filename="a.md"
    )
    page = search_documents(editor, '"safety plan family network meeting school"~40')
    assert page.total == 1


def test_entries_that_fail_to_write_leave_the_change_committed_and_pending(
    app, editor, monkeypatch
):
    """An index failure never loses an upload: the task stays pending and is applied later."""
    from sqlalchemy.exc import OperationalError

    from clearinghouse.search import pg_index
    from clearinghouse.search.index import apply_pending_tasks

    def fail(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("the disk is full"))

    with monkeypatch.context() as patch:
        patch.setattr(pg_index, "write_documents", fail)
        made = make_document(editor, title="Kept", data=_md("pangolin"), filename="a.md")
    assert db.session.get(Document, made.document_id) is not None
    assert db.session.scalar(select(func.count()).select_from(IndexTask)) == 1
    assert search_documents(editor, "pangolin").total == 0
    assert apply_pending_tasks() == 1
    assert search_documents(editor, "pangolin").total == 1
    assert index_check().clean
