"""The edge's own schema `edge`: nothing but login state (architecture: the edge owns no data of its own).

`portal_sessie` holds one row per portal session. The session cookie carries the row's id (signed);
a session whose row is ended (`beeindigd_op`), past its absolute end (`verloopt_op`) or gone is
refused in every edge process, even when its cookie is replayed.
"""

from sqlalchemy import Column, DateTime, Index, MetaData, Table, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY

metadata = MetaData(schema="edge")

portal_sessie = Table(
    "portal_sessie",
    metadata,
    Column("id", Text, primary_key=True),
    Column("gebruikersnaam", Text, nullable=False),
    Column("bron", Text, nullable=False),  # 'ingebouwd' (the users file) or 'oidc'
    Column("naam", Text, nullable=False),
    Column("rol", Text, nullable=False),
    Column("gemeentecodes", ARRAY(Text), nullable=False, server_default=text("'{}'")),
    Column("agb", Text),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("verloopt_op", DateTime(timezone=True), nullable=False),
    Column("beeindigd_op", DateTime(timezone=True)),
    Column("beeindigd_door", Text),
    Index("portal_sessie_gebruiker", "gebruikersnaam", postgresql_where=text("beeindigd_op IS NULL")),
    Index("portal_sessie_verloopt", "verloopt_op"),
)
