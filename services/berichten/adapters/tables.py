"""The berichten schema: messages, their immutable raw XML, status history and used identificaties."""

from sqlalchemy import BigInteger, Column, Date, DateTime, ForeignKey, Identity, Index, Integer, LargeBinary, String, Table, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from runtime.audit import inzage_table
from runtime.db import service_metadata

metadata = service_metadata("berichten")

# Who read which cliënt's data in a message's content, what and when (runtime.audit; migration 0005_inzage).
inzage = inzage_table(metadata)

bericht = Table(
    "bericht",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("richting", Text, nullable=False),  # in | uit
    Column("standaard", Text),
    Column("berichtsoort", String(3)),
    Column("berichtcode", Integer),
    Column("afzender", Text, nullable=False),  # the sending party (gemeentecode or AGB)
    Column("ontvanger", Text),  # the receiving party
    Column("gemeentecode", String(4)),  # the gemeente party, for tenancy
    Column("agb", String(8)),  # the aanbieder party, for tenancy
    Column("identificatie", Text),
    Column("dagtekening", Date),
    Column("status", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("grootte", Integer, nullable=False),
    Column("heen_id", UUID(as_uuid=False)),
    Column("retour_id", UUID(as_uuid=False)),
    Column("fout_reden", Text),
    Column("fout_melding", Text),
    Column("xsd_fouten", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("bevindingen", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("gewijzigd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("correctie_van", UUID(as_uuid=False)),  # this message corrects that rejected one
    Column("gecorrigeerd_door", UUID(as_uuid=False)),  # this rejected message was corrected by that one
    # the BSNs of the message's Clients (berichten.domain.clienten), so a read of its content is audited per cliënt
    Column("bsns", ARRAY(String(9)), nullable=False, server_default=text("'{}'")),
    Index("bericht_gemeente", "gemeentecode", "ontvangen_op"),
    Index("bericht_agb", "agb", "ontvangen_op"),
    Index("bericht_correctie_van", "correctie_van", unique=True, postgresql_where=text("correctie_van IS NOT NULL")),
    Index(
        "bericht_wacht_op_correctie",
        "afzender",
        "ontvangen_op",
        "id",
        postgresql_where=text("richting = 'in' AND gecorrigeerd_door IS NULL AND (fout_reden IS NOT NULL OR bevindingen <> '[]'::jsonb)"),
    ),
)

# The raw XML as received or sent: insert-only (a trigger refuses UPDATE and DELETE).
bericht_inhoud = Table(
    "bericht_inhoud",
    metadata,
    Column("bericht_id", UUID(as_uuid=False), ForeignKey("berichten.bericht.id"), primary_key=True),
    Column("xml", LargeBinary, nullable=False),
)

# Delivery of a message to the party it is addressed to: its postbus.
postbus = Table(
    "postbus",
    metadata,
    Column("bericht_id", UUID(as_uuid=False), ForeignKey("berichten.bericht.id"), primary_key=True),
    Column("ontvanger", Text, nullable=False),
    Column("levering", Text, nullable=False),
    Column("klaargezet_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("opgehaald_op", DateTime(timezone=True)),
    Column("bevestigd_op", DateTime(timezone=True)),
    Column("gesignaleerd_op", DateTime(timezone=True)),  # when "not fetched in time" was signalled
    Index("postbus_open", "ontvanger", "klaargezet_op", "bericht_id", postgresql_where=text("levering <> 'bevestigd'")),
)

bericht_status = Table(
    "bericht_status",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("bericht_id", UUID(as_uuid=False), ForeignKey("berichten.bericht.id"), nullable=False, index=True),
    Column("status", Text, nullable=False),
    Column("op", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# TR056: an Identificatie is used once per berichtsoort per sending party.
identificatie_gebruik = Table(
    "identificatie_gebruik",
    metadata,
    Column("afzender", Text, primary_key=True),
    Column("berichtsoort", String(3), primary_key=True),
    Column("identificatie", Text, primary_key=True),
    Column("bericht_id", UUID(as_uuid=False), nullable=False),
)
