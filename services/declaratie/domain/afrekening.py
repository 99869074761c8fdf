"""Voorschot and afrekening per aanbieder per period (the gemeente's rhythm: periode.py).

- `voorschot`: before or at the start of a period. Per toewijzing of the aanbieder: the toegewezen
  amount in the period (benutting.toegewezen: volume × the contract tarief valid on each day, or the
  budget pro rata), rounded half up per toewijzing; the voorschot is the sum of those regels. Where an
  estimate was agreed (`VoorschotAfspraak`: an amount per period for the whole aanbieder, or for one
  product of its contract) that amount replaces the toewijzingen it covers.
- `voorlopige_afrekening`: after the period, with what was declared so far: gedeclareerd (ingediend)
  and toegekend against the voorschot. It informs; nothing is paid or reclaimed on it.
- `definitieve_afrekening`: the same sum once the period is closed (corrections included); its saldo
  = toegekend − voorschot is paid when positive and reclaimed when negative.
- `verreken`: a reclaim is settled against the next voorschotten (each paid out less, in order of
  period) until it is gone; what remains is still to be reclaimed.

A prestatie counts in a period by the days its ProductPeriode has there (`periode.aandeel`), so with a
calendar-month rhythm it counts whole in its month. All money is integer eurocent (geld.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from declaratie.domain.benutting import Contracten, IngediendePrestatie, toegewezen
from declaratie.domain.contract import Contract
from declaratie.domain.geld import euro, rond_af
from declaratie.domain.periode import Periode
from declaratie.domain.toewijzingstand import ToewijzingKopie
from runtime.errors import DomainError


@dataclass(frozen=True, slots=True)
class VoorschotAfspraak:
    """An agreed voorschot per period: for the whole aanbieder (no product) or for one product of its contract."""

    gemeentecode: str
    agb: str
    bedrag_per_periode: int  # eurocent
    productcategorie: str | None = None
    productcode: str | None = None

    def __post_init__(self) -> None:
        if self.bedrag_per_periode < 0:
            raise DomainError("an agreed voorschot is not negative")
        if (self.productcategorie is None) != (self.productcode is None):
            raise DomainError("an agreed voorschot is for a product (categorie and code) or for the whole aanbieder (neither)")

    @property
    def product(self) -> tuple[str, str] | None:
        return None if self.productcode is None else (self.productcategorie or "", self.productcode)


@dataclass(frozen=True, slots=True)
class VoorschotRegel:
    omschrijving: str  # "toewijzing 10072", "afspraak 45/45A48", "afspraak aanbieder"
    bedrag: int  # eurocent


@dataclass(frozen=True, slots=True)
class Voorschot:
    gemeentecode: str
    agb: str
    periode: Periode
    regels: tuple[VoorschotRegel, ...]
    verrekend: int = 0  # earlier reclaims settled against this voorschot (`verreken`)

    @property
    def bedrag(self) -> int:
        return sum(r.bedrag for r in self.regels)

    @property
    def te_betalen(self) -> int:
        return self.bedrag - self.verrekend


def voorschot(
    periode: Periode,
    aanbieder: str,
    toewijzingen: Iterable[ToewijzingKopie],
    contracten: Iterable[Contract],
    afspraak: VoorschotAfspraak | Iterable[VoorschotAfspraak] | None = None,
    *,
    gemeentecode: str,
) -> Voorschot:
    """The voorschot of aanbieder `aanbieder` (AGB) for `periode` from gemeente `gemeentecode` (see the module docstring).

    Refused when a toewijzing it prices has days without a fitting contract tarief: a voorschot is not guessed.
    """
    afspraken = [afspraak] if isinstance(afspraak, VoorschotAfspraak) else list(afspraak or ())
    afspraken = [a for a in afspraken if (a.gemeentecode, a.agb) == (gemeentecode, aanbieder)]
    geheel = [a for a in afspraken if a.product is None]
    if geheel:
        if len(afspraken) > 1:
            raise DomainError(f"aanbieder {aanbieder}: an agreed voorschot for the whole aanbieder excludes other agreements")
        return Voorschot(gemeentecode, aanbieder, periode, (VoorschotRegel("afspraak aanbieder", geheel[0].bedrag_per_periode),))

    per_product = {a.product: a for a in afspraken}
    if len(per_product) < len(afspraken):
        raise DomainError(f"aanbieder {aanbieder}: two agreed voorschotten for one product")
    regels = [VoorschotRegel(f"afspraak {c}/{p}", a.bedrag_per_periode) for (c, p), a in sorted(per_product.items())]  # type: ignore[misc]
    index = Contracten(contracten)
    zonder_tarief = []
    for t in sorted(toewijzingen, key=lambda t: (t.wet, t.toewijzing_nummer)):
        if (t.gemeentecode, t.agb) != (gemeentecode, aanbieder) or (t.categorie, t.code) in per_product:
            continue
        if periode.overlap(t.ingangsdatum, t.einddatum) is None:
            continue
        stand = toegewezen(t, periode, index)
        if stand.dagen_zonder_tarief:
            zonder_tarief.append(f"{t.toewijzing_nummer} ({stand.dagen_zonder_tarief} dagen)")
        elif stand.bedrag is not None:
            regels.append(VoorschotRegel(f"toewijzing {t.toewijzing_nummer}", rond_af(stand.bedrag)))
    if zonder_tarief:
        raise DomainError(f"aanbieder {aanbieder}, {periode.kenmerk}: no contract tarief for toewijzing {', '.join(zonder_tarief)}")
    return Voorschot(gemeentecode, aanbieder, periode, tuple(regels))


def afspraken_uit_contracten(contracten: Iterable[Contract], periode: Periode) -> list[VoorschotAfspraak]:
    """The agreed voorschotten (`Contract.voorschot_per_periode_eurocent`) that apply to `periode`: per
    gemeente, aanbieder and product the contract version valid on the period's first day (of overlapping
    versions the one that began last), or else the first version that begins within the period."""
    per_product: dict[tuple[str, str, str, str], list[Contract]] = {}
    for c in contracten:
        if c.begindatum <= periode.einddatum and (c.einddatum is None or c.einddatum >= periode.begindatum):
            per_product.setdefault((c.gemeentecode, c.agb, c.productcategorie, c.productcode), []).append(c)
    afspraken = []
    for (gemeentecode, agb, categorie, code), versies in sorted(per_product.items()):
        versies.sort(key=lambda c: c.begindatum)
        geldig = [c for c in versies if c.begindatum <= periode.begindatum]
        versie = geldig[-1] if geldig else versies[0]
        if versie.voorschot_per_periode_eurocent is not None:
            afspraken.append(VoorschotAfspraak(gemeentecode, agb, versie.voorschot_per_periode_eurocent, categorie, code))
    return afspraken


class AfrekeningSoort(StrEnum):
    VOORLOPIG = "voorlopig"
    DEFINITIEF = "definitief"


@dataclass(frozen=True, slots=True)
class Afrekening:
    soort: AfrekeningSoort
    gemeentecode: str
    agb: str
    periode: Periode
    voorschot: int  # eurocent, the voorschot's bedrag (a reclaim settled against it does not lower what was advanced)
    gedeclareerd: int  # ingediend, credits negative
    toegekend: int
    verschil_met_voorlopig: int | None = None  # definitief only

    @property
    def saldo(self) -> int:
        """Toegekend − voorschot: positive to pay to the aanbieder, negative to reclaim."""
        return self.toegekend - self.voorschot

    @property
    def te_betalen(self) -> int:
        return max(self.saldo, 0)

    @property
    def terug_te_vorderen(self) -> int:
        return max(-self.saldo, 0)

    def __str__(self) -> str:
        return (
            f"{self.soort} {self.agb} {self.periode.kenmerk}: toegekend {euro(self.toegekend)} − voorschot "
            f"{euro(self.voorschot)} = saldo {euro(self.saldo)}"
        )


def _afrekening(soort: AfrekeningSoort, periode: Periode, voorschot: Voorschot, prestaties: Iterable[IngediendePrestatie]) -> Afrekening:
    if voorschot.periode != periode:
        raise DomainError(f"the voorschot is for {voorschot.periode.kenmerk}, not for {periode.kenmerk}")
    gedeclareerd = toegekend = 0
    for p in prestaties:
        if (p.gemeentecode, p.agb) != (voorschot.gemeentecode, voorschot.agb):
            continue
        deel = p.bedrag_in(periode)
        gedeclareerd += deel
        if p.toegekend:
            toegekend += deel
    return Afrekening(soort, voorschot.gemeentecode, voorschot.agb, periode, voorschot.bedrag, gedeclareerd, toegekend)


def voorlopige_afrekening(periode: Periode, voorschot: Voorschot, prestaties: Iterable[IngediendePrestatie]) -> Afrekening:
    """Gedeclareerd and toegekend so far against the voorschot. `prestaties`: the ingediende prestaties with
    their outcome (`toegekend`); others' and other periods' are ignored."""
    return _afrekening(AfrekeningSoort.VOORLOPIG, periode, voorschot, prestaties)


def definitieve_afrekening(
    periode: Periode, voorschot: Voorschot, prestaties: Iterable[IngediendePrestatie], voorlopige: Afrekening | None = None
) -> Afrekening:
    """The closing afrekening: its saldo is paid or reclaimed; with the voorlopige one, the difference is shown."""
    afrekening = _afrekening(AfrekeningSoort.DEFINITIEF, periode, voorschot, prestaties)
    if voorlopige is None:
        return afrekening
    if voorlopige.soort is not AfrekeningSoort.VOORLOPIG or (voorlopige.gemeentecode, voorlopige.agb, voorlopige.periode) != (
        afrekening.gemeentecode,
        afrekening.agb,
        afrekening.periode,
    ):
        raise DomainError("the voorlopige afrekening is of another aanbieder or period")
    return replace(afrekening, verschil_met_voorlopig=afrekening.saldo - voorlopige.saldo)


@dataclass(frozen=True, slots=True)
class Verrekening:
    voorschotten: tuple[Voorschot, ...]  # the later voorschotten, each with what was settled against it
    rest: int  # eurocent still to reclaim (≥ 0) when the voorschotten did not suffice


def verreken(saldo: int | Afrekening, volgende_voorschotten: Sequence[Voorschot]) -> Verrekening:
    """Settles a negative saldo against later voorschotten, earliest period first, each down to 0 at most.

    With an Afrekening, it must be definitief and the voorschotten of its aanbieder and of later periods.
    """
    if isinstance(saldo, Afrekening):
        if saldo.soort is not AfrekeningSoort.DEFINITIEF:
            raise DomainError("only a definitieve afrekening is settled")
        for v in volgende_voorschotten:
            if (v.gemeentecode, v.agb) != (saldo.gemeentecode, saldo.agb) or v.periode.begindatum <= saldo.periode.einddatum:
                raise DomainError(f"voorschot {v.agb} {v.periode.kenmerk} is not a later voorschot of the same aanbieder")
        bedrag = saldo.saldo
    else:
        bedrag = saldo
    if bedrag >= 0:
        raise DomainError("only a negative saldo (a reclaim) is settled; a positive saldo is paid")
    if len({(v.gemeentecode, v.agb) for v in volgende_voorschotten}) > 1:
        raise DomainError("a reclaim is settled against one aanbieder's voorschotten")
    te_vorderen = -bedrag
    verrekend = []
    for v in sorted(volgende_voorschotten, key=lambda v: v.periode):
        afboeking = min(te_vorderen, v.te_betalen)
        verrekend.append(replace(v, verrekend=v.verrekend + afboeking))
        te_vorderen -= afboeking
    return Verrekening(tuple(verrekend), te_vorderen)
