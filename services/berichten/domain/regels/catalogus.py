"""The rules in force and their official metadata; running them over a message.

`Regelset.controleer` runs every rule of the given controleniveaus and returns each finding with
the rule's official retourcode. Which rules exist is the union of the implemented `Regel`s; what
each one is called, at which level it is checked and which retourcode it gives comes from the
official export (see berichten.adapters.regels).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from berichten.domain.model import Bericht
from berichten.domain.regels.regel import Context, Index, Regel, geindexeerd


class Controleniveau(IntEnum):
    """IV028: the four levels at which a message is checked."""

    BERICHTFORMAAT = 1  # XSD
    BERICHTINHOUD = 2  # inside one message (the official XSLT)
    BERICHTOVERSTIJGEND = 3  # against earlier messages
    EXTERNE_BRON = 4  # against external data: system date, gemeente list, contracts


@dataclass(frozen=True)
class RegelInfo:
    code: str
    titel: str
    retourcode: str
    niveau: Controleniveau | None


@dataclass(frozen=True)
class Bevinding:
    """A finding: rule, retourcode, where, which class, and why."""

    regel: str
    retourcode: str
    niveau: Controleniveau
    locatie: str
    klasse: str
    melding: str


class RegelError(LookupError):
    pass


Gepland = tuple[Regel, RegelInfo, Controleniveau]  # a rule to run, with its official metadata and level


class Regelset:
    def __init__(self, regels: Iterable[Regel], info: dict[str, RegelInfo]):
        self.regels = tuple(regels)
        self.info = info
        self._plannen: dict[tuple[tuple[Controleniveau, ...], str | None], tuple[Gepland, ...]] = {}
        self._per_soort = any(r.soorten is not None for r in self.regels)  # else the context need not have a soort
        missing = [r.code for r in self.regels if r.code not in info]
        if missing:
            raise RegelError(f"rules not in the official export: {', '.join(missing)}")
        doubles = {r.code for r in self.regels if sum(1 for o in self.regels if o.code == r.code) > 1}
        if doubles:
            raise RegelError(f"rules implemented twice: {', '.join(sorted(doubles))}")

    def niveau(self, regel: Regel) -> Controleniveau:
        niveau = self.info[regel.code].niveau
        if niveau is None:
            raise RegelError(f"{regel.code} has no controleniveau in the export")
        return niveau

    def controleer(
        self, bericht: Bericht, context: Context, niveaus: Sequence[Controleniveau], index: Index | None = None
    ) -> list[Bevinding]:
        """Every finding of the rules of these levels that apply to the message's berichtsoort; `index` is a
        walk of `bericht` made earlier, if any."""
        plan = self.te_draaien(tuple(niveaus), context.soort if self._per_soort else None)
        findings = []
        with geindexeerd(bericht, index):
            for regel, info, niveau in plan:
                for fout in regel.check(bericht, context):
                    findings.append(Bevinding(regel.code, info.retourcode, niveau, fout.locatie, fout.klasse, fout.melding))
        return findings

    def te_draaien(self, niveaus: tuple[Controleniveau, ...], soort: str | None) -> tuple[Gepland, ...]:
        """The rules of these levels that apply to this berichtsoort (None: only those declared for every
        berichtsoort), in their order, with their official metadata — worked out once per levels and soort."""
        key = (niveaus, soort)
        plan = self._plannen.get(key)
        if plan is None:
            plan = self._plannen[key] = tuple(
                (regel, self.info[regel.code], self.niveau(regel))
                for regel in self.regels
                if self.niveau(regel) in niveaus and regel.geldt_voor(soort)
            )
        return plan
