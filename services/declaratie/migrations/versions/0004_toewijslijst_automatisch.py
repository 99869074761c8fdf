"""Contracts say whether claims on the toewijslijst are confirmed automatically.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("contract", sa.Column("toewijslijst_automatisch", sa.Boolean, nullable=False, server_default=sa.text("false")), schema="declaratie")


def downgrade() -> None:
    op.drop_column("contract", "toewijslijst_automatisch", schema="declaratie")
