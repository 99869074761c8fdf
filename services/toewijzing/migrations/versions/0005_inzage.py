"""The audit log of cliënt data: who read or changed which cliënt's data, what and when (runtime.audit).

Revision ID: 0005_inzage
Revises: 0004, 0004_toewijslijst_keyset
"""

from alembic import op

from runtime.audit import create_inzage_table

revision = "0005_inzage"  # a name of its own: another branch may add a 0005 beside it (migrations run to every head)
down_revision = ("0004", "0004_toewijslijst_keyset")
branch_labels = None
depends_on = None

SCHEMA = "toewijzing"


def upgrade() -> None:
    create_inzage_table(SCHEMA)


def downgrade() -> None:
    op.drop_table("inzage", schema=SCHEMA)
