"""The tables of imported indicaties (migration 0008): the imports and the afgewezen records."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from indicatie.adapters.tables import metadata

indicatie_import = Table(
    "indicatie_import",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("gemeentecode", String(4), nullable=False),
    Column("bron", Text, nullable=False),  # the file name, or "api"
    Column("door", Text, nullable=False),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("aantal", Integer, nullable=False),
    Column("aanvaard", Integer, nullable=False, server_default="0"),
    Column("al_verwerkt", Integer, nullable=False, server_default="0"),
    Column("afgewezen", Integer, nullable=False, server_default="0"),
)

# An afgewezen record with its gebreken ([{veld, reden}]), open until it is corrected (hersteld).
afgewezen_indicatie = Table(
    "afgewezen_indicatie",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("gemeentecode", String(4), nullable=False),
    Column("sleutel", Text, nullable=False),  # IndicatieRecord.sleutel()
    Column("import_id", UUID(as_uuid=False), ForeignKey("indicatie.indicatie_import.id")),
    Column("regel", Integer, nullable=False),
    Column("record", JSONB, nullable=False),  # as last submitted (a correction replaces it)
    Column("ontvangen", JSONB, nullable=False),  # as the gemeente's system sent it in the latest import
    Column("gebreken", JSONB, nullable=False),
    Column("status", Text, nullable=False, server_default="open"),
    Column("beschikkingnummer", Text),  # the beschikking it became once hersteld
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("bijgewerkt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("status IN ('open', 'hersteld')", name="afgewezen_indicatie_status"),
    Index("afgewezen_indicatie_open", "gemeentecode", "sleutel", unique=True, postgresql_where=text("status = 'open'")),
    Index("afgewezen_indicatie_lijst", "gemeentecode", "aangemaakt_op", "id"),
)
