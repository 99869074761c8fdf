"""A Taak inside a samenwerkingstraject, with the full history of its changes.

Lifecycle: open -> in_behandeling -> afgerond; open or in_behandeling -> vervallen (no longer
needed); in_behandeling -> open (handed back); afgerond -> open (heropend). Vervallen is final.
Every change of a field (status included) is kept as a TaakWijziging: who, when, which field,
from what to what.

Only in a lopend samenwerkingstraject: once it is afgesloten or gestopt no taak is made or changed in
it any more (`vereis_lopend_traject`), and closing it makes each taak still open or in_behandeling
vervallen, with the day and the reason (`open_taken_vervallen`: "samenwerkingstraject afgesloten" or
"... gestopt"; the status change is in its history, by whoever closed the traject) — it no longer
waits for anyone, and neither does its signal. An afgerond taak stays afgerond.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import uuid4

from indicatie.domain.traject import Partij, Samenwerkingstraject
from runtime.errors import DomainError


class TaakStatus(StrEnum):
    OPEN = "open"
    IN_BEHANDELING = "in_behandeling"
    AFGEROND = "afgerond"
    VERVALLEN = "vervallen"


ALLOWED_STATUS_CHANGES: dict[TaakStatus, frozenset[TaakStatus]] = {
    TaakStatus.OPEN: frozenset({TaakStatus.IN_BEHANDELING, TaakStatus.AFGEROND, TaakStatus.VERVALLEN}),
    TaakStatus.IN_BEHANDELING: frozenset({TaakStatus.OPEN, TaakStatus.AFGEROND, TaakStatus.VERVALLEN}),
    TaakStatus.AFGEROND: frozenset({TaakStatus.OPEN}),
    TaakStatus.VERVALLEN: frozenset(),
}
AFGEHANDELD = frozenset({TaakStatus.AFGEROND, TaakStatus.VERVALLEN})


class Prioriteit(StrEnum):
    LAAG = "laag"
    GEMIDDELD = "gemiddeld"
    HOOG = "hoog"


@dataclass(frozen=True)
class TaakWijziging:
    op: datetime
    door: str
    veld: str
    oud: str
    nieuw: str


@dataclass(frozen=True)
class Taak:
    traject_id: str
    naam: str
    soort: str  # e.g. "POP aanvullen", "Evaluatie plannen"
    aangemaakt_door: str
    bestemd_voor: Partij
    einddatum: date
    prioriteit: Prioriteit = Prioriteit.GEMIDDELD
    omschrijving: str = ""
    status: TaakStatus = TaakStatus.OPEN
    geschiedenis: tuple[TaakWijziging, ...] = ()
    vervallen_op: date | None = None  # set when closing its traject made it vervallen
    vervallen_reden: str = ""  # e.g. "samenwerkingstraject gestopt"
    id: str = field(default_factory=lambda: str(uuid4()))

    def __post_init__(self) -> None:
        if not self.naam.strip():
            raise DomainError("a taak needs a naam")
        if not self.soort.strip():
            raise DomainError("a taak needs a soort (e.g. 'POP aanvullen')")
        if not self.aangemaakt_door.strip():
            raise DomainError("a taak records who made it (aangemaakt_door)")

    @classmethod
    def nieuw(cls, vandaag: date, op: datetime, **values: Any) -> Taak:
        taak = cls(**values)
        if taak.einddatum < vandaag:
            raise DomainError(f"einddatum {taak.einddatum} of a new taak lies in the past")
        aangemaakt = TaakWijziging(op=op, door=taak.aangemaakt_door, veld="status", oud="", nieuw=taak.status.value)
        return replace(taak, geschiedenis=(aangemaakt,))

    @property
    def is_afgehandeld(self) -> bool:
        return self.status in AFGEHANDELD

    def wijzig(
        self,
        door: str,
        op: datetime,
        status: TaakStatus | None = None,
        prioriteit: Prioriteit | None = None,
        einddatum: date | None = None,
        bestemd_voor: Partij | None = None,
        omschrijving: str | None = None,
    ) -> Taak:
        """The changed taak, each changed field recorded in its history; refuses a change that changes nothing."""
        if self.status is TaakStatus.VERVALLEN:
            raise DomainError(f"taak {self.naam!r} is vervallen: no more changes")
        if status is not None and status is not self.status and status not in ALLOWED_STATUS_CHANGES[self.status]:
            raise DomainError(f"a taak cannot go from {self.status} to {status}")
        nieuw: dict[str, Any] = {
            k: v
            for k, v in {
                "status": status,
                "prioriteit": prioriteit,
                "einddatum": einddatum,
                "bestemd_voor": bestemd_voor,
                "omschrijving": omschrijving,
            }.items()
            if v is not None and v != getattr(self, k)
        }
        if not nieuw:
            raise DomainError("nothing to change: the taak already has these values")
        wijzigingen = tuple(
            TaakWijziging(op=op, door=door, veld=veld, oud=_tekst(getattr(self, veld)), nieuw=_tekst(waarde)) for veld, waarde in nieuw.items()
        )
        return replace(self, **nieuw, geschiedenis=self.geschiedenis + wijzigingen)


    def vervall(self, door: str, op: datetime, reden: str) -> Taak:
        """The taak is no longer needed: vervallen on the day of `op`, with the reason, the status change in its history."""
        if TaakStatus.VERVALLEN not in ALLOWED_STATUS_CHANGES[self.status]:
            raise DomainError(f"a taak cannot go from {self.status} to {TaakStatus.VERVALLEN}")
        if not reden.strip():
            raise DomainError("a taak vervalt with a reden")
        wijziging = TaakWijziging(op=op, door=door, veld="status", oud=self.status.value, nieuw=TaakStatus.VERVALLEN.value)
        return replace(
            self,
            status=TaakStatus.VERVALLEN,
            vervallen_op=op.date(),
            vervallen_reden=reden.strip(),
            geschiedenis=self.geschiedenis + (wijziging,),
        )


def vereis_lopend_traject(traject: Samenwerkingstraject, handeling: str) -> None:
    """A taak is made and changed only in a lopend samenwerkingstraject; `handeling` is "made" or "changed"."""
    traject.vereis_lopend_voor("taak", handeling)


def open_taken_vervallen(traject: Samenwerkingstraject, taken: Iterable[Taak], door: str, op: datetime) -> list[Taak]:
    """The taken of a traject just afgesloten or gestopt that were still open or in_behandeling, now
    vervallen with that reason (by `door`, who closed it); afgerond and vervallen ones stay as they are."""
    if traject.is_lopend:
        raise DomainError(f"samenwerkingstraject {traject.nummer} is lopend: its taken vervallen only when it is closed")
    return [taak.vervall(door, op, traject.sluitreden) for taak in taken if not taak.is_afgehandeld]


def _tekst(value: Any) -> str:
    if isinstance(value, Partij):
        return f"{value.soort}:{value.code}" + (f":{value.medewerker}" if value.medewerker else "")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
