"""Perioden for voorschot and afrekening: calendar month by default, or four weeks from a configured Monday."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from declaratie.domain.geld import euro, rond_af
from declaratie.domain.periode import Periode, PeriodeRitme, Ritme, aandeel, kalendermaand, periode_van, perioden, volgende
from runtime.errors import DomainError

VIER_WEKEN = PeriodeRitme(Ritme.VIER_WEKEN, eerste_maandag=date(2026, 1, 5))  # 5 January 2026 is a Monday


def test_default_rhythm_is_the_calendar_month():
    assert periode_van(date(2026, 2, 14)) == Periode(date(2026, 2, 1), date(2026, 2, 28))
    assert volgende(kalendermaand(2026, 12)) == Periode(date(2027, 1, 1), date(2027, 1, 31))
    assert [p.kenmerk for p in perioden(date(2026, 1, 15), date(2026, 3, 1))] == ["2026-01", "2026-02", "2026-03"]
    assert len(list(perioden(date(2026, 1, 1), date(2026, 12, 31)))) == 12


def test_four_week_period_is_found_from_the_first_monday():
    # 2026-01-05 .. 2026-11-23 is 322 days; 322 // 28 = 11 whole periods (308 days) → the 12th period
    # begins on 2026-01-05 + 308 days = 2026-11-09 and ends 27 days later, on 2026-12-06.
    periode = VIER_WEKEN.periode_van(date(2026, 11, 23))
    assert periode == Periode(date(2026, 11, 9), date(2026, 12, 6))
    assert periode.aantal_dagen == 28
    assert VIER_WEKEN.kenmerk(periode) == "2026-P12"


def test_four_week_periods_follow_each_other_thirteen_to_a_periodejaar():
    p13 = VIER_WEKEN.volgende(VIER_WEKEN.periode_van(date(2026, 11, 23)))
    assert p13 == Periode(date(2026, 12, 7), date(2027, 1, 3))
    assert VIER_WEKEN.kenmerk(p13) == "2026-P13"
    # 13 × 28 = 364 days after 2026-01-05: the next periodejaar begins on Monday 2027-01-04.
    p1 = VIER_WEKEN.volgende(p13)
    assert p1 == Periode(date(2027, 1, 4), date(2027, 1, 31))
    assert VIER_WEKEN.kenmerk(p1) == "2027-P01"
    assert VIER_WEKEN.vorige(p1) == p13


def test_four_week_periods_before_the_anchor_continue_backwards():
    # The day before the anchor lies in the 13th period of the periodejaar that began 364 days earlier (2025-01-06).
    periode = VIER_WEKEN.periode_van(date(2026, 1, 4))
    assert periode == Periode(date(2025, 12, 8), date(2026, 1, 4))
    assert VIER_WEKEN.kenmerk(periode) == "2025-P13"


def test_a_calendar_year_touches_fourteen_four_week_periods():
    # 2025-12-08..2026-01-04, thirteen periods from 2026-01-05, the last of them 2026-12-07..2027-01-03.
    alle = list(VIER_WEKEN.perioden(date(2026, 1, 1), date(2026, 12, 31)))
    assert len(alle) == 14
    assert all(p.aantal_dagen == 28 for p in alle)
    assert all(b.begindatum == date.fromordinal(a.einddatum.toordinal() + 1) for a, b in zip(alle, alle[1:]))


def test_four_week_rhythm_needs_a_monday():
    with pytest.raises(DomainError, match="not a Monday"):
        PeriodeRitme(Ritme.VIER_WEKEN, eerste_maandag=date(2026, 1, 1))
    with pytest.raises(DomainError, match="needs the Monday"):
        PeriodeRitme(Ritme.VIER_WEKEN)


def test_volgende_refuses_a_period_of_another_rhythm():
    with pytest.raises(DomainError, match="not a period"):
        VIER_WEKEN.volgende(kalendermaand(2026, 10))


def test_aandeel_splits_a_month_over_four_week_periods_to_the_cent():
    oktober = kalendermaand(2026, 10)
    eerste = VIER_WEKEN.periode_van(date(2026, 10, 1))  # 2026-09-14 .. 2026-10-11: 11 days of October
    tweede = VIER_WEKEN.volgende(eerste)  # 2026-10-12 .. 2026-11-08: 20 days of October
    assert (eerste.begindatum, tweede.begindatum) == (date(2026, 9, 14), date(2026, 10, 12))
    # 1000 × 11 / 31 = 354.84 → 355; the rest 1000 − 355 = 645 (round(1000 × 31/31) − 355).
    assert aandeel(1000, oktober, eerste) == 355
    assert aandeel(1000, oktober, tweede) == 645
    assert aandeel(-1000, oktober, eerste) == -355  # a credit splits the same way
    assert aandeel(1000, oktober, kalendermaand(2026, 11)) == 0


def test_money_rounds_half_up_not_half_even():
    assert rond_af(Fraction(5, 2)) == 3  # half even would give 2
    assert rond_af(Fraction(173, 2)) == 87  # 86.5 → 87; half even would give 86
    assert rond_af(Fraction(-5, 2)) == -3  # away from zero
    assert rond_af(Fraction(249, 100)) == 2
    assert rond_af(Decimal("0.5")) == 1
    assert euro(143456) == "1434.56" and euro(5) == "0.05" and euro(-60000) == "-600.00"
