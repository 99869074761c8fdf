"""The aanbieder the cliënt chose per beschikt product (NULL: the toewijslijst); joins the two heads.

Revision ID: 0004
Revises: 0002, 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None

SCHEMA = "indicatie"


def upgrade() -> None:
    op.add_column("beschikt_product", sa.Column("agb", sa.String(8)), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("beschikt_product", "agb", schema=SCHEMA)
