"""blobs in the database: blob and blob_chunk tables, and indexes on the columns naming blobs

Revision ID: e7f3a9c1d5b2
Revises: c4d8e2a6f0b3
Create Date: 2026-11-30 18:00:00

The tables are used when CLEARINGHOUSE_BLOB_STORE=database and are empty otherwise. The indexes
let blob_gc ask cheaply, per blob, whether any version names it.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7f3a9c1d5b2'
down_revision = 'c4d8e2a6f0b3'
branch_labels = None
depends_on = None

REFERENCES = (
    ('document_version', 'sha256'),
    ('template_version', 'sha256'),
    ('profile_version', 'logo_sha256'),
)


def upgrade():
    op.create_table('blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('blob_chunk',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['blob.sha256'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sha256', 'seq')
    )
    for table, column in REFERENCES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def downgrade():
    for table, column in REFERENCES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
    op.drop_table('blob_chunk')
    op.drop_table('blob')
