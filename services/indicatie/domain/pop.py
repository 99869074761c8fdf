"""The persoonlijk ondersteuningsplan (POP) of a samenwerkingstraject.

The steps, each by its own party:

1. concept — the participatieadviseur fills it in partly with the cliënt: the zelfredzaamheidsmatrix
   (a score 1–5 per domain), the profiel, the pakket and the chosen aanbieder (AGB);
2. bij_aanbieder — the participatieadviseur hands profiel and pakket to that aanbieder, which from
   then on has the traject open;
3. aangevuld — the aanbieder completes inzet and activiteiten with the cliënt;
   teruggegeven — instead, the aanbieder may return the POP to the participatieadviseur with a
   reden (before the cliënt signs: from bij_aanbieder or aangevuld); the participatieadviseur
   adjusts its part (`vul_in`) and hands it over again (`draag_over`), to the same or another
   aanbieder; the aanbieder then completes it anew;
4. ondertekend — the cliënt's signature makes the POP the official aanvraag;
5. toegekend or afgewezen — the gemeente's besluit on the aanvraag.

Before the besluit a POP may vervallen (the cliënt chooses otherwise); a toegekend POP is beëindigd
when its profiel ends. No stacking: a traject has at most one active POP, and so one active profiel
for its cliënt; another can start only when the active one has vervallen, been afgewezen or ended.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from uuid import uuid4

from indicatie.domain.traject import is_agb
from runtime.errors import DomainError


class PopStatus(StrEnum):
    CONCEPT = "concept"
    BIJ_AANBIEDER = "bij_aanbieder"
    AANGEVULD = "aangevuld"
    TERUGGEGEVEN = "teruggegeven"
    ONDERTEKEND = "ondertekend"
    TOEGEKEND = "toegekend"
    AFGEWEZEN = "afgewezen"
    VERVALLEN = "vervallen"
    BEEINDIGD = "beeindigd"


ALLOWED_STATUS_CHANGES: dict[PopStatus, frozenset[PopStatus]] = {
    PopStatus.CONCEPT: frozenset({PopStatus.BIJ_AANBIEDER, PopStatus.VERVALLEN}),
    PopStatus.BIJ_AANBIEDER: frozenset({PopStatus.AANGEVULD, PopStatus.TERUGGEGEVEN, PopStatus.VERVALLEN}),
    PopStatus.AANGEVULD: frozenset({PopStatus.ONDERTEKEND, PopStatus.TERUGGEGEVEN, PopStatus.VERVALLEN}),
    PopStatus.TERUGGEGEVEN: frozenset({PopStatus.BIJ_AANBIEDER, PopStatus.VERVALLEN}),
    PopStatus.ONDERTEKEND: frozenset({PopStatus.TOEGEKEND, PopStatus.AFGEWEZEN}),
    PopStatus.TOEGEKEND: frozenset({PopStatus.BEEINDIGD}),
    PopStatus.AFGEWEZEN: frozenset(),
    PopStatus.VERVALLEN: frozenset(),
    PopStatus.BEEINDIGD: frozenset(),
}
# a POP in one of these holds the cliënt's one active profiel in the traject
ACTIEF = frozenset(
    {PopStatus.CONCEPT, PopStatus.BIJ_AANBIEDER, PopStatus.AANGEVULD, PopStatus.TERUGGEGEVEN, PopStatus.ONDERTEKEND, PopStatus.TOEGEKEND}
)
# the participatieadviseur's part can change in these
BIJ_PARTICIPATIEADVISEUR = frozenset({PopStatus.CONCEPT, PopStatus.TERUGGEGEVEN})

# The domains of the zelfredzaamheidsmatrix (ZRM 2017); a score from 1 (acute problematiek) to 5 (volledig zelfredzaam).
ZRM_DOMEINEN = (
    "financien",
    "werk_en_opleiding",
    "tijdsbesteding",
    "huisvesting",
    "huiselijke_relaties",
    "geestelijke_gezondheid",
    "lichamelijke_gezondheid",
    "middelengebruik",
    "basale_adl",
    "instrumentele_adl",
    "sociaal_netwerk",
    "maatschappelijke_participatie",
    "justitie",
)


@dataclass(frozen=True)
class ZrmScore:
    domein: str
    score: int
    toelichting: str = ""

    def __post_init__(self) -> None:
        if self.domein not in ZRM_DOMEINEN:
            raise DomainError(f"{self.domein!r} is not a zelfredzaamheidsmatrix domain ({', '.join(ZRM_DOMEINEN)})")
        if not 1 <= self.score <= 5:
            raise DomainError(f"the score for {self.domein} is {self.score}; the zelfredzaamheidsmatrix scores 1 to 5")


@dataclass(frozen=True)
class Pop:
    traject_id: str
    opgesteld_door: str
    termijn_start: date  # the day the 8 weeks to the besluit run from (the melding, for the first POP)
    status: PopStatus = PopStatus.CONCEPT
    zrm: tuple[ZrmScore, ...] = ()
    profiel: str = ""
    pakket: str = ""
    aanbieder_agb: str | None = None
    inzet: str = ""
    activiteiten: tuple[str, ...] = ()
    overgedragen_op: date | None = None
    aangevuld_op: date | None = None
    ondertekend_op: date | None = None
    ondertekend_door: str = ""
    besloten_op: date | None = None
    besluit_toelichting: str = ""
    teruggegeven_op: date | None = None  # the latest return by the aanbieder
    teruggave_reden: str = ""
    id: str = field(default_factory=lambda: str(uuid4()))

    def __post_init__(self) -> None:
        domeinen = [s.domein for s in self.zrm]
        dubbel = sorted({d for d in domeinen if domeinen.count(d) > 1})
        if dubbel:
            raise DomainError(f"the zelfredzaamheidsmatrix scores each domain once; twice: {', '.join(dubbel)}")
        if self.aanbieder_agb is not None and not is_agb(self.aanbieder_agb):
            raise DomainError(f"AGB code {self.aanbieder_agb!r} is not 8 digits")

    @property
    def is_actief(self) -> bool:
        return self.status in ACTIEF

    def _naar(self, status: PopStatus) -> None:
        if status not in ALLOWED_STATUS_CHANGES[self.status]:
            raise DomainError(f"a POP cannot go from {self.status} to {status}")

    def vul_in(self, zrm: tuple[ZrmScore, ...], profiel: str, pakket: str, aanbieder_agb: str | None) -> Pop:
        """The participatieadviseur's part, with the cliënt; only while the POP is a concept or teruggegeven."""
        if self.status not in BIJ_PARTICIPATIEADVISEUR:
            raise DomainError(
                f"the POP is {self.status}: the participatieadviseur's part can change only in a concept or a POP teruggegeven by the aanbieder"
            )
        return replace(self, zrm=zrm, profiel=profiel.strip(), pakket=pakket.strip(), aanbieder_agb=aanbieder_agb or None)

    def draag_over(self, op: date) -> Pop:
        """Hands profiel and pakket to the chosen aanbieder."""
        self._naar(PopStatus.BIJ_AANBIEDER)
        ontbreekt = [naam for naam, waarde in (("zelfredzaamheidsmatrix", self.zrm), ("profiel", self.profiel), ("pakket", self.pakket), ("aanbieder", self.aanbieder_agb)) if not waarde]
        if ontbreekt:
            raise DomainError(f"the POP cannot go to the aanbieder without: {', '.join(ontbreekt)}")
        if op < self.termijn_start:
            raise DomainError(f"overdracht ({op}) cannot lie before the melding ({self.termijn_start})")
        if self.teruggegeven_op and op < self.teruggegeven_op:
            raise DomainError(f"overdracht ({op}) cannot lie before the POP was teruggegeven ({self.teruggegeven_op})")
        # after a teruggave the aanbieder's earlier inzet stays as a draft; it must complete the POP again (vul_aan)
        return replace(self, status=PopStatus.BIJ_AANBIEDER, overgedragen_op=op)

    def geef_terug(self, reden: str, op: date) -> Pop:
        """The aanbieder returns the POP to the participatieadviseur (before the cliënt signs), with its reden."""
        self._naar(PopStatus.TERUGGEGEVEN)
        if not reden.strip():
            raise DomainError("the aanbieder returns the POP with a reden (what the participatieadviseur should adjust)")
        if len(reden) > 2000:
            raise DomainError("the reden of the teruggave is longer than 2000 characters")
        if self.overgedragen_op and op < self.overgedragen_op:
            raise DomainError(f"the POP cannot be teruggegeven ({op}) before it was handed over ({self.overgedragen_op})")
        return replace(self, status=PopStatus.TERUGGEGEVEN, teruggegeven_op=op, teruggave_reden=reden.strip())

    def vul_aan(self, inzet: str, activiteiten: tuple[str, ...], op: date) -> Pop:
        """The aanbieder's part: inzet and activiteiten."""
        self._naar(PopStatus.AANGEVULD)
        activiteiten = tuple(a.strip() for a in activiteiten if a.strip())
        if not inzet.strip():
            raise DomainError("the aanbieder completes the POP with its inzet")
        if not activiteiten:
            raise DomainError("the aanbieder completes the POP with at least one activiteit")
        return replace(self, status=PopStatus.AANGEVULD, inzet=inzet.strip(), activiteiten=activiteiten, aangevuld_op=op)

    def onderteken(self, door: str, op: date, vandaag: date) -> Pop:
        """The cliënt's (or wettelijk vertegenwoordiger's) signature: from now on the POP is the aanvraag."""
        self._naar(PopStatus.ONDERTEKEND)
        if not door.strip():
            raise DomainError("a signature records who signed (the cliënt or the wettelijk vertegenwoordiger)")
        if op > vandaag:
            raise DomainError(f"the signature's date {op} lies in the future")
        if self.aangevuld_op and op < self.aangevuld_op:
            raise DomainError(f"the POP cannot be signed ({op}) before the aanbieder completed it ({self.aangevuld_op})")
        return replace(self, status=PopStatus.ONDERTEKEND, ondertekend_door=door.strip(), ondertekend_op=op)

    def besluit(self, toegekend: bool, op: date, toelichting: str) -> Pop:
        """The gemeente's besluit on the aanvraag; an afwijzing is always motivated."""
        status = PopStatus.TOEGEKEND if toegekend else PopStatus.AFGEWEZEN
        self._naar(status)
        if not toegekend and not toelichting.strip():
            raise DomainError("an afwijzing needs its motivering (toelichting)")
        if self.ondertekend_op and op < self.ondertekend_op:
            raise DomainError(f"the besluit ({op}) cannot lie before the aanvraag ({self.ondertekend_op})")
        return replace(self, status=status, besloten_op=op, besluit_toelichting=toelichting.strip())

    def beeindig(self) -> Pop:
        """Ends the active POP: vervallen before a besluit, beëindigd after a toekenning."""
        self._naar(PopStatus.BEEINDIGD if self.status is PopStatus.TOEGEKEND else PopStatus.VERVALLEN)
        return replace(self, status=PopStatus.BEEINDIGD if self.status is PopStatus.TOEGEKEND else PopStatus.VERVALLEN)


def nieuwe_pop(bestaande: Iterable[Pop], traject_id: str, opgesteld_door: str, termijn_start: date) -> Pop:
    """A new concept POP — refused while the traject has an active one (no stacking of profielen)."""
    actief = [p for p in bestaande if p.is_actief]
    if actief:
        p = actief[0]
        raise DomainError(
            f"the traject already has an active POP ({p.status}{', profiel ' + repr(p.profiel) if p.profiel else ''}): "
            "no stacking of profielen; end it before starting another"
        )
    return Pop(traject_id=traject_id, opgesteld_door=opgesteld_door, termijn_start=termijn_start)
