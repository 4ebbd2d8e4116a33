"""teams within an authority, and each user's team; families' feedback codes and answers

Revision ID: b5d1f3a7c9e2
Revises: b8e4d2f6a1c3
Create Date: 2026-11-30 21:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b5d1f3a7c9e2'
down_revision = 'b8e4d2f6a1c3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('authority_id', 'name')
    )
    with op.batch_alter_table('team') as batch_op:
        batch_op.create_index(batch_op.f('ix_team_authority_id'), ['authority_id'], unique=False)
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_team_id'), ['team_id'], unique=False)
        batch_op.create_foreign_key('fk_user_team_id_team', 'team', ['team_id'], ['id'])
    op.create_table('feedback_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('feedback_code') as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_code_authority_id'), ['authority_id'], unique=False)
    op.create_table('feedback_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('explained', sa.Integer(), nullable=False),
    sa.Column('listened', sa.String(length=5), nullable=False),
    sa.Column('helped', sa.Text(), nullable=False),
    sa.Column('better', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback_response') as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_response_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_response_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_response_quarter'), ['quarter'], unique=False)
    op.create_table('feedback_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback_attempt') as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_attempt_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_attempt_at'), ['at'], unique=False)


def downgrade():
    op.drop_table('feedback_attempt')
    op.drop_table('feedback_response')
    op.drop_table('feedback_code')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_constraint('fk_user_team_id_team', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_team_id'))
        batch_op.drop_column('team_id')
    with op.batch_alter_table('team') as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_authority_id'))
    op.drop_table('team')
