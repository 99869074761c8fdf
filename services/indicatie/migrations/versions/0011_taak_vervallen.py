"""A taak still open or in behandeling when its samenwerkingstraject is afgesloten or gestopt vervalt:
the day (`vervallen_op`) and the reason (`vervallen_reden`, e.g. "samenwerkingstraject gestopt") are
kept, next to the status change in its history.

Taken left open or in behandeling in trajecten closed before this version vervallen here too, on the
day their traject ended, each with a history row by "migratie 0011" (at the time the migration ran).
Nothing is published for them (no `indicatie.traject.taak_vervallen`), and their signalen are not
touched: those were afgehandeld when the traject closed.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SCHEMA = "indicatie"


def upgrade() -> None:
    op.add_column("taak", sa.Column("vervallen_op", sa.Date), schema=SCHEMA)
    op.add_column("taak", sa.Column("vervallen_reden", sa.Text, nullable=False, server_default=""), schema=SCHEMA)
    # the history first, while the old status is still there
    op.execute(
        f"""
        INSERT INTO {SCHEMA}.taak_wijziging (taak_id, op, door, veld, oud, nieuw)
        SELECT k.id, now(), 'migratie 0011', 'status', k.status, 'vervallen'
          FROM {SCHEMA}.taak k, {SCHEMA}.samenwerkingstraject t
         WHERE t.id = k.traject_id AND k.status IN ('open', 'in_behandeling') AND t.status IN ('afgesloten', 'gestopt')
        """
    )
    op.execute(
        f"""
        UPDATE {SCHEMA}.taak k
           SET status = 'vervallen', vervallen_op = COALESCE(t.einddatum, CURRENT_DATE), vervallen_reden = 'samenwerkingstraject ' || t.status
          FROM {SCHEMA}.samenwerkingstraject t
         WHERE t.id = k.traject_id AND k.status IN ('open', 'in_behandeling') AND t.status IN ('afgesloten', 'gestopt')
        """
    )


def downgrade() -> None:
    op.drop_column("taak", "vervallen_reden", schema=SCHEMA)
    op.drop_column("taak", "vervallen_op", schema=SCHEMA)
