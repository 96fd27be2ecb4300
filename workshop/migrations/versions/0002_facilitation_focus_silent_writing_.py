"""facilitation: focus, silent writing, selection, priority

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:33:21.091739
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('selected', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('chantiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), nullable=True))

    with op.batch_alter_table('maps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('focus_step_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('silent_writing', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('maps', schema=None) as batch_op:
        batch_op.drop_column('silent_writing')
        batch_op.drop_column('focus_step_id')

    with op.batch_alter_table('chantiers', schema=None) as batch_op:
        batch_op.drop_column('priority')

    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_column('selected')

