"""Benutting: toegewezen (omvang × frequentie, or budget, pro rata per day, at the tarief of each day)
against gedeclareerd and toegekend, per toewijzing and per period."""

from datetime import date
from decimal import Decimal

from declaratie.domain.benutting import benutting, benutting_per_periode, toegewezen
from declaratie.domain.periode import PeriodeRitme, Ritme, kalendermaand
from declaratie.domain.toewijzingstand import Omvang
from declaratie.tests.afrekening_voorbeelden import contract, prestatie, toewijzing

OKTOBER = kalendermaand(2026, 10)
VIER_WEKEN = PeriodeRitme(Ritme.VIER_WEKEN, eerste_maandag=date(2026, 1, 5))


def test_month_with_a_tariff_change_mid_month_prices_each_day_at_its_tarief():
    contracten = [
        contract(tarief_eurocent=175, einddatum=date(2026, 10, 15)),
        contract(tarief_eurocent=180, begindatum=date(2026, 10, 16)),  # the new version from 16 October
    ]
    prestaties = [
        prestatie(480, 84_000),  # 480 min × 175 ct, accepted
        prestatie(60, 10_500, toegekend=False),  # rejected in the 325
        prestatie(480, 84_000, nummer=10073),  # another toewijzing: not counted
    ]
    b = benutting(toewijzing(), OKTOBER, contracten, prestaties)
    # 120 min per week = 120/7 min per day; October has 31 days: 120 × 31 / 7 = 531.43 min.
    assert b.toegewezen_volume == Decimal("531.43")
    # 1..15 Oct at 175 ct and 16..31 Oct at 180 ct: 120/7 × (15 × 175 + 16 × 180) = 120/7 × 5505
    # = 660600 / 7 = 94371.43 → 94371 ct.
    assert b.toegewezen_bedrag == 94_371
    assert (b.gedeclareerd_volume, b.gedeclareerd_bedrag) == (Decimal(540), 94_500)
    assert (b.toegekend_volume, b.toegekend_bedrag) == (Decimal(480), 84_000)
    assert b.onbenut_bedrag == 94_371 - 84_000 == 10_371
    assert b.benuttingspercentage == Decimal("89.0")  # 84000 / 94371 = 0.89009 → 89.0 %


def test_four_week_period_takes_each_calendar_month_pro_rata():
    # 10 uur per maand at €60 per uur; the period 2026-10-12..2026-11-08 has 20 October days and 8 November days.
    t = toewijzing(omvang=Omvang(10, "04", "4"))
    contracten = [contract(eenheid="04", tarief_eurocent=6_000)]
    periode = VIER_WEKEN.periode_van(date(2026, 10, 20))
    assert (periode.begindatum, periode.einddatum) == (date(2026, 10, 12), date(2026, 11, 8))
    prestaties = [
        prestatie(10, 60_000, eenheid="04"),  # October: 10 uur
        prestatie(9, 54_000, eenheid="04", periode=(date(2026, 11, 1), date(2026, 11, 30))),  # November: 9 uur
    ]
    b = benutting(t, periode, contracten, prestaties)
    # 10 × 20/31 + 10 × 8/30 = 200/31 + 8/3 = 848/93 = 9.118 uur → 9.12
    assert b.toegewezen_volume == Decimal("9.12")
    # 848/93 × 6000 = 5088000/93 = 54709.68 → 54710 ct
    assert b.toegewezen_bedrag == 54_710
    # October 60000 × 20/31: round(60000) − round(60000 × 11/31 = 21290.32) = 60000 − 21290 = 38710;
    # November 54000 × 8/30 = 14400. Together 53110 ct; volume 10 × 20/31 + 9 × 8/30 = 6.4516 + 2.4 = 8.85 uur.
    assert b.toegekend_bedrag == 38_710 + 14_400 == 53_110
    assert b.toegekend_volume == Decimal("8.85")


def test_minutes_declared_against_an_hours_toewijzing_count_as_hours():
    t = toewijzing(omvang=Omvang(8, "04", "2"))  # 8 uur per week
    b = benutting(t, OKTOBER, [contract(eenheid="04", tarief_eurocent=6_000)], [prestatie(1_800, 180_000)])
    assert b.toegekend_volume == Decimal(30)  # 1800 minutes = 30 uur
    assert b.toegewezen_volume == Decimal("35.43")  # 8 × 31 / 7 = 35.43 uur


def test_budget_is_toegewezen_pro_rata_per_day():
    # €365.00 over 2026 (365 days) is 100 ct per day; October has 31 days.
    t = toewijzing(omvang=None, budget=36_500, code=None)
    stand = toegewezen(t, OKTOBER, [])
    assert stand.volume is None
    assert stand.bedrag == 3_100


def test_days_without_a_contract_leave_the_amount_unknown():
    b = benutting(toewijzing(), OKTOBER, [contract(einddatum=date(2026, 10, 15))], [])
    assert b.toegewezen_bedrag is None
    assert b.dagen_zonder_tarief == 16  # 16..31 October


def test_toewijzing_ending_mid_period_counts_only_its_days():
    # Ends 10 October: 10 days × 120/7 min × 175 ct = 210000/7 = 30000 ct exactly.
    b = benutting(toewijzing(einddatum=date(2026, 10, 10)), OKTOBER, [contract()], [])
    assert b.toegewezen_bedrag == 30_000


def test_benutting_per_periode_lists_only_periods_of_the_toewijzing():
    t = toewijzing(ingangsdatum=date(2026, 10, 1), einddatum=date(2026, 11, 30))
    perioden = [kalendermaand(2026, m) for m in (9, 10, 11, 12)]
    uitkomst = benutting_per_periode([t], perioden, [contract()], [prestatie(480, 84_000)])
    assert [b.periode.kenmerk for b in uitkomst] == ["2026-10", "2026-11"]
    # November: 120 × 30 / 7 × 175 = 630000 / 7 = 90000 ct
    assert [b.toegewezen_bedrag for b in uitkomst] == [93_000, 90_000]
    assert [b.toegekend_bedrag for b in uitkomst] == [84_000, 0]
