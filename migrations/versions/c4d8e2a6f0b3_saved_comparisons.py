"""saved comparisons: a named comparison shared within an authority

Revision ID: c4d8e2a6f0b3
Revises: 9ba04120dcda
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d8e2a6f0b3'
down_revision = '9ba04120dcda'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_comparison',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('left_document_id', sa.Integer(), nullable=False),
    sa.Column('left_version', sa.Integer(), nullable=False),
    sa.Column('right_document_id', sa.Integer(), nullable=False),
    sa.Column('right_version', sa.Integer(), nullable=False),
    sa.Column('pairs', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['left_document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['right_document_id'], ['document.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('saved_comparison') as batch_op:
        batch_op.create_index(
            batch_op.f('ix_saved_comparison_authority_id'), ['authority_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('saved_comparison') as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_comparison_authority_id'))
    op.drop_table('saved_comparison')
