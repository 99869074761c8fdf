"""Which aanbieder has a toewijzing for which cliënt (the aanbieder's view of cliënten).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "indicatie"


def upgrade() -> None:
    op.create_table(
        "client_relatie",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("toewijzing_nummer", sa.BigInteger, nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
        schema=SCHEMA,
    )
    op.create_index("client_relatie_aanbieder", "client_relatie", ["agb", "gemeentecode", "bsn"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("client_relatie", schema=SCHEMA)
