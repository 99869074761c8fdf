"""Deletions that TR385 defers: one row per toewijzing whose deletion (RedenWijziging 13) waits until no
approved, non-credited prestaties remain on it; `uitgevoerd_op` is set when it was carried out.

Revision ID: 0006_uitgestelde_verwijdering
Revises: 0005_inzage
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_uitgestelde_verwijdering"  # a name of its own: another branch may add a 0006 beside it (migrations run to every head)
down_revision = "0005_inzage"
branch_labels = None
depends_on = None

SCHEMA = "toewijzing"


def upgrade() -> None:
    op.create_table(
        "uitgestelde_verwijdering",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("toewijzing_nummer", sa.BigInteger, nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("regel", sa.Text, nullable=False),
        sa.Column("retourcode", sa.Text, nullable=False),
        sa.Column("sinds", sa.DateTime(timezone=False), nullable=False),
        sa.Column("uitgevoerd_op", sa.DateTime(timezone=False)),
        sa.PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
        schema=SCHEMA,
    )
    op.create_index("uitgestelde_verwijdering_aanbieder", "uitgestelde_verwijdering", ["agb"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("uitgestelde_verwijdering", schema=SCHEMA)
