"""The runtime's tables and the contract table.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from runtime.migrations import create_runtime_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "declaratie"


def upgrade() -> None:
    create_runtime_tables(SCHEMA)
    op.create_table(
        "contract",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("productcategorie", sa.String(2), nullable=False),
        sa.Column("productcode", sa.String(5), nullable=False),
        sa.Column("uitvoeringsvariant", sa.Text, nullable=False),
        sa.Column("tarief_eurocent", sa.BigInteger, nullable=False),
        sa.Column("eenheid", sa.String(2), nullable=False),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("gemeentecode", "agb", "productcategorie", "productcode", "uitvoeringsvariant", "begindatum", name="contract_versie"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for name in ("contract", "dead_event", "processed_event", "outbox"):
        op.drop_table(name, schema=SCHEMA)
