"""Voorschot from toegewezen volume × tarief or an agreed amount; voorlopige and definitieve afrekening;
a reclaim settled against the next voorschotten. Hand-checked eurocent in the comments."""

from datetime import date

import pytest

from declaratie.domain.afrekening import (
    AfrekeningSoort,
    VoorschotAfspraak,
    afspraken_uit_contracten,
    definitieve_afrekening,
    verreken,
    voorlopige_afrekening,
    voorschot,
)
from declaratie.domain.periode import kalendermaand
from declaratie.domain.toewijzingstand import Omvang
from declaratie.tests.afrekening_voorbeelden import AGB, BSN_B, GEMEENTE, contract, prestatie, toewijzing
from runtime.errors import DomainError

OKTOBER, NOVEMBER, DECEMBER = (kalendermaand(2026, m) for m in (10, 11, 12))
TOEWIJZINGEN = [toewijzing(10072), toewijzing(10073, BSN_B)]  # both 120 min per week in 2026
CONTRACTEN = [contract()]  # 175 ct per minuut


def vs(periode):  # type: ignore[no-untyped-def]
    return voorschot(periode, AGB, TOEWIJZINGEN, CONTRACTEN, gemeentecode=GEMEENTE)


def test_voorschot_is_toegewezen_volume_times_tarief_per_toewijzing():
    # Per toewijzing: 120 min × 31 days / 7 × 175 ct = 651000 / 7 = 93000 ct; two toewijzingen.
    v = vs(OKTOBER)
    assert [(r.omschrijving, r.bedrag) for r in v.regels] == [("toewijzing 10072", 93_000), ("toewijzing 10073", 93_000)]
    assert v.bedrag == v.te_betalen == 186_000
    # November, 30 days: 120 × 30 / 7 × 175 = 630000 / 7 = 90000 ct each.
    assert vs(NOVEMBER).bedrag == 180_000


def test_voorschot_ignores_other_aanbieders_and_gemeenten():
    anderen = [toewijzing(1, agb="98100001"), toewijzing(2, gemeentecode="0363")]
    assert voorschot(OKTOBER, AGB, TOEWIJZINGEN + anderen, CONTRACTEN, gemeentecode=GEMEENTE).bedrag == 186_000


def test_agreed_amount_for_the_aanbieder_replaces_the_toewijzingen():
    afspraak = VoorschotAfspraak(GEMEENTE, AGB, 150_000)
    v = voorschot(OKTOBER, AGB, TOEWIJZINGEN, CONTRACTEN, afspraak, gemeentecode=GEMEENTE)
    assert [(r.omschrijving, r.bedrag) for r in v.regels] == [("afspraak aanbieder", 150_000)]


def test_agreed_amount_per_product_replaces_only_that_product():
    # 45A48 agreed at 50000 per period; 45A49 (60 min per week at 200 ct) from the toewijzing:
    # 60 × 31 / 7 × 200 = 372000 / 7 = 53142.86 → 53143 ct.
    toewijzingen = TOEWIJZINGEN + [toewijzing(10074, code="45A49", omvang=Omvang(60, "01", "2"))]
    contracten = CONTRACTEN + [contract(productcode="45A49", tarief_eurocent=200)]
    afspraak = VoorschotAfspraak(GEMEENTE, AGB, 50_000, productcategorie="45", productcode="45A48")
    v = voorschot(OKTOBER, AGB, toewijzingen, contracten, [afspraak], gemeentecode=GEMEENTE)
    assert [(r.omschrijving, r.bedrag) for r in v.regels] == [("afspraak 45/45A48", 50_000), ("toewijzing 10074", 53_143)]
    assert v.bedrag == 103_143


def test_voorschot_rounds_half_up_per_toewijzing():
    # 1 minuut totaal binnen geldigheidsduur over 31 Oct + 1 Nov at 173 ct: 86.5 ct per day → 87 ct in each
    # month (half even would give 86). Rounding is per toewijzing per period, so the two months hold 174 ct.
    t = toewijzing(1, ingangsdatum=date(2026, 10, 31), einddatum=date(2026, 11, 1), omvang=Omvang(1, "01", "6"))
    contracten = [contract(tarief_eurocent=173)]
    assert voorschot(OKTOBER, AGB, [t], contracten, gemeentecode=GEMEENTE).bedrag == 87
    assert voorschot(NOVEMBER, AGB, [t], contracten, gemeentecode=GEMEENTE).bedrag == 87


def test_voorschot_is_refused_when_a_day_has_no_tarief():
    with pytest.raises(DomainError, match="no contract tarief for toewijzing 10072"):
        voorschot(OKTOBER, AGB, TOEWIJZINGEN[:1], [contract(einddatum=date(2026, 10, 15))], gemeentecode=GEMEENTE)


def test_voorschot_voorlopige_and_definitieve_afrekening_with_a_reclaim_settled_against_the_next_voorschot():
    oktober = vs(OKTOBER)  # 186000 ct (above)
    eerste_ronde = [
        prestatie(480, 84_000),  # cliënt A: 480 min × 175, accepted
        prestatie(600, 105_000, nummer=10073, bsn=BSN_B, toegekend=False),  # cliënt B: rejected
    ]
    voorlopig = voorlopige_afrekening(OKTOBER, oktober, eerste_ronde)
    assert voorlopig.soort is AfrekeningSoort.VOORLOPIG
    # gedeclareerd 84000 + 105000 = 189000; toegekend 84000; saldo 84000 − 186000 = −102000
    assert (voorlopig.voorschot, voorlopig.gedeclareerd, voorlopig.toegekend, voorlopig.saldo) == (186_000, 189_000, 84_000, -102_000)

    correcties = [
        prestatie(300, 52_500, nummer=10073, bsn=BSN_B),  # B declares again: 300 × 175, accepted
        prestatie(480, 84_000, dc="C"),  # A credits the first debet ...
        prestatie(420, 73_500),  # ... and declares 420 × 175 instead
    ]
    definitief = definitieve_afrekening(OKTOBER, oktober, eerste_ronde + correcties, voorlopig)
    # gedeclareerd 189000 + 52500 − 84000 + 73500 = 231000
    # toegekend 84000 + 52500 − 84000 + 73500 = 126000; saldo 126000 − 186000 = −60000: reclaim €600.00
    assert (definitief.gedeclareerd, definitief.toegekend, definitief.saldo) == (231_000, 126_000, -60_000)
    assert (definitief.te_betalen, definitief.terug_te_vorderen) == (0, 60_000)
    assert definitief.verschil_met_voorlopig == -60_000 - -102_000 == 42_000

    # The reclaim is settled against November's voorschot of 180000: 120000 is paid out.
    verrekening = verreken(definitief, [vs(NOVEMBER)])
    (november,) = verrekening.voorschotten
    assert (november.bedrag, november.verrekend, november.te_betalen, verrekening.rest) == (180_000, 60_000, 120_000, 0)
    # November's own afrekening still compares with the whole voorschot: the reclaim settled an old debt.
    assert definitieve_afrekening(NOVEMBER, november, []).voorschot == 180_000


def test_a_reclaim_larger_than_the_next_voorschot_runs_on_into_the_following_ones():
    # 400000 to reclaim: November 180000 → 0, December 186000 → 0, 34000 remains to be reclaimed.
    verrekening = verreken(-400_000, [vs(DECEMBER), vs(NOVEMBER)])
    assert [(v.periode.kenmerk, v.te_betalen) for v in verrekening.voorschotten] == [("2026-11", 0), ("2026-12", 0)]
    assert verrekening.rest == 400_000 - 180_000 - 186_000 == 34_000
    # 200000: November to 0, December 186000 − 20000 = 166000.
    assert [v.te_betalen for v in verreken(-200_000, [vs(NOVEMBER), vs(DECEMBER)]).voorschotten] == [0, 166_000]


def test_only_a_negative_definitive_saldo_is_settled_against_later_voorschotten():
    oktober = vs(OKTOBER)
    with pytest.raises(DomainError, match="negative saldo"):
        verreken(100, [vs(NOVEMBER)])
    with pytest.raises(DomainError, match="definitieve"):
        verreken(voorlopige_afrekening(OKTOBER, oktober, []), [vs(NOVEMBER)])
    with pytest.raises(DomainError, match="not a later voorschot"):
        verreken(definitieve_afrekening(OKTOBER, oktober, []), [oktober])


def test_afrekening_refuses_a_voorschot_of_another_period():
    with pytest.raises(DomainError, match="voorschot is for 2026-10"):
        voorlopige_afrekening(NOVEMBER, vs(OKTOBER), [])


def test_an_estimate_agreed_in_the_contract_replaces_the_toewijzingen_of_that_product():
    # The 45A48 contract agrees 40000 per period: both 45A48 toewijzingen (93000 each in October) give way
    # to it; 45A49 (no estimate) still counts from its toewijzing: 60 × 31 / 7 × 200 = 53142.86 → 53143.
    toewijzingen = TOEWIJZINGEN + [toewijzing(10074, code="45A49", omvang=Omvang(60, "01", "2"))]
    contracten = [contract(voorschot_per_periode_eurocent=40_000), contract(productcode="45A49", tarief_eurocent=200)]
    v = voorschot(OKTOBER, AGB, toewijzingen, contracten, afspraken_uit_contracten(contracten, OKTOBER), gemeentecode=GEMEENTE)
    assert [(r.omschrijving, r.bedrag) for r in v.regels] == [("afspraak 45/45A48", 40_000), ("toewijzing 10074", 53_143)]
    assert v.bedrag == 93_143


def test_the_estimate_of_the_contract_version_valid_on_the_first_day_of_the_period_applies():
    # Version 1 (from 1 January, 40000) until 14 October; version 2 from 15 October agrees 55000.
    # October: version 1 holds on 1 October → 40000. November: only version 2 → 55000. A version that
    # begins later within the period applies only when none holds on its first day.
    eerste = contract(voorschot_per_periode_eurocent=40_000, einddatum=date(2026, 10, 14))
    tweede = contract(voorschot_per_periode_eurocent=55_000, begindatum=date(2026, 10, 15))
    assert [a.bedrag_per_periode for a in afspraken_uit_contracten([tweede, eerste], OKTOBER)] == [40_000]
    assert [a.bedrag_per_periode for a in afspraken_uit_contracten([tweede, eerste], NOVEMBER)] == [55_000]
    later = contract(voorschot_per_periode_eurocent=30_000, begindatum=date(2026, 11, 10))
    assert [a.bedrag_per_periode for a in afspraken_uit_contracten([later], NOVEMBER)] == [30_000]
    # without an estimate in the version that applies there is no agreement: the toewijzingen count
    zonder = contract(begindatum=date(2026, 11, 1))
    assert afspraken_uit_contracten([eerste, zonder], NOVEMBER) == []
    with pytest.raises(DomainError, match="cannot be negative"):
        contract(voorschot_per_periode_eurocent=-1)
