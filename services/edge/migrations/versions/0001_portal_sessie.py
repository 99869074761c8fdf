"""The portal's server-side sessions (login state, the only thing the edge keeps).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "edge"


def upgrade() -> None:
    op.create_table(
        "portal_sessie",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("gebruikersnaam", sa.Text, nullable=False),
        sa.Column("bron", sa.Text, nullable=False),
        sa.Column("naam", sa.Text, nullable=False),
        sa.Column("rol", sa.Text, nullable=False),
        sa.Column("gemeentecodes", sa.ARRAY(sa.Text), nullable=False, server_default=sa.text("'{}'")),
        sa.Column("agb", sa.Text),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beeindigd_op", sa.DateTime(timezone=True)),
        sa.Column("beeindigd_door", sa.Text),
        schema=SCHEMA,
    )
    op.create_index("portal_sessie_gebruiker", "portal_sessie", ["gebruikersnaam"], schema=SCHEMA, postgresql_where=sa.text("beeindigd_op IS NULL"))
    op.create_index("portal_sessie_verloopt", "portal_sessie", ["verloopt_op"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("portal_sessie", schema=SCHEMA)
