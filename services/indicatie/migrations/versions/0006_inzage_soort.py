"""The audit log records changes and searches too: `soort` (inzage, wijziging, zoekopdracht), the
filters of a zoekopdracht, and an index for searching it newest first.

A zoekopdracht names no cliënt unless a BSN was searched for, so `bsn` may be empty (NULL) for it;
every other row names its cliënt.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = "indicatie"


def upgrade() -> None:
    op.add_column("inzage", sa.Column("soort", sa.Text, nullable=False, server_default="inzage"), schema=SCHEMA)
    op.add_column("inzage", sa.Column("zoekopdracht", postgresql.JSONB), schema=SCHEMA)
    op.alter_column("inzage", "bsn", existing_type=sa.String(9), nullable=True, schema=SCHEMA)
    op.create_check_constraint("inzage_soort", "inzage", "soort IN ('inzage', 'wijziging', 'zoekopdracht')", schema=SCHEMA)
    op.create_check_constraint("inzage_client_genoemd", "inzage", "soort = 'zoekopdracht' OR bsn IS NOT NULL", schema=SCHEMA)
    op.create_index("inzage_op", "inzage", ["op", "id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_index("inzage_op", "inzage", schema=SCHEMA)
    op.execute(f"DELETE FROM {SCHEMA}.inzage WHERE bsn IS NULL")
    op.drop_constraint("inzage_client_genoemd", "inzage", schema=SCHEMA)
    op.drop_constraint("inzage_soort", "inzage", schema=SCHEMA)
    op.alter_column("inzage", "bsn", existing_type=sa.String(9), nullable=False, schema=SCHEMA)
    op.drop_column("inzage", "zoekopdracht", schema=SCHEMA)
    op.drop_column("inzage", "soort", schema=SCHEMA)
