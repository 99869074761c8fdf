"""The runtime's tables and the client table.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from runtime.migrations import create_runtime_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "indicatie"


def upgrade() -> None:
    create_runtime_tables(SCHEMA)
    op.create_table(
        "client",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("geslachtsnaam", sa.Text, nullable=False),
        sa.Column("voorvoegsel", sa.Text, nullable=False, server_default=""),
        sa.Column("voorletters", sa.Text, nullable=False),
        sa.Column("geboortedatum", sa.Date, nullable=False),
        sa.Column("geslacht", sa.String(1), nullable=False),
        sa.Column("postcode", sa.String(6), nullable=False, server_default=""),
        sa.Column("huisnummer", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("gemeentecode", "bsn"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for name in ("client", "dead_event", "processed_event", "outbox"):
        op.drop_table(name, schema=SCHEMA)
