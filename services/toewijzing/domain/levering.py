"""The regie: which toegewezen product the aanbieder has started and stopped delivering (305 / 307).

A StartProduct is known by its logical key ToewijzingNummer + Product + Begindatum, a StopProduct by
that key + Einddatum + RedenBeeindiging (RULES "Sleutelelement"). Taakgericht start/stop carries no
ToewijzingNummer and is keyed by Product + Begindatum (IV096): the same key with `toewijzing_nummer`
None. A stop belongs to the start whose key it copies (TR382).

Corrections go by StatusAanlevering (IV008): 1 adds a delivery, 3 deletes the earlier one with the
same key; 2 is not allowed in 3.x (OP033x2, CS058). Deleted deliveries are kept, marked `verwijderd`.

RedenBeeindiging 20 is a temporary stop: after it either a new start (herstart, OP379) or a definitive
stop of the same start with a reason other than 20 (OP377, OP378, TR413–TR415) may follow.

`verwerk_start` and `verwerk_stop` apply a message that passed its checks (`regels.beoordeel`) and
return what the adapter must store; the rest are questions asked of the stored state. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Generic, TypeVar

from berichten.domain import model
from runtime.domein import Wet
from runtime.errors import DomainError
from toewijzing.domain.toewijzing import Product

# StatusAanlevering (COD467): the only two values 3.x allows (CS058)
STATUS_NIEUW = "1"
STATUS_VERWIJDEREN = "3"
# RedenBeeindiging (WMO588 / JZ588): the code the logic branches on
REDEN_TIJDELIJK_BEEINDIGD = "20"


def product_van(product: model.Product | None) -> Product:
    """The domain product of a message's Product (absent: generiek, both empty)."""
    if product is None:
        return Product()
    return Product(categorie=product.categorie, code=product.code)


@dataclass(frozen=True, slots=True)
class StartSleutel:
    """Logical key of a StartProduct; without ToewijzingNummer for taakgericht (IV096)."""

    toewijzing_nummer: int | None
    product: Product
    begindatum: date


@dataclass(frozen=True, slots=True)
class StopSleutel:
    """Logical key of a StopProduct: the start's key + Einddatum + RedenBeeindiging."""

    start: StartSleutel
    einddatum: date
    reden_beeindiging: str


@dataclass(frozen=True, slots=True)
class Start:
    """One received StartProduct of one cliënt at one aanbieder in one gemeente and wet."""

    gemeentecode: str
    wet: Wet
    agb: str
    bsn: str
    toewijzing_nummer: int | None
    product: Product
    toewijzing_ingangsdatum: date | None
    begindatum: date
    ontvangen_op: date
    bericht_id: str
    verwijderd: bool = False

    @property
    def sleutel(self) -> StartSleutel:
        return StartSleutel(self.toewijzing_nummer, self.product, self.begindatum)

    @property
    def is_taakgericht(self) -> bool:
        return self.toewijzing_nummer is None


@dataclass(frozen=True, slots=True)
class Stop:
    """One received StopProduct; it copies the key of the start it ends (TR382)."""

    gemeentecode: str
    wet: Wet
    agb: str
    bsn: str
    toewijzing_nummer: int | None
    product: Product
    toewijzing_ingangsdatum: date | None
    begindatum: date
    reden_beeindiging: str
    einddatum: date
    ontvangen_op: date
    bericht_id: str
    verwijderd: bool = False

    @property
    def start_sleutel(self) -> StartSleutel:
        return StartSleutel(self.toewijzing_nummer, self.product, self.begindatum)

    @property
    def sleutel(self) -> StopSleutel:
        return StopSleutel(self.start_sleutel, self.einddatum, self.reden_beeindiging)

    @property
    def is_tijdelijk(self) -> bool:
        return self.reden_beeindiging == REDEN_TIJDELIJK_BEEINDIGD


L = TypeVar("L", Start, Stop)


@dataclass(frozen=True, slots=True)
class Verwerking(Generic[L]):
    """What applying one 305 or 307 changes: deliveries to add, and stored ones now marked verwijderd
    (copies of the stored objects with `verwijderd=True`; the adapter finds them by key and bericht_id)."""

    nieuw: tuple[L, ...] = ()
    verwijderd: tuple[L, ...] = ()


def _zelfde_partijen(a: Start | Stop, gemeentecode: str, wet: Wet, agb: str, bsn: str) -> bool:
    return (a.gemeentecode, a.wet, a.agb, a.bsn) == (gemeentecode, wet, agb, bsn)


def _pas_toe(bestaand: list[L], status: str, nieuw: L, sleutel: object, nieuw_lijst: list[L], weg: list[L]) -> None:
    if status == STATUS_NIEUW:
        nieuw_lijst.append(nieuw)
        bestaand.append(nieuw)
        return
    if status != STATUS_VERWIJDEREN:
        raise DomainError(f"StatusAanlevering {status} is not allowed in 3.x (OP033x2, CS058)")
    matches = [d for d in bestaand if not d.verwijderd and d.sleutel == sleutel]
    if not matches:
        raise DomainError(f"TR063: no earlier delivery with key {sleutel} to delete")
    for d in matches:
        bestaand.remove(d)
        gemarkeerd = replace(d, verwijderd=True)
        bestaand.append(gemarkeerd)
        if d in nieuw_lijst:  # added and deleted in the same message: never stored
            nieuw_lijst.remove(d)
        else:
            weg.append(gemarkeerd)


def verwerk_start(bericht: model.StartBericht, wet: Wet, ontvangen_op: date, bericht_id: str, starts: Iterable[Start]) -> Verwerking[Start]:
    """Applies an accepted 305 to the cliënt's stored starts at this aanbieder, in document order
    (a delete and a new delivery may share one message, IV008)."""
    if bericht.client is None:
        return Verwerking()
    gemeentecode, agb, bsn = bericht.header.ontvanger, bericht.header.afzender, bericht.client.bsn
    bestaand = [s for s in starts if _zelfde_partijen(s, gemeentecode, wet, agb, bsn)]
    nieuw: list[Start] = []
    weg: list[Start] = []
    for p in bericht.client.start_producten:
        start = Start(
            gemeentecode=gemeentecode,
            wet=wet,
            agb=agb,
            bsn=bsn,
            toewijzing_nummer=p.toewijzing_nummer,
            product=product_van(p.product),
            toewijzing_ingangsdatum=p.toewijzing_ingangsdatum,
            begindatum=p.begindatum,
            ontvangen_op=ontvangen_op,
            bericht_id=bericht_id,
        )
        _pas_toe(bestaand, p.status_aanlevering, start, start.sleutel, nieuw, weg)
    return Verwerking(nieuw=tuple(nieuw), verwijderd=tuple(weg))


def verwerk_stop(bericht: model.StopBericht, wet: Wet, ontvangen_op: date, bericht_id: str, stops: Iterable[Stop]) -> Verwerking[Stop]:
    """Applies an accepted 307 to the cliënt's stored stops at this aanbieder, in document order."""
    if bericht.client is None:
        return Verwerking()
    gemeentecode, agb, bsn = bericht.header.ontvanger, bericht.header.afzender, bericht.client.bsn
    bestaand = [s for s in stops if _zelfde_partijen(s, gemeentecode, wet, agb, bsn)]
    nieuw: list[Stop] = []
    weg: list[Stop] = []
    for p in bericht.client.stop_producten:
        stop = Stop(
            gemeentecode=gemeentecode,
            wet=wet,
            agb=agb,
            bsn=bsn,
            toewijzing_nummer=p.toewijzing_nummer,
            product=product_van(p.product),
            toewijzing_ingangsdatum=p.toewijzing_ingangsdatum,
            begindatum=p.begindatum,
            reden_beeindiging=p.reden_beeindiging,
            einddatum=p.einddatum,
            ontvangen_op=ontvangen_op,
            bericht_id=bericht_id,
        )
        _pas_toe(bestaand, p.status_aanlevering, stop, stop.sleutel, nieuw, weg)
    return Verwerking(nieuw=tuple(nieuw), verwijderd=tuple(weg))


# ---------------------------------------------------------------- questions asked of the state


def stops_van(start: Start | StartSleutel, stops: Iterable[Stop]) -> list[Stop]:
    """The stops (not deleted) that copy this start's key, earliest Einddatum first."""
    sleutel = start.sleutel if isinstance(start, Start) else start
    return sorted((s for s in stops if not s.verwijderd and s.start_sleutel == sleutel), key=lambda s: (s.einddatum, s.ontvangen_op))


def actuele_stop(start: Start | StartSleutel, stops: Iterable[Stop]) -> Stop | None:
    """The stop that counts now for this start: a definitive one if any, else the latest (TR414)."""
    gestopt = stops_van(start, stops)
    definitief = [s for s in gestopt if not s.is_tijdelijk]
    if definitief:
        return definitief[-1]
    return gestopt[-1] if gestopt else None


def is_gestopt(start: Start, stops: Iterable[Stop]) -> bool:
    """A stop of any kind (temporary or definitive) refers to this start (TR071, TR326)."""
    return bool(stops_van(start, stops))


def is_definitief_gestopt(start: Start, stops: Iterable[Stop]) -> bool:
    """A stop with a reason other than 20 refers to this start: nothing may follow it (TR415)."""
    return any(not s.is_tijdelijk for s in stops_van(start, stops))


def is_tijdelijk_gestopt(start: Start, stops: Iterable[Stop]) -> bool:
    """Only temporary stops (RedenBeeindiging 20) refer to this start: a herstart or a definitive stop may follow."""
    gestopt = stops_van(start, stops)
    return bool(gestopt) and all(s.is_tijdelijk for s in gestopt)


def hoort_bij(start: Start | Stop, toewijzing_nummer: int | None, product: Product | None = None) -> bool:
    """Whether a delivery is of this toegewezen product: by ToewijzingNummer, or by Product when
    taakgericht (no number, IV096)."""
    if toewijzing_nummer is not None:
        return start.toewijzing_nummer == toewijzing_nummer
    return start.toewijzing_nummer is None and start.product == product


def lopende_starts(starts: Iterable[Start], stops: Iterable[Stop], toewijzing_nummer: int | None, product: Product | None = None) -> list[Start]:
    """Starts of this toegewezen product that are not deleted and have no stop at all: "actueel" in
    the sense of TR326 (a new start is only allowed after a stop, OP289, OP379)."""
    alle_stops = list(stops)
    return [s for s in starts if not s.verwijderd and hoort_bij(s, toewijzing_nummer, product) and not is_gestopt(s, alle_stops)]


def actuele_start(starts: Iterable[Start], stops: Iterable[Stop], toewijzing_nummer: int | None, product: Product | None = None) -> Start | None:
    """The current start of a toegewezen product: the latest (by Begindatum) start not deleted, if it
    is not stopped definitively. A temporarily stopped start is still current until a herstart
    (a later start) or a definitive stop follows."""
    alle_stops = list(stops)
    kandidaten = sorted((s for s in starts if not s.verwijderd and hoort_bij(s, toewijzing_nummer, product)), key=lambda s: (s.begindatum, s.ontvangen_op))
    if not kandidaten:
        return None
    laatste = kandidaten[-1]
    return None if is_definitief_gestopt(laatste, alle_stops) else laatste


def is_gestart(starts: Iterable[Start], toewijzing_nummer: int) -> bool:
    """Whether delivery of this toewijzing has ever been reported started (a start not deleted)."""
    return any(not s.verwijderd and s.toewijzing_nummer == toewijzing_nummer for s in starts)
