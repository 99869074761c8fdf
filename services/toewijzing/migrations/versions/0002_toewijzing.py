"""Toewijzingen and their versions, numbering, the toewijslijst, verzoeken, starts and stops, the
messages and verdicts on their way to the hub, and the contract copy.

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

SCHEMA = "toewijzing"
TABLES = ("toewijzing_versie", "nummer_reeks", "inschrijving", "verzoek", "levering", "uitgaand_bericht", "oordeel", "identificatie_reeks", "contract")


def upgrade() -> None:
    op.create_table(
        "contract",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("categorie", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("uitvoeringsvariant", sa.Text, nullable=False),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
        schema=SCHEMA,
    )
    op.create_index("contract_aanbieder", "contract", ["agb", "gemeentecode"], schema=SCHEMA)
    op.create_table(
        "identificatie_reeks",
        sa.Column("gemeentecode", sa.String(4), primary_key=True),
        sa.Column("laatste", sa.BigInteger, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "inschrijving",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("beschikkingnummer", sa.Text, nullable=False),
        sa.Column("categorie", sa.Text),
        sa.Column("code", sa.Text),
        sa.Column("ingangsdatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("volume", sa.Integer),
        sa.Column("eenheid", sa.Text),
        sa.Column("frequentie", sa.Text),
        sa.Column("budget", sa.BigInteger),
        sa.Column("uitvoeringsvariant", sa.Text, nullable=False),
        sa.Column("wijk", sa.String(4)),
        sa.Column("sinds", sa.DateTime(timezone=False), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("geclaimd_door", sa.String(8)),
        sa.Column("geclaimd_op", sa.DateTime(timezone=False)),
        sa.Column("bevestigd_op", sa.DateTime(timezone=False)),
        sa.Column("vervallen_op", sa.DateTime(timezone=False)),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("toewijzing_nummer", sa.BigInteger),
        schema=SCHEMA,
    )
    op.create_index("inschrijving_gemeente", "inschrijving", ["gemeentecode", "status"], schema=SCHEMA)
    op.create_table(
        "levering",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("toewijzing_nummer", sa.BigInteger),
        sa.Column("categorie", sa.Text),
        sa.Column("code", sa.Text),
        sa.Column("toewijzing_ingangsdatum", sa.Date),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("reden_beeindiging", sa.Text),
        sa.Column("einddatum", sa.Date),
        sa.Column("ontvangen_op", sa.Date, nullable=False),
        sa.Column("bericht_id", UUID(as_uuid=False), nullable=False),
        sa.Column("verwijderd", sa.Boolean, nullable=False, server_default=sa.text("false")),
        schema=SCHEMA,
    )
    op.create_index("levering_client", "levering", ["gemeentecode", "agb", "bsn"], schema=SCHEMA)
    op.create_table(
        "nummer_reeks",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("laatste", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("gemeentecode", "wet"),
        schema=SCHEMA,
    )
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
        "toewijzing_versie",
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
        sa.Column("volume", sa.Integer),
        sa.Column("eenheid", sa.Text),
        sa.Column("frequentie", sa.Text),
        sa.Column("budget", sa.BigInteger),
        sa.Column("uitvoeringsvariant", sa.Text, nullable=False),
        sa.Column("toewijzingsmoment", sa.DateTime(timezone=False), nullable=False),
        sa.Column("reden_wijziging", sa.Text),
        sa.Column("referentie_aanbieder", sa.Text),
        sa.Column("beschikkingnummer", sa.Text),
        sa.Column("commentaar", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("verzonden_in", UUID(as_uuid=False)),
        sa.PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer", "versie"),
        schema=SCHEMA,
    )
    op.create_index("toewijzing_client", "toewijzing_versie", ["gemeentecode", "bsn"], schema=SCHEMA)
    op.create_index("toewijzing_aanbieder", "toewijzing_versie", ["agb", "bsn"], schema=SCHEMA)
    op.create_table(
        "uitgaand_bericht",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("berichtsoort", sa.String(3), nullable=False),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("identificatie", sa.Text, nullable=False),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("bericht_id", UUID(as_uuid=False)),
        sa.Column("retour_codes", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("verzonden_op", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("gemeentecode", "berichtsoort", "identificatie", name="uitgaand_identificatie_uniek"),
        schema=SCHEMA,
    )
    op.create_index("uitgaand_te_versturen", "uitgaand_bericht", ["status"], schema=SCHEMA)
    op.create_table(
        "verzoek",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("soort", sa.String(3), nullable=False),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("referentie_aanbieder", sa.Text, nullable=False),
        sa.Column("reden_verzoek", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("ontvangen_op", sa.Date, nullable=False),
        sa.Column("bericht_id", UUID(as_uuid=False), nullable=False),
        sa.Column("producten", JSONB, nullable=False),
        sa.Column("in_onderzoek_sinds", sa.Date),
        sa.Column("beantwoord_op", sa.Date),
        sa.Column("reden_afwijzing", sa.Text),
        sa.UniqueConstraint("agb", "wet", "referentie_aanbieder", name="verzoek_referentie_uniek"),
        schema=SCHEMA,
    )
    op.create_index("verzoek_gemeente", "verzoek", ["gemeentecode", "status"], schema=SCHEMA)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name, schema=SCHEMA)
