"""The iWmo / iJw 3.2 messages as typed objects.

One model serves both standards and both directions: iWmo and iJw differ only in two iJw-only
elements (`gezagsdrager_bekend` in the 315 Client, `woonplaatsbeginsel` in the 319 Antwoord), and a
retourbericht repeats its heenbericht's classes with `RetourCodes` added at the end of each class
(and extra header fields). Field order is the XSD's sequence order: the codec relies on it.

Naming: attributes are the XSD element names in snake_case (`ToewijzingNummer` -> `toewijzing_nummer`);
`NS` says whether a class's elements are in the message's own namespace ("bericht") or in the
basisschema namespace ("basis", the CDT_* types). A class used as a list item has `TAG`, its
element name. Money is integer eurocent; codes are strings, checked against the code lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import ClassVar

BERICHT = "bericht"
BASIS = "basis"


def element_name(attribute: str) -> str:
    """The XSD element name of a model attribute: toewijzing_nummer -> ToewijzingNummer."""
    return "".join(part[:1].upper() + part[1:] for part in attribute.split("_"))


def item(tag: str) -> dict[str, str]:
    """Field metadata for a list of plain values: the element name of one value."""
    return {"item": tag}


# ---------------------------------------------------------------- basisschema (CDT_*)


@dataclass(kw_only=True, slots=True)
class BerichtIdentificatie:
    NS: ClassVar[str] = BASIS
    identificatie: str
    dagtekening: date


@dataclass(kw_only=True, slots=True)
class XsdVersie:
    NS: ClassVar[str] = BASIS
    basisschema_xsd_versie: str
    bericht_xsd_versie: str


@dataclass(kw_only=True, slots=True)
class Geboortedatum:
    NS: ClassVar[str] = BASIS
    datum: date
    datum_gebruik: str | None = None


@dataclass(kw_only=True, slots=True)
class Achternaam:
    NS: ClassVar[str] = BASIS
    achternaam: str
    voorvoegsel: str | None = None


@dataclass(kw_only=True, slots=True)
class VerkorteNaam:
    NS: ClassVar[str] = BASIS
    geslachtsnaam: Achternaam
    voornamen: str | None = None
    voorletters: str | None = None


@dataclass(kw_only=True, slots=True)
class VolledigeNaam:
    NS: ClassVar[str] = BASIS
    geslachtsnaam: Achternaam
    partnernaam: Achternaam | None = None
    voornamen: str | None = None
    voorletters: str | None = None
    naam_gebruik: str


@dataclass(kw_only=True, slots=True)
class Communicatie:
    NS: ClassVar[str] = BASIS
    vorm: str
    taal: str | None = None


@dataclass(kw_only=True, slots=True)
class Huis:
    NS: ClassVar[str] = BASIS
    huisnummer: int
    huisletter: str | None = None
    huisnummer_toevoeging: str | None = None
    aanduiding_woonadres: str | None = None


@dataclass(kw_only=True, slots=True)
class Adres:
    NS: ClassVar[str] = BASIS
    huis: Huis | None = None
    postcode: str | None = None
    straatnaam: str | None = None
    plaatsnaam: str | None = None
    land_code: str | None = None


@dataclass(kw_only=True, slots=True)
class Telefoon:
    NS: ClassVar[str] = BASIS
    telefoonnummer: str
    landnummer: str


@dataclass(kw_only=True, slots=True)
class Telefoonnummers:
    NS: ClassVar[str] = BASIS
    telefoon01: Telefoon
    telefoon02: Telefoon | None = None


@dataclass(kw_only=True, slots=True)
class OpenPeriode:
    NS: ClassVar[str] = BASIS
    begindatum: date | None = None
    einddatum: date | None = None


@dataclass(kw_only=True, slots=True)
class GeslotenPeriode:
    NS: ClassVar[str] = BASIS
    begindatum: date
    einddatum: date


@dataclass(kw_only=True, slots=True)
class Product:
    NS: ClassVar[str] = BASIS
    categorie: str
    code: str | None = None


@dataclass(kw_only=True, slots=True)
class Omvang:
    NS: ClassVar[str] = BASIS
    volume: int
    eenheid: str
    frequentie: str


@dataclass(kw_only=True, slots=True)
class Verwijzer:
    NS: ClassVar[str] = BASIS
    type: str
    naam: str | None = None
    zorgverlener_code: str | None = None


@dataclass(kw_only=True, slots=True)
class Referentie:
    NS: ClassVar[str] = BASIS
    referentie_nummer: str
    vorig_referentie_nummer: str | None = None


@dataclass(kw_only=True, slots=True)
class BedragMetDC:
    NS: ClassVar[str] = BASIS
    bedrag: int
    debet_credit: str


@dataclass(kw_only=True, slots=True)
class TotaalBedragMetDC:
    NS: ClassVar[str] = BASIS
    totaal_bedrag: int
    debet_credit: str


# ---------------------------------------------------------------- header


@dataclass(kw_only=True, slots=True)
class Header:
    """The header of every message. Heenberichten fill the first seven fields; retourberichten add
    identificatie_retour .. xsd_versie_retour (and RetourCodes when rejected); the 325 adds
    declaratie_identificatie, xslt_versie, xsd_versie_declaratie and RetourCodes."""

    NS: ClassVar[str] = BERICHT
    bericht_code: int
    bericht_versie: int
    bericht_subversie: int
    afzender: str
    ontvanger: str
    bericht_identificatie: BerichtIdentificatie
    xsd_versie: XsdVersie
    identificatie_retour: str | None = None
    dagtekening_retour: date | None = None
    declaratie_identificatie: BerichtIdentificatie | None = None
    xslt_versie: str | None = None
    xsd_versie_retour: XsdVersie | None = None
    xsd_versie_declaratie: XsdVersie | None = None
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


# ---------------------------------------------------------------- 301 / 302 Toewijzing


@dataclass(kw_only=True, slots=True)
class Contact:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "Contact"
    soort: str
    adres: Adres | None = None
    organisatie: str | None = None
    telefoon: Telefoonnummers | None = None
    emailadres: str | None = None
    periode: OpenPeriode | None = None
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class Relatie:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "Relatie"
    nummer: str
    volgorde: int | None = None
    soort: str
    geboortedatum: Geboortedatum | None = None
    geslacht: str | None = None
    naam: VolledigeNaam
    contact: Contact
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class ToegewezenProduct:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "ToegewezenProduct"
    toewijzing_nummer: int
    referentie_aanbieder: str | None = None
    product: Product | None = None
    toewijzingsdatum: date
    toewijzingstijd: time
    ingangsdatum: date
    einddatum: date | None = None
    reden_wijziging: str | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    commentaar: str | None = None
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class ToewijzingClient:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "Client"
    bsn: str
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VolledigeNaam
    communicatie: Communicatie | None = None
    juridische_status: str | None = None
    wettelijke_vertegenwoordiging: str | None = None
    commentaar: str | None = None
    relaties: list[Relatie] = field(default_factory=list)
    contactgegevens: list[Contact] = field(default_factory=list)
    toegewezen_producten: list[ToegewezenProduct] = field(default_factory=list)
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


# ---------------------------------------------------------------- 305 / 306 Start, 307 / 308 Stop


@dataclass(kw_only=True, slots=True)
class StartProduct:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "StartProduct"
    toewijzing_nummer: int | None = None
    product: Product | None = None
    toewijzing_ingangsdatum: date | None = None
    begindatum: date
    status_aanlevering: str
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class StartClient:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "Client"
    bsn: str
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VerkorteNaam
    start_producten: list[StartProduct] = field(default_factory=list)
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class StopProduct:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "StopProduct"
    toewijzing_nummer: int | None = None
    product: Product | None = None
    toewijzing_ingangsdatum: date | None = None
    begindatum: date
    reden_beeindiging: str
    einddatum: date
    status_aanlevering: str
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class StopClient:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "Client"
    bsn: str
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VerkorteNaam
    stop_producten: list[StopProduct] = field(default_factory=list)
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


# ---------------------------------------------------------------- 315 / 316 Verzoek om toewijzing


@dataclass(kw_only=True, slots=True)
class AangevraagdProduct:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "AangevraagdProduct"
    referentie_aanbieder: str
    beschikking_nummer: str | None = None
    product: Product | None = None
    beschikking_ingangsdatum: date | None = None
    toewijzing_ingangsdatum: date
    toewijzing_einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    verwijzer: Verwijzer
    raamcontract: str | None = None
    commentaar: str | None = None
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class VerzoekOmToewijzingClient:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "Client"
    bsn: str
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VerkorteNaam
    gezagsdrager_bekend: str | None = None  # iJw only
    commentaar: str | None = None
    aangevraagde_producten: list[AangevraagdProduct] = field(default_factory=list)
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


# ---------------------------------------------------------------- 317 / 318 Verzoek om wijziging


@dataclass(kw_only=True, slots=True)
class OngewijzigdProduct:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "OngewijzigdProduct"
    toewijzing_nummer: int
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class TeWijzigenProduct:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "TeWijzigenProduct"
    toewijzing_nummer: int
    gewenste_ingangsdatum: date
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class NieuwProduct:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "NieuwProduct"
    product: Product | None = None
    gewenste_ingangsdatum: date
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class Verzoek:
    NS: ClassVar[str] = BERICHT
    referentie_aanbieder: str
    reden_verzoek: str
    ongewijzigde_producten: list[OngewijzigdProduct] = field(default_factory=list)
    te_wijzigen_producten: list[TeWijzigenProduct] = field(default_factory=list)
    nieuwe_producten: list[NieuwProduct] = field(default_factory=list)
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class VerzoekOmWijzigingClient:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "Client"
    bsn: str
    verzoek: Verzoek
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


# ---------------------------------------------------------------- 319 / 320 Antwoord


@dataclass(kw_only=True, slots=True)
class Woonplaatsbeginsel:
    NS: ClassVar[str] = BERICHT
    gemeente: str
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class Antwoord:
    NS: ClassVar[str] = BERICHT
    referentie_aanbieder: str
    verzoek_antwoord: str
    reden_afwijzing_verzoek: str | None = None
    woonplaatsbeginsel: Woonplaatsbeginsel | None = None  # iJw only
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


# ---------------------------------------------------------------- 323 Declaratie, 325 Declaratie-antwoord


@dataclass(kw_only=True, slots=True)
class Prestatie:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "Prestatie"
    product_referentie: Referentie
    toewijzing_nummer: int
    product_categorie: str
    product_code: str
    product_periode: GeslotenPeriode
    geleverd_volume: int
    eenheid: str
    product_tarief: int | None = None
    ingediend_bedrag: BedragMetDC
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class DeclaratieClient:
    NS: ClassVar[str] = BERICHT
    TAG: ClassVar[str] = "Client"
    bsn: str
    prestaties: list[Prestatie] = field(default_factory=list)
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


@dataclass(kw_only=True, slots=True)
class Declaratie:
    NS: ClassVar[str] = BERICHT
    declaratie_nummer: str
    declaratie_periode: GeslotenPeriode
    declaratie_dagtekening: date
    totaal_ingediend_bedrag: TotaalBedragMetDC
    clienten: list[DeclaratieClient] = field(default_factory=list)


@dataclass(kw_only=True, slots=True)
class DeclaratieAntwoord:
    NS: ClassVar[str] = BERICHT
    declaratie_nummer: str
    totaal_ingediend_bedrag: TotaalBedragMetDC
    totaal_toegekend_bedrag: TotaalBedragMetDC
    clienten: list[DeclaratieClient] = field(default_factory=list)
    retour_codes: list[str] = field(default_factory=list, metadata=item("RetourCode"))


# ---------------------------------------------------------------- the messages (root element Bericht)


@dataclass(kw_only=True, slots=True)
class ToewijzingBericht:
    """301 Toewijzing and its retour 302."""

    NS: ClassVar[str] = BERICHT
    header: Header
    client: ToewijzingClient | None = None  # absent in a fully accepted retour


@dataclass(kw_only=True, slots=True)
class StartBericht:
    """305 Start zorg and its retour 306."""

    NS: ClassVar[str] = BERICHT
    header: Header
    client: StartClient | None = None  # absent in a fully accepted retour


@dataclass(kw_only=True, slots=True)
class StopBericht:
    """307 Stop zorg and its retour 308."""

    NS: ClassVar[str] = BERICHT
    header: Header
    client: StopClient | None = None  # absent in a fully accepted retour


@dataclass(kw_only=True, slots=True)
class VerzoekOmToewijzingBericht:
    """315 Verzoek om toewijzing and its retour 316."""

    NS: ClassVar[str] = BERICHT
    header: Header
    client: VerzoekOmToewijzingClient | None = None  # absent in a fully accepted retour


@dataclass(kw_only=True, slots=True)
class VerzoekOmWijzigingBericht:
    """317 Verzoek om wijziging and its retour 318."""

    NS: ClassVar[str] = BERICHT
    header: Header
    client: VerzoekOmWijzigingClient | None = None  # absent in a fully accepted retour


@dataclass(kw_only=True, slots=True)
class AntwoordBericht:
    """319 Antwoordbericht and its retour 320."""

    NS: ClassVar[str] = BERICHT
    header: Header
    antwoord: Antwoord | None = None  # absent in a fully accepted retour


@dataclass(kw_only=True, slots=True)
class DeclaratieBericht:
    """323 Declaratie (answered by a 325, no retour of its own)."""

    NS: ClassVar[str] = BERICHT
    header: Header
    declaratie: Declaratie


@dataclass(kw_only=True, slots=True)
class DeclaratieAntwoordBericht:
    """325 Declaratie-antwoord."""

    NS: ClassVar[str] = BERICHT
    header: Header
    declaratie_antwoord: DeclaratieAntwoord | None = None


Bericht = (
    ToewijzingBericht
    | StartBericht
    | StopBericht
    | VerzoekOmToewijzingBericht
    | VerzoekOmWijzigingBericht
    | AntwoordBericht
    | DeclaratieBericht
    | DeclaratieAntwoordBericht
)
