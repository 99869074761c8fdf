"""Evaluaties of the ondersteuning in a samenwerkingstraject.

Regulier: the aanbieder evaluates with the cliënt no later than 8 weeks before the beschikking ends,
so that a herindicatie can be decided in time — except for a product marked as the cliënt's own
responsibility for herindicatie, which gets no evaluatie from the aanbieder. The 8 weeks are
calendar weeks counted back from the beschikking's einddatum; when that day is not a werkdag the
evaluatie is due on the werkdag before it (a "no later than" deadline moves earlier, never later).
The beschikking's einddatum is an input here: the beschikking itself lives elsewhere.

Tussentijds: the wijkteam (the gemeente) may ask for an interim evaluatie at any time, with a reason
and the date it is wanted by.

An evaluatie records for every doel of the traject to what extent it was met, and the aanbieder's
advies on the vervolg. Lifecycle: gepland -> uitgevoerd, or gepland -> vervallen.

Only in a lopend traject: once the samenwerkingstraject is afgesloten or gestopt no evaluatie is
planned or recorded in it any more (`vereis_lopend_traject`), and closing it makes each evaluatie
still gepland vervallen, with the day and the reason (`vervallen_bij_sluiten`: "samenwerkingstraject
afgesloten" or "... gestopt") — it no longer waits for the aanbieder, and neither does its signal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from uuid import uuid4

from indicatie.domain.termijnen import WEKEN_VOOR_EINDE_BESCHIKKING, uiterlijk_weken_voor
from indicatie.domain.traject import Doel, Samenwerkingstraject
from runtime.errors import DomainError


class EvaluatieSoort(StrEnum):
    REGULIER = "regulier"
    TUSSENTIJDS = "tussentijds"


class EvaluatieStatus(StrEnum):
    GEPLAND = "gepland"
    UITGEVOERD = "uitgevoerd"
    VERVALLEN = "vervallen"


ALLOWED_STATUS_CHANGES: dict[EvaluatieStatus, frozenset[EvaluatieStatus]] = {
    EvaluatieStatus.GEPLAND: frozenset({EvaluatieStatus.UITGEVOERD, EvaluatieStatus.VERVALLEN}),
    EvaluatieStatus.UITGEVOERD: frozenset(),
    EvaluatieStatus.VERVALLEN: frozenset(),
}


class Mate(StrEnum):
    """To what extent a doel was met."""

    NIET_BEHAALD = "niet_behaald"
    DEELS_BEHAALD = "deels_behaald"
    BEHAALD = "behaald"


class Advies(StrEnum):
    """The aanbieder's advies on the vervolg."""

    VOORTZETTEN = "voortzetten"
    AANPASSEN = "aanpassen"
    BEEINDIGEN = "beeindigen"


@dataclass(frozen=True)
class Doelrealisatie:
    doel: str  # the omschrijving of a doel of the traject
    mate: Mate
    toelichting: str = ""


def uiterste_evaluatiedatum(beschikking_einddatum: date) -> date:
    """The last day for the regular evaluatie: 8 weeks before the beschikking ends, on a werkdag."""
    return uiterlijk_weken_voor(beschikking_einddatum, WEKEN_VOOR_EINDE_BESCHIKKING)


@dataclass(frozen=True)
class Evaluatie:
    traject_id: str
    soort: EvaluatieSoort
    uiterste_datum: date
    gevraagd_door: str
    beschikking_einddatum: date | None = None
    reden: str = ""
    status: EvaluatieStatus = EvaluatieStatus.GEPLAND
    uitgevoerd_op: date | None = None
    doelrealisatie: tuple[Doelrealisatie, ...] = ()
    advies: Advies | None = None
    toelichting: str = ""
    vervallen_op: date | None = None
    vervallen_reden: str = ""  # why it will not be held (e.g. "samenwerkingstraject gestopt")
    id: str = field(default_factory=lambda: str(uuid4()))

    @classmethod
    def regulier(cls, traject_id: str, gevraagd_door: str, beschikking_einddatum: date, eigen_verantwoordelijkheid: bool) -> Evaluatie:
        """The regular evaluatie before the beschikking ends (also when that day has passed: it shows as overdue)."""
        if eigen_verantwoordelijkheid:
            raise DomainError(
                "the product is marked as the cliënt's own responsibility for herindicatie: the aanbieder plans no evaluatie"
            )
        return cls(
            traject_id=traject_id,
            soort=EvaluatieSoort.REGULIER,
            uiterste_datum=uiterste_evaluatiedatum(beschikking_einddatum),
            gevraagd_door=gevraagd_door,
            beschikking_einddatum=beschikking_einddatum,
        )

    @classmethod
    def tussentijds(cls, traject_id: str, gevraagd_door: str, reden: str, uiterlijk: date, vandaag: date) -> Evaluatie:
        """An interim evaluatie the wijkteam asks for."""
        if not reden.strip():
            raise DomainError("an interim evaluatie needs the wijkteam's reason (reden)")
        if uiterlijk < vandaag:
            raise DomainError(f"the interim evaluatie cannot be due in the past ({uiterlijk})")
        return cls(
            traject_id=traject_id,
            soort=EvaluatieSoort.TUSSENTIJDS,
            uiterste_datum=uiterlijk,
            gevraagd_door=gevraagd_door,
            reden=reden.strip(),
        )

    def leg_vast(
        self,
        uitgevoerd_op: date,
        doelrealisatie: tuple[Doelrealisatie, ...],
        advies: Advies,
        toelichting: str,
        doelen: tuple[Doel, ...],
        vandaag: date,
    ) -> Evaluatie:
        """Records the evaluatie held with the cliënt: every doel of the traject, and the advies."""
        if EvaluatieStatus.UITGEVOERD not in ALLOWED_STATUS_CHANGES[self.status]:
            raise DomainError(f"an evaluatie cannot go from {self.status} to {EvaluatieStatus.UITGEVOERD}")
        if uitgevoerd_op > vandaag:
            raise DomainError(f"the evaluatie's date {uitgevoerd_op} lies in the future")
        if not doelen:
            raise DomainError("the traject has no doelen to evaluate; record them in the traject first")
        bekend = {d.omschrijving for d in doelen}
        gegeven = [r.doel for r in doelrealisatie]
        onbekend = sorted(set(gegeven) - bekend)
        if onbekend:
            raise DomainError(f"not a doel of this traject: {', '.join(onbekend)}")
        dubbel = sorted({d for d in gegeven if gegeven.count(d) > 1})
        if dubbel:
            raise DomainError(f"each doel is evaluated once; twice: {', '.join(dubbel)}")
        ontbreekt = sorted(bekend - set(gegeven))
        if ontbreekt:
            raise DomainError(f"the evaluatie records every doel; missing: {', '.join(ontbreekt)}")
        return replace(
            self,
            status=EvaluatieStatus.UITGEVOERD,
            uitgevoerd_op=uitgevoerd_op,
            doelrealisatie=doelrealisatie,
            advies=advies,
            toelichting=toelichting.strip(),
        )

    def vervall(self, op: date, reden: str) -> Evaluatie:
        """The evaluatie will not be held: vervallen on `op`, with the reason."""
        if EvaluatieStatus.VERVALLEN not in ALLOWED_STATUS_CHANGES[self.status]:
            raise DomainError(f"an evaluatie cannot go from {self.status} to {EvaluatieStatus.VERVALLEN}")
        if not reden.strip():
            raise DomainError("an evaluatie vervalt with a reden")
        return replace(self, status=EvaluatieStatus.VERVALLEN, vervallen_op=op, vervallen_reden=reden.strip())


def vereis_lopend_traject(traject: Samenwerkingstraject, handeling: str) -> None:
    """An evaluatie is planned and recorded only in a lopend samenwerkingstraject; `handeling` is
    "planned" or "recorded"."""
    traject.vereis_lopend_voor("evaluatie", handeling)


def vervallen_bij_sluiten(traject: Samenwerkingstraject, evaluaties: Iterable[Evaluatie], op: date) -> list[Evaluatie]:
    """The evaluaties of a traject just afgesloten or gestopt that were still gepland, now vervallen
    with that reason; the others (uitgevoerd, vervallen) stay as they are."""
    if traject.is_lopend:
        raise DomainError(f"samenwerkingstraject {traject.nummer} is lopend: its evaluaties vervallen only when it is closed")
    return [e.vervall(op, traject.sluitreden) for e in evaluaties if e.status is EvaluatieStatus.GEPLAND]
