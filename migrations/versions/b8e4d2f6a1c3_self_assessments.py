"""implementation self-assessments, and each authority's choice to share them

Revision ID: b8e4d2f6a1c3
Revises: d7f3a9c1e5b2
Create Date: 2026-11-30 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b8e4d2f6a1c3'
down_revision = 'd7f3a9c1e5b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('self_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('scale >= 0 AND scale <= 10', name='ck_self_assessment_scale'),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('self_assessment') as batch_op:
        batch_op.create_index(
            batch_op.f('ix_self_assessment_authority_id'), ['authority_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_self_assessment_recorded_at'), ['recorded_at'], unique=False
        )
    op.create_table('self_assessment_sharing',
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('authority_id')
    )


def downgrade():
    op.drop_table('self_assessment_sharing')
    with op.batch_alter_table('self_assessment') as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_assessment_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_self_assessment_authority_id'))
    op.drop_table('self_assessment')
