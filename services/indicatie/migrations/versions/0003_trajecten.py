"""The secure workspace: samenwerkingstrajecten, taken and their history, POPs, evaluaties,
signalen and traject numbering. Reads are audited in `inzage` (migration 0002).

A branch of its own from 0001 (the cliënt tables); `upgrade heads` applies it next to 0002.

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = "indicatie"
ACTIEVE_POP = "status IN ('concept', 'bij_aanbieder', 'aangevuld', 'ondertekend', 'toegekend')"


def _aangemaakt_op() -> sa.Column:
    return sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def _traject_id() -> sa.Column:
    return sa.Column("traject_id", UUID(as_uuid=False), sa.ForeignKey(f"{SCHEMA}.samenwerkingstraject.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "samenwerkingstraject",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("nummer", sa.Text, nullable=False, unique=True),
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("onderwerp", sa.Text, nullable=False),
        sa.Column("participatieadviseur", sa.Text, nullable=False),
        sa.Column("meldingsdatum", sa.Date, nullable=False),
        sa.Column("startdatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("aanbieder_agb", sa.String(8)),
        sa.Column("doelen", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("acties", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        _aangemaakt_op(),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_index("traject_gemeente", "samenwerkingstraject", ["gemeentecode", "id"], schema=SCHEMA)
    op.create_index("traject_client", "samenwerkingstraject", ["gemeentecode", "bsn"], schema=SCHEMA)
    op.create_index("traject_aanbieder", "samenwerkingstraject", ["aanbieder_agb", "id"], schema=SCHEMA)
    op.create_table(
        "traject_nummering",
        sa.Column("gemeentecode", sa.String(4), primary_key=True),
        sa.Column("jaar", sa.Integer, primary_key=True),
        sa.Column("laatste", sa.Integer, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "taak",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        _traject_id(),
        sa.Column("naam", sa.Text, nullable=False),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("aangemaakt_door", sa.Text, nullable=False),
        sa.Column("bestemd_partij", sa.Text, nullable=False),
        sa.Column("bestemd_code", sa.Text, nullable=False),
        sa.Column("bestemd_medewerker", sa.Text, nullable=False, server_default=""),
        sa.Column("einddatum", sa.Date, nullable=False),
        sa.Column("prioriteit", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("omschrijving", sa.Text, nullable=False, server_default=""),
        _aangemaakt_op(),
        schema=SCHEMA,
    )
    op.create_index("ix_indicatie_taak_traject_id", "taak", ["traject_id"], schema=SCHEMA)
    op.create_table(
        "taak_wijziging",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("taak_id", UUID(as_uuid=False), sa.ForeignKey(f"{SCHEMA}.taak.id"), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("door", sa.Text, nullable=False),
        sa.Column("veld", sa.Text, nullable=False),
        sa.Column("oud", sa.Text, nullable=False),
        sa.Column("nieuw", sa.Text, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_indicatie_taak_wijziging_taak_id", "taak_wijziging", ["taak_id"], schema=SCHEMA)
    op.create_table(
        "pop",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        _traject_id(),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("opgesteld_door", sa.Text, nullable=False),
        sa.Column("termijn_start", sa.Date, nullable=False),
        sa.Column("zrm", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("profiel", sa.Text, nullable=False, server_default=""),
        sa.Column("pakket", sa.Text, nullable=False, server_default=""),
        sa.Column("aanbieder_agb", sa.String(8)),
        sa.Column("inzet", sa.Text, nullable=False, server_default=""),
        sa.Column("activiteiten", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("overgedragen_op", sa.Date),
        sa.Column("aangevuld_op", sa.Date),
        sa.Column("ondertekend_op", sa.Date),
        sa.Column("ondertekend_door", sa.Text, nullable=False, server_default=""),
        sa.Column("besloten_op", sa.Date),
        sa.Column("besluit_toelichting", sa.Text, nullable=False, server_default=""),
        _aangemaakt_op(),
        schema=SCHEMA,
    )
    op.create_index("ix_indicatie_pop_traject_id", "pop", ["traject_id"], schema=SCHEMA)
    op.create_index("pop_een_actief_profiel", "pop", ["traject_id"], unique=True, postgresql_where=sa.text(ACTIEVE_POP), schema=SCHEMA)
    op.create_table(
        "evaluatie",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        _traject_id(),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("uiterste_datum", sa.Date, nullable=False),
        sa.Column("beschikking_einddatum", sa.Date),
        sa.Column("gevraagd_door", sa.Text, nullable=False),
        sa.Column("reden", sa.Text, nullable=False, server_default=""),
        sa.Column("uitgevoerd_op", sa.Date),
        sa.Column("doelrealisatie", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("advies", sa.Text),
        sa.Column("toelichting", sa.Text, nullable=False, server_default=""),
        _aangemaakt_op(),
        schema=SCHEMA,
    )
    op.create_index("ix_indicatie_evaluatie_traject_id", "evaluatie", ["traject_id"], schema=SCHEMA)
    op.create_table(
        "signaal",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        _traject_id(),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("partij", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("medewerker", sa.Text, nullable=False, server_default=""),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("bron_id", UUID(as_uuid=False)),
        _aangemaakt_op(),
        sa.Column("afgehandeld_op", sa.Date),
        schema=SCHEMA,
    )
    op.create_index("ix_indicatie_signaal_traject_id", "signaal", ["traject_id"], schema=SCHEMA)
    op.create_index(
        "signaal_open", "signaal", ["partij", "code", "deadline", "id"], postgresql_where=sa.text("afgehandeld_op IS NULL"), schema=SCHEMA
    )
    # a taak's history is insert-only
    op.execute(
        f"""
        CREATE FUNCTION {SCHEMA}.taak_wijziging_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% on %.% refused: the history of a taak is insert-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME;
        END $$;
        CREATE TRIGGER wijziging_alleen_toevoegen BEFORE UPDATE OR DELETE ON {SCHEMA}.taak_wijziging
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.taak_wijziging_alleen_toevoegen();
        """
    )


def downgrade() -> None:
    for name in ("signaal", "evaluatie", "pop", "taak_wijziging", "taak", "traject_nummering", "samenwerkingstraject"):
        op.drop_table(name, schema=SCHEMA)
    op.execute(f"DROP FUNCTION {SCHEMA}.taak_wijziging_alleen_toevoegen()")
