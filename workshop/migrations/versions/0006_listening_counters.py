"""mirror listening: running counters of the results (workshop/listening/counters.py)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 23:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('listening_step_counts',
    sa.Column('listening_id', sa.String(length=36), nullable=False),
    sa.Column('step_id', sa.String(length=36), nullable=False),
    sa.Column('silo', sa.String(length=10), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('n_m2', sa.Integer(), nullable=False),
    sa.Column('n_m1', sa.Integer(), nullable=False),
    sa.Column('n_0', sa.Integer(), nullable=False),
    sa.Column('n_p1', sa.Integer(), nullable=False),
    sa.Column('n_p2', sa.Integer(), nullable=False),
    sa.Column('important', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['listening_id'], ['listenings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listening_id', 'step_id', 'silo')
    )
    op.create_table('listening_silo_counts',
    sa.Column('listening_id', sa.String(length=36), nullable=False),
    sa.Column('silo', sa.String(length=10), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['listening_id'], ['listenings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listening_id', 'silo')
    )
    # The listenings answered before this migration: their counters from their answers.
    op.execute("""
        INSERT INTO listening_step_counts (listening_id, step_id, silo, answered, n_m2, n_m1, n_0, n_p1, n_p2, important)
        SELECT listening_id, step_id, silo, count(*),
               sum(CASE WHEN score = -2 THEN 1 ELSE 0 END), sum(CASE WHEN score = -1 THEN 1 ELSE 0 END),
               sum(CASE WHEN score = 0 THEN 1 ELSE 0 END), sum(CASE WHEN score = 1 THEN 1 ELSE 0 END),
               sum(CASE WHEN score = 2 THEN 1 ELSE 0 END), sum(CASE WHEN important THEN 1 ELSE 0 END)
        FROM listening_answers GROUP BY listening_id, step_id, silo
    """)
    op.execute("""
        INSERT INTO listening_silo_counts (listening_id, silo, responses)
        SELECT r.listening_id, r.silo, count(*) FROM listening_responses r
        WHERE EXISTS (SELECT 1 FROM listening_answers a WHERE a.response_id = r.id)
        GROUP BY r.listening_id, r.silo
    """)


def downgrade() -> None:
    op.drop_table('listening_silo_counts')
    op.drop_table('listening_step_counts')
