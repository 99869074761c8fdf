"""Werkdagen: the days that count for the standard's termijnen.

A werkdag is a Monday to Friday that is not an algemeen erkende feestdag in the sense of the
Algemene termijnenwet: Nieuwjaarsdag, Goede Vrijdag, eerste en tweede Paasdag, Koningsdag (27 April,
or 26 April when the 27th is a Sunday), Bevrijdingsdag (5 May), Hemelvaartsdag, eerste en tweede
Pinksterdag, eerste en tweede Kerstdag. Pure: Easter is computed, nothing is read.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta


def pasen(jaar: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a = jaar % 19
    b, c = divmod(jaar, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(jaar, month, day + 1)


@functools.cache
def feestdagen(jaar: int) -> frozenset[date]:
    easter = pasen(jaar)
    koningsdag = date(jaar, 4, 27)
    if koningsdag.weekday() == 6:
        koningsdag = date(jaar, 4, 26)
    return frozenset(
        {
            date(jaar, 1, 1),
            easter - timedelta(days=2),
            easter,
            easter + timedelta(days=1),
            koningsdag,
            date(jaar, 5, 5),
            easter + timedelta(days=39),
            easter + timedelta(days=49),
            easter + timedelta(days=50),
            date(jaar, 12, 25),
            date(jaar, 12, 26),
        }
    )


def is_werkdag(dag: date) -> bool:
    return dag.weekday() < 5 and dag not in feestdagen(dag.year)


def plus_werkdagen(dag: date, aantal: int) -> date:
    """The date `aantal` werkdagen after `dag` (before it when negative)."""
    step = timedelta(days=1 if aantal >= 0 else -1)
    remaining = abs(aantal)
    while remaining:
        dag += step
        if is_werkdag(dag):
            remaining -= 1
    return dag
