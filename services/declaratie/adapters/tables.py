"""The declaratie schema's tables."""

from sqlalchemy import BigInteger, Column, Date, DateTime, String, Table, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import UUID

from runtime.db import service_metadata

metadata = service_metadata("declaratie")

contract = Table(
    "contract",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("gemeentecode", String(4), nullable=False),
    Column("agb", String(8), nullable=False),
    Column("wet", Text, nullable=False),
    Column("productcategorie", String(2), nullable=False),
    Column("productcode", String(5), nullable=False),
    Column("uitvoeringsvariant", Text, nullable=False),
    Column("tarief_eurocent", BigInteger, nullable=False),
    Column("eenheid", String(2), nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date),
    Column("geregistreerd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("gemeentecode", "agb", "productcategorie", "productcode", "uitvoeringsvariant", "begindatum", name="contract_versie"),
)
