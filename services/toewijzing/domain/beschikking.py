"""What the toewijzing service decides on the indicatie service's beschikking events.

Payload: see indicatie/domain/events.py `beschikking()`; each product also carries `agb` — the
aanbieder the cliënt chose, or None when not chosen yet or free to choose (→ the toewijslijst).

- afgegeven: per product a new Toewijzing for the chosen aanbieder, or an Inschrijving on the
  toewijslijst; taakgericht products get neither (no 301 for taakgericht, istandaard.md §13).
- gewijzigd: each current toewijzing of the beschikking is matched to a product of the new set
  (same categorie and code, then the nearest ingangsdatum, same aanbieder) and changed as IV066
  allows (`wijzig`). A toewijzing whose product is gone ends on the day of the decision, or is deleted
  when it has not begun by then. Products without a toewijzing become new toewijzingen or inschrijvingen.
- ingetrokken: `Beschikking.trek_in(per)` means "from `per` on the beschikking gives no right"
  (`geldende_producten` ends products the day before), so every current toewijzing of the beschikking
  ends on `ingetrokken_per - 1 day`; those that begin on or after `ingetrokken_per` are deleted (13).
  Its open inschrijvingen vervallen.
- TR385: a deletion (13) of a toewijzing on which approved, non-credited prestaties exist is not made
  but deferred (`Besluiten.uitgesteld`); the rest of the change is applied as usual.
RedenWijziging is the event's reden; without one: 04 for a verlenging, 05 for a verkorting, else 14.
Code 01 may no longer be used (CS336) and becomes 14. New toewijzingen are refused when they stack
(OP259) with the cliënt's toewijzingen at the same aanbieder.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from runtime.domein import Uitvoeringsvariant, Wet
from runtime.errors import DomainError
from toewijzing.domain.toewijslijst import Inschrijving, InschrijvingStatus, vervall
from toewijzing.domain.toewijzing import (
    REDEN_ADMINISTRATIEVE_CORRECTIE,
    REDEN_VERVALLEN,
    Omvang,
    Product,
    Toewijzing,
    ToewijzingStatus,
    UitgesteldeVerwijdering,
    Wijziging,
    beeindig,
    controleer_stapeling,
    huidige_versies,
    verwijder_of_stel_uit,
    wijzig,
)

REDEN_VERLENGING = "04"  # herbeoordeling verlenging
REDEN_VERKORTING = "05"  # herbeoordeling verkorting


@dataclass(frozen=True, slots=True)
class BeschiktProduct:
    """A product of a beschikking event, with the aanbieder the cliënt chose (None: the toewijslijst)."""

    product: Product
    ingangsdatum: date
    einddatum: date | None
    uitvoeringsvariant: Uitvoeringsvariant
    omvang: Omvang | None = None
    budget: int | None = None  # eurocent
    agb: str | None = None


@dataclass(frozen=True, slots=True)
class BeschikkingEvent:
    """The payload of indicatie.beschikking.afgegeven / .gewijzigd / .ingetrokken."""

    beschikkingnummer: str
    bsn: str
    gemeentecode: str
    wet: Wet
    versie: int
    producten: tuple[BeschiktProduct, ...]
    reden: str | None = None  # RedenWijziging of the wijziging or intrekking
    ingetrokken_per: date | None = None


Sleutel = tuple[str, Wet, int]  # gemeentecode, wet, ToewijzingNummer

def _datum(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def lees_beschikking(data: Mapping[str, Any]) -> BeschikkingEvent:
    """The event payload as a BeschikkingEvent; DomainError when a required field is missing or malformed."""
    try:
        producten = tuple(
            BeschiktProduct(
                product=Product(categorie=p.get("categorie") or None, code=p.get("code") or None),
                ingangsdatum=date.fromisoformat(p["ingangsdatum"]),
                einddatum=_datum(p.get("einddatum")),
                uitvoeringsvariant=Uitvoeringsvariant(p["uitvoeringsvariant"]),
                omvang=Omvang(int(p["omvang"]["volume"]), p["omvang"]["eenheid"], p["omvang"]["frequentie"]) if p.get("omvang") else None,
                budget=p.get("budget"),
                agb=p.get("agb") or None,
            )
            for p in data["producten"]
        )
        reden = data.get("reden")
        return BeschikkingEvent(
            beschikkingnummer=str(data["beschikkingnummer"]),
            bsn=data["bsn"],
            gemeentecode=data["gemeentecode"],
            wet=Wet(data["wet"]),
            versie=int(data.get("versie", 1)),
            producten=producten,
            reden=reden["code"] if reden else None,
            ingetrokken_per=_datum(data.get("ingetrokken_per")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(f"beschikking event is malformed: {exc!r}") from exc


@dataclass(frozen=True, slots=True)
class Besluiten:
    """What a beschikking event leads to: changed and new toewijzingen, new inschrijvingen on the
    toewijslijst, inschrijvingen that changed (vervallen or adjusted), and deletions deferred because
    TR385 forbids them for now (the toewijzing stays as it is until its prestaties are credited)."""

    wijziging: Wijziging = field(default_factory=Wijziging)
    inschrijvingen: tuple[Inschrijving, ...] = ()
    gewijzigde_inschrijvingen: tuple[Inschrijving, ...] = ()
    uitgesteld: tuple[UitgesteldeVerwijdering, ...] = ()

    def per_aanbieder(self) -> dict[str, tuple[Toewijzing, ...]]:
        """The changed and new toewijzingen grouped by AGB: one 301 per aanbieder."""
        groepen: dict[str, list[Toewijzing]] = {}
        for t in (*self.wijziging.gewijzigd, *self.wijziging.nieuw):
            groepen.setdefault(t.agb, []).append(t)
        return {agb: tuple(ts) for agb, ts in groepen.items()}


def _reden(event: BeschikkingEvent, oud: Toewijzing | None = None, nieuw: BeschiktProduct | None = None) -> str:
    if event.reden and event.reden != REDEN_VERVALLEN:
        return event.reden
    if event.reden is None and oud is not None and nieuw is not None and nieuw.ingangsdatum == oud.ingangsdatum:
        oud_eind, nieuw_eind = oud.einddatum or date.max, nieuw.einddatum or date.max
        if nieuw_eind > oud_eind:
            return REDEN_VERLENGING
        if nieuw_eind < oud_eind:
            return REDEN_VERKORTING
    return REDEN_ADMINISTRATIEVE_CORRECTIE


def _nieuw(
    event: BeschikkingEvent,
    producten: Iterable[BeschiktProduct],
    overige: Sequence[Toewijzing],
    nieuw_nummer: Callable[[], int],
    nieuw_id: Callable[[], str],
    moment: datetime,
    wijk: str | None,
) -> tuple[tuple[Toewijzing, ...], tuple[Inschrijving, ...]]:
    toewijzingen: list[Toewijzing] = []
    inschrijvingen: list[Inschrijving] = []
    for p in producten:
        if p.uitvoeringsvariant is Uitvoeringsvariant.TAAKGERICHT:
            continue  # taakgericht: the aanbieder decides on access, no toewijzing (§13)
        if p.agb is None:
            inschrijvingen.append(
                Inschrijving(
                    id=nieuw_id(),
                    gemeentecode=event.gemeentecode,
                    wet=event.wet,
                    bsn=event.bsn,
                    beschikkingnummer=event.beschikkingnummer,
                    product=p.product,
                    ingangsdatum=p.ingangsdatum,
                    einddatum=p.einddatum,
                    uitvoeringsvariant=p.uitvoeringsvariant,
                    sinds=moment,
                    omvang=p.omvang,
                    budget=p.budget,
                    wijk=wijk,
                )
            )
            continue
        toewijzingen.append(
            Toewijzing(
                gemeentecode=event.gemeentecode,
                wet=event.wet,
                toewijzing_nummer=nieuw_nummer(),
                bsn=event.bsn,
                agb=p.agb,
                product=p.product,
                ingangsdatum=p.ingangsdatum,
                einddatum=p.einddatum,
                uitvoeringsvariant=p.uitvoeringsvariant,
                toewijzingsmoment=moment,
                omvang=p.omvang,
                budget=p.budget,
                beschikkingnummer=event.beschikkingnummer,
                status=ToewijzingStatus.TE_VERZENDEN,
            )
        )
    controleer_stapeling(toewijzingen, overige)
    return tuple(toewijzingen), tuple(inschrijvingen)


def bij_afgifte(
    event: BeschikkingEvent,
    overige: Sequence[Toewijzing],
    *,
    nieuw_nummer: Callable[[], int],
    nieuw_id: Callable[[], str],
    moment: datetime,
    wijk: str | None = None,
) -> Besluiten:
    """A new beschikking: a toewijzing per product with a chosen aanbieder, an inschrijving per product
    without; `overige` are the cliënt's current toewijzingen (for OP259), `wijk` the cliënt's postcode area."""
    nieuw, inschrijvingen = _nieuw(event, event.producten, overige, nieuw_nummer, nieuw_id, moment, wijk)
    return Besluiten(wijziging=Wijziging(nieuw=nieuw), inschrijvingen=inschrijvingen)


def _past(t: Toewijzing, p: BeschiktProduct) -> bool:
    return (p.product.categorie, p.product.code) == (t.product.categorie, t.product.code) and p.agb in (None, t.agb)


def _koppel(toewijzingen: Sequence[Toewijzing], producten: Sequence[BeschiktProduct]) -> tuple[dict[int, BeschiktProduct], list[BeschiktProduct]]:
    """Pairs each toewijzing with one product (same categorie+code and aanbieder; same ingangsdatum first,
    then the nearest); returns the pairs and the products left over."""
    over = list(producten)
    paren: dict[int, BeschiktProduct] = {}
    for t in sorted(toewijzingen, key=lambda t: (t.ingangsdatum, t.toewijzing_nummer)):
        kandidaten = [p for p in over if _past(t, p)]
        if not kandidaten:
            continue
        p = min(kandidaten, key=lambda p: (p.ingangsdatum != t.ingangsdatum, abs((p.ingangsdatum - t.ingangsdatum).days)))
        paren[t.toewijzing_nummer] = p
        over.remove(p)
    return paren, over


def _beeindig_per(t: Toewijzing, laatste_dag: date, reden: str, moment: datetime, toegekend: Collection[Sleutel] = ()) -> Toewijzing | UitgesteldeVerwijdering | None:
    """The version that ends `t` on `laatste_dag`, deletes it when it begins later (deferred when `toegekend`
    names it: approved prestaties exist, TR385), or None when it ends earlier already."""
    if t.ingangsdatum > laatste_dag:
        return verwijder_of_stel_uit(t, moment, (t.gemeentecode, t.wet, t.toewijzing_nummer) in toegekend)
    if t.einddatum is not None and t.einddatum <= laatste_dag:
        return None
    return beeindig(t, laatste_dag, reden, moment)


def bij_wijziging(
    event: BeschikkingEvent,
    van_beschikking: Sequence[Toewijzing],
    overige: Sequence[Toewijzing],
    *,
    nieuw_nummer: Callable[[], int],
    nieuw_id: Callable[[], str],
    moment: datetime,
    inschrijvingen: Sequence[Inschrijving] = (),
    wijk: str | None = None,
    toegekend: Collection[Sleutel] = (),
) -> Besluiten:
    """A changed beschikking: `van_beschikking` are the current toewijzingen made from it, `overige` the
    cliënt's other current toewijzingen, `inschrijvingen` its inschrijvingen still waiting, `toegekend`
    the toewijzingen with approved, non-credited prestaties (their deletion is deferred, TR385)."""
    actueel = [t for t in huidige_versies(van_beschikking).values() if not t.is_verwijderd]
    paren, over = _koppel(actueel, [p for p in event.producten if p.uitvoeringsvariant is not Uitvoeringsvariant.TAAKGERICHT])
    gewijzigd: list[Toewijzing] = []
    nieuw: list[Toewijzing] = []
    uitgesteld: list[UitgesteldeVerwijdering] = []
    for t in actueel:
        p = paren.get(t.toewijzing_nummer)
        if p is None:
            einde = _beeindig_per(t, moment.date(), _reden(event), moment, toegekend)
            if isinstance(einde, UitgesteldeVerwijdering):
                uitgesteld.append(einde)
            elif einde is not None:
                gewijzigd.append(einde)
            continue
        w = wijzig(
            t, moment, _reden(event, t, p), nieuw_nummer, einddatum=p.einddatum, budget=p.budget, omvang=p.omvang, ingangsdatum=p.ingangsdatum
        )
        gewijzigd += w.gewijzigd
        nieuw += w.nieuw

    # Inschrijvingen still waiting follow their product; the rest of the products are new.
    wachtend = [i for i in inschrijvingen if i.beschikkingnummer == event.beschikkingnummer and i.status in (InschrijvingStatus.OPEN, InschrijvingStatus.GECLAIMD)]
    aangepast: list[Inschrijving] = []
    nieuwe_producten: list[BeschiktProduct] = []
    for p in over:
        i = next((i for i in wachtend if p.agb is None and i.product == p.product), None)
        if i is None:
            nieuwe_producten.append(p)
            continue
        wachtend.remove(i)
        na = replace(i, ingangsdatum=p.ingangsdatum, einddatum=p.einddatum, omvang=p.omvang, budget=p.budget)
        if na != i:
            aangepast.append(replace(na, versie=i.versie + 1))
    aangepast += [vervall(i, moment) for i in wachtend]

    nummers = {t.toewijzing_nummer for t in gewijzigd}
    blijvend = [*gewijzigd, *(t for t in actueel if t.toewijzing_nummer not in nummers), *overige]
    controleer_stapeling(nieuw, blijvend)
    extra, nieuwe_inschrijvingen = _nieuw(event, nieuwe_producten, [*blijvend, *nieuw], nieuw_nummer, nieuw_id, moment, wijk)
    return Besluiten(
        wijziging=Wijziging(gewijzigd=tuple(gewijzigd), nieuw=(*nieuw, *extra)),
        inschrijvingen=nieuwe_inschrijvingen,
        gewijzigde_inschrijvingen=tuple(aangepast),
        uitgesteld=tuple(uitgesteld),
    )


def bij_intrekking(
    event: BeschikkingEvent,
    van_beschikking: Sequence[Toewijzing],
    *,
    moment: datetime,
    inschrijvingen: Sequence[Inschrijving] = (),
    toegekend: Collection[Sleutel] = (),
) -> Besluiten:
    """A withdrawn beschikking: its current toewijzingen end the day before `ingetrokken_per` (deleted when
    they begin on or after it; deferred when `toegekend` names them: TR385); its waiting inschrijvingen vervallen."""
    if event.ingetrokken_per is None:
        raise DomainError(f"beschikking {event.beschikkingnummer}: an intrekking needs its ingetrokken_per")
    laatste_dag = event.ingetrokken_per - timedelta(days=1)
    reden = _reden(event)
    uitkomsten = [v for t in huidige_versies(van_beschikking).values() if not t.is_verwijderd and (v := _beeindig_per(t, laatste_dag, reden, moment, toegekend)) is not None]
    gewijzigd = [v for v in uitkomsten if isinstance(v, Toewijzing)]
    uitgesteld = [v for v in uitkomsten if isinstance(v, UitgesteldeVerwijdering)]
    vervallen = [
        vervall(i, moment)
        for i in inschrijvingen
        if i.beschikkingnummer == event.beschikkingnummer and i.status in (InschrijvingStatus.OPEN, InschrijvingStatus.GECLAIMD)
    ]
    return Besluiten(wijziging=Wijziging(gewijzigd=tuple(gewijzigd)), gewijzigde_inschrijvingen=tuple(vervallen), uitgesteld=tuple(uitgesteld))
