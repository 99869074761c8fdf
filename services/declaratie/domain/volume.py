"""How much of a toegewezen Omvang may be declared: per ProductPeriode (TR321) and over the toewijzing (TR322).

The rekenmethoden of IV077 and IV078, per Frequentie (WMO757) of the toewijzing:
- 1 per dag: the number of days × volume.
- 2 per week, inspanningsgericht: the number of calendar weeks (week numbers) the period touches ×
  volume, so 4, 5 or 6 × the weekvolume for a whole month; Wmo productcategorie 01 (hulp bij het
  huishouden) always 6 × the weekvolume per ProductPeriode. Over the whole toewijzing: the calendar
  weeks it touches × volume (for categorie 01 too: IV077 adds that check exactly because 6 × per month
  allows more than was assigned).
- 2 per week, outputgericht: the Sundays in the period × volume, plus one weekvolume in the period in
  which the toewijzing ends when its Einddatum is not a Sunday (the broken last week is paid in the
  month it is delivered; IV077's example, where the last Sunday and the Einddatum share a month).
  Over the whole toewijzing: the sum of that, i.e. Sundays + 1 when the Einddatum is not a Sunday.
- 4 per maand: the volume per ProductPeriode, also for a broken first or last month (IV078); over the
  toewijzing the calendar months it touches × volume.
- 6 totaal binnen geldigheidsduur: the volume, for a period and for the whole toewijzing.
A toewijzing without Einddatum has no total (except Frequentie 6); one without Omvang has no volume cap.

Volumes are compared in minutes when the toewijzing is in hours (IV081: minutes may be declared against
hours); `in_minuten` converts.
"""

from __future__ import annotations

from datetime import date, timedelta

from declaratie.domain.toewijzingstand import ToewijzingKopie
from runtime.domein import Uitvoeringsvariant, Wet

PER_DAG = "1"
PER_WEEK = "2"
PER_MAAND = "4"
TOTAAL_BINNEN_GELDIGHEIDSDUUR = "6"

MINUUT = "01"
UUR = "04"
EURO = "83"
MINUTEN_PER_UUR = 60

WMO_HULP_BIJ_HET_HUISHOUDEN = "01"  # WMO020 productcategorie with the fixed 6 weeks per month (IV077)
WEKEN_HULP_BIJ_HET_HUISHOUDEN = 6
ZONDAG = 6  # date.weekday()


def kalenderweken(begin: date, eind: date) -> int:
    """The number of distinct week numbers the days begin..eind touch."""
    eerste_maandag = begin - timedelta(days=begin.weekday())
    laatste_maandag = eind - timedelta(days=eind.weekday())
    return (laatste_maandag - eerste_maandag).days // 7 + 1


def zondagen(begin: date, eind: date) -> int:
    """The number of Sundays in begin..eind."""
    eerste = begin + timedelta(days=(ZONDAG - begin.weekday()) % 7)
    return 0 if eerste > eind else (eind - eerste).days // 7 + 1


def kalendermaanden(begin: date, eind: date) -> int:
    return (eind.year - begin.year) * 12 + eind.month - begin.month + 1


def _aantal_perioden(t: ToewijzingKopie, wet: Wet, begin: date, eind: date) -> int | None:
    assert t.omvang is not None
    frequentie = t.omvang.frequentie
    if frequentie == PER_DAG:
        return (eind - begin).days + 1
    if frequentie == PER_WEEK:
        if t.uitvoeringsvariant is Uitvoeringsvariant.OUTPUTGERICHT:
            gebroken_laatste_week = t.einddatum is not None and begin <= t.einddatum <= eind and t.einddatum.weekday() != ZONDAG
            return zondagen(begin, eind) + (1 if gebroken_laatste_week else 0)
        if wet is Wet.WMO and t.categorie == WMO_HULP_BIJ_HET_HUISHOUDEN:
            return WEKEN_HULP_BIJ_HET_HUISHOUDEN
        return kalenderweken(begin, eind)
    if frequentie in (PER_MAAND, TOTAAL_BINNEN_GELDIGHEIDSDUUR):
        return 1
    return None


def maximaal_in_productperiode(t: ToewijzingKopie, wet: Wet, begin: date, eind: date) -> int | None:
    """The most that may be declared in the ProductPeriode begin..eind (TR321), in the toewijzing's eenheid."""
    if t.omvang is None:
        return None
    aantal = _aantal_perioden(t, wet, max(begin, t.ingangsdatum), min(eind, t.einddatum or eind))
    return None if aantal is None else max(aantal, 0) * t.omvang.volume


def maximaal_in_toewijzing(t: ToewijzingKopie) -> int | None:
    """The most that may be declared over the whole toewijzing (TR322), in the toewijzing's eenheid."""
    if t.omvang is None:
        return None
    frequentie = t.omvang.frequentie
    if frequentie == TOTAAL_BINNEN_GELDIGHEIDSDUUR:
        return t.omvang.volume
    if t.einddatum is None:
        return None
    begin, eind = t.ingangsdatum, t.einddatum
    if frequentie == PER_DAG:
        aantal = (eind - begin).days + 1
    elif frequentie == PER_WEEK:
        if t.uitvoeringsvariant is Uitvoeringsvariant.OUTPUTGERICHT:
            aantal = zondagen(begin, eind) + (0 if eind.weekday() == ZONDAG else 1)
        else:
            aantal = kalenderweken(begin, eind)
    elif frequentie == PER_MAAND:
        aantal = kalendermaanden(begin, eind)
    else:
        return None
    return aantal * t.omvang.volume


def in_minuten(volume: int, eenheid: str) -> int:
    """Hours as minutes, any other eenheid as it is: the common measure when minutes are declared against hours."""
    return volume * MINUTEN_PER_UUR if eenheid == UUR else volume


def eenheid_past(gedeclareerd: str, toegewezen: str) -> bool:
    """TR341 / IV081: the same eenheid, or minutes against hours."""
    return gedeclareerd == toegewezen or (gedeclareerd == MINUUT and toegewezen == UUR)
