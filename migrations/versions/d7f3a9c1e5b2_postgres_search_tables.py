"""PostgreSQL full-text search: one entry per indexed version, and the lexicon of stems

Revision ID: d7f3a9c1e5b2
Revises: e7f3a9c1d5b2
Create Date: 2026-11-30 18:40:00

The tables exist on every database so the schema is one; only the PostgreSQL search engine
(CLEARINGHOUSE_SEARCH_ENGINE=postgres) writes them, and only there are they GIN-indexed
tsvectors rather than text.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = 'd7f3a9c1e5b2'
down_revision = 'e7f3a9c1d5b2'
branch_labels = None
depends_on = None

VECTOR = postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite')
WORDS = postgresql.ARRAY(sa.String(length=200)).with_variant(sa.Text(), 'sqlite')


def upgrade():
    op.create_table('search_entry',
    sa.Column('document_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('authority', sa.String(length=100), nullable=False),
    sa.Column('doc_type', sa.String(length=100), nullable=False),
    sa.Column('stage', sa.String(length=100), nullable=False),
    sa.Column('tags', WORDS, nullable=False),
    sa.Column('updated', sa.DateTime(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('names', sa.Text(), nullable=False),
    sa.Column('stamp', sa.String(length=32), nullable=False),
    sa.Column('title_tsv', VECTOR, nullable=False),
    sa.Column('body_tsv', VECTOR, nullable=False),
    sa.Column('names_tsv', VECTOR, nullable=False),
    sa.PrimaryKeyConstraint('document_id', 'version')
    )
    with op.batch_alter_table('search_entry') as batch_op:
        for name in ('title_tsv', 'body_tsv', 'names_tsv'):
            batch_op.create_index(f'ix_search_entry_{name}', [name], unique=False,
                                  postgresql_using='gin')
        batch_op.create_index('ix_search_entry_updated', ['updated'], unique=False)
    op.create_table('search_term',
    sa.Column('field', sa.String(length=10), nullable=False),
    sa.Column('term', sa.String(length=400), nullable=False),
    sa.PrimaryKeyConstraint('field', 'term')
    )


def downgrade():
    op.drop_table('search_term')
    with op.batch_alter_table('search_entry') as batch_op:
        batch_op.drop_index('ix_search_entry_updated')
        for name in ('title_tsv', 'body_tsv', 'names_tsv'):
            batch_op.drop_index(f'ix_search_entry_{name}')
    op.drop_table('search_entry')
