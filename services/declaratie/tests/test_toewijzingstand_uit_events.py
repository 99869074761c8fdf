"""The declaratie service's copy of toewijzingen, starts and stops is built from the toewijzing service's events."""

from __future__ import annotations

import dataclasses
from datetime import date

from declaratie.domain.toewijzingstand import START, STOP, LeveringKopie, Omvang, ToewijzingKopie
from runtime.domein import Uitvoeringsvariant, Wet
from toewijzing.domain import events
from toewijzing.tests.regie_voorbeelden import start, stop, toewijzing


def test_toewijzing_kopie_uit_gewijzigd_event() -> None:
    kopie = ToewijzingKopie.uit_event(events.toewijzing(toewijzing(300201, "55A11", versie=2)))
    assert kopie == ToewijzingKopie(
        gemeentecode="0363",
        wet=Wet.JEUGDWET,
        toewijzing_nummer=300201,
        bsn="999900006",
        agb="65656055",
        categorie="55",
        code="55A11",
        ingangsdatum=date(2023, 4, 1),
        einddatum=date(2023, 12, 31),
        uitvoeringsvariant=Uitvoeringsvariant.INSPANNINGSGERICHT,
        omvang=Omvang(4, "04", "2"),
        budget=None,
        verwijderd=False,
        versie=2,
    )


def test_verwijderde_toewijzing_en_budget() -> None:
    weg = toewijzing(300202, None, omvang=None, budget=50_000, einddatum=date(2023, 4, 1), reden_wijziging="13")
    kopie = ToewijzingKopie.uit_event(events.toewijzing(weg))
    assert (kopie.code, kopie.omvang, kopie.budget, kopie.verwijderd) == (None, None, 50_000, True)


def test_nieuwere_versie_vervangt_oudere() -> None:
    v1 = ToewijzingKopie.uit_event(events.toewijzing(toewijzing(300201)))
    v2 = dataclasses.replace(v1, versie=2, einddatum=date(2023, 6, 30))
    assert v2.vervangt(v1) and v1.vervangt(None)
    assert not v1.vervangt(v2)  # an event delivered late does not overwrite


def test_start_en_stop_uit_levering_events() -> None:
    s = LeveringKopie.uit_event(events.levering(start()))
    e = LeveringKopie.uit_event(events.levering(stop(reden="20")))
    assert (s.soort, s.toewijzing_nummer, s.begindatum, s.einddatum) == (START, 300201, date(2023, 4, 3), None)
    assert (e.soort, e.einddatum, e.is_tijdelijk) == (STOP, date(2023, 7, 19), True)
    assert e.start_sleutel == s.start_sleutel  # a stop copies its start's key (TR382)
