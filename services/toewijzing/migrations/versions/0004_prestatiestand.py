"""The copy of the declaratie service's prestatiestand: whether approved, non-credited prestaties exist
on a toewijzing (TR385: then it may not be deleted).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prestatiestand",
        sa.Column("gemeentecode", sa.String(4), nullable=False),
        sa.Column("wet", sa.Text, nullable=False),
        sa.Column("toewijzing_nummer", sa.BigInteger, nullable=False),
        sa.Column("heeft_toegekende_prestaties", sa.Boolean, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
        schema="toewijzing",
    )


def downgrade() -> None:
    op.drop_table("prestatiestand", schema="toewijzing")
