"""facilitation: timer pause, structure edits setting; chantier field versions

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02 19:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('maps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timer_paused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('structure_edits', sa.String(length=20), server_default='all', nullable=False))

    with op.batch_alter_table('chantiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_versions', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('chantiers', schema=None) as batch_op:
        batch_op.drop_column('field_versions')

    with op.batch_alter_table('maps', schema=None) as batch_op:
        batch_op.drop_column('structure_edits')
        batch_op.drop_column('timer_paused_at')
