"""each authority's choice to share its practice figures with the other authorities

Revision ID: a3c5e7f9b2d4
Revises: f2a8c4e6b1d3
Create Date: 2026-12-01 00:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a3c5e7f9b2d4'
down_revision = 'f2a8c4e6b1d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice_figures_sharing',
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('authority_id')
    )


def downgrade():
    op.drop_table('practice_figures_sharing')
