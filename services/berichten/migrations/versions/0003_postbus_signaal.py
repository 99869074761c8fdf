"""postbus.gesignaleerd_op: when a message left unfetched was signalled.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("postbus", sa.Column("gesignaleerd_op", sa.DateTime(timezone=True)), schema="berichten")


def downgrade() -> None:
    op.drop_column("postbus", "gesignaleerd_op", schema="berichten")
