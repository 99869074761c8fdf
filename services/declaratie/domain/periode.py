"""Perioden for voorschotten and afrekening, in the rhythm a gemeente chose.

The i-Standaard declaratie itself is always per calendar month (CS340: a DeclaratiePeriode is exactly
one calendar month; a ProductPeriode lies within one, OP367). The rhythm here is only the gemeente's
own rhythm of voorschot and afrekening:
- KALENDERMAAND (default): the 1st to the last day of a month.
- VIER_WEKEN: 13 periods of 28 days per periodejaar, the first one beginning on a configured Monday
  (`eerste_maandag`) and the periods following each other without gaps from there, forwards and
  backwards. 13 × 28 = 364 days, so the periodejaar starts one day earlier against the calendar every
  year (two after a 29 February); every period stays exactly four weeks, which is the point of the
  rhythm (the CAK's 4-week periods, istandaard.md §14). A gemeente that wants to realign configures a
  new `eerste_maandag`. Period numbers are 1..13 within a periodejaar, named after the calendar year
  of its first day (kenmerk `2026-P01`).

A prestatie is per calendar month; in a four-week rhythm it can straddle two periods. `aandeel` gives
a period its part of an amount in whole eurocent by the number of days, rounded cumulatively so the
parts of one amount always add up to the amount (see its docstring).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from declaratie.domain.geld import rond_af
from runtime.errors import DomainError

DAGEN_PER_VIER_WEKEN = 28
PERIODEN_PER_JAAR = 13
MAANDAG = 0  # date.weekday()


class Ritme(StrEnum):
    KALENDERMAAND = "kalendermaand"
    VIER_WEKEN = "vier_weken"


@dataclass(frozen=True, slots=True, order=True)
class Periode:
    """The days begindatum..einddatum, both included."""

    begindatum: date
    einddatum: date

    def __post_init__(self) -> None:
        if self.einddatum < self.begindatum:
            raise DomainError(f"periode: einddatum {self.einddatum} lies before begindatum {self.begindatum}")

    @property
    def aantal_dagen(self) -> int:
        return (self.einddatum - self.begindatum).days + 1

    def bevat(self, datum: date) -> bool:
        return self.begindatum <= datum <= self.einddatum

    def overlap(self, begindatum: date, einddatum: date | None) -> Periode | None:
        """The days of this period that also lie in begindatum..einddatum (open end: None), or None."""
        begin = max(self.begindatum, begindatum)
        eind = self.einddatum if einddatum is None else min(self.einddatum, einddatum)
        return Periode(begin, eind) if begin <= eind else None

    def dagen(self) -> Iterator[date]:
        for n in range(self.aantal_dagen):
            yield self.begindatum + timedelta(days=n)

    @property
    def is_kalendermaand(self) -> bool:
        return (
            self.begindatum.day == 1
            and (self.begindatum.year, self.begindatum.month) == (self.einddatum.year, self.einddatum.month)
            and self.einddatum.day == calendar.monthrange(self.einddatum.year, self.einddatum.month)[1]
        )

    @property
    def kenmerk(self) -> str:
        """`2026-10` for a calendar month, else `2026-11-02/2026-11-29` (use `PeriodeRitme.kenmerk` for `2026-P12`)."""
        if self.is_kalendermaand:
            return f"{self.begindatum.year:04d}-{self.begindatum.month:02d}"
        return f"{self.begindatum.isoformat()}/{self.einddatum.isoformat()}"


def kalendermaand(jaar: int, maand: int) -> Periode:
    return Periode(date(jaar, maand, 1), date(jaar, maand, calendar.monthrange(jaar, maand)[1]))


@dataclass(frozen=True, slots=True)
class PeriodeRitme:
    """A gemeente's rhythm of voorschot and afrekening: calendar month, or four weeks from `eerste_maandag`."""

    ritme: Ritme = Ritme.KALENDERMAAND
    eerste_maandag: date | None = None

    def __post_init__(self) -> None:
        if self.ritme is Ritme.VIER_WEKEN:
            if self.eerste_maandag is None:
                raise DomainError("a four-week rhythm needs the Monday its first period begins on")
            if self.eerste_maandag.weekday() != MAANDAG:
                raise DomainError(f"eerste_maandag {self.eerste_maandag} is a {calendar.day_name[self.eerste_maandag.weekday()]}, not a Monday")
        elif self.eerste_maandag is not None:
            raise DomainError("eerste_maandag belongs to a four-week rhythm only")

    def periode_van(self, datum: date) -> Periode:
        if self.ritme is Ritme.KALENDERMAAND:
            return kalendermaand(datum.year, datum.month)
        index = self._index(datum)
        return self._vier_weken(index)

    def volgende(self, periode: Periode) -> Periode:
        self._controleer(periode)
        return self.periode_van(periode.einddatum + timedelta(days=1))

    def vorige(self, periode: Periode) -> Periode:
        self._controleer(periode)
        return self.periode_van(periode.begindatum - timedelta(days=1))

    def perioden(self, van: date, tot: date) -> Iterator[Periode]:
        """The periods that contain a day of van..tot, in order."""
        periode = self.periode_van(van)
        while periode.begindatum <= tot:
            yield periode
            periode = self.volgende(periode)

    def kenmerk(self, periode: Periode) -> str:
        """`2026-10` for a month; `2026-P03` for the third four-week period of the periodejaar that began in 2026."""
        self._controleer(periode)
        if self.ritme is Ritme.KALENDERMAAND:
            return periode.kenmerk
        index = self._index(periode.begindatum)
        jaar_begin = self._vier_weken(index - index % PERIODEN_PER_JAAR).begindatum
        return f"{jaar_begin.year:04d}-P{index % PERIODEN_PER_JAAR + 1:02d}"

    def _index(self, datum: date) -> int:
        assert self.eerste_maandag is not None
        return (datum - self.eerste_maandag).days // DAGEN_PER_VIER_WEKEN  # floor: negative before the anchor

    def _vier_weken(self, index: int) -> Periode:
        assert self.eerste_maandag is not None
        begin = self.eerste_maandag + timedelta(days=index * DAGEN_PER_VIER_WEKEN)
        return Periode(begin, begin + timedelta(days=DAGEN_PER_VIER_WEKEN - 1))

    def _controleer(self, periode: Periode) -> None:
        if self.periode_van(periode.begindatum) != periode:
            raise DomainError(f"{periode.kenmerk} is not a period of the rhythm {self.ritme}")


def periode_van(datum: date, ritme: PeriodeRitme | None = None) -> Periode:
    return (ritme or PeriodeRitme()).periode_van(datum)


def volgende(periode: Periode, ritme: PeriodeRitme | None = None) -> Periode:
    return (ritme or PeriodeRitme()).volgende(periode)


def perioden(van: date, tot: date, ritme: PeriodeRitme | None = None) -> Iterator[Periode]:
    return (ritme or PeriodeRitme()).perioden(van, tot)


def aandeel(bedrag: int, van: Periode, in_periode: Periode) -> int:
    """The part of `bedrag` (eurocent, over the days of `van`) that falls in `in_periode`, pro rata by days.

    Rounded cumulatively: the part is round(bedrag × days of `van` up to the end of the overlap / all
    days) − round(bedrag × days of `van` before the overlap / all days), each half up. Adjacent periods
    share the same boundary term, so the parts over any tiling add up to exactly `bedrag`.
    """
    overlap = in_periode.overlap(van.begindatum, van.einddatum)
    if overlap is None:
        return 0
    teken = -1 if bedrag < 0 else 1
    totaal = abs(bedrag)
    voor = (overlap.begindatum - van.begindatum).days
    tot_en_met = (overlap.einddatum - van.begindatum).days + 1
    return teken * (rond_af(Fraction(totaal * tot_en_met, van.aantal_dagen)) - rond_af(Fraction(totaal * voor, van.aantal_dagen)))
