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
from berichten.domain.regels.regel import Context, Regel, geindexeerd


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


class Regelset:
    def __init__(self, regels: Iterable[Regel], info: dict[str, RegelInfo]):
        self.regels = tuple(regels)
        self.info = info
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

    def controleer(self, bericht: Bericht, context: Context, niveaus: Sequence[Controleniveau]) -> list[Bevinding]:
        findings = []
        with geindexeerd(bericht):
            for regel in self.regels:
                niveau = self.niveau(regel)
                if niveau not in niveaus:
                    continue
                info = self.info[regel.code]
                for fout in regel(bericht, context):
                    findings.append(Bevinding(regel.code, info.retourcode, niveau, fout.locatie, fout.klasse, fout.melding))
        return findings
