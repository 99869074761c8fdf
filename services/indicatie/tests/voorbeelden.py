"""Test support: a complete cliënt, contracts and producten for the pure domain tests."""

from __future__ import annotations

import functools
from datetime import date

from berichten.adapters.codelijsten import load_codelijsten
from indicatie.domain.beschikking import Beschikking, BeschiktProduct, ContractRegel, Omvang, Uitvoeringsvariant, Wet
from indicatie.domain.client import Adres, Client, Geslacht

INSPANNING = Uitvoeringsvariant.INSPANNINGSGERICHT


@functools.cache
def codelijsten():  # type: ignore[no-untyped-def]
    return load_codelijsten()


def client(**changes) -> Client:  # type: ignore[no-untyped-def]
    values = dict(
        bsn="999900006",
        gemeentecode="0356",
        geslachtsnaam="Jansen",
        voorletters="J.",
        geboortedatum=date(2015, 1, 1),
        geslacht=Geslacht.MAN,
        adressen=(Adres("01", postcode="3431AB", huisnummer=12, straatnaam="Lekboulevard", plaatsnaam="Nieuwegein"),),
    )
    return Client(**{**values, **changes})


def product(**changes) -> BeschiktProduct:  # type: ignore[no-untyped-def]
    values = dict(
        categorie="45",
        code="45A48",
        ingangsdatum=date(2026, 2, 1),
        einddatum=date(2026, 12, 31),
        uitvoeringsvariant=INSPANNING,
        omvang=Omvang(120, "01", "2"),
    )
    return BeschiktProduct(**{**values, **changes})


def beschikking(*producten: BeschiktProduct, **changes) -> Beschikking:  # type: ignore[no-untyped-def]
    values = dict(
        beschikkingnummer="1001",
        bsn="999900006",
        gemeentecode="0356",
        wet=Wet.JEUGDWET,
        beschikkingsdatum=date(2026, 1, 20),
        producten=producten or (product(),),
    )
    return Beschikking(**{**values, **changes})


def contract(**changes) -> ContractRegel:  # type: ignore[no-untyped-def]
    values = dict(
        gemeentecode="0356",
        wet="jeugdwet",
        productcategorie="45",
        productcode="45A48",
        uitvoeringsvariant="inspanningsgericht",
        begindatum=date(2026, 1, 1),
    )
    return ContractRegel(**{**values, **changes})
