"""The runtime's tables and the client_telling read model.

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

SCHEMA = "rapportage"


def upgrade() -> None:
    create_runtime_tables(SCHEMA)
    op.create_table(
        "client_telling",
        sa.Column("gemeentecode", sa.String(4), primary_key=True),
        sa.Column("aantal_clienten", sa.BigInteger, nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for name in ("client_telling", "dead_event", "processed_event", "outbox"):
        op.drop_table(name, schema=SCHEMA)
