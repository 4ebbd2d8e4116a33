"""PostgreSQL full-text search: one GIN index of the three text fields together

Revision ID: a9c3e5f7b1d2
Revises: a3c5e7f9b2d4
Create Date: 2026-12-01 01:00:00

A plain search of several words was asked of the fields' indexes one by one, and PostgreSQL's
planner answered one word from an index and tested the others by reading each row's tsvectors
out of TOAST. This expression index answers the whole query in one tsquery. PostgreSQL only:
on SQLite the tsvector columns are text and stay empty.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a9c3e5f7b1d2'
down_revision = 'a3c5e7f9b2d4'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_search_entry_text_tsv', 'search_entry',
                        [sa.text('((title_tsv || body_tsv) || names_tsv)')],
                        unique=False, postgresql_using='gin')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_search_entry_text_tsv', table_name='search_entry')
