"""The indicatie schema's tables."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Sequence,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from runtime.audit import inzage_table
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
    # 0002: the rest of the i-Standaard Client
    Column("datum_gebruik", Text, nullable=False, server_default=""),
    Column("telefoon", Text, nullable=False, server_default=""),
    Column("emailadres", Text, nullable=False, server_default=""),
    Column("vertegenwoordiging_soort", Text, nullable=False, server_default=""),
    Column("vertegenwoordiger_naam", Text, nullable=False, server_default=""),
    Column("vertegenwoordiger_telefoon", Text, nullable=False, server_default=""),
    Column("vertegenwoordiger_emailadres", Text, nullable=False, server_default=""),
    Column("gewijzigd_op", DateTime(timezone=True)),
    PrimaryKeyConstraint("gemeentecode", "bsn"),
)

client_adres = Table(
    "client_adres",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("soort", Text, nullable=False),  # COD757
    Column("straatnaam", Text, nullable=False, server_default=""),
    Column("huisnummer", Integer),
    Column("huisletter", Text, nullable=False, server_default=""),
    Column("huisnummertoevoeging", Text, nullable=False, server_default=""),
    Column("postcode", Text, nullable=False, server_default=""),
    Column("plaatsnaam", Text, nullable=False, server_default=""),
    Column("land", Text, nullable=False, server_default="NL"),
    PrimaryKeyConstraint("gemeentecode", "bsn", "soort"),
    ForeignKeyConstraint(["gemeentecode", "bsn"], ["indicatie.client.gemeentecode", "indicatie.client.bsn"], ondelete="CASCADE"),
)

# BRP-mutaties as received; (gemeentecode, kenmerk) makes a repeated delivery a no-op.
brp_mutatie = Table(
    "brp_mutatie",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("kenmerk", Text, nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("soort", Text, nullable=False),
    Column("datum", Date, nullable=False),
    Column("nieuwe_gemeentecode", String(4), nullable=False, server_default=""),
    Column("bron", Text, nullable=False),
    Column("door", Text, nullable=False),
    Column("verwerkt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("gemeentecode", "kenmerk"),
    Index("brp_mutatie_client", "gemeentecode", "bsn"),
)

# Who read or changed which cliënt's data, what and when: the runtime's audit log (runtime.audit).
inzage = inzage_table(metadata)

beschikkingnummer_seq = Sequence("beschikkingnummer_seq", metadata=metadata, start=1)

beschikking = Table(
    "beschikking",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("beschikkingnummer", String(9), nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("wet", Text, nullable=False),
    Column("beschikkingsdatum", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("versie", Integer, nullable=False),
    Column("reden_code", Text),
    Column("reden_toelichting", Text),
    Column("ingetrokken_per", Date),
    Column("afgegeven_door", Text, nullable=False),
    Column("afgegeven_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("gewijzigd_op", DateTime(timezone=True)),
    PrimaryKeyConstraint("gemeentecode", "beschikkingnummer"),
    ForeignKeyConstraint(["gemeentecode", "bsn"], ["indicatie.client.gemeentecode", "indicatie.client.bsn"]),
    Index("beschikking_client", "gemeentecode", "bsn"),
)

beschikt_product = Table(
    "beschikt_product",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("beschikkingnummer", String(9), nullable=False),
    Column("volgnummer", Integer, nullable=False),
    Column("categorie", String(2), nullable=False),
    Column("code", Text, nullable=False, server_default=""),
    Column("volume", Integer),
    Column("eenheid", Text),
    Column("frequentie", Text),
    Column("budget_eurocent", BigInteger),
    Column("ingangsdatum", Date, nullable=False),
    Column("einddatum", Date),
    Column("uitvoeringsvariant", Text, nullable=False),
    Column("agb", String(8)),  # the aanbieder the cliënt chose; NULL: the toewijslijst
    PrimaryKeyConstraint("gemeentecode", "beschikkingnummer", "volgnummer"),
    ForeignKeyConstraint(
        ["gemeentecode", "beschikkingnummer"], ["indicatie.beschikking.gemeentecode", "indicatie.beschikking.beschikkingnummer"], ondelete="CASCADE"
    ),
)

# The history of each beschikking: every versie with its reden, who and when.
beschikking_mutatie = Table(
    "beschikking_mutatie",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("beschikkingnummer", String(9), nullable=False),
    Column("versie", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("reden_code", Text),
    Column("reden_toelichting", Text),
    Column("ingetrokken_per", Date),
    Column("producten", JSONB, nullable=False),
    Column("door", Text, nullable=False),
    Column("op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("gemeentecode", "beschikkingnummer", "versie"),
)

# The indicatie service's copy of the declaratie contracts (from declaratie.contract.geregistreerd).
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
    Column("eenheid", Text, nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("contract_product", "gemeentecode", "productcategorie", "productcode"),
)

# Which aanbieder has a toewijzing for which cliënt (from toewijzing.toewijzing.gewijzigd): an
# aanbieder sees a cliënt only with a toewijzing (or an open traject) for that cliënt.
client_relatie = Table(
    "client_relatie",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("agb", String(8), nullable=False),
    Column("wet", Text, nullable=False),
    Column("toewijzing_nummer", BigInteger, nullable=False),
    Column("einddatum", Date),
    PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
    Index("client_relatie_aanbieder", "agb", "gemeentecode", "bsn"),
)

# The aanbieder the toewijslijst gave a beschikt product that had none chosen (from
# toewijzing.toewijslijst.gewijzigd, status bevestigd; migration 0010): it delivers the product, so
# the product's herindicatie signal is for it (domain/herindicatie.py).
toewijslijst_aanbieder = Table(
    "toewijslijst_aanbieder",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("beschikkingnummer", Text, nullable=False),
    Column("product", Text, nullable=False),  # "<categorie>/<code>@<ingangsdatum>", as the signal's
    Column("agb", String(8), nullable=False),
    Column("inschrijving_id", Text, nullable=False),  # the toewijzing service's entry on the toewijslijst
    Column("bevestigd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("gemeentecode", "beschikkingnummer", "product"),
)

# The toewijzingen the toewijzing service made for beschikt producten without a chosen aanbieder (from
# toewijzing.toewijzing.gewijzigd; migration 0012), the latest version of each: whether the aanbieder
# the toewijslijst gave a product still delivers it to its end (domain/herindicatie.py).
toewijslijst_toewijzing = Table(
    "toewijslijst_toewijzing",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("toewijzing_nummer", Integer, nullable=False),
    Column("versie", Integer, nullable=False),
    Column("beschikkingnummer", Text, nullable=False),
    Column("product", Text, nullable=False),  # "<categorie>/<code>@<ingangsdatum>" of the beschikt product
    Column("agb", String(8), nullable=False),
    Column("einddatum", Date),
    Column("verwijderd", Boolean, nullable=False),
    # it ends before the product (as the beschikking stood when this version came), or was deleted
    Column("eindigt_voor_product", Boolean, nullable=False),
    PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
    Index("toewijslijst_toewijzing_beschikking", "gemeentecode", "beschikkingnummer"),
)
