"""PostgreSQL full-text search: the GIN indexes keep their pending lists under 256 kB

Revision ID: e9b1d3f5a7c2
Revises: c6e8a0b2d4f7
Create Date: 2026-12-03 13:30:00

A GIN index adds new entries to a pending list, which every search reads whole, and merges
it into the index only when it reaches gin_pending_list_limit (4 MB by default). After
1,000 versions written at 20,000, a typo search's p50 went from 61 to 92 ms until the list
was merged. Under 256 kB the list costs searches nothing measurable; writing an entry takes
1.5 ms rather than 0.7. On SQLite there are no GIN indexes.
"""
from alembic import op


revision = 'e9b1d3f5a7c2'
down_revision = 'c6e8a0b2d4f7'
branch_labels = None
depends_on = None

INDEXES = ('ix_search_entry_title_tsv', 'ix_search_entry_body_tsv',
           'ix_search_entry_names_tsv', 'ix_search_entry_text_tsv')


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for name in INDEXES:
            op.execute(f'ALTER INDEX {name} SET (gin_pending_list_limit = 256)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for name in INDEXES:
            op.execute(f'ALTER INDEX {name} RESET (gin_pending_list_limit)')
