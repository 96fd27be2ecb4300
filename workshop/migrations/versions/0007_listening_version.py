"""mirror listening: a version that every change to a listening's results bumps (results cache)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases (SQLite ≥ 3.35 drops a column in place): a batch operation
# would copy and drop `listenings` on SQLite, and the drop would cascade to every response.


def upgrade() -> None:
    op.add_column("listenings", sa.Column("version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("listenings", "version")
