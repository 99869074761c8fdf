"""The tables of the secure workspace: trajecten, taken and their history, POPs, evaluaties,
signalen and the numbering of trajecten.

Defined on the indicatie schema's `metadata`; created by migration 0003. Reads of a traject's cliënt
data go to the service's one audit log of reads, `inzage` (adapters/tables.py).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, Date, DateTime, ForeignKey, Identity, Index, Integer, String, Table, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from indicatie.adapters.tables import metadata

samenwerkingstraject = Table(
    "samenwerkingstraject",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("nummer", Text, nullable=False, unique=True),
    Column("gemeentecode", String(4), nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("onderwerp", Text, nullable=False),
    Column("participatieadviseur", Text, nullable=False),
    Column("meldingsdatum", Date, nullable=False),
    Column("startdatum", Date, nullable=False),
    Column("einddatum", Date),
    Column("status", Text, nullable=False),
    Column("aanbieder_agb", String(8)),  # the aanbieder that has this traject open (chosen in the POP)
    Column("doelen", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("acties", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("gewijzigd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("traject_gemeente", "gemeentecode", "id"),
    Index("traject_client", "gemeentecode", "bsn"),
    Index("traject_aanbieder", "aanbieder_agb", "id"),
)

# Serial numbers of trajecten per gemeente per year.
traject_nummering = Table(
    "traject_nummering",
    metadata,
    Column("gemeentecode", String(4), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("laatste", Integer, nullable=False),
)

taak = Table(
    "taak",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("traject_id", UUID(as_uuid=False), ForeignKey("indicatie.samenwerkingstraject.id"), nullable=False, index=True),
    Column("naam", Text, nullable=False),
    Column("soort", Text, nullable=False),
    Column("aangemaakt_door", Text, nullable=False),
    Column("bestemd_partij", Text, nullable=False),  # gemeente | aanbieder
    Column("bestemd_code", Text, nullable=False),  # gemeentecode or AGB
    Column("bestemd_medewerker", Text, nullable=False, server_default=""),
    Column("einddatum", Date, nullable=False),
    Column("prioriteit", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("omschrijving", Text, nullable=False, server_default=""),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # migration 0011: when and why it vervallen (its traject afgesloten or gestopt while it was open)
    Column("vervallen_op", Date),
    Column("vervallen_reden", Text, nullable=False, server_default=""),
)

# Every change of a taak, insert-only.
taak_wijziging = Table(
    "taak_wijziging",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("taak_id", UUID(as_uuid=False), ForeignKey("indicatie.taak.id"), nullable=False, index=True),
    Column("op", DateTime(timezone=True), nullable=False),
    Column("door", Text, nullable=False),
    Column("veld", Text, nullable=False),
    Column("oud", Text, nullable=False),
    Column("nieuw", Text, nullable=False),
)

# One active POP per traject (no stacking of profielen) — also guarded by the partial unique index.
pop = Table(
    "pop",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("traject_id", UUID(as_uuid=False), ForeignKey("indicatie.samenwerkingstraject.id"), nullable=False, index=True),
    Column("status", Text, nullable=False),
    Column("opgesteld_door", Text, nullable=False),
    Column("termijn_start", Date, nullable=False),
    Column("zrm", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("profiel", Text, nullable=False, server_default=""),
    Column("pakket", Text, nullable=False, server_default=""),
    Column("aanbieder_agb", String(8)),
    Column("inzet", Text, nullable=False, server_default=""),
    Column("activiteiten", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("overgedragen_op", Date),
    Column("aangevuld_op", Date),
    Column("ondertekend_op", Date),
    Column("ondertekend_door", Text, nullable=False, server_default=""),
    Column("besloten_op", Date),
    Column("besluit_toelichting", Text, nullable=False, server_default=""),
    Column("teruggegeven_op", Date),  # migration 0007
    Column("teruggave_reden", Text, nullable=False, server_default=""),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index(
        "pop_een_actief_profiel",
        "traject_id",
        unique=True,
        postgresql_where=text("status IN ('concept', 'bij_aanbieder', 'aangevuld', 'teruggegeven', 'ondertekend', 'toegekend')"),
    ),
)

evaluatie = Table(
    "evaluatie",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("traject_id", UUID(as_uuid=False), ForeignKey("indicatie.samenwerkingstraject.id"), nullable=False, index=True),
    Column("soort", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("uiterste_datum", Date, nullable=False),
    Column("beschikking_einddatum", Date),
    Column("gevraagd_door", Text, nullable=False),
    Column("reden", Text, nullable=False, server_default=""),
    Column("uitgevoerd_op", Date),
    Column("doelrealisatie", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("advies", Text),
    Column("toelichting", Text, nullable=False, server_default=""),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # migration 0009: when and why it vervallen (its traject afgesloten or gestopt while it was gepland)
    Column("vervallen_op", Date),
    Column("vervallen_reden", Text, nullable=False, server_default=""),
)

# Work with a deadline for the party that must act; open while afgehandeld_op is empty. About a traject,
# or (the herindicatie signal, migration 0007) about one product of a beschikking.
signaal = Table(
    "signaal",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("traject_id", UUID(as_uuid=False), ForeignKey("indicatie.samenwerkingstraject.id"), index=True),
    Column("soort", Text, nullable=False),
    Column("partij", Text, nullable=False),  # gemeente | aanbieder
    Column("code", Text, nullable=False),  # gemeentecode or AGB
    Column("medewerker", Text, nullable=False, server_default=""),
    Column("deadline", Date, nullable=False),
    Column("bron_id", UUID(as_uuid=False)),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("afgehandeld_op", Date),
    Column("gemeentecode", String(4)),  # of the beschikking (a traject's signal has its traject's)
    Column("beschikkingnummer", Text),
    Column("product", Text),  # which product of the beschikking: "<categorie>/<code>@<ingangsdatum>"
    # when indicatie.signaal.verlopen was published for it (once, after its deadline passed)
    Column("verlopen_gemeld_op", DateTime(timezone=True)),
    CheckConstraint(
        "traject_id IS NOT NULL OR (gemeentecode IS NOT NULL AND beschikkingnummer IS NOT NULL AND product IS NOT NULL)",
        name="signaal_onderwerp",
    ),
    Index("signaal_open", "partij", "code", "deadline", "id", postgresql_where=text("afgehandeld_op IS NULL")),
    Index("signaal_beschikking", "gemeentecode", "beschikkingnummer", postgresql_where=text("beschikkingnummer IS NOT NULL")),
    Index("signaal_te_melden", "deadline", "id", postgresql_where=text("afgehandeld_op IS NULL AND verlopen_gemeld_op IS NULL")),
)
