"""The 301 Toewijzing as a typed message (berichten.domain.model), and which toewijzingen go in it.

One 301 is about one cliënt at one aanbieder (header Afzender = gemeentecode, Ontvanger = AGB) and
carries every current toewijzing of that cliënt there, plus those changed since the previous 301
(OP087), each in its current version. BerichtCode and XSD versions come from the XSDs through
berichten' `Schemas` (passed in: this module reads nothing itself); BerichtVersie 3, BerichtSubversie 2
(CS025, CS015).

Cliënt data comes from the indicatie service's Client (proto zorgketen.indicatie.v1.Client) as a
`ClientGegevens`. Mapping choices: NaamGebruik 1 (eigen naam: the indicatie service holds no
partnernaam); one Contact per adres with its Soort (COD757); telefoon and e-mailadres go on the
woonadres' Contact (BRP, else verblijf, else correspondentie); a Dutch telefoon (+31 / 0031 / 0…)
becomes Landnummer 0031 with the national number, a foreign one Landnummer 00 + its country code
(1 digit for 1 and 7, else 2 digits — an approximation of E.164; a 3-digit country code loses one
digit to the number). WettelijkeVertegenwoordiging carries only its WJ003 code: the vertegenwoordiger's
name is free text there and cannot fill a Relatie's structured VolledigeNaam.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from berichten.codec.schemas import Schemas
from berichten.domain import model
from berichten.domain.berichtsoorten import STANDAARD_VAN_WET
from runtime.domein import Wet
from runtime.errors import DomainError
from toewijzing.domain.toewijzing import Toewijzing, huidige_versies

BERICHT_VERSIE = 3
BERICHT_SUBVERSIE = 2
NAAM_GEBRUIK_EIGEN = "1"  # COD700: eigen geslachtsnaam
NEDERLAND = "NL"
LANDNUMMER_NL = "0031"
_WOONADRES_VOORKEUR = ("01", "03", "02")  # COD757: BRP, verblijf, correspondentie


@dataclass(frozen=True, slots=True)
class Kop:
    """The header facts of one 301."""

    gemeentecode: str  # Afzender
    agb: str  # Ontvanger
    wet: Wet
    identificatie: str  # unique per berichtsoort per sender (TR056), at most 12 characters
    dagtekening: date


@dataclass(frozen=True, slots=True)
class Adres:
    """An adres of the cliënt; `soort` is COD757 (01 BRP, 02 correspondentie, 03 verblijf, 04 tijdelijk)."""

    soort: str
    straatnaam: str = ""
    huisnummer: int | None = None
    huisletter: str = ""
    huisnummertoevoeging: str = ""
    postcode: str = ""
    plaatsnaam: str = ""
    land: str = NEDERLAND


@dataclass(frozen=True, slots=True)
class ClientGegevens:
    """What the 301 needs of the indicatie service's Client."""

    bsn: str
    geboortedatum: date
    geslacht: str  # COD046: 0 onbekend, 1 man, 2 vrouw
    geslachtsnaam: str
    voorletters: str = ""
    voorvoegsel: str = ""
    datum_gebruik: str = ""  # COD170, empty when the geboortedatum is fully known
    adressen: tuple[Adres, ...] = ()
    telefoon: str = ""
    emailadres: str = ""
    wettelijke_vertegenwoordiging: str = ""  # WJ003 soort, empty when none


def telefoon(nummer: str) -> model.Telefoonnummers | None:
    """A telephone number as Telefoon01 {Telefoonnummer (digits only), Landnummer} (see the module docstring)."""
    cijfers = "".join(c for c in nummer if c.isdigit())
    if not cijfers:
        return None
    if nummer.strip().startswith("+"):
        internationaal = cijfers
    elif cijfers.startswith("00"):
        internationaal = cijfers[2:]
    else:
        return model.Telefoonnummers(telefoon01=model.Telefoon(telefoonnummer=cijfers[:15], landnummer=LANDNUMMER_NL))
    if internationaal.startswith("31"):
        return model.Telefoonnummers(telefoon01=model.Telefoon(telefoonnummer=("0" + internationaal[2:])[:15], landnummer=LANDNUMMER_NL))
    lengte = 1 if internationaal[:1] in ("1", "7") else 2
    return model.Telefoonnummers(telefoon01=model.Telefoon(telefoonnummer=internationaal[lengte:][:15], landnummer="00" + internationaal[:lengte]))


def _adres(a: Adres) -> model.Adres:
    huis = (
        model.Huis(huisnummer=a.huisnummer, huisletter=a.huisletter or None, huisnummer_toevoeging=a.huisnummertoevoeging or None)
        if a.huisnummer is not None
        else None
    )
    postcode = a.postcode.replace(" ", "").upper() or None
    return model.Adres(
        huis=huis,
        postcode=postcode,
        straatnaam=a.straatnaam or None,
        plaatsnaam=a.plaatsnaam or None,
        land_code=(a.land or NEDERLAND) if postcode else None,  # LandCode is filled exactly when Postcode is
    )


def _contactgegevens(client: ClientGegevens) -> list[model.Contact]:
    adressen = sorted(client.adressen, key=lambda a: a.soort)
    woon = next((a for soort in _WOONADRES_VOORKEUR for a in adressen if a.soort == soort), None)
    contacten = []
    for a in adressen:
        bij_woonadres = a is woon
        contacten.append(
            model.Contact(
                soort=a.soort,
                adres=_adres(a),
                telefoon=telefoon(client.telefoon) if bij_woonadres else None,
                emailadres=(client.emailadres or None) if bij_woonadres else None,
            )
        )
    return contacten


def _voorletters(value: str) -> str | None:
    letters = "".join(c for c in value if c.isalpha())[:6]
    return letters or None


def toegewezen_product(t: Toewijzing) -> model.ToegewezenProduct:
    """One toewijzing version as a ToegewezenProduct; Toewijzingsdatum/-tijd are its toewijzingsmoment (IV013)."""
    product = model.Product(categorie=t.product.categorie, code=t.product.code) if t.product.categorie else None
    omvang = model.Omvang(volume=t.omvang.volume, eenheid=t.omvang.eenheid, frequentie=t.omvang.frequentie) if t.omvang else None
    return model.ToegewezenProduct(
        toewijzing_nummer=t.toewijzing_nummer,
        referentie_aanbieder=t.referentie_aanbieder,
        product=product,
        toewijzingsdatum=t.toewijzingsmoment.date(),
        toewijzingstijd=t.toewijzingsmoment.time().replace(microsecond=0),
        ingangsdatum=t.ingangsdatum,
        einddatum=t.einddatum,
        reden_wijziging=t.reden_wijziging,
        omvang=omvang,
        budget=t.budget,
        commentaar=t.commentaar,
    )


def bouw_301(kop: Kop, client: ClientGegevens, toewijzingen: Sequence[Toewijzing], schemas: Schemas) -> model.ToewijzingBericht:
    """The 301 for one cliënt at one aanbieder with the given toewijzing versions (see `toewijzingen_voor_301`).
    Refuses toewijzingen of another cliënt, gemeente, wet or aanbieder, and an empty set."""
    if not toewijzingen:
        raise DomainError("a 301 carries at least one toegewezen product")
    for t in toewijzingen:
        if (t.bsn, t.gemeentecode, t.wet, t.agb) != (client.bsn, kop.gemeentecode, kop.wet, kop.agb):
            raise DomainError(
                f"toewijzing {t.toewijzing_nummer} is not of cliënt {client.bsn} in gemeente {kop.gemeentecode} ({kop.wet.value}) at aanbieder {kop.agb}"
            )
    nummers = [t.toewijzing_nummer for t in toewijzingen]
    if len(set(nummers)) != len(nummers):
        raise DomainError("a 301 carries each toewijzing once, in its current version")
    bericht_type = schemas.type_for(STANDAARD_VAN_WET[kop.wet], "301")
    header = model.Header(
        bericht_code=bericht_type.berichtcode,
        bericht_versie=BERICHT_VERSIE,
        bericht_subversie=BERICHT_SUBVERSIE,
        afzender=kop.gemeentecode,
        ontvanger=kop.agb,
        bericht_identificatie=model.BerichtIdentificatie(identificatie=kop.identificatie, dagtekening=kop.dagtekening),
        xsd_versie=model.XsdVersie(basisschema_xsd_versie=bericht_type.basisschema_xsd_versie, bericht_xsd_versie=bericht_type.bericht_xsd_versie),
    )
    naam = model.VolledigeNaam(
        geslachtsnaam=model.Achternaam(achternaam=client.geslachtsnaam, voorvoegsel=client.voorvoegsel or None),
        voorletters=_voorletters(client.voorletters),
        naam_gebruik=NAAM_GEBRUIK_EIGEN,
    )
    return model.ToewijzingBericht(
        header=header,
        client=model.ToewijzingClient(
            bsn=client.bsn,
            geboortedatum=model.Geboortedatum(datum=client.geboortedatum, datum_gebruik=client.datum_gebruik or None),
            geslacht=client.geslacht,
            naam=naam,
            wettelijke_vertegenwoordiging=client.wettelijke_vertegenwoordiging or None,
            contactgegevens=_contactgegevens(client),
            toegewezen_producten=[toegewezen_product(t) for t in sorted(toewijzingen, key=lambda t: t.toewijzing_nummer)],
        ),
    )


def toewijzingen_voor_301(versies: Iterable[Toewijzing], verzonden_momenten: Mapping[int, datetime], peildatum: date) -> list[Toewijzing]:
    """OP087: of one cliënt's toewijzingen at one aanbieder, the current version of each that is current on
    or after `peildatum` (the Dagtekening), plus each whose current version was not sent yet.
    `verzonden_momenten`: per ToewijzingNummer the toewijzingsmoment of the version last sent in a 301.
    A toewijzing deleted before it was ever sent is left out (the aanbieder never knew it); a version
    sent before loses its ReferentieAanbieder (only the first 301 honouring a VOT/VOW carries it, TR379)."""
    gekozen = []
    for nummer, t in sorted(huidige_versies(versies).items()):
        verzonden = verzonden_momenten.get(nummer)
        nieuw = verzonden is None or t.toewijzingsmoment > verzonden
        if verzonden is None and t.is_verwijderd:
            continue
        if not (t.is_actueel(peildatum) or nieuw):
            continue
        gekozen.append(t if nieuw else replace(t, referentie_aanbieder=None))
    return gekozen
