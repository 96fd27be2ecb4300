"""presence shared by processes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:41:32.718101
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('connections',
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('map_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('workshop_id', sa.String(length=36), nullable=False),
    sa.Column('server_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('sid', 'map_id')
    )
    with op.batch_alter_table('connections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_connections_server_id'), ['server_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_connections_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('servers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('servers')
    with op.batch_alter_table('connections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_connections_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_connections_server_id'))

    op.drop_table('connections')
