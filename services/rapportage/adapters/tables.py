"""The rapportage schema's read models."""

from sqlalchemy import BigInteger, Column, String, Table

from runtime.db import service_metadata

metadata = service_metadata("rapportage")

client_telling = Table(
    "client_telling",
    metadata,
    Column("gemeentecode", String(4), primary_key=True),
    Column("aantal_clienten", BigInteger, nullable=False),
)
