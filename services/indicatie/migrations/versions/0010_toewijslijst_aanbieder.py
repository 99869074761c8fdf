"""The aanbieder the toewijslijst gave a beschikt product without a chosen one (the toewijzing
service confirmed its claim: toewijzing.toewijslijst.gewijzigd, status bevestigd), per product of a
beschikking, so the product's herindicatie signal goes to it — also after a later wijziging.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SCHEMA = "indicatie"


def upgrade() -> None:
    op.create_table(
        "toewijslijst_aanbieder",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("beschikkingnummer", sa.Text, nullable=False),
        sa.Column("product", sa.Text, nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("inschrijving_id", sa.Text, nullable=False),
        sa.Column("bevestigd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("gemeentecode", "beschikkingnummer", "product"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("toewijslijst_aanbieder", schema=SCHEMA)
