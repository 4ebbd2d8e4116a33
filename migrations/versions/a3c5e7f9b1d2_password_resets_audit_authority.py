"""password reset links; the authority each audit event belongs to

Revision ID: a3c5e7f9b1d2
Revises: 7b1e2c9d4f10
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a3c5e7f9b1d2'
down_revision = '7b1e2c9d4f10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('password_reset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('password_reset') as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.add_column(sa.Column('authority_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_event_authority_id'), ['authority_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_audit_event_authority_id_authority', 'authority', ['authority_id'], ['id']
        )
    # Earlier events belong to their actor's authority (the only one they could name).
    op.execute(
        'UPDATE audit_event SET authority_id = '
        '(SELECT "user".authority_id FROM "user" WHERE "user".id = audit_event.user_id)'
    )


def downgrade():
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.drop_constraint('fk_audit_event_authority_id_authority', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_event_authority_id'))
        batch_op.drop_column('authority_id')
    with op.batch_alter_table('password_reset') as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_user_id'))
    op.drop_table('password_reset')
