"""The toewijslijst in keyset order: an index on (sinds, id), the order ListToewijslijst pages in.

Revision ID: 0004_toewijslijst_keyset
Revises: 0003
"""

from alembic import op

revision = "0004_toewijslijst_keyset"  # a name of its own: another branch may add a 0004 beside it (migrations run to every head)
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("inschrijving_wachtend", "inschrijving", ["sinds", "id"], schema="toewijzing")


def downgrade() -> None:
    op.drop_index("inschrijving_wachtend", table_name="inschrijving", schema="toewijzing")
