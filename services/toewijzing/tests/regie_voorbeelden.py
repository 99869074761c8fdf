"""Shared examples for the regie, verzoek and termijnen tests: the official example messages decoded,
and toewijzingen, starts and stops that match them (cliënt 999900006, aanbieder 65656055, gemeente 0363)."""

from __future__ import annotations

import copy
import functools
from datetime import date, datetime

from berichten.codec.codec import Codec
from berichten.codec.schemas import STANDAARD_DIR
from berichten.domain import model
from runtime.domein import Uitvoeringsvariant, Wet
from toewijzing.domain.levering import Start, Stop
from toewijzing.domain.toewijzing import Omvang, Product, Toewijzing, ToewijzingStatus

GEMEENTE = "0363"
AGB = "65656055"
BSN = "999900006"
WET = Wet.JEUGDWET


@functools.cache
def codec() -> Codec:
    return Codec()


@functools.cache
def _decoded(naam: str) -> model.Bericht:
    data = (STANDAARD_DIR / "ijw" / "3.2" / "examples" / f"{naam}.xml").read_bytes()
    bericht = codec().decode(data).bericht
    assert bericht is not None
    return bericht


def voorbeeld(naam: str) -> model.Bericht:
    """A fresh copy of an official example message, decoded (e.g. "JW305")."""
    return copy.deepcopy(_decoded(naam))


def toewijzing(nummer: int = 300201, code: str | None = "55A11", **changes: object) -> Toewijzing:
    velden: dict[str, object] = dict(
        gemeentecode=GEMEENTE,
        wet=WET,
        toewijzing_nummer=nummer,
        bsn=BSN,
        agb=AGB,
        product=Product("55", code),
        ingangsdatum=date(2023, 4, 1),
        einddatum=date(2023, 12, 31),
        uitvoeringsvariant=Uitvoeringsvariant.INSPANNINGSGERICHT,
        toewijzingsmoment=datetime(2023, 3, 20, 10, 0),
        omvang=Omvang(4, "04", "2") if code else None,
        status=ToewijzingStatus.ACTIEF,
    )
    velden.update(changes)
    return Toewijzing(**velden)  # type: ignore[arg-type]


def start(nummer: int | None = 300201, code: str | None = "55A11", begindatum: date = date(2023, 4, 3), **changes: object) -> Start:
    velden: dict[str, object] = dict(
        gemeentecode=GEMEENTE,
        wet=WET,
        agb=AGB,
        bsn=BSN,
        toewijzing_nummer=nummer,
        product=Product("55", code),
        toewijzing_ingangsdatum=date(2023, 4, 1) if nummer is not None else None,
        begindatum=begindatum,
        ontvangen_op=begindatum,
        bericht_id="start-1",
    )
    velden.update(changes)
    return Start(**velden)  # type: ignore[arg-type]


def stop(
    nummer: int | None = 300201,
    code: str | None = "55A11",
    begindatum: date = date(2023, 4, 3),
    einddatum: date = date(2023, 7, 19),
    reden: str = "31",
    **changes: object,
) -> Stop:
    velden: dict[str, object] = dict(
        gemeentecode=GEMEENTE,
        wet=WET,
        agb=AGB,
        bsn=BSN,
        toewijzing_nummer=nummer,
        product=Product("55", code),
        toewijzing_ingangsdatum=date(2023, 4, 1) if nummer is not None else None,
        begindatum=begindatum,
        reden_beeindiging=reden,
        einddatum=einddatum,
        ontvangen_op=einddatum,
        bericht_id="stop-1",
    )
    velden.update(changes)
    return Stop(**velden)  # type: ignore[arg-type]
