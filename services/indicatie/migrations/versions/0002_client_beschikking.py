"""The full cliënt (adressen, contact, vertegenwoordiging), BRP-mutaties, the read audit log,
beschikkingen with their producten and history, and the copy of the declaratie contracts.

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

SCHEMA = "indicatie"
CLIENT_COLUMNS = (
    "datum_gebruik",
    "telefoon",
    "emailadres",
    "vertegenwoordiging_soort",
    "vertegenwoordiger_naam",
    "vertegenwoordiger_telefoon",
    "vertegenwoordiger_emailadres",
)


def upgrade() -> None:
    for name in CLIENT_COLUMNS:
        op.add_column("client", sa.Column(name, sa.Text, nullable=False, server_default=""), schema=SCHEMA)
    op.add_column("client", sa.Column("gewijzigd_op", sa.DateTime(timezone=True)), schema=SCHEMA)

    op.create_table(
        "client_adres",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("straatnaam", sa.Text, nullable=False, server_default=""),
        sa.Column("huisnummer", sa.Integer),
        sa.Column("huisletter", sa.Text, nullable=False, server_default=""),
        sa.Column("huisnummertoevoeging", sa.Text, nullable=False, server_default=""),
        sa.Column("postcode", sa.Text, nullable=False, server_default=""),
        sa.Column("plaatsnaam", sa.Text, nullable=False, server_default=""),
        sa.Column("land", sa.Text, nullable=False, server_default="NL"),
        sa.PrimaryKeyConstraint("gemeentecode", "bsn", "soort"),
        sa.ForeignKeyConstraint(["gemeentecode", "bsn"], [f"{SCHEMA}.client.gemeentecode", f"{SCHEMA}.client.bsn"], ondelete="CASCADE"),
        schema=SCHEMA,
    )
    # the short adres of cliënten registered before 0002 becomes their BRP-adres
    op.execute(
        f"""INSERT INTO {SCHEMA}.client_adres (gemeentecode, bsn, soort, postcode, huisnummer)
            SELECT gemeentecode, bsn, '01', postcode, CASE WHEN huisnummer ~ '^[0-9]{{1,5}}$' THEN huisnummer::int END
            FROM {SCHEMA}.client WHERE postcode <> '' OR huisnummer <> ''"""
    )

    op.create_table(
        "brp_mutatie",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("kenmerk", sa.Text, nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("nieuwe_gemeentecode", sa.String(4), nullable=False, server_default=""),
        sa.Column("bron", sa.Text, nullable=False),
        sa.Column("door", sa.Text, nullable=False),
        sa.Column("verwerkt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("gemeentecode", "kenmerk"),
        schema=SCHEMA,
    )
    op.create_index("brp_mutatie_client", "brp_mutatie", ["gemeentecode", "bsn"], schema=SCHEMA)

    op.create_table(
        "inzage",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("rol", sa.Text, nullable=False),
        sa.Column("namens", sa.Text, nullable=False),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("wat", sa.Text, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("inzage_client", "inzage", ["gemeentecode", "bsn", "op"], schema=SCHEMA)

    op.execute(sa.schema.CreateSequence(sa.Sequence("beschikkingnummer_seq", schema=SCHEMA, start=1)))
    op.create_table(
        "beschikking",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("beschikkingnummer", sa.String(9), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("beschikkingsdatum", sa.Date, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("reden_code", sa.Text),
        sa.Column("reden_toelichting", sa.Text),
        sa.Column("ingetrokken_per", sa.Date),
        sa.Column("afgegeven_door", sa.Text, nullable=False),
        sa.Column("afgegeven_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("gemeentecode", "beschikkingnummer"),
        sa.ForeignKeyConstraint(["gemeentecode", "bsn"], [f"{SCHEMA}.client.gemeentecode", f"{SCHEMA}.client.bsn"]),
        schema=SCHEMA,
    )
    op.create_index("beschikking_client", "beschikking", ["gemeentecode", "bsn"], schema=SCHEMA)
    op.create_table(
        "beschikt_product",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("beschikkingnummer", sa.String(9), nullable=False),
        sa.Column("volgnummer", sa.Integer, nullable=False),
        sa.Column("categorie", sa.String(2), nullable=False),
        sa.Column("code", sa.Text, nullable=False, server_default=""),
        sa.Column("volume", sa.Integer),
        sa.Column("eenheid", sa.Text),
        sa.Column("frequentie", sa.Text),
        sa.Column("budget_eurocent", sa.BigInteger),
        sa.Column("ingangsdatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("uitvoeringsvariant", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("gemeentecode", "beschikkingnummer", "volgnummer"),
        sa.ForeignKeyConstraint(
            ["gemeentecode", "beschikkingnummer"],
            [f"{SCHEMA}.beschikking.gemeentecode", f"{SCHEMA}.beschikking.beschikkingnummer"],
            ondelete="CASCADE",
        ),
        schema=SCHEMA,
    )
    op.create_table(
        "beschikking_mutatie",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("beschikkingnummer", sa.String(9), nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("reden_code", sa.Text),
        sa.Column("reden_toelichting", sa.Text),
        sa.Column("ingetrokken_per", sa.Date),
        sa.Column("producten", JSONB, nullable=False),
        sa.Column("door", sa.Text, nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("gemeentecode", "beschikkingnummer", "versie"),
        schema=SCHEMA,
    )

    op.create_table(
        "contract",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("agb", sa.String(8), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("productcategorie", sa.String(2), nullable=False),
        sa.Column("productcode", sa.String(5), nullable=False),
        sa.Column("uitvoeringsvariant", sa.Text, nullable=False),
        sa.Column("eenheid", sa.Text, nullable=False),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_index("contract_product", "contract", ["gemeentecode", "productcategorie", "productcode"], schema=SCHEMA)


def downgrade() -> None:
    for name in ("contract", "beschikking_mutatie", "beschikt_product", "beschikking", "inzage", "brp_mutatie", "client_adres"):
        op.drop_table(name, schema=SCHEMA)
    op.execute(sa.schema.DropSequence(sa.Sequence("beschikkingnummer_seq", schema=SCHEMA)))
    for name in (*CLIENT_COLUMNS, "gewijzigd_op"):
        op.drop_column("client", name, schema=SCHEMA)
