"""session versions, sign-in failures by address, HTML made at upload

Revision ID: 7b1e2c9d4f10
Revises: 3621cb79a5ed
Create Date: 2026-11-30 01:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7b1e2c9d4f10'
down_revision = '3621cb79a5ed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), nullable=False, server_default='0')
        )
    with op.batch_alter_table('document_version') as batch_op:
        batch_op.add_column(sa.Column('html', sa.Text(), nullable=True))
    op.create_table('sign_in_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign_in_failure') as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failure_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failure_at'), ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_failure') as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_at'))
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_address'))
    op.drop_table('sign_in_failure')
    with op.batch_alter_table('document_version') as batch_op:
        batch_op.drop_column('html')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('session_version')
