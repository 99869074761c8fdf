"""Voorschotten and afrekeningen.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "declaratie"


def upgrade() -> None:
    op.create_table(
        "voorschot",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("periode_begindatum", sa.Date, nullable=False),
        sa.Column("periode_einddatum", sa.Date, nullable=False),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("verrekend", sa.BigInteger, nullable=False, server_default=sa.text("0")),
        sa.Column("regels", JSONB, nullable=False),
        sa.Column("vastgesteld_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("gemeentecode", "agb", "periode_begindatum"),
        schema=SCHEMA,
    )
    op.create_table(
        "afrekening",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("periode_begindatum", sa.Date, nullable=False),
        sa.Column("periode_einddatum", sa.Date, nullable=False),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("voorschot", sa.BigInteger, nullable=False),
        sa.Column("gedeclareerd", sa.BigInteger, nullable=False),
        sa.Column("toegekend", sa.BigInteger, nullable=False),
        sa.Column("saldo", sa.BigInteger, nullable=False),
        sa.Column("verschil_met_voorlopig", sa.BigInteger),
        sa.Column("gemaakt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_index("afrekening_periode", "afrekening", ["gemeentecode", "agb", "periode_begindatum"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("afrekening", schema=SCHEMA)
    op.drop_table("voorschot", schema=SCHEMA)
