"""The audit log of cliënt data: who read or changed which cliënt's data, what and when (runtime.audit).

Revision ID: 0007_inzage
Revises: 0006
"""

from alembic import op

from runtime.audit import create_inzage_table

revision = "0007_inzage"  # a name of its own: another branch may add a 0007 beside it (migrations run to every head)
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = "declaratie"


def upgrade() -> None:
    create_inzage_table(SCHEMA)


def downgrade() -> None:
    op.drop_table("inzage", schema=SCHEMA)
