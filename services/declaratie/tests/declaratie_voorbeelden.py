"""Shared examples for the declaratiecontrole tests: an iJw 323 of aanbieder 65656055 to gemeente 0384 for
October 2026 (the header of the official JW323 example), two cliënten with a toewijzing each of 45A48 at
120 minuten per week, and the contract at €1.75 per minuut."""

from __future__ import annotations

import copy
import functools
from datetime import date

from berichten.codec.codec import Codec
from berichten.codec.schemas import STANDAARD_DIR
from berichten.domain import model
from berichten.domain.berichtsoorten import Standaard
from berichten.domain.regels.catalogus import Bevinding
from berichten.domain.retour import Kop
from declaratie.domain.contract import Contract
from declaratie.domain.controle import EerderePrestatie, Stand
from declaratie.domain.toewijzingstand import Omvang, ToewijzingKopie
from runtime.domein import Uitvoeringsvariant, Wet

GEMEENTE = "0384"
AGB = "65656055"
WET = Wet.JEUGDWET
BSN_A = "999900006"
BSN_B = "999900018"
OKTOBER = (date(2026, 10, 1), date(2026, 10, 31))
SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))
TARIEF = 175  # eurocent per minuut

CLIENT = "/Bericht/Declaratie/Clienten/Client"
PRESTATIE = f"{CLIENT}/Prestaties/Prestatie"  # one cliënt with one prestatie: no index


@functools.cache
def codec() -> Codec:
    return Codec()


@functools.cache
def _voorbeeld() -> model.DeclaratieBericht:
    data = (STANDAARD_DIR / "ijw" / "3.2" / "examples" / "JW323.xml").read_bytes()
    bericht = codec().decode(data).bericht
    assert isinstance(bericht, model.DeclaratieBericht)
    return bericht


def toewijzing(nummer: int = 10072, bsn: str = BSN_A, **changes: object) -> ToewijzingKopie:
    velden: dict[str, object] = dict(
        gemeentecode=GEMEENTE,
        wet=WET,
        toewijzing_nummer=nummer,
        bsn=bsn,
        agb=AGB,
        categorie="45",
        code="45A48",
        ingangsdatum=date(2026, 1, 1),
        einddatum=date(2026, 12, 31),
        uitvoeringsvariant=Uitvoeringsvariant.INSPANNINGSGERICHT,
        omvang=Omvang(120, "01", "2"),
    )
    velden.update(changes)
    return ToewijzingKopie(**velden)  # type: ignore[arg-type]


def contract(**changes: object) -> Contract:
    velden: dict[str, object] = dict(
        gemeentecode=GEMEENTE,
        agb=AGB,
        wet=WET,
        productcategorie="45",
        productcode="45A48",
        uitvoeringsvariant=Uitvoeringsvariant.INSPANNINGSGERICHT,
        tarief_eurocent=TARIEF,
        eenheid="01",
        begindatum=date(2026, 1, 1),
    )
    velden.update(changes)
    return Contract(**velden)  # type: ignore[arg-type]


def stand(**changes: object) -> Stand:
    velden: dict[str, object] = dict(
        gemeentecode=GEMEENTE,
        wet=WET,
        agb=AGB,
        toewijzingen=(toewijzing(10072, BSN_A), toewijzing(10073, BSN_B)),
        contracten=(contract(),),
        laatste_declaratieperiode=SEPTEMBER[0],
    )
    velden.update(changes)
    return Stand(**velden)  # type: ignore[arg-type]


def prestatie(
    referentie: str = "RN1",
    nummer: int = 10072,
    periode: tuple[date, date] = OKTOBER,
    volume: int = 120,
    tarief: int | None = TARIEF,
    bedrag: int | None = None,
    dc: str = "D",
    vorig: str | None = None,
    eenheid: str = "01",
    categorie: str = "45",
    code: str = "45A48",
) -> model.Prestatie:
    return model.Prestatie(
        product_referentie=model.Referentie(referentie_nummer=referentie, vorig_referentie_nummer=vorig),
        toewijzing_nummer=nummer,
        product_categorie=categorie,
        product_code=code,
        product_periode=model.GeslotenPeriode(begindatum=periode[0], einddatum=periode[1]),
        geleverd_volume=volume,
        eenheid=eenheid,
        product_tarief=tarief,
        ingediend_bedrag=model.BedragMetDC(bedrag=volume * (tarief or 0) if bedrag is None else bedrag, debet_credit=dc),
    )


def credit(referentie: str, vorig: str, **changes: object) -> model.Prestatie:
    """IV091: an identical copy of the debet with a new ReferentieNummer, VorigReferentieNummer and C."""
    return prestatie(referentie, vorig=vorig, dc="C", **changes)  # type: ignore[arg-type]


def declaratie(*clienten: tuple[str, list[model.Prestatie]], nummer: str = "DN2026-10", periode: tuple[date, date] = OKTOBER) -> model.DeclaratieBericht:
    """A 323 with these cliënten and prestaties; TotaalIngediendBedrag is their sum (TR358)."""
    bericht = copy.deepcopy(_voorbeeld())
    som = sum(-p.ingediend_bedrag.bedrag if p.ingediend_bedrag.debet_credit == "C" else p.ingediend_bedrag.bedrag for _, ps in clienten for p in ps)
    bericht.header.bericht_identificatie = model.BerichtIdentificatie(identificatie="D2026-11-1", dagtekening=date(2026, 11, 5))
    bericht.declaratie = model.Declaratie(
        declaratie_nummer=nummer,
        declaratie_periode=model.GeslotenPeriode(begindatum=periode[0], einddatum=periode[1]),
        declaratie_dagtekening=date(2026, 11, 5),
        totaal_ingediend_bedrag=model.TotaalBedragMetDC(totaal_bedrag=abs(som), debet_credit="C" if som < 0 else "D"),
        clienten=[model.DeclaratieClient(bsn=bsn, prestaties=list(ps)) for bsn, ps in clienten],
    )
    return bericht


def een(*prestaties: model.Prestatie, bsn: str = BSN_A, **changes: object) -> model.DeclaratieBericht:
    """A 323 for one cliënt."""
    return declaratie((bsn, list(prestaties or [prestatie()])), **changes)  # type: ignore[arg-type]


def eerder(
    referentie: str = "RN0",
    nummer: int = 10072,
    periode: tuple[date, date] = SEPTEMBER,
    volume: int = 120,
    bedrag: int | None = None,
    dc: str = "D",
    vorig: str | None = None,
    toegekend: bool = True,
    gecrediteerd: bool = False,
    eenheid: str = "01",
) -> EerderePrestatie:
    return EerderePrestatie(
        referentie_nummer=referentie,
        vorig_referentie_nummer=vorig,
        toewijzing_nummer=nummer,
        product_categorie="45",
        product_code="45A48",
        product_periode_begindatum=periode[0],
        product_periode_einddatum=periode[1],
        geleverd_volume=volume,
        eenheid=eenheid,
        bedrag=volume * TARIEF if bedrag is None else bedrag,
        debet_credit=dc,
        toegekend=toegekend,
        gecrediteerd=gecrediteerd,
    )


def codes(bevindingen: list[Bevinding]) -> list[tuple[str, str, str]]:
    return [(b.regel, b.retourcode, b.klasse) for b in bevindingen]


def kop325() -> Kop:
    retour_type = codec().schemas.type_for(Standaard.IJW, "325")
    return Kop(
        bericht_code=retour_type.berichtcode,
        identificatie="A2026-11-1",
        dagtekening=date(2026, 11, 9),
        xsd_versie=model.XsdVersie(basisschema_xsd_versie=retour_type.basisschema_xsd_versie, bericht_xsd_versie=retour_type.bericht_xsd_versie),
    )
