"""The Samenwerkingstraject: what a melding opens in the secure workspace ("beveiligde functionaliteit").

A traject belongs to the gemeente of its cliënt (BSN + gemeentecode) and is led by a
participatieadviseur; it holds the doelen and acties, the taken, the POP and the evaluaties. The
aanbieder chosen in the POP (its AGB, `aanbieder_agb`) has the traject "open" and may see and work
on it; no other aanbieder may.

Lifecycle: lopend -> afgesloten (the work is done) or gestopt (the melding is withdrawn or the
cliënt stops). Both ends are final.

Also here: the Signaal (work with a deadline for the party that must act) and the event subjects.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import uuid4

from indicatie.domain.client import is_geldig_bsn, is_gemeentecode
from runtime.errors import DomainError


class TrajectStatus(StrEnum):
    LOPEND = "lopend"
    AFGESLOTEN = "afgesloten"
    GESTOPT = "gestopt"


ALLOWED_STATUS_CHANGES: dict[TrajectStatus, frozenset[TrajectStatus]] = {
    TrajectStatus.LOPEND: frozenset({TrajectStatus.AFGESLOTEN, TrajectStatus.GESTOPT}),
    TrajectStatus.AFGESLOTEN: frozenset(),
    TrajectStatus.GESTOPT: frozenset(),
}


def is_agb(value: str) -> bool:
    return len(value) == 8 and value.isdigit()


class PartijSoort(StrEnum):
    GEMEENTE = "gemeente"
    AANBIEDER = "aanbieder"


@dataclass(frozen=True)
class Partij:
    """Who work is for: a gemeente (its code) or an aanbieder (its AGB), optionally one medewerker of it."""

    soort: PartijSoort
    code: str
    medewerker: str = ""

    def __post_init__(self) -> None:
        if self.soort is PartijSoort.GEMEENTE and not is_gemeentecode(self.code):
            raise DomainError(f"gemeentecode {self.code!r} is not 4 digits")
        if self.soort is PartijSoort.AANBIEDER and not is_agb(self.code):
            raise DomainError(f"AGB code {self.code!r} is not 8 digits")


@dataclass(frozen=True)
class Doel:
    omschrijving: str
    domein: str = ""  # a zelfredzaamheidsmatrix domain, when the doel belongs to one

    def __post_init__(self) -> None:
        if not self.omschrijving.strip():
            raise DomainError("a doel needs an omschrijving")


@dataclass(frozen=True)
class Actie:
    omschrijving: str
    door: str = ""  # who acts: the cliënt, the netwerk, the aanbieder, the participatieadviseur
    gereed: bool = False

    def __post_init__(self) -> None:
        if not self.omschrijving.strip():
            raise DomainError("an actie needs an omschrijving")


@dataclass(frozen=True)
class Samenwerkingstraject:
    nummer: str
    onderwerp: str
    gemeentecode: str
    bsn: str
    participatieadviseur: str
    meldingsdatum: date
    startdatum: date
    einddatum: date | None = None
    status: TrajectStatus = TrajectStatus.LOPEND
    aanbieder_agb: str | None = None  # the aanbieder chosen in the POP: it has this traject open
    doelen: tuple[Doel, ...] = ()
    acties: tuple[Actie, ...] = ()
    id: str = field(default_factory=lambda: str(uuid4()))

    def __post_init__(self) -> None:
        if not is_geldig_bsn(self.bsn):
            raise DomainError(f"BSN {self.bsn!r} is not 9 digits passing the 11-proef")
        if not is_gemeentecode(self.gemeentecode):
            raise DomainError(f"gemeentecode {self.gemeentecode!r} is not 4 digits")
        if not self.onderwerp.strip():
            raise DomainError("a samenwerkingstraject needs an onderwerp")
        if not self.participatieadviseur.strip():
            raise DomainError("a samenwerkingstraject needs a participatieadviseur")
        if self.startdatum < self.meldingsdatum:
            raise DomainError(f"startdatum {self.startdatum} lies before the meldingsdatum {self.meldingsdatum}")
        if self.einddatum is not None and self.einddatum < self.startdatum:
            raise DomainError(f"einddatum {self.einddatum} lies before the startdatum {self.startdatum}")
        if self.aanbieder_agb is not None and not is_agb(self.aanbieder_agb):
            raise DomainError(f"AGB code {self.aanbieder_agb!r} is not 8 digits")

    @classmethod
    def uit_melding(
        cls, nummer: str, onderwerp: str, gemeentecode: str, bsn: str, participatieadviseur: str, meldingsdatum: date, vandaag: date
    ) -> Samenwerkingstraject:
        """A melding opens a traject on the day it is registered."""
        if meldingsdatum > vandaag:
            raise DomainError(f"meldingsdatum {meldingsdatum} lies in the future")
        return cls(
            nummer=nummer,
            onderwerp=onderwerp,
            gemeentecode=gemeentecode,
            bsn=bsn,
            participatieadviseur=participatieadviseur,
            meldingsdatum=meldingsdatum,
            startdatum=vandaag,
        )

    @property
    def is_lopend(self) -> bool:
        return self.status is TrajectStatus.LOPEND

    def vereis_lopend(self) -> None:
        if not self.is_lopend:
            raise DomainError(f"samenwerkingstraject {self.nummer} is {self.status}: no more changes")

    def vereis_lopend_voor(self, wat: str, handeling: str) -> None:
        """The specific refusal of work in a closed traject: no `wat` ("taak", "evaluatie") can be
        `handeling` ("made", "changed", "planned", "recorded") in it any more."""
        if not self.is_lopend:
            raise DomainError(f"samenwerkingstraject {self.nummer} is {self.status}: no {wat} can be {handeling} in it any more")

    @property
    def sluitreden(self) -> str:
        """Why the work still open in it vervalt once it is closed: "samenwerkingstraject afgesloten" / "gestopt"."""
        return f"samenwerkingstraject {self.status}"

    def wijzig(
        self,
        onderwerp: str | None = None,
        einddatum: date | None = None,
        doelen: tuple[Doel, ...] | None = None,
        acties: tuple[Actie, ...] | None = None,
    ) -> Samenwerkingstraject:
        self.vereis_lopend()
        changes: dict[str, Any] = {}
        if onderwerp is not None:
            changes["onderwerp"] = onderwerp
        if einddatum is not None:
            changes["einddatum"] = einddatum
        if doelen is not None:
            changes["doelen"] = doelen
        if acties is not None:
            changes["acties"] = acties
        if not changes:
            raise DomainError("nothing to change: give onderwerp, einddatum, doelen or acties")
        return replace(self, **changes)

    def naar(self, status: TrajectStatus, vandaag: date) -> Samenwerkingstraject:
        if status not in ALLOWED_STATUS_CHANGES[self.status]:
            raise DomainError(f"a samenwerkingstraject cannot go from {self.status} to {status}")
        return replace(self, status=status, einddatum=self.einddatum if self.einddatum and self.einddatum <= vandaag else vandaag)

    def open_voor(self, agb: str) -> Samenwerkingstraject:
        """The aanbieder chosen in the POP gets this traject open (and the one before loses it)."""
        self.vereis_lopend()
        return replace(self, aanbieder_agb=agb)


def traject_nummer(gemeentecode: str, jaar: int, volgnummer: int) -> str:
    """The number a traject is known by: gemeente, year of the melding, a serial number per both."""
    return f"{gemeentecode}-{jaar}-{volgnummer:05d}"


class SignaalSoort(StrEnum):
    PARTICIPATIEADVISEUR = "participatieadviseur"  # POP opstellen and overdragen (4 weeks)
    AANBIEDER = "aanbieder"  # POP aanvullen and laten ondertekenen (2 weeks)
    BESLUIT = "besluit"  # besluit op de aanvraag (2 weeks)
    EVALUATIE = "evaluatie"  # evaluatie by the aanbieder
    TAAK = "taak"  # a taak with an einddatum
    HERINDICATIE = "herindicatie"  # a beschikt product ends: herindicatie to be asked for (domain/herindicatie.py)


@dataclass(frozen=True)
class BeschikkingProduct:
    """What a signal about a beschikking is about: one product (`sleutel@ingangsdatum`) of it."""

    gemeentecode: str
    beschikkingnummer: str
    product: str


@dataclass(frozen=True)
class Signaal:
    """Work with a deadline, shown to the party that must act until it is afgehandeld; about a
    traject, or (the herindicatie signal) about a product of a beschikking."""

    traject_id: str | None
    soort: SignaalSoort
    partij: Partij
    deadline: date
    bron_id: str | None = None  # the taak or evaluatie it is about
    afgehandeld_op: date | None = None
    beschikking: BeschikkingProduct | None = None
    id: str = field(default_factory=lambda: str(uuid4()))

    def __post_init__(self) -> None:
        if (self.traject_id is None) == (self.beschikking is None):
            raise DomainError("a signaal is about a samenwerkingstraject or about a beschikking, and not both")


# The facts this part publishes (subjects of the INDICATIE stream). No names or addresses travel.
MELDING_ONTVANGEN = "indicatie.melding.ontvangen"
TRAJECT_GEWIJZIGD = "indicatie.traject.gewijzigd"
TRAJECT_AFGESLOTEN = "indicatie.traject.afgesloten"
TRAJECT_GESTOPT = "indicatie.traject.gestopt"
TAAK_AANGEMAAKT = "indicatie.traject.taak_aangemaakt"
TAAK_GEWIJZIGD = "indicatie.traject.taak_gewijzigd"
TAAK_VERVALLEN = "indicatie.traject.taak_vervallen"  # the traject was closed while the taak was open
POP_OVERGEDRAGEN = "indicatie.pop.overgedragen"
POP_AANGEVULD = "indicatie.pop.aangevuld"
POP_TERUGGEGEVEN = "indicatie.pop.teruggegeven"
POP_ONDERTEKEND = "indicatie.pop.ondertekend"
POP_BESLOTEN = "indicatie.pop.besloten"
EVALUATIE_GEPLAND = "indicatie.traject.evaluatie_gepland"
EVALUATIE_UITGEVOERD = "indicatie.traject.evaluatie_uitgevoerd"
EVALUATIE_VERVALLEN = "indicatie.traject.evaluatie_vervallen"  # the traject was closed before it was held
SIGNAAL_AANGEMAAKT = "indicatie.signaal.aangemaakt"
SIGNAAL_AFGEHANDELD = "indicatie.signaal.afgehandeld"
SIGNAAL_VERLOPEN = "indicatie.signaal.verlopen"  # once per signal, after its deadline passed (adapters/verlopen.py)


def traject_feit(traject: Samenwerkingstraject, **extra: Any) -> dict[str, Any]:
    return {
        "traject_id": traject.id,
        "nummer": traject.nummer,
        "gemeentecode": traject.gemeentecode,
        "bsn": traject.bsn,
        "status": traject.status.value,
        "aanbieder_agb": traject.aanbieder_agb,
        **extra,
    }


def signaal_feit(signaal: Signaal) -> dict[str, Any]:
    return {
        "signaal_id": signaal.id,
        "traject_id": signaal.traject_id,
        "soort": signaal.soort.value,
        "partij": signaal.partij.soort.value,
        "code": signaal.partij.code,
        "medewerker": signaal.partij.medewerker,
        "deadline": signaal.deadline.isoformat(),
        "bron_id": signaal.bron_id,
        "gemeentecode": signaal.beschikking.gemeentecode if signaal.beschikking else None,
        "beschikkingnummer": signaal.beschikking.beschikkingnummer if signaal.beschikking else None,
        "product": signaal.beschikking.product if signaal.beschikking else None,
    }
