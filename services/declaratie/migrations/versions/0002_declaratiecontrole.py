"""The declaratiecontrole: copies of toewijzingen and leveringen, judged 323s with their prestaties,
verdicts on their way to the hub; contracts say whether start/stop is required.

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

SCHEMA = "declaratie"
TABLES = ("toewijzing_kopie", "levering_kopie", "declaratie", "prestatie", "oordeel")


def upgrade() -> None:
    op.add_column("contract", sa.Column("start_stop_verplicht", sa.Boolean, nullable=False, server_default=sa.text("false")), schema=SCHEMA)
    op.create_table(
        "declaratie",
        sa.Column("bericht_id", UUID(as_uuid=False), primary_key=True),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("declaratie_nummer", sa.Text, nullable=False),
        sa.Column("periode_begindatum", sa.Date, nullable=False),
        sa.Column("periode_einddatum", sa.Date, nullable=False),
        sa.Column("ingediend_eurocent", sa.BigInteger, nullable=False),
        sa.Column("toegekend_eurocent", sa.BigInteger, nullable=False),
        sa.Column("aantal_prestaties", sa.Integer, nullable=False),
        sa.Column("aantal_afgewezen", sa.Integer, nullable=False),
        sa.Column("geheel_afgewezen", sa.Boolean, nullable=False),
        sa.Column("beoordeeld_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_index("declaratie_aanbieder", "declaratie", ["agb", "wet", "declaratie_nummer"], schema=SCHEMA)
    op.create_index("declaratie_gemeente", "declaratie", ["gemeentecode", "periode_begindatum"], schema=SCHEMA)
    op.create_table(
        "levering_kopie",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("toewijzing_nummer", sa.BigInteger),
        sa.Column("categorie", sa.Text),
        sa.Column("code", sa.Text),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("reden_beeindiging", sa.Text),
        sa.Column("bericht_id", sa.Text),
        schema=SCHEMA,
    )
    op.create_index("levering_kopie_toewijzing", "levering_kopie", ["gemeentecode", "wet", "toewijzing_nummer"], schema=SCHEMA)
    op.create_table(
        "oordeel",
        sa.Column("bericht_id", UUID(as_uuid=False), primary_key=True),
        sa.Column("berichtsoort", sa.String(3), nullable=False),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("bevindingen", JSONB, nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("gemeld_op", sa.DateTime(timezone=True)),
        schema=SCHEMA,
    )
    op.create_table(
        "prestatie",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("bericht_id", UUID(as_uuid=False), nullable=False),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("referentie_nummer", sa.Text, nullable=False),
        sa.Column("vorig_referentie_nummer", sa.Text),
        sa.Column("toewijzing_nummer", sa.BigInteger, nullable=False),
        sa.Column("product_categorie", sa.Text, nullable=False),
        sa.Column("product_code", sa.Text, nullable=False),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date, nullable=False),
        sa.Column("geleverd_volume", sa.BigInteger, nullable=False),
        sa.Column("eenheid", sa.Text, nullable=False),
        sa.Column("product_tarief", sa.BigInteger),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("debet_credit", sa.String(1), nullable=False),
        sa.Column("toegekend", sa.Boolean, nullable=False),
        sa.Column("gecrediteerd", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("retour_codes", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        schema=SCHEMA,
    )
    op.create_index("prestatie_referentie", "prestatie", ["agb", "wet", "referentie_nummer"], schema=SCHEMA)
    op.create_index("prestatie_bericht", "prestatie", ["bericht_id"], schema=SCHEMA)
    op.create_index("prestatie_toewijzing", "prestatie", ["gemeentecode", "wet", "toewijzing_nummer"], schema=SCHEMA)
    op.create_table(
        "toewijzing_kopie",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("toewijzing_nummer", sa.BigInteger, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("categorie", sa.Text),
        sa.Column("code", sa.Text),
        sa.Column("ingangsdatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("uitvoeringsvariant", sa.Text, nullable=False),
        sa.Column("volume", sa.Integer),
        sa.Column("eenheid", sa.Text),
        sa.Column("frequentie", sa.Text),
        sa.Column("budget", sa.BigInteger),
        sa.Column("verwijderd", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
        schema=SCHEMA,
    )
    op.create_index("toewijzing_kopie_aanbieder", "toewijzing_kopie", ["agb", "gemeentecode"], schema=SCHEMA)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name, schema=SCHEMA)
    op.drop_column("contract", "start_stop_verplicht", schema=SCHEMA)
