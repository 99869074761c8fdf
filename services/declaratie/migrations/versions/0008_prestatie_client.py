"""The prestaties of one cliënt, latest period first (the declaraties in the cliënt's dossier).

Revision ID: 0008_prestatie_client
Revises: 0007_inzage
"""

from alembic import op

revision = "0008_prestatie_client"
down_revision = "0007_inzage"
branch_labels = None
depends_on = None

SCHEMA = "declaratie"


def upgrade() -> None:
    op.create_index("prestatie_client", "prestatie", ["gemeentecode", "bsn", "begindatum", "id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_index("prestatie_client", table_name="prestatie", schema=SCHEMA)
