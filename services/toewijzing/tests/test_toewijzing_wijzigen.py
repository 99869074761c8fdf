"""The Toewijzing entity: changes as IV066 allows, the current version (IV013), actueel (OP087) and stapeling (OP259)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runtime.errors import DomainError
from toewijzing.domain.toewijzing import (
    REDEN_VERWIJDERD,
    Omvang,
    Product,
    Wijziging,
    beeindig,
    controleer_stapeling,
    huidige_versies,
    UitgesteldeVerwijdering,
    stapeling,
    verwijder,
    verwijder_of_stel_uit,
    voer_uitgestelde_verwijdering_uit,
    wijzig,
)
from toewijzing.tests.voorbeelden import AGB_2, LATER, MOMENT, TOTAAL, nummers, toewijzing


def test_einddatum_wijzigt_in_place_met_zelfde_nummer_en_reden():
    t = toewijzing()
    w = wijzig(t, LATER, "05", nummers(), einddatum=date(2026, 6, 30))
    assert w.nieuw == ()
    (v,) = w.gewijzigd
    assert (v.toewijzing_nummer, v.einddatum, v.reden_wijziging, v.versie, v.toewijzingsmoment) == (100, date(2026, 6, 30), "05", 2, LATER)


def test_budget_wijzigt_in_place():
    t = toewijzing(product=Product("02"), omvang=None, budget=100_000)
    (v,) = wijzig(t, LATER, "14", nummers(), budget=150_000).gewijzigd
    assert (v.toewijzing_nummer, v.budget) == (100, 150_000)


def test_omvang_met_frequentie_6_wijzigt_in_place():
    t = toewijzing(omvang=TOTAAL)
    w = wijzig(t, LATER, "04", nummers(), omvang=Omvang(60, "04", "6"))
    assert w.nieuw == () and w.gewijzigd[0].omvang == Omvang(60, "04", "6")


def test_omvang_met_andere_frequentie_beeindigt_oude_en_maakt_nieuw_nummer_vanaf_nieuwe_ingangsdatum():
    t = toewijzing()
    w = wijzig(t, LATER, "14", nummers(500), omvang=Omvang(6, "04", "2"), ingangsdatum=date(2026, 12, 1))
    (oud,) = w.gewijzigd
    (nieuw,) = w.nieuw
    assert (oud.toewijzing_nummer, oud.einddatum) == (100, date(2026, 11, 30))
    assert (nieuw.toewijzing_nummer, nieuw.ingangsdatum, nieuw.einddatum, nieuw.omvang, nieuw.reden_wijziging, nieuw.versie) == (
        500, date(2026, 12, 1), date(2026, 12, 31), Omvang(6, "04", "2"), None, 1
    )


def test_omvang_wijziging_zonder_nieuwe_ingangsdatum_verwijdert_oude():
    w = wijzig(toewijzing(), LATER, "14", nummers(500), omvang=Omvang(6, "04", "2"))
    (oud,) = w.gewijzigd
    assert oud.is_verwijderd and oud.reden_wijziging == REDEN_VERWIJDERD
    assert w.nieuw[0].ingangsdatum == date(2026, 1, 1)


def test_latere_ingangsdatum_na_einde_laat_oude_ongemoeid():
    """Fixed bug: the old toewijzing was stretched to the day before the new ingangsdatum."""
    t = toewijzing(einddatum=date(2026, 6, 30))
    w = wijzig(t, LATER, "14", nummers(500), ingangsdatum=date(2026, 9, 1), einddatum=date(2026, 12, 31))
    assert w.gewijzigd == ()
    assert w.nieuw[0].ingangsdatum == date(2026, 9, 1)


def test_niets_gewijzigd_geeft_lege_wijziging():
    assert wijzig(toewijzing(), LATER, "14", nummers(), einddatum=date(2026, 12, 31)) == Wijziging()


def test_verwijderen_is_einddatum_gelijk_aan_ingangsdatum_met_reden_13():
    v = verwijder(toewijzing(), LATER)
    assert (v.einddatum, v.reden_wijziging) == (v.ingangsdatum, "13") and v.is_verwijderd


def test_tr385_verwijderen_uitgesteld_bij_toegekende_prestaties():
    t = toewijzing()
    uitgesteld = verwijder_of_stel_uit(t, LATER, heeft_toegekende_prestaties=True)
    assert uitgesteld == UitgesteldeVerwijdering(t.gemeentecode, t.wet, t.toewijzing_nummer, t.bsn, t.agb, LATER)
    assert (uitgesteld.regel, uitgesteld.retourcode) == ("TR385", "9385")
    assert verwijder_of_stel_uit(t, LATER, heeft_toegekende_prestaties=False) == verwijder(t, LATER)


def test_tr385_uitgestelde_verwijdering_uitgevoerd_zonder_toegekende_prestaties():
    t = toewijzing()
    uitgesteld = verwijder_of_stel_uit(t, LATER, heeft_toegekende_prestaties=True)
    assert isinstance(uitgesteld, UitgesteldeVerwijdering)
    with pytest.raises(DomainError, match=r"TR385 \(9385\)"):
        voer_uitgestelde_verwijdering_uit(uitgesteld, t, LATER + timedelta(hours=1), heeft_toegekende_prestaties=True)
    v = voer_uitgestelde_verwijdering_uit(uitgesteld, t, LATER + timedelta(hours=1), heeft_toegekende_prestaties=False)
    assert v is not None and (v.einddatum, v.reden_wijziging, v.versie) == (t.ingangsdatum, "13", t.versie + 1) and v.is_verwijderd
    # deleted meanwhile: nothing left to do
    assert voer_uitgestelde_verwijdering_uit(uitgesteld, v, LATER + timedelta(hours=2), heeft_toegekende_prestaties=False) is None
    with pytest.raises(DomainError, match="not the one"):
        voer_uitgestelde_verwijdering_uit(uitgesteld, toewijzing(toewijzing_nummer=101), LATER + timedelta(hours=1), heeft_toegekende_prestaties=False)


def test_verwijderde_toewijzing_wijzigt_niet_meer():
    with pytest.raises(DomainError):
        beeindig(verwijder(toewijzing(), LATER), date(2026, 3, 1), "05", LATER + timedelta(hours=1))


def test_op380_verlenging_door_latere_einddatum():
    v = beeindig(toewijzing(), date(2027, 6, 30), "04", LATER)
    assert (v.toewijzing_nummer, v.einddatum, v.reden_wijziging) == (100, date(2027, 6, 30), "04")


def test_beeindigen_voor_ingangsdatum_verwijdert():
    v = beeindig(toewijzing(ingangsdatum=date(2027, 1, 1), einddatum=None), date(2026, 12, 31), "05", LATER)
    assert v.is_verwijderd


def test_nieuwe_versie_vraagt_later_toewijzingsmoment():
    with pytest.raises(DomainError, match="later toewijzingsmoment"):
        beeindig(toewijzing(), date(2026, 6, 30), "05", MOMENT)


def test_iv013_huidige_versie_is_die_met_laatste_toewijzingsmoment():
    t = toewijzing()
    v2 = beeindig(t, date(2026, 6, 30), "05", LATER)
    v3 = beeindig(v2, date(2026, 9, 30), "04", LATER + timedelta(minutes=1))
    assert huidige_versies([v3, t, v2]) == {100: v3}


def test_is_actueel_niet_voor_verwijderde_en_vervallen():
    t = toewijzing()
    assert t.is_actueel(date(2026, 12, 31)) and not t.is_actueel(date(2027, 1, 1))
    assert not verwijder(t, LATER).is_actueel(date(2026, 1, 1))
    vervallen = toewijzing(einddatum=date(2026, 1, 1), reden_wijziging="01")
    assert not vervallen.is_actueel(date(2026, 1, 1))


def test_op259_stapeling_zelfde_code_overlappend():
    a = toewijzing()
    b = toewijzing(toewijzing_nummer=101, ingangsdatum=date(2026, 12, 31), einddatum=None)
    assert stapeling([a, b]) == [(a, b)]


def test_op259_geen_stapeling_andere_code_of_aansluitend():
    a = toewijzing()
    assert stapeling([a, toewijzing(toewijzing_nummer=101, product=Product("02", "02A02"))]) == []
    assert stapeling([a, toewijzing(toewijzing_nummer=101, ingangsdatum=date(2027, 1, 1), einddatum=None)]) == []


def test_op259_zelfde_categorie_stapelt_bij_lege_code():
    a = toewijzing()
    b = toewijzing(toewijzing_nummer=101, product=Product("02"), omvang=None, budget=1000)
    c = toewijzing(toewijzing_nummer=102, product=Product("03"), omvang=None, budget=1000)
    assert stapeling([a, b]) == [(a, b)]
    assert stapeling([a, c]) == []


def test_op259_lege_categorie_stapelt_met_alles():
    a = toewijzing()
    generiek = toewijzing(toewijzing_nummer=101, product=Product(), omvang=None, budget=1000)
    assert stapeling([a, generiek]) == [(a, generiek)]


def test_op259_verwijderde_tellen_niet_mee():
    a = verwijder(toewijzing(), LATER)
    b = toewijzing(toewijzing_nummer=101)
    assert stapeling([a, b]) == []


def test_op259_controleer_stapeling_weigert_bij_zelfde_aanbieder_alleen():
    bestaand = toewijzing()
    with pytest.raises(DomainError, match="OP259"):
        controleer_stapeling([toewijzing(toewijzing_nummer=101)], [bestaand])
    controleer_stapeling([toewijzing(toewijzing_nummer=101, agb=AGB_2)], [bestaand])
