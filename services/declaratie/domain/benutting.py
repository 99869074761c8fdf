"""Benutting: per toewijzing and per period, what was toegewezen against what was gedeclareerd and toegekend;
and the onderbenutting signalen (cliënten with a toewijzing who receive no care, as far as the chain shows).

Toegewezen, per day of the toewijzing in the period (pro rata, not the TR321 maximum of `volume.py`,
which allows more than is expected to be used):
- Omvang with Frequentie (WMO757) 1 per dag: volume per day; 2 per week: volume / 7 per day; 4 per
  maand: volume / the days of that calendar month per day; 6 totaal binnen geldigheidsduur: volume /
  the days of the toewijzing per day (without an Einddatum the whole volume counts on the Ingangsdatum).
- Budget (eurocent; CD075 makes an Einddatum required): budget / the days of the toewijzing per day.
  A budget has no volume.
- The amount of an Omvang is volume × the tarief of the contract version valid on that day (a
  tariff change is a new version, so a month can have two tarieven). Minutes against an uurtarief
  and hours against a minuuttarief are converted; Eenheid 83 (euro's) is an amount in eurocent, as
  in the 323 (CS339), and needs no tarief. Days without a fitting contract are counted
  (`dagen_zonder_tarief`) and leave the amount unknown (None): a guess is not an amount.
- Exact (Fraction) per toewijzing per period, then rounded once, half up (geld.py).

Gedeclareerd (ingediend) and toegekend come from the prestaties on the toewijzing: a credit counts
negative. A prestatie's ProductPeriode is one calendar month; in a four-week rhythm its volume goes
pro rata by days and its amount by `periode.aandeel` (whole eurocent, parts add up to the prestatie).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from declaratie.domain.contract import Contract
from declaratie.domain.geld import rond_af, rond_af_decimalen
from declaratie.domain.periode import Periode, aandeel
from declaratie.domain.toewijzingstand import START, STOP, LeveringKopie, ToewijzingKopie
from declaratie.domain.volume import (
    EURO,
    MINUTEN_PER_UUR,
    MINUUT,
    PER_DAG,
    PER_MAAND,
    PER_WEEK,
    TOTAAL_BINNEN_GELDIGHEIDSDUUR,
    UUR,
)
from runtime.domein import Wet
from runtime.errors import DomainError

DEBET = "D"  # COD043
CREDIT = "C"
DAGEN_PER_WEEK = 7

ToewijzingSleutel = tuple[str, Wet, int]  # gemeentecode, wet, ToewijzingNummer (unique per gemeente per wet, OP275)


@dataclass(frozen=True, slots=True)
class IngediendePrestatie:
    """One prestatie of a 323 as the afrekening needs it, with the outcome of the declaratiecontrole."""

    gemeentecode: str
    wet: Wet
    agb: str
    bsn: str
    toewijzing_nummer: int
    begindatum: date  # ProductPeriode
    einddatum: date
    volume: int  # GeleverdVolume
    eenheid: str
    bedrag: int  # IngediendBedrag in eurocent, as in the 323 (never negative; the sign is debet_credit)
    debet_credit: str = DEBET
    toegekend: bool = False  # accepted in the 325

    def __post_init__(self) -> None:
        if self.debet_credit not in (DEBET, CREDIT):
            raise DomainError(f"DebetCredit {self.debet_credit!r} is not D or C")
        if self.bedrag < 0 or self.volume < 0:
            raise DomainError("a prestatie's bedrag and volume are not negative; a credit says C")
        if self.einddatum < self.begindatum:
            raise DomainError(f"ProductPeriode {self.begindatum}..{self.einddatum} ends before it begins")

    @property
    def toewijzing_sleutel(self) -> ToewijzingSleutel:
        return (self.gemeentecode, self.wet, self.toewijzing_nummer)

    @property
    def productperiode(self) -> Periode:
        return Periode(self.begindatum, self.einddatum)

    @property
    def teken(self) -> int:
        return -1 if self.debet_credit == CREDIT else 1

    def volume_in(self, periode: Periode, eenheid: str | None) -> Fraction:
        """The signed volume of the days in `periode`, pro rata, in `eenheid` (minutes are counted as hours against hours)."""
        overlap = periode.overlap(self.begindatum, self.einddatum)
        if overlap is None:
            return Fraction(0)
        volume = Fraction(self.teken * self.volume * overlap.aantal_dagen, self.productperiode.aantal_dagen)
        if self.eenheid == MINUUT and eenheid == UUR:
            return volume / MINUTEN_PER_UUR
        if self.eenheid == UUR and eenheid == MINUUT:
            return volume * MINUTEN_PER_UUR
        return volume

    def bedrag_in(self, periode: Periode) -> int:
        """The signed amount of the days in `periode`, in whole eurocent (`periode.aandeel`)."""
        return aandeel(self.teken * self.bedrag, self.productperiode, periode)


@dataclass(frozen=True, slots=True)
class Toegewezen:
    """Exact toegewezen volume (in the toewijzing's eenheid) and amount (eurocent) of one toewijzing in one period."""

    volume: Fraction | None  # None: a budget, or no omvang at all
    bedrag: Fraction | None  # None: no budget and days without a fitting tarief, or nothing to price
    dagen_zonder_tarief: int = 0


class Contracten:
    """The contract versions indexed by gemeente, wet, aanbieder and product, once."""

    def __init__(self, contracten: Iterable[Contract]) -> None:
        self._per_product: dict[tuple[str, Wet, str, str, str], list[Contract]] = defaultdict(list)
        for c in contracten:
            self._per_product[(c.gemeentecode, c.wet, c.agb, c.productcategorie, c.productcode)].append(c)
        for versies in self._per_product.values():
            versies.sort(key=lambda c: c.begindatum)

    def versies(self, t: ToewijzingKopie) -> list[Contract]:
        if t.categorie is None or t.code is None:
            return []  # aspecifiek / generiek: a contract is per product code
        return self._per_product.get((t.gemeentecode, t.wet, t.agb, t.categorie, t.code), [])

    @staticmethod
    def op(versies: Sequence[Contract], dag: date) -> Contract | None:
        """The version valid on `dag`; of overlapping versions the one that began last."""
        geldig = [c for c in versies if c.geldt_op(dag)]
        return geldig[-1] if geldig else None


def _dagvolume(t: ToewijzingKopie, dag: date, looptijd: int) -> Fraction:
    assert t.omvang is not None
    frequentie = t.omvang.frequentie
    if frequentie == PER_DAG:
        return Fraction(t.omvang.volume)
    if frequentie == PER_WEEK:
        return Fraction(t.omvang.volume, DAGEN_PER_WEEK)
    if frequentie == PER_MAAND:
        return Fraction(t.omvang.volume, calendar.monthrange(dag.year, dag.month)[1])
    if frequentie == TOTAAL_BINNEN_GELDIGHEIDSDUUR:
        return Fraction(t.omvang.volume, looptijd)
    raise DomainError(f"toewijzing {t.toewijzing_nummer}: Frequentie {frequentie!r} is not 1, 2, 4 or 6 (WMO757)")


def _tarief_per_eenheid(contract: Contract, eenheid: str) -> Fraction | None:
    """The contract tarief per unit of the toewijzing's eenheid, or None when they do not fit."""
    if contract.eenheid == eenheid:
        return Fraction(contract.tarief_eurocent)
    if contract.eenheid == UUR and eenheid == MINUUT:
        return Fraction(contract.tarief_eurocent, MINUTEN_PER_UUR)
    if contract.eenheid == MINUUT and eenheid == UUR:
        return Fraction(contract.tarief_eurocent * MINUTEN_PER_UUR)
    return None


def _grenzen(overlap: Periode, versies: Sequence[Contract], per_maand: bool) -> list[date]:
    """The first days of the stretches of `overlap` in which the day volume and the tarief do not change."""
    grenzen = {overlap.begindatum}
    for c in versies:
        grenzen.add(c.begindatum)
        if c.einddatum is not None:
            grenzen.add(c.einddatum + timedelta(days=1))
    if per_maand:
        dag = date(overlap.begindatum.year, overlap.begindatum.month, 1)
        while dag <= overlap.einddatum:
            grenzen.add(dag)
            dag = date(dag.year + dag.month // 12, dag.month % 12 + 1, 1)
    return sorted(g for g in grenzen if overlap.begindatum <= g <= overlap.einddatum)


def toegewezen(t: ToewijzingKopie, periode: Periode, contracten: Contracten | Iterable[Contract]) -> Toegewezen:
    """What toewijzing `t` assigns in `periode`, exactly (see the module docstring)."""
    if not isinstance(contracten, Contracten):
        contracten = Contracten(contracten)
    if t.verwijderd:
        return Toegewezen(Fraction(0) if t.omvang else None, Fraction(0))
    if t.omvang is None:
        if t.budget is None:
            return Toegewezen(None, None)
        if t.einddatum is None:
            raise DomainError(f"toewijzing {t.toewijzing_nummer}: a budget needs an Einddatum (CD075)")
        overlap = periode.overlap(t.ingangsdatum, t.einddatum)
        looptijd = (t.einddatum - t.ingangsdatum).days + 1
        return Toegewezen(None, Fraction(t.budget * (overlap.aantal_dagen if overlap else 0), looptijd))

    einddatum = t.einddatum
    if einddatum is None and t.omvang.frequentie == TOTAAL_BINNEN_GELDIGHEIDSDUUR:
        einddatum = t.ingangsdatum  # nothing to spread over: all of it may be used from the first day
    overlap = periode.overlap(t.ingangsdatum, einddatum)
    if overlap is None:
        return Toegewezen(Fraction(0), Fraction(0))
    looptijd = (einddatum - t.ingangsdatum).days + 1 if einddatum is not None else 0
    versies = [] if t.omvang.eenheid == EURO else contracten.versies(t)
    grenzen = _grenzen(overlap, versies, t.omvang.frequentie == PER_MAAND)
    volume = Fraction(0)
    bedrag = Fraction(0)
    zonder_tarief = 0
    for begin, volgende in zip(grenzen, grenzen[1:] + [overlap.einddatum + timedelta(days=1)]):
        dagen = (volgende - begin).days
        stuk = _dagvolume(t, begin, looptijd) * dagen
        volume += stuk
        if t.omvang.eenheid == EURO:
            bedrag += stuk  # the volume is the amount in eurocent (CS339)
            continue
        contract = Contracten.op(versies, begin)
        tarief = _tarief_per_eenheid(contract, t.omvang.eenheid) if contract else None
        if tarief is None:
            zonder_tarief += dagen
        else:
            bedrag += stuk * tarief
    return Toegewezen(volume, None if zonder_tarief else bedrag, zonder_tarief)


@dataclass(frozen=True, slots=True)
class Benutting:
    """Toegewezen versus gedeclareerd and toegekend for one toewijzing in one period.

    Volumes in the toewijzing's eenheid, rounded half up to 2 decimals for reading; amounts in eurocent.
    """

    gemeentecode: str
    wet: Wet
    toewijzing_nummer: int
    bsn: str
    agb: str
    periode: Periode
    eenheid: str | None
    toegewezen_volume: Decimal | None
    toegewezen_bedrag: int | None
    gedeclareerd_volume: Decimal
    gedeclareerd_bedrag: int
    toegekend_volume: Decimal
    toegekend_bedrag: int
    dagen_zonder_tarief: int = 0

    @property
    def onbenut_bedrag(self) -> int | None:
        """Toegewezen minus toegekend; negative when more was granted than assigned pro rata."""
        return None if self.toegewezen_bedrag is None else self.toegewezen_bedrag - self.toegekend_bedrag

    @property
    def benuttingspercentage(self) -> Decimal | None:
        """Toegekend as a percentage of toegewezen (amount), half up to 1 decimal; None without a toegewezen amount."""
        if not self.toegewezen_bedrag:
            return None
        return rond_af_decimalen(Fraction(self.toegekend_bedrag * 100, self.toegewezen_bedrag), 1)


def benutting(
    t: ToewijzingKopie, periode: Periode, contracten: Contracten | Iterable[Contract], prestaties: Iterable[IngediendePrestatie]
) -> Benutting:
    """The benutting of toewijzing `t` in `periode`; prestaties of other toewijzingen are ignored."""
    eenheid = t.omvang.eenheid if t.omvang else None
    eigen = [p for p in prestaties if p.toewijzing_sleutel == t.sleutel]
    stand = toegewezen(t, periode, contracten)
    toegekend = [p for p in eigen if p.toegekend]
    return Benutting(
        gemeentecode=t.gemeentecode,
        wet=t.wet,
        toewijzing_nummer=t.toewijzing_nummer,
        bsn=t.bsn,
        agb=t.agb,
        periode=periode,
        eenheid=eenheid,
        toegewezen_volume=None if stand.volume is None else rond_af_decimalen(stand.volume),
        toegewezen_bedrag=None if stand.bedrag is None else rond_af(stand.bedrag),
        gedeclareerd_volume=rond_af_decimalen(sum((p.volume_in(periode, eenheid) for p in eigen), Fraction(0))),
        gedeclareerd_bedrag=sum(p.bedrag_in(periode) for p in eigen),
        toegekend_volume=rond_af_decimalen(sum((p.volume_in(periode, eenheid) for p in toegekend), Fraction(0))),
        toegekend_bedrag=sum(p.bedrag_in(periode) for p in toegekend),
        dagen_zonder_tarief=stand.dagen_zonder_tarief,
    )


def benutting_per_periode(
    toewijzingen: Iterable[ToewijzingKopie],
    perioden: Iterable[Periode],
    contracten: Contracten | Iterable[Contract],
    prestaties: Iterable[IngediendePrestatie],
) -> list[Benutting]:
    """`benutting` for every toewijzing × period in which it is valid, with contracts and prestaties indexed once."""
    index = contracten if isinstance(contracten, Contracten) else Contracten(contracten)
    per_toewijzing: dict[ToewijzingSleutel, list[IngediendePrestatie]] = defaultdict(list)
    for p in prestaties:
        per_toewijzing[p.toewijzing_sleutel].append(p)
    perioden = list(perioden)
    uitkomst = []
    for t in toewijzingen:
        for periode in perioden:
            eigen = per_toewijzing.get(t.sleutel, [])
            if periode.overlap(t.ingangsdatum, t.einddatum) is None and not any(p.productperiode.overlap(periode.begindatum, periode.einddatum) for p in eigen):
                continue
            uitkomst.append(benutting(t, periode, index, eigen))
    return uitkomst


class Signaal(StrEnum):
    GEEN_START = "geen_start"  # no 305 and no declaration since the Ingangsdatum
    GEEN_DECLARATIE = "geen_declaratie"  # care started or was declared once, but nothing declared since


@dataclass(frozen=True, slots=True)
class OnderbenuttingSignaal:
    soort: Signaal
    gemeentecode: str
    wet: Wet
    toewijzing_nummer: int
    bsn: str
    agb: str
    sinds: date  # the first day without a start or a declaration
    dagen: int  # days sinds..the end of the window, both included


def onderbenutting_signalen(
    toewijzingen: Iterable[ToewijzingKopie],
    starts: Iterable[LeveringKopie],
    prestaties: Iterable[IngediendePrestatie],
    vandaag: date,
    drempel_dagen: int,
) -> list[OnderbenuttingSignaal]:
    """Toewijzingen on which no care shows for at least `drempel_dagen` days.

    - GEEN_START: no start (305) and no declared debet, from the Ingangsdatum on.
    - GEEN_DECLARATIE: no declared debet (accepted or not: a claim shows care) from the day after the
      last declared ProductPeriode, or else from the latest start (or the Ingangsdatum if later).
    The window ends on the earliest of `vandaag`, the toewijzing's Einddatum and the Einddatum of a
    definitive stop (307; a temporary stop, reden 20, does not end it: the cliënt still receives no
    care). Deleted toewijzingen and those starting after `vandaag` are skipped. `starts` may hold the
    stops too (LeveringKopie of both kinds). Declarations come in after the month, so a threshold
    below some 45 days signals every cliënt; the gemeente chooses. The caller chooses which
    toewijzingen to watch (an old one never started stays signalled while it is passed in).
    """
    if drempel_dagen < 1:
        raise DomainError("drempel_dagen must be at least 1")
    gestart: dict[ToewijzingSleutel, date] = {}
    gestopt: dict[ToewijzingSleutel, date] = {}
    for levering in starts:
        if levering.toewijzing_nummer is None:
            continue  # taakgericht: no toewijzing (IV096)
        sleutel = (levering.gemeentecode, levering.wet, levering.toewijzing_nummer)
        if levering.soort == START:
            gestart[sleutel] = max(levering.begindatum, gestart.get(sleutel, levering.begindatum))
        elif levering.soort == STOP and not levering.is_tijdelijk and levering.einddatum is not None:
            gestopt[sleutel] = min(levering.einddatum, gestopt.get(sleutel, levering.einddatum))
    gedeclareerd_tot: dict[ToewijzingSleutel, date] = {}
    for p in prestaties:
        if p.debet_credit == DEBET:
            gedeclareerd_tot[p.toewijzing_sleutel] = max(p.einddatum, gedeclareerd_tot.get(p.toewijzing_sleutel, p.einddatum))

    signalen = []
    for t in toewijzingen:
        if t.verwijderd or t.ingangsdatum > vandaag:
            continue
        eind = min(d for d in (vandaag, t.einddatum, gestopt.get(t.sleutel)) if d is not None)
        laatste = gedeclareerd_tot.get(t.sleutel)
        start = gestart.get(t.sleutel)
        if laatste is not None:
            soort, sinds = Signaal.GEEN_DECLARATIE, laatste + timedelta(days=1)
        elif start is not None:
            soort, sinds = Signaal.GEEN_DECLARATIE, max(start, t.ingangsdatum)
        else:
            soort, sinds = Signaal.GEEN_START, t.ingangsdatum
        dagen = (eind - sinds).days + 1
        if dagen >= drempel_dagen:
            signalen.append(OnderbenuttingSignaal(soort, t.gemeentecode, t.wet, t.toewijzing_nummer, t.bsn, t.agb, sinds, dagen))
    return signalen
