"""The toewijzingen the toewijzing service made for beschikt producten without a chosen aanbieder
(toewijzing.toewijzing.gewijzigd), the latest version of each and whether it ends before the
product (as the beschikking stood when that version came), so that the herindicatie signal of a
product goes back to the gemeente when the aanbieder the toewijslijst gave it stops delivering it
before the product ends.

Starts empty: the consumer `indicatie-toewijslijst-toewijzingen` is new and reads the TOEWIJZING
stream from its start, so the toewijzingen made before this version are recorded as their events are
delivered (and their signalen brought in line then).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SCHEMA = "indicatie"


def upgrade() -> None:
    op.create_table(
        "toewijslijst_toewijzing",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("toewijzing_nummer", sa.Integer, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("beschikkingnummer", sa.Text, nullable=False),
        sa.Column("product", sa.Text, nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("verwijderd", sa.Boolean, nullable=False),
        sa.Column("eindigt_voor_product", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
        schema=SCHEMA,
    )
    op.create_index("toewijslijst_toewijzing_beschikking", "toewijslijst_toewijzing", ["gemeentecode", "beschikkingnummer"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("toewijslijst_toewijzing", schema=SCHEMA)
