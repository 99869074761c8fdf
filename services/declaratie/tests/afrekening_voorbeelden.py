"""Shared examples for benutting, voorschot and afrekening: gemeente 0384, aanbieder 65656055, iJw product
45A48 at 120 minuten per week for two cliënten, and the contract at €1.75 per minuut for 2026."""

from __future__ import annotations

from datetime import date

from declaratie.domain.benutting import IngediendePrestatie
from declaratie.domain.contract import Contract
from declaratie.domain.toewijzingstand import Omvang, ToewijzingKopie
from runtime.domein import Uitvoeringsvariant, Wet

GEMEENTE = "0384"
AGB = "65656055"
WET = Wet.JEUGDWET
BSN_A = "999900006"
BSN_B = "999900018"


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
        omvang=Omvang(120, "01", "2"),  # 120 minuten per week
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
        tarief_eurocent=175,
        eenheid="01",
        begindatum=date(2026, 1, 1),
    )
    velden.update(changes)
    return Contract(**velden)  # type: ignore[arg-type]


def prestatie(
    volume: int,
    bedrag: int,
    *,
    nummer: int = 10072,
    bsn: str = BSN_A,
    periode: tuple[date, date] = (date(2026, 10, 1), date(2026, 10, 31)),
    toegekend: bool = True,
    dc: str = "D",
    eenheid: str = "01",
    agb: str = AGB,
) -> IngediendePrestatie:
    return IngediendePrestatie(
        gemeentecode=GEMEENTE,
        wet=WET,
        agb=agb,
        bsn=bsn,
        toewijzing_nummer=nummer,
        begindatum=periode[0],
        einddatum=periode[1],
        volume=volume,
        eenheid=eenheid,
        bedrag=bedrag,
        debet_credit=dc,
        toegekend=toegekend,
    )
