"""PostgreSQL full-text search: each body's words also kept in a table of their own, in the row

Revision ID: c6e8a0b2d4f7
Revises: b5d7f9a1c3e6
Create Date: 2026-12-03 13:10:00

Ranking a search reads the body tsvector of every match. In ``search_entry`` a body (6.9 KB
on average, which PostgreSQL's compression does not shrink) is kept in TOAST, so each read
took a TOAST index lookup and four chunks: most of a common word's search at 20,000
versions. ``search_body`` holds the same tsvector in its row (a page holds a row up to
8,160 bytes). ``search_entry`` keeps its copy, from which its GIN indexes are built. The
existing bodies are copied across; on SQLite both tables stay empty (one schema for every
database).
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = 'c6e8a0b2d4f7'
down_revision = 'b5d7f9a1c3e6'
branch_labels = None
depends_on = None

VECTOR = postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite')


def upgrade():
    op.create_table('search_body',
    sa.Column('document_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('body_tsv', VECTOR, nullable=False),
    sa.ForeignKeyConstraint(['document_id', 'version'],
                            ['search_entry.document_id', 'search_entry.version'],
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'version'),
    postgresql_with={'toast_tuple_target': 8160}
    )
    op.execute('INSERT INTO search_body (document_id, version, body_tsv) '
               'SELECT document_id, version, body_tsv FROM search_entry')


def downgrade():
    op.drop_table('search_body')
