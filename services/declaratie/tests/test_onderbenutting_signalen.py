"""Onderbenutting: cliënten with a toewijzing but no start, or no declaration, for a configurable number of days."""

import calendar
from datetime import date

import pytest

from declaratie.domain.benutting import Signaal, onderbenutting_signalen
from declaratie.domain.toewijzingstand import START, STOP, LeveringKopie
from declaratie.tests.afrekening_voorbeelden import AGB, GEMEENTE, WET, prestatie, toewijzing
from runtime.errors import DomainError

VANDAAG = date(2026, 11, 23)


def levering(nummer: int, begindatum: date, einddatum: date | None = None, reden: str | None = None) -> LeveringKopie:
    return LeveringKopie(
        soort=STOP if einddatum else START, gemeentecode=GEMEENTE, wet=WET, agb=AGB, bsn="999900006", toewijzing_nummer=nummer,
        categorie="45", code="45A48", begindatum=begindatum, einddatum=einddatum, reden_beeindiging=reden,
    )


def maand(jaar: int, m: int) -> tuple[date, date]:
    return date(jaar, m, 1), date(jaar, m, calendar.monthrange(jaar, m)[1])


def test_toewijzing_without_start_or_declaration_is_signalled_after_the_threshold():
    toewijzingen = [
        toewijzing(1, ingangsdatum=date(2026, 9, 1)),  # 1 Sep .. 23 Nov = 30 + 31 + 23 = 84 days ≥ 60
        toewijzing(2, ingangsdatum=date(2026, 10, 1)),  # 1 Oct .. 23 Nov = 31 + 23 = 54 days < 60
        toewijzing(3, ingangsdatum=date(2026, 12, 1)),  # not begun
    ]
    signalen = onderbenutting_signalen(toewijzingen, [], [], VANDAAG, drempel_dagen=60)
    assert [(s.toewijzing_nummer, s.soort, s.sinds, s.dagen) for s in signalen] == [(1, Signaal.GEEN_START, date(2026, 9, 1), 84)]


def test_started_care_without_declaration_is_signalled_from_the_start():
    # Start 1 Aug, nothing declared: 1 Aug .. 23 Nov = 31 + 30 + 31 + 23 = 115 days.
    signalen = onderbenutting_signalen([toewijzing(4)], [levering(4, date(2026, 8, 1))], [], VANDAAG, 60)
    assert [(s.soort, s.sinds, s.dagen) for s in signalen] == [(Signaal.GEEN_DECLARATIE, date(2026, 8, 1), 115)]


def test_declarations_that_stopped_are_signalled_from_the_day_after_the_last_productperiode():
    prestaties = [prestatie(480, 84_000, nummer=5, periode=maand(2026, 8)), prestatie(480, 84_000, nummer=6, periode=maand(2026, 10))]
    signalen = onderbenutting_signalen([toewijzing(5), toewijzing(6)], [levering(5, date(2026, 1, 5))], prestaties, VANDAAG, 60)
    # Toewijzing 5: last declared 31 Aug → 1 Sep .. 23 Nov = 84 days. Toewijzing 6: 1 Nov .. 23 Nov = 23 days.
    assert [(s.toewijzing_nummer, s.soort, s.sinds, s.dagen) for s in signalen] == [(5, Signaal.GEEN_DECLARATIE, date(2026, 9, 1), 84)]


def test_a_rejected_declaration_still_shows_care():
    prestaties = [prestatie(480, 84_000, nummer=7, periode=maand(2026, 10), toegekend=False)]
    assert onderbenutting_signalen([toewijzing(7)], [], prestaties, VANDAAG, 60) == []


def test_a_definitive_stop_ends_the_window_but_a_temporary_one_does_not():
    prestaties = [prestatie(480, 84_000, nummer=n, periode=maand(2026, 6)) for n in (8, 9)]
    starts = [
        levering(8, date(2026, 1, 5)), levering(8, date(2026, 1, 5), einddatum=date(2026, 6, 30), reden="31"),
        levering(9, date(2026, 1, 5)), levering(9, date(2026, 1, 5), einddatum=date(2026, 6, 30), reden="20"),
    ]
    signalen = onderbenutting_signalen([toewijzing(8), toewijzing(9)], starts, prestaties, VANDAAG, 60)
    # 8 stopped for good on 30 June and was declared to then; 9 only paused: 1 Jul .. 23 Nov = 146 days.
    assert [(s.toewijzing_nummer, s.dagen) for s in signalen] == [(9, 146)]


def test_deleted_toewijzing_is_not_signalled():
    assert onderbenutting_signalen([toewijzing(10, verwijderd=True)], [], [], VANDAAG, 60) == []


def test_threshold_must_be_positive():
    with pytest.raises(DomainError, match="drempel"):
        onderbenutting_signalen([], [], [], VANDAAG, 0)
