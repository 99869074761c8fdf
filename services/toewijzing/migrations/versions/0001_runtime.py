"""The runtime's outbox and event bookkeeping tables.

Revision ID: 0001
Revises:
"""

from runtime.migrations import create_runtime_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "toewijzing"


def upgrade() -> None:
    create_runtime_tables(SCHEMA)


def downgrade() -> None:
    from alembic import op

    for name in ("dead_event", "processed_event", "outbox"):
        op.drop_table(name, schema=SCHEMA)
