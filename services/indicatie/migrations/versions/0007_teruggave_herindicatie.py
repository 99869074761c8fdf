"""The POP can be teruggegeven by the aanbieder (status teruggegeven, its date and reden; still the
traject's one active profiel); signalen can be about a beschikking (the herindicatie signal: no
traject, but the gemeentecode, beschikkingnummer and product it is for); and a signal that passed its
deadline is reported once (`verlopen_gemeld_op`, set in the transaction that publishes
indicatie.signaal.verlopen).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = "indicatie"
ACTIEF_OUD = "status IN ('concept', 'bij_aanbieder', 'aangevuld', 'ondertekend', 'toegekend')"
ACTIEF = "status IN ('concept', 'bij_aanbieder', 'aangevuld', 'teruggegeven', 'ondertekend', 'toegekend')"


def upgrade() -> None:
    op.add_column("pop", sa.Column("teruggegeven_op", sa.Date), schema=SCHEMA)
    op.add_column("pop", sa.Column("teruggave_reden", sa.Text, nullable=False, server_default=""), schema=SCHEMA)
    op.drop_index("pop_een_actief_profiel", "pop", schema=SCHEMA)
    op.create_index("pop_een_actief_profiel", "pop", ["traject_id"], unique=True, postgresql_where=sa.text(ACTIEF), schema=SCHEMA)

    op.alter_column("signaal", "traject_id", existing_type=postgresql.UUID(as_uuid=False), nullable=True, schema=SCHEMA)
    op.add_column("signaal", sa.Column("gemeentecode", sa.String(4)), schema=SCHEMA)
    op.add_column("signaal", sa.Column("beschikkingnummer", sa.Text), schema=SCHEMA)
    op.add_column("signaal", sa.Column("product", sa.Text), schema=SCHEMA)
    op.add_column("signaal", sa.Column("verlopen_gemeld_op", sa.DateTime(timezone=True)), schema=SCHEMA)
    op.create_check_constraint(
        "signaal_onderwerp",
        "signaal",
        "traject_id IS NOT NULL OR (gemeentecode IS NOT NULL AND beschikkingnummer IS NOT NULL AND product IS NOT NULL)",
        schema=SCHEMA,
    )
    op.create_index(
        "signaal_beschikking", "signaal", ["gemeentecode", "beschikkingnummer"], postgresql_where=sa.text("beschikkingnummer IS NOT NULL"), schema=SCHEMA
    )
    op.create_index(
        "signaal_te_melden",
        "signaal",
        ["deadline", "id"],
        postgresql_where=sa.text("afgehandeld_op IS NULL AND verlopen_gemeld_op IS NULL"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_index("signaal_te_melden", "signaal", schema=SCHEMA)
    op.drop_index("signaal_beschikking", "signaal", schema=SCHEMA)
    op.drop_constraint("signaal_onderwerp", "signaal", schema=SCHEMA)
    op.execute(f"DELETE FROM {SCHEMA}.signaal WHERE traject_id IS NULL")
    for kolom in ("verlopen_gemeld_op", "product", "beschikkingnummer", "gemeentecode"):
        op.drop_column("signaal", kolom, schema=SCHEMA)
    op.alter_column("signaal", "traject_id", existing_type=postgresql.UUID(as_uuid=False), nullable=False, schema=SCHEMA)
    op.execute(f"UPDATE {SCHEMA}.pop SET status = 'vervallen' WHERE status = 'teruggegeven'")
    op.drop_index("pop_een_actief_profiel", "pop", schema=SCHEMA)
    op.create_index("pop_een_actief_profiel", "pop", ["traject_id"], unique=True, postgresql_where=sa.text(ACTIEF_OUD), schema=SCHEMA)
    op.drop_column("pop", "teruggave_reden", schema=SCHEMA)
    op.drop_column("pop", "teruggegeven_op", schema=SCHEMA)
