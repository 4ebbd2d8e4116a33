"""teams within an authority, and each user's team

Revision ID: b5d1f3a7c9e2
Revises: d7f3a9c1e5b2
Create Date: 2026-11-30 21:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b5d1f3a7c9e2'
down_revision = 'd7f3a9c1e5b2'
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


def downgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_constraint('fk_user_team_id_team', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_team_id'))
        batch_op.drop_column('team_id')
    with op.batch_alter_table('team') as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_authority_id'))
    op.drop_table('team')
