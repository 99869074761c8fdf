"""The toewijzing schema: toewijzing versions, numbering, the toewijslijst, verzoeken, starts and
stops, the messages this service sends through the hub and its verdicts, and the contract copy."""

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Identity, Index, Integer, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from berichten.koppeling import oordeel_tabel, uitgaand_tabel
from runtime.audit import inzage_table
from runtime.db import service_metadata

metadata = service_metadata("toewijzing")

# Who read or changed which cliënt's data, what and when (runtime.audit; migration 0005_inzage).
inzage = inzage_table(metadata)

# Every version of every toewijzing; the current one is the highest versie (latest toewijzingsmoment).
# The primary key keeps ToewijzingNummer unique per gemeente per wettelijk domein (TR332).
toewijzing_versie = Table(
    "toewijzing_versie",
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
    Column("volume", Integer),
    Column("eenheid", Text),
    Column("frequentie", Text),
    Column("budget", BigInteger),
    Column("uitvoeringsvariant", Text, nullable=False),
    Column("toewijzingsmoment", DateTime(timezone=False), nullable=False),
    Column("reden_wijziging", Text),
    Column("referentie_aanbieder", Text),
    Column("beschikkingnummer", Text),
    Column("commentaar", Text),
    Column("status", Text, nullable=False),
    Column("verzonden_in", UUID(as_uuid=False)),  # the uitgaand_bericht (301) that carried this version
    PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer", "versie"),
    Index("toewijzing_client", "gemeentecode", "bsn"),
    Index("toewijzing_aanbieder", "agb", "bsn"),
)

# The last ToewijzingNummer handed out per gemeente per wet.
nummer_reeks = Table(
    "nummer_reeks",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("laatste", BigInteger, nullable=False),
    PrimaryKeyConstraint("gemeentecode", "wet"),
)

inschrijving = Table(
    "inschrijving",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("beschikkingnummer", Text, nullable=False),
    Column("categorie", Text),
    Column("code", Text),
    Column("ingangsdatum", Date, nullable=False),
    Column("einddatum", Date),
    Column("volume", Integer),
    Column("eenheid", Text),
    Column("frequentie", Text),
    Column("budget", BigInteger),
    Column("uitvoeringsvariant", Text, nullable=False),
    Column("wijk", String(4)),
    Column("sinds", DateTime(timezone=False), nullable=False),
    Column("status", Text, nullable=False),
    Column("geclaimd_door", String(8)),
    Column("geclaimd_op", DateTime(timezone=False)),
    Column("bevestigd_op", DateTime(timezone=False)),
    Column("vervallen_op", DateTime(timezone=False)),
    Column("versie", Integer, nullable=False),
    Column("toewijzing_nummer", BigInteger),
    Index("inschrijving_gemeente", "gemeentecode", "status"),
    Index("inschrijving_wachtend", "sinds", "id"),  # the keyset order of ListToewijslijst
)

verzoek = Table(
    "verzoek",
    metadata,
    Column("id", Text, primary_key=True),  # <bericht id>/<ReferentieAanbieder>
    Column("soort", String(3), nullable=False),
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("agb", String(8), nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("referentie_aanbieder", Text, nullable=False),
    Column("reden_verzoek", Text),
    Column("status", Text, nullable=False),
    Column("ontvangen_op", Date, nullable=False),
    Column("bericht_id", UUID(as_uuid=False), nullable=False),
    Column("producten", JSONB, nullable=False),
    Column("in_onderzoek_sinds", Date),
    Column("beantwoord_op", Date),
    Column("reden_afwijzing", Text),
    UniqueConstraint("agb", "wet", "referentie_aanbieder", name="verzoek_referentie_uniek"),  # TR347
    Index("verzoek_gemeente", "gemeentecode", "status"),
)

# Starts (305) and stops (307) as received; a delivery with StatusAanlevering 3 marks its match verwijderd.
levering = Table(
    "levering",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("soort", Text, nullable=False),  # start | stop
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("agb", String(8), nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("toewijzing_nummer", BigInteger),
    Column("categorie", Text),
    Column("code", Text),
    Column("toewijzing_ingangsdatum", Date),
    Column("begindatum", Date, nullable=False),
    Column("reden_beeindiging", Text),
    Column("einddatum", Date),
    Column("ontvangen_op", Date, nullable=False),
    Column("bericht_id", UUID(as_uuid=False), nullable=False),
    Column("verwijderd", Boolean, nullable=False, server_default=text("false")),
    Index("levering_client", "gemeentecode", "agb", "bsn"),
)

# Messages this service sends through the hub (301, 319) and its verdicts on 305/307/315/317, kept
# until the hub has them (see berichten.koppeling).
uitgaand_bericht = uitgaand_tabel(metadata)
oordeel = oordeel_tabel(metadata)

# Identificaties of the messages this service makes, per gemeente.
identificatie_reeks = Table(
    "identificatie_reeks",
    metadata,
    Column("gemeentecode", String(4), primary_key=True),
    Column("laatste", BigInteger, nullable=False),
)

# The copy of the declaratie contracts (from declaratie.contract.geregistreerd).
contract = Table(
    "contract",
    metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("gemeentecode", String(4), nullable=False),
    Column("agb", String(8), nullable=False),
    Column("wet", Text, nullable=False),
    Column("categorie", Text, nullable=False),
    Column("code", Text, nullable=False),
    Column("uitvoeringsvariant", Text, nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("einddatum", Date),
    Column("toewijslijst_automatisch", Boolean, nullable=False, server_default=text("false")),
    Index("contract_aanbieder", "agb", "gemeentecode"),
)

# The declaratie service's word per toewijzing: approved, non-credited prestaties exist (TR385), latest versie wins.
prestatiestand = Table(
    "prestatiestand",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("toewijzing_nummer", BigInteger, nullable=False),
    Column("heeft_toegekende_prestaties", Boolean, nullable=False),
    Column("versie", Integer, nullable=False),
    PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
)

# Deletions TR385 defers (one per toewijzing): the deletion waits until no approved, non-credited
# prestaties remain; `uitgevoerd_op` is set when it was carried out (migration 0006_uitgestelde_verwijdering).
uitgestelde_verwijdering = Table(
    "uitgestelde_verwijdering",
    metadata,
    Column("gemeentecode", String(4), nullable=False),
    Column("wet", Text, nullable=False),
    Column("toewijzing_nummer", BigInteger, nullable=False),
    Column("bsn", String(9), nullable=False),
    Column("agb", String(8), nullable=False),
    Column("regel", Text, nullable=False),
    Column("retourcode", Text, nullable=False),
    Column("sinds", DateTime(timezone=False), nullable=False),
    Column("uitgevoerd_op", DateTime(timezone=False)),
    PrimaryKeyConstraint("gemeentecode", "wet", "toewijzing_nummer"),
    Index("uitgestelde_verwijdering_aanbieder", "agb"),
)
