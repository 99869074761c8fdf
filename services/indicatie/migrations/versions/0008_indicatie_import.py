"""Indicaties imported from a gemeente's own system: each import (who, when, from which file, the
counts) and the afgewezen records with their gebreken per field, open until corrected (`record`: as
last submitted, `ontvangen`: as the gemeente's system sent it). A record is
known by (gemeentecode, sleutel): at most one open afgewezen copy of it.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SCHEMA = "indicatie"


def upgrade() -> None:
    op.create_table(
        "indicatie_import",
        sa.Column("id", postgresql.UUID(as_uuid=False), primary_key=True),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("bron", sa.Text, nullable=False),
        sa.Column("door", sa.Text, nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("aanvaard", sa.Integer, nullable=False, server_default="0"),
        sa.Column("al_verwerkt", sa.Integer, nullable=False, server_default="0"),
        sa.Column("afgewezen", sa.Integer, nullable=False, server_default="0"),
        schema=SCHEMA,
    )
    op.create_table(
        "afgewezen_indicatie",
        sa.Column("id", postgresql.UUID(as_uuid=False), primary_key=True),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("sleutel", sa.Text, nullable=False),
        sa.Column("import_id", postgresql.UUID(as_uuid=False), sa.ForeignKey(f"{SCHEMA}.indicatie_import.id")),
        sa.Column("regel", sa.Integer, nullable=False),
        sa.Column("record", postgresql.JSONB, nullable=False),
        sa.Column("ontvangen", postgresql.JSONB, nullable=False),
        sa.Column("gebreken", postgresql.JSONB, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="open"),
        sa.Column("beschikkingnummer", sa.Text),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("bijgewerkt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("status IN ('open', 'hersteld')", name="afgewezen_indicatie_status"),
        schema=SCHEMA,
    )
    op.create_index(
        "afgewezen_indicatie_open", "afgewezen_indicatie", ["gemeentecode", "sleutel"], unique=True, postgresql_where=sa.text("status = 'open'"), schema=SCHEMA
    )
    op.create_index("afgewezen_indicatie_lijst", "afgewezen_indicatie", ["gemeentecode", "aangemaakt_op", "id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("afgewezen_indicatie", schema=SCHEMA)
    op.drop_table("indicatie_import", schema=SCHEMA)
