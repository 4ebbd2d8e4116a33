"""authority profile versions

Revision ID: 9ba04120dcda
Revises: a3c5e7f9b1d2
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9ba04120dcda'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('profile_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('logo_sha256', sa.String(length=64), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('authority_id', 'number')
    )
    with op.batch_alter_table('profile_version') as batch_op:
        batch_op.create_index(
            batch_op.f('ix_profile_version_authority_id'), ['authority_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('profile_version') as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_version_authority_id'))
    op.drop_table('profile_version')
