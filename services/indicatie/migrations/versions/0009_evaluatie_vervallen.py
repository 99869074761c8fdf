"""An evaluatie still gepland when its samenwerkingstraject is afgesloten or gestopt vervalt: the day
(`vervallen_op`) and the reason (`vervallen_reden`, e.g. "samenwerkingstraject gestopt") are kept.

Evaluaties left gepland in trajecten closed before this version vervallen here too, on the day their
traject ended, so none waits for the aanbieder in a closed traject (their signalen were afgehandeld
when the traject closed).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SCHEMA = "indicatie"


def upgrade() -> None:
    op.add_column("evaluatie", sa.Column("vervallen_op", sa.Date), schema=SCHEMA)
    op.add_column("evaluatie", sa.Column("vervallen_reden", sa.Text, nullable=False, server_default=""), schema=SCHEMA)
    op.execute(
        f"""
        UPDATE {SCHEMA}.evaluatie e
           SET status = 'vervallen', vervallen_op = COALESCE(t.einddatum, CURRENT_DATE), vervallen_reden = 'samenwerkingstraject ' || t.status
          FROM {SCHEMA}.samenwerkingstraject t
         WHERE t.id = e.traject_id AND e.status = 'gepland' AND t.status IN ('afgesloten', 'gestopt')
        """
    )


def downgrade() -> None:
    op.drop_column("evaluatie", "vervallen_reden", schema=SCHEMA)
    op.drop_column("evaluatie", "vervallen_op", schema=SCHEMA)
