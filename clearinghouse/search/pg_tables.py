"""The tables PostgreSQL full-text search keeps, in the same database as the documents.

One row per indexed document version, with a tsvector per text field built from the same
English analyzer as the Whoosh index (its stems, in order, as a tsvector literal), so both
engines match the same words; and the distinct stems of each text field, which prefix
searches and "did you mean" read. On SQLite the tables exist (one schema for every database)
but stay empty: only the PostgreSQL engine writes them.

A body's tsvector is also kept in ``search_body``, stored in its row rather than in TOAST:
ranking reads every matching body, and out of TOAST each took an index lookup and four chunks.
``search_entry`` keeps its own copy because its GIN indexes are built from it.
"""

from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, Index, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

Vector = TSVECTOR().with_variant(Text(), "sqlite")
Words = ARRAY(String(200)).with_variant(Text(), "sqlite")


class SearchEntry(db.Model):
    """One document version as PostgreSQL full-text search holds it."""

    __tablename__ = "search_entry"

    document_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    current: Mapped[bool]
    visibility: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int]
    authority: Mapped[str] = mapped_column(String(100))
    doc_type: Mapped[str] = mapped_column(String(100))
    stage: Mapped[str] = mapped_column(String(100))
    tags = mapped_column(Words, nullable=False)
    updated: Mapped[datetime | None]
    title: Mapped[str] = mapped_column(Text)
    names: Mapped[str] = mapped_column(Text)
    stamp: Mapped[str] = mapped_column(String(32))
    title_tsv = mapped_column(Vector, nullable=False)
    body_tsv = mapped_column(Vector, nullable=False)
    names_tsv = mapped_column(Vector, nullable=False)

    __table_args__ = (
        Index("ix_search_entry_title_tsv", "title_tsv", postgresql_using="gin"),
        Index("ix_search_entry_body_tsv", "body_tsv", postgresql_using="gin"),
        Index("ix_search_entry_names_tsv", "names_tsv", postgresql_using="gin"),
        Index("ix_search_entry_updated", "updated"),
        # The three fields as one: a plain search of several words asks it one tsquery.
        Index(
            "ix_search_entry_text_tsv",
            text("((title_tsv || body_tsv) || names_tsv)"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )


class SearchTerm(db.Model):
    """A stem that some indexed version has in a text field (never removed: a lexicon)."""

    __tablename__ = "search_term"

    field: Mapped[str] = mapped_column(String(10), primary_key=True)
    term: Mapped[str] = mapped_column(String(400), primary_key=True)

    __table_args__ = (
        # Compared byte by byte on PostgreSQL, so a prefix (LIKE 'plac%') is read as a range
        # whatever the database's collation (the primary key's order is the collation's).
        Index(
            "ix_search_term_prefix", "field", "term", postgresql_ops={"term": "varchar_pattern_ops"}
        ),
    )


# A page holds one row up to 8,160 bytes: a body's words (6.9 KB on average at 20,000
# versions, PostgreSQL's compression saving nothing) then stay in the row, not in TOAST.
BODY_STORAGE = {"toast_tuple_target": 8160}


class SearchBody(db.Model):
    """An entry's body tsvector, kept in its row so ranking reads one page, not TOAST."""

    __tablename__ = "search_body"

    document_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    body_tsv = mapped_column(Vector, nullable=False)

    __table_args__ = (
        ForeignKeyConstraint(
            ["document_id", "version"],
            ["search_entry.document_id", "search_entry.version"],
            ondelete="CASCADE",
        ),
        {"postgresql_with": BODY_STORAGE},
    )
