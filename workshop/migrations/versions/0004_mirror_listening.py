"""mirror listening: listenings, responses and their answers (CONTRACT.md §7)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 19:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('listenings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('map_id', sa.String(length=36), nullable=False),
    sa.Column('workshop_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('invited_customer', sa.Integer(), nullable=True),
    sa.Column('invited_employee', sa.Integer(), nullable=True),
    sa.Column('code_customer', sa.String(length=32), nullable=False),
    sa.Column('code_employee', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['map_id'], ['maps.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_customer'),
    sa.UniqueConstraint('code_employee')
    )
    with op.batch_alter_table('listenings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listenings_map_id'), ['map_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listenings_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('listening_responses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('listening_id', sa.String(length=36), nullable=False),
    sa.Column('rid', sa.String(length=36), nullable=False),
    sa.Column('silo', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['listening_id'], ['listenings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('listening_id', 'rid', name='uq_listening_responses_rid')
    )

    op.create_table('listening_answers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('response_id', sa.String(length=36), nullable=False),
    sa.Column('listening_id', sa.String(length=36), nullable=False),
    sa.Column('silo', sa.String(length=10), nullable=False),
    sa.Column('step_id', sa.String(length=36), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('important', sa.Boolean(), nullable=False),
    sa.Column('verbatim', sa.Text(), nullable=True),
    sa.Column('hidden', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['listening_responses.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('response_id', 'step_id', name='uq_listening_answers_step')
    )
    with op.batch_alter_table('listening_answers', schema=None) as batch_op:
        batch_op.create_index('ix_listening_answers_agg', ['listening_id', 'step_id', 'silo', 'score', 'important'],
                              unique=False)
        batch_op.create_index('ix_listening_answers_verbatims', ['listening_id'], unique=False,
                              sqlite_where=sa.text('verbatim IS NOT NULL'),
                              postgresql_where=sa.text('verbatim IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_listening_answers_response_id'), ['response_id'], unique=False)


def downgrade() -> None:
    op.drop_table('listening_answers')
    op.drop_table('listening_responses')
    op.drop_table('listenings')
