"""Messages, their immutable raw XML, postbus, status history, used identificaties, numbering.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = "berichten"


def upgrade() -> None:
    op.create_table(
        "bericht",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("richting", sa.Text, nullable=False),
        sa.Column("standaard", sa.Text),
        sa.Column("berichtsoort", sa.String(3)),
        sa.Column("berichtcode", sa.Integer),
        sa.Column("afzender", sa.Text, nullable=False),
        sa.Column("ontvanger", sa.Text),
        sa.Column("gemeentecode", sa.String(4)),
        sa.Column("agb", sa.String(8)),
        sa.Column("identificatie", sa.Text),
        sa.Column("dagtekening", sa.Date),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("grootte", sa.Integer, nullable=False),
        sa.Column("heen_id", UUID(as_uuid=False)),
        sa.Column("retour_id", UUID(as_uuid=False)),
        sa.Column("fout_reden", sa.Text),
        sa.Column("fout_melding", sa.Text),
        sa.Column("xsd_fouten", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("bevindingen", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_index("bericht_gemeente", "bericht", ["gemeentecode", "ontvangen_op"], schema=SCHEMA)
    op.create_index("bericht_agb", "bericht", ["agb", "ontvangen_op"], schema=SCHEMA)
    op.create_table(
        "bericht_inhoud",
        sa.Column("bericht_id", UUID(as_uuid=False), sa.ForeignKey(f"{SCHEMA}.bericht.id"), primary_key=True),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        schema=SCHEMA,
    )
    op.execute(
        f"""
        CREATE FUNCTION {SCHEMA}.inhoud_onveranderlijk() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the raw XML of a message is immutable (% on bericht_inhoud refused)', TG_OP;
        END $$;
        CREATE TRIGGER inhoud_onveranderlijk BEFORE UPDATE OR DELETE ON {SCHEMA}.bericht_inhoud
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.inhoud_onveranderlijk();
        """
    )
    op.create_table(
        "postbus",
        sa.Column("bericht_id", UUID(as_uuid=False), sa.ForeignKey(f"{SCHEMA}.bericht.id"), primary_key=True),
        sa.Column("ontvanger", sa.Text, nullable=False),
        sa.Column("levering", sa.Text, nullable=False),
        sa.Column("klaargezet_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("opgehaald_op", sa.DateTime(timezone=True)),
        sa.Column("bevestigd_op", sa.DateTime(timezone=True)),
        schema=SCHEMA,
    )
    op.create_index(
        "postbus_open", "postbus", ["ontvanger", "klaargezet_op", "bericht_id"], schema=SCHEMA,
        postgresql_where=sa.text("levering <> 'bevestigd'"),
    )
    op.create_table(
        "bericht_status",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("bericht_id", UUID(as_uuid=False), sa.ForeignKey(f"{SCHEMA}.bericht.id"), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_index("ix_bericht_status_bericht_id", "bericht_status", ["bericht_id"], schema=SCHEMA)
    op.create_table(
        "identificatie_gebruik",
        sa.Column("afzender", sa.Text, primary_key=True),
        sa.Column("berichtsoort", sa.String(3), primary_key=True),
        sa.Column("identificatie", sa.Text, primary_key=True),
        sa.Column("bericht_id", UUID(as_uuid=False), nullable=False),
        schema=SCHEMA,
    )
    op.execute(f"CREATE SEQUENCE {SCHEMA}.retour_volgnummer")


def downgrade() -> None:
    op.execute(f"DROP SEQUENCE {SCHEMA}.retour_volgnummer")
    for name in ("identificatie_gebruik", "bericht_status", "postbus", "bericht_inhoud", "bericht"):
        op.drop_table(name, schema=SCHEMA)
    op.execute(f"DROP FUNCTION {SCHEMA}.inhoud_onveranderlijk()")
