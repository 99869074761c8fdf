"""Gemeente settings (period rhythm, onderbenutting threshold, debtor account), the accounts a gemeente
pays its aanbieders on, and an agreed voorschot estimate per contract.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "declaratie"


def upgrade() -> None:
    op.create_table(
        "gemeente_instelling",
        sa.Column("gemeentecode", sa.String(4), primary_key=True),
        sa.Column("ritme", sa.Text, nullable=False, server_default="kalendermaand"),
        sa.Column("eerste_maandag", sa.Date),
        sa.Column("onderbenutting_drempel_dagen", sa.Integer, nullable=False),
        sa.Column("debiteur_naam", sa.Text),
        sa.Column("debiteur_iban", sa.Text),
        sa.Column("debiteur_bic", sa.Text),
        sa.Column("gewijzigd_door", sa.Text, nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_table(
        "betaalgegevens",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("naam", sa.Text, nullable=False),
        sa.Column("iban", sa.Text, nullable=False),
        sa.Column("bic", sa.Text),
        sa.Column("gewijzigd_door", sa.Text, nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("gemeentecode", "agb"),
        schema=SCHEMA,
    )
    op.add_column("contract", sa.Column("voorschot_per_periode_eurocent", sa.BigInteger), schema=SCHEMA)
    op.create_index("voorschot_lijst", "voorschot", ["periode_begindatum", "gemeentecode", "agb"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_index("voorschot_lijst", "voorschot", schema=SCHEMA)
    op.drop_column("contract", "voorschot_per_periode_eurocent", schema=SCHEMA)
    op.drop_table("betaalgegevens", schema=SCHEMA)
    op.drop_table("gemeente_instelling", schema=SCHEMA)
