"""The indicatie schema's tables."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, PrimaryKeyConstraint, String, Table, Text, func

from runtime.db import service_metadata

metadata = service_metadata("indicatie")

client = Table(
    "client",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("geslachtsnaam", Text, nullable=False),
    Column("voorvoegsel", Text, nullable=False, server_default=""),
    Column("voorletters", Text, nullable=False),
    Column("geboortedatum", Date, nullable=False),
    Column("geslacht", String(1), nullable=False),
    Column("postcode", String(6), nullable=False, server_default=""),
    Column("huisnummer", Text, nullable=False, server_default=""),
    Column("status", Text, nullable=False),
    Column("geregistreerd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("gemeentecode", "bsn"),
)
