"""Corrections: a rejected message and the new message that corrects it, linked both ways.

Revision ID: 0004_correctie
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0004_correctie"  # a name of its own: another branch may add a 0004 beside it (migrations run to every head)
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bericht", sa.Column("correctie_van", UUID(as_uuid=False)), schema="berichten")
    op.add_column("bericht", sa.Column("gecorrigeerd_door", UUID(as_uuid=False)), schema="berichten")
    op.create_index("bericht_correctie_van", "bericht", ["correctie_van"], unique=True, schema="berichten", postgresql_where=sa.text("correctie_van IS NOT NULL"))
    op.create_index(
        "bericht_wacht_op_correctie",
        "bericht",
        ["afzender", "ontvangen_op", "id"],
        schema="berichten",
        postgresql_where=sa.text("richting = 'in' AND gecorrigeerd_door IS NULL AND (fout_reden IS NOT NULL OR bevindingen <> '[]'::jsonb)"),
    )


def downgrade() -> None:
    op.drop_index("bericht_wacht_op_correctie", table_name="bericht", schema="berichten")
    op.drop_index("bericht_correctie_van", table_name="bericht", schema="berichten")
    op.drop_column("bericht", "gecorrigeerd_door", schema="berichten")
    op.drop_column("bericht", "correctie_van", schema="berichten")
