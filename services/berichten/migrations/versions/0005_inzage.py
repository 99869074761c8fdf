"""The audit log of cliënt data (runtime.audit) and, per message, the BSNs of its Clients, so a read
of a message's content is audited per cliënt without parsing it again. Messages stored before keep
an empty list (their reads are not attributed to a cliënt).

Revision ID: 0005_inzage
Revises: 0004_correctie
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from runtime.audit import create_inzage_table

revision = "0005_inzage"  # a name of its own: another branch may add a 0005 beside it (migrations run to every head)
down_revision = "0004_correctie"
branch_labels = None
depends_on = None

SCHEMA = "berichten"


def upgrade() -> None:
    create_inzage_table(SCHEMA)
    op.add_column("bericht", sa.Column("bsns", postgresql.ARRAY(sa.String(9)), nullable=False, server_default=sa.text("'{}'")), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("bericht", "bsns", schema=SCHEMA)
    op.drop_table("inzage", schema=SCHEMA)
