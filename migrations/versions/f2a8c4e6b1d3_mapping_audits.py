"""mapping audits: ratings per element, a scale, who took part and their team; no case content

Revision ID: f2a8c4e6b1d3
Revises: b5d1f3a7c9e2
Create Date: 2026-11-30 21:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f2a8c4e6b1d3'
down_revision = 'b5d1f3a7c9e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mapping_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('case_key', sa.String(length=64), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('lead_team_id', sa.Integer(), nullable=True),
    sa.Column('worker_team_id', sa.Integer(), nullable=True),
    sa.Column('audit_date', sa.Date(), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=True),
    sa.Column('lead_signed_at', sa.DateTime(), nullable=True),
    sa.Column('worker_signed_at', sa.DateTime(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['lead_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['lead_team_id'], ['team.id'], ),
    sa.ForeignKeyConstraint(['previous_id'], ['mapping_audit.id'], ),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['worker_team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mapping_audit') as batch_op:
        batch_op.create_index(batch_op.f('ix_mapping_audit_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mapping_audit_case_key'), ['case_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_mapping_audit_lead_team_id'), ['lead_team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mapping_audit_worker_team_id'), ['worker_team_id'], unique=False)
    op.create_table('mapping_audit_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('element', sa.String(length=40), nullable=False),
    sa.Column('rating', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['mapping_audit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('audit_id', 'element')
    )
    with op.batch_alter_table('mapping_audit_rating') as batch_op:
        batch_op.create_index(batch_op.f('ix_mapping_audit_rating_audit_id'), ['audit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mapping_audit_rating') as batch_op:
        batch_op.drop_index(batch_op.f('ix_mapping_audit_rating_audit_id'))
    op.drop_table('mapping_audit_rating')
    with op.batch_alter_table('mapping_audit') as batch_op:
        batch_op.drop_index(batch_op.f('ix_mapping_audit_worker_team_id'))
        batch_op.drop_index(batch_op.f('ix_mapping_audit_lead_team_id'))
        batch_op.drop_index(batch_op.f('ix_mapping_audit_case_key'))
        batch_op.drop_index(batch_op.f('ix_mapping_audit_authority_id'))
    op.drop_table('mapping_audit')
