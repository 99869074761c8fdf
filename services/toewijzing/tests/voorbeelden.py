"""Small builders for the toewijzing domain tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from runtime.domein import Uitvoeringsvariant, Wet
from toewijzing.domain.toewijzing import Omvang, Product, Toewijzing

BSN = "999900006"
GEMEENTE = "0363"
AGB = "42420001"
AGB_2 = "42420002"
MOMENT = datetime(2026, 11, 1, 10, 0, 0)
LATER = datetime(2026, 11, 23, 9, 30, 0)
WEKELIJKS = Omvang(4, "04", "2")  # 4 uur per week
TOTAAL = Omvang(40, "04", "6")  # 40 uur binnen de geldigheidsduur


def nummers(start: int = 500) -> Callable[[], int]:
    teller = itertools.count(start)
    return lambda: next(teller)


def ids(prefix: str = "i") -> Callable[[], str]:
    teller = itertools.count(1)
    return lambda: f"{prefix}{next(teller)}"


def toewijzing(**changes: Any) -> Toewijzing:
    values: dict[str, Any] = dict(
        gemeentecode=GEMEENTE,
        wet=Wet.WMO,
        toewijzing_nummer=100,
        bsn=BSN,
        agb=AGB,
        product=Product("02", "02A01"),
        ingangsdatum=date(2026, 1, 1),
        einddatum=date(2026, 12, 31),
        uitvoeringsvariant=Uitvoeringsvariant.INSPANNINGSGERICHT,
        toewijzingsmoment=MOMENT,
        omvang=WEKELIJKS,
        beschikkingnummer="123",
    )
    values.update(changes)
    return Toewijzing(**values)


def product_event(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "categorie": "02",
        "code": "02A01",
        "omvang": {"volume": 4, "eenheid": "04", "frequentie": "2"},
        "budget": None,
        "ingangsdatum": "2026-01-01",
        "einddatum": "2026-12-31",
        "uitvoeringsvariant": "inspanningsgericht",
        "agb": AGB,
    }
    values.update(changes)
    return values


def beschikking_event(*producten: dict[str, Any], **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "beschikkingnummer": "123",
        "bsn": BSN,
        "gemeentecode": GEMEENTE,
        "wet": "wmo",
        "beschikkingsdatum": "2025-12-15",
        "versie": 1,
        "producten": list(producten) or [product_event()],
    }
    values.update(changes)
    return values
