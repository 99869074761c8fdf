"""The toewijslijst: cliënten with a beschikking who have not chosen an aanbieder yet (or may choose
freely) wait here, per product, instead of getting a 301.

Lifecycle (one table, `ALLOWED_STATUS_CHANGES`): an Inschrijving is open; a contracted aanbieder that
has agreed with the cliënt claims it (geclaimd); the gemeente confirms the claim (bevestigd: the
toewijzing for that aanbieder is made, the 301 follows) or rejects it (back to open). When the
beschikking is withdrawn or the product disappears from it, the inschrijving vervalt. Exactly one
claim wins: a claim needs an open inschrijving, and `versie` lets the adapter update it only when
nobody changed it in between (optimistic locking).

Before an aanbieder has a relation with the cliënt it sees only `Aanbiederweergave`: product,
gemeente, wijk, period, omvang or budget, since when and the waiting days — never BSN or name.
The wachttijd runs from `sinds` until the inschrijving is bevestigd or vervallen (a rejected claim
does not reset it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from runtime.domein import Uitvoeringsvariant, Wet
from runtime.errors import DomainError
from toewijzing.domain.toewijzing import Omvang, Product, Toewijzing, ToewijzingStatus


class InschrijvingStatus(StrEnum):
    OPEN = "open"
    GECLAIMD = "geclaimd"
    BEVESTIGD = "bevestigd"
    VERVALLEN = "vervallen"


ALLOWED_STATUS_CHANGES: dict[InschrijvingStatus, frozenset[InschrijvingStatus]] = {
    InschrijvingStatus.OPEN: frozenset({InschrijvingStatus.GECLAIMD, InschrijvingStatus.VERVALLEN}),
    InschrijvingStatus.GECLAIMD: frozenset({InschrijvingStatus.OPEN, InschrijvingStatus.BEVESTIGD, InschrijvingStatus.VERVALLEN}),
    InschrijvingStatus.BEVESTIGD: frozenset(),
    InschrijvingStatus.VERVALLEN: frozenset(),
}


def is_agb(value: str) -> bool:
    return len(value) == 8 and value.isdigit()


def is_wijk(value: str) -> bool:
    """A wijk is a 4-digit postcode area (the digits of a Dutch postcode, not starting with 0)."""
    return len(value) == 4 and value.isdigit() and value[0] != "0"


@dataclass(frozen=True, slots=True)
class Inschrijving:
    """One product of one beschikking waiting on the toewijslijst."""

    id: str
    gemeentecode: str
    wet: Wet
    bsn: str
    beschikkingnummer: str
    product: Product
    ingangsdatum: date
    einddatum: date | None
    uitvoeringsvariant: Uitvoeringsvariant
    sinds: datetime
    omvang: Omvang | None = None
    budget: int | None = None  # eurocent
    wijk: str | None = None
    status: InschrijvingStatus = InschrijvingStatus.OPEN
    geclaimd_door: str | None = None  # AGB
    geclaimd_op: datetime | None = None
    bevestigd_op: datetime | None = None
    vervallen_op: datetime | None = None
    versie: int = 1

    def __post_init__(self) -> None:
        if not self.id:
            raise DomainError("an inschrijving needs its id")
        if self.einddatum is not None and self.einddatum < self.ingangsdatum:
            raise DomainError(f"inschrijving {self.id}: einddatum {self.einddatum} before ingangsdatum {self.ingangsdatum}")
        if self.omvang is not None and self.budget is not None:
            raise DomainError(f"inschrijving {self.id}: omvang and budget exclude each other (CD077/CD078)")
        if self.wijk is not None and not is_wijk(self.wijk):
            raise DomainError(f"inschrijving {self.id}: wijk {self.wijk!r} is not a 4-digit postcode area")
        if self.uitvoeringsvariant is Uitvoeringsvariant.TAAKGERICHT:
            raise DomainError(f"inschrijving {self.id}: a taakgericht product gets no toewijzing, so no place on the toewijslijst")


def _naar(inschrijving: Inschrijving, status: InschrijvingStatus, **changes: object) -> Inschrijving:
    if status not in ALLOWED_STATUS_CHANGES[inschrijving.status]:
        raise DomainError(f"inschrijving {inschrijving.id} is {inschrijving.status.value} and cannot become {status.value}")
    return replace(inschrijving, status=status, versie=inschrijving.versie + 1, **changes)  # type: ignore[arg-type]


def claim(inschrijving: Inschrijving, agb: str, gecontracteerd: bool, moment: datetime) -> Inschrijving:
    """An aanbieder that agreed with the cliënt claims an open inschrijving; only one contracted for this
    product in this gemeente may (the caller tells, from the contracts)."""
    if not is_agb(agb):
        raise DomainError(f"AGB {agb!r} is not 8 digits")
    if not gecontracteerd:
        raise DomainError(f"aanbieder {agb} is not contracted for this product in gemeente {inschrijving.gemeentecode} and cannot claim it")
    if inschrijving.status is not InschrijvingStatus.OPEN:
        raise DomainError(f"inschrijving {inschrijving.id} is {inschrijving.status.value}: only an open inschrijving can be claimed")
    return _naar(inschrijving, InschrijvingStatus.GECLAIMD, geclaimd_door=agb, geclaimd_op=moment)


def wijs_claim_af(inschrijving: Inschrijving, moment: datetime) -> Inschrijving:
    """The gemeente rejects the claim: the inschrijving is open again (its wachttijd keeps running)."""
    del moment  # the rejection itself is recorded by the adapter's history; the entity only reopens
    return _naar(inschrijving, InschrijvingStatus.OPEN, geclaimd_door=None, geclaimd_op=None)


def bevestig(inschrijving: Inschrijving, moment: datetime, nieuw_nummer: Callable[[], int]) -> tuple[Inschrijving, Toewijzing]:
    """The gemeente (or the contract, automatically) confirms the claim: the bevestigde inschrijving and the
    new Toewijzing for the claiming aanbieder, to be sent in a 301. It begins on the inschrijving's
    ingangsdatum, or on the day of confirmation when that has passed (the aanbieder could not deliver
    before). The caller checks OP259 with `controleer_stapeling` against the cliënt's toewijzingen there."""
    if inschrijving.status is not InschrijvingStatus.GECLAIMD or inschrijving.geclaimd_door is None:
        raise DomainError(f"inschrijving {inschrijving.id} is {inschrijving.status.value}: only a claimed inschrijving can be confirmed")
    ingangsdatum = max(inschrijving.ingangsdatum, moment.date())
    if inschrijving.einddatum is not None and inschrijving.einddatum < ingangsdatum:
        raise DomainError(f"inschrijving {inschrijving.id}: its period ended on {inschrijving.einddatum}; it can only vervallen")
    bevestigd = _naar(inschrijving, InschrijvingStatus.BEVESTIGD, bevestigd_op=moment)
    toewijzing = Toewijzing(
        gemeentecode=inschrijving.gemeentecode,
        wet=inschrijving.wet,
        toewijzing_nummer=nieuw_nummer(),
        bsn=inschrijving.bsn,
        agb=inschrijving.geclaimd_door,
        product=inschrijving.product,
        ingangsdatum=ingangsdatum,
        einddatum=inschrijving.einddatum,
        uitvoeringsvariant=inschrijving.uitvoeringsvariant,
        toewijzingsmoment=moment,
        omvang=inschrijving.omvang,
        budget=inschrijving.budget,
        beschikkingnummer=inschrijving.beschikkingnummer,
        status=ToewijzingStatus.TE_VERZENDEN,
    )
    return bevestigd, toewijzing


def vervall(inschrijving: Inschrijving, moment: datetime) -> Inschrijving:
    """The inschrijving lapses (beschikking withdrawn, product gone, cliënt overleden or verhuisd); an open
    claim lapses with it."""
    return _naar(inschrijving, InschrijvingStatus.VERVALLEN, vervallen_op=moment)


def wachttijd(inschrijving: Inschrijving, nu: datetime) -> timedelta:
    """Time on the list: from `sinds` until bevestigd or vervallen, or until `nu` while still waiting."""
    einde = inschrijving.bevestigd_op or inschrijving.vervallen_op or nu
    return max(einde - inschrijving.sinds, timedelta(0))


@dataclass(frozen=True, slots=True)
class Aanbiederweergave:
    """What a contracted aanbieder sees of an inschrijving before it has a relation with the cliënt:
    no BSN, no name, no beschikkingnummer."""

    id: str
    gemeentecode: str
    wet: Wet
    product: Product
    uitvoeringsvariant: Uitvoeringsvariant
    wijk: str | None
    ingangsdatum: date
    einddatum: date | None
    omvang: Omvang | None
    budget: int | None
    sinds: datetime
    wachtdagen: int


def aanbiederweergave(inschrijving: Inschrijving, nu: datetime) -> Aanbiederweergave:
    """The inschrijving as an aanbieder without a relation with the cliënt may see it."""
    return Aanbiederweergave(
        id=inschrijving.id,
        gemeentecode=inschrijving.gemeentecode,
        wet=inschrijving.wet,
        product=inschrijving.product,
        uitvoeringsvariant=inschrijving.uitvoeringsvariant,
        wijk=inschrijving.wijk,
        ingangsdatum=inschrijving.ingangsdatum,
        einddatum=inschrijving.einddatum,
        omvang=inschrijving.omvang,
        budget=inschrijving.budget,
        sinds=inschrijving.sinds,
        wachtdagen=wachttijd(inschrijving, nu).days,
    )


def toewijslijst_voor_aanbieder(
    inschrijvingen: Iterable[Inschrijving], gecontracteerd: Callable[[Inschrijving], bool], nu: datetime
) -> list[Aanbiederweergave]:
    """The open inschrijvingen an aanbieder is contracted for (`gecontracteerd` answers from its contracts),
    longest waiting first."""
    zichtbaar = [i for i in inschrijvingen if i.status is InschrijvingStatus.OPEN and gecontracteerd(i)]
    return [aanbiederweergave(i, nu) for i in sorted(zichtbaar, key=lambda i: (i.sinds, i.id))]
