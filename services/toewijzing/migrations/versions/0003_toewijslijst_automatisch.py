"""The contract copy says whether claims on the toewijslijst are confirmed automatically.

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
    op.add_column("contract", sa.Column("toewijslijst_automatisch", sa.Boolean, nullable=False, server_default=sa.text("false")), schema="toewijzing")


def downgrade() -> None:
    op.drop_column("contract", "toewijslijst_automatisch", schema="toewijzing")
