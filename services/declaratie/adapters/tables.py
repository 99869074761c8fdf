"""The declaratie schema's tables."""

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Identity, Index, Integer, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from berichten.koppeling import oordeel_tabel
from runtime.audit import inzage_table
from runtime.db import service_metadata

metadata = service_metadata("declaratie")

# Who read which cliënt's data, what and when (runtime.audit; migration 0007_inzage).
inzage = inzage_table(metadata)

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
    Column("start_stop_verplicht", Boolean, nullable=False, server_default=text("false")),
    Column("toewijslijst_automatisch", Boolean, nullable=False, server_default=text("false")),
    Column("voorschot_per_periode_eurocent", BigInteger),
    UniqueConstraint("gemeentecode", "agb", "productcategorie", "productcode", "uitvoeringsvariant", "begindatum", name="contract_versie"),
)

# The declaratie service's copy of the toewijzingen (the latest version of each, from toewijzing events).
toewijzing_kopie = Table(
    "toewijzing_kopie",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("toewijzing_nummer", BigInteger, nullable=False),
    Column("versie", Integer, nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("agb", String(8), nullable=False),
    Column("categorie", Text),
    Column("code", Text),
    Column("ingangsdatum", Date, nullable=False),
    Column("einddatum", Date),
    Column("uitvoeringsvariant", Text, nullable=False),
    Column("volume", Integer),
    Column("eenheid", Text),
    Column("frequentie", Text),
    Column("budget", BigInteger),
    Column("verwijderd", Boolean, nullable=False),
    PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
    Index("toewijzing_kopie_aanbieder", "agb", "gemeentecode"),
)

# Starts and stops (not deleted) from toewijzing events.
levering_kopie = Table(
    "levering_kopie",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("soort", Text, nullable=False),
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("agb", String(8), nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("toewijzing_nummer", BigInteger),
    Column("categorie", Text),
    Column("code", Text),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date),
    Column("reden_beeindiging", Text),
    Column("bericht_id", Text),
    Index("levering_kopie_toewijzing", "gemeentecode", "wet", "toewijzing_nummer"),
)

# Every 323 judged here, with its totals.
declaratie = Table(
    "declaratie",
    metadata,
    Column("bericht_id", UUID(as_uuid=False), primary_key=True),
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("agb", String(8), nullable=False),
    Column("declaratie_nummer", Text, nullable=False),
    Column("periode_begindatum", Date, nullable=False),
    Column("periode_einddatum", Date, nullable=False),
    Column("ingediend_eurocent", BigInteger, nullable=False),  # signed: credit negative
    Column("toegekend_eurocent", BigInteger, nullable=False),
    Column("aantal_prestaties", Integer, nullable=False),
    Column("aantal_afgewezen", Integer, nullable=False),
    Column("geheel_afgewezen", Boolean, nullable=False),
    Column("beoordeeld_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("declaratie_aanbieder", "agb", "wet", "declaratie_nummer"),
    Index("declaratie_gemeente", "gemeentecode", "periode_begindatum"),
)

# Every prestatie of those 323s with its outcome.
prestatie = Table(
    "prestatie",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("bericht_id", UUID(as_uuid=False), nullable=False),
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("agb", String(8), nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("referentie_nummer", Text, nullable=False),
    Column("vorig_referentie_nummer", Text),
    Column("toewijzing_nummer", BigInteger, nullable=False),
    Column("product_categorie", Text, nullable=False),
    Column("product_code", Text, nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date, nullable=False),
    Column("geleverd_volume", BigInteger, nullable=False),
    Column("eenheid", Text, nullable=False),
    Column("product_tarief", BigInteger),
    Column("bedrag", BigInteger, nullable=False),
    Column("debet_credit", String(1), nullable=False),
    Column("toegekend", Boolean, nullable=False),
    Column("gecrediteerd", Boolean, nullable=False, server_default=text("false")),
    Column("retour_codes", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Index("prestatie_referentie", "agb", "wet", "referentie_nummer"),
    Index("prestatie_toewijzing", "gemeentecode", "wet", "toewijzing_nummer"),
    Index("prestatie_bericht", "bericht_id"),
    Index("prestatie_client", "gemeentecode", "bsn", "begindatum", "id"),
)

# The verdicts on 323s, kept until the hub has them (see berichten.koppeling).
oordeel = oordeel_tabel(metadata)

# The voorschot per gemeente per aanbieder per period, with how it was made up.
voorschot = Table(
    "voorschot",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("agb", String(8), nullable=False),
    Column("periode_begindatum", Date, nullable=False),
    Column("periode_einddatum", Date, nullable=False),
    Column("bedrag", BigInteger, nullable=False),
    Column("verrekend", BigInteger, nullable=False, server_default=text("0")),
    Column("regels", JSONB, nullable=False),
    Column("vastgesteld_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("gemeentecode", "agb", "periode_begindatum"),
    Index("voorschot_lijst", "periode_begindatum", "gemeentecode", "agb"),
)

# Voorlopige and definitieve afrekeningen; a definitieve one is made once per period.
afrekening = Table(
    "afrekening",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("gemeentecode", String(4), nullable=False),
    Column("agb", String(8), nullable=False),
    Column("periode_begindatum", Date, nullable=False),
    Column("periode_einddatum", Date, nullable=False),
    Column("soort", Text, nullable=False),
    Column("voorschot", BigInteger, nullable=False),
    Column("gedeclareerd", BigInteger, nullable=False),
    Column("toegekend", BigInteger, nullable=False),
    Column("saldo", BigInteger, nullable=False),
    Column("verschil_met_voorlopig", BigInteger),
    Column("gemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("afrekening_periode", "gemeentecode", "agb", "periode_begindatum"),
)

# A gemeente's settings; a gemeente without a row has the defaults (domain/instellingen.py).
gemeente_instelling = Table(
    "gemeente_instelling",
    metadata,
    Column("gemeentecode", String(4), primary_key=True),
    Column("ritme", Text, nullable=False, server_default="kalendermaand"),
    Column("eerste_maandag", Date),
    Column("onderbenutting_drempel_dagen", Integer, nullable=False),
    Column("debiteur_naam", Text),
    Column("debiteur_iban", Text),
    Column("debiteur_bic", Text),
    Column("gewijzigd_door", Text, nullable=False),
    Column("gewijzigd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The account a gemeente pays an aanbieder on (as its contractmanager registered it).
betaalgegevens = Table(
    "betaalgegevens",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("agb", String(8), nullable=False),
    Column("naam", Text, nullable=False),
    Column("iban", Text, nullable=False),
    Column("bic", Text),
    Column("gewijzigd_door", Text, nullable=False),
    Column("gewijzigd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("gemeentecode", "agb"),
)

# Per toewijzing: whether approved, non-credited debet prestaties exist (TR385); `versie` rises with every
# change, so the toewijzing service's copy keeps the latest (events may arrive twice or out of order).
prestatiestand = Table(
    "prestatiestand",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("toewijzing_nummer", BigInteger, nullable=False),
    Column("toegekend_open", Boolean, nullable=False),
    Column("versie", Integer, nullable=False),
    PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
)
