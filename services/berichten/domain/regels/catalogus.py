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


class Regelset:
    def __init__(self, regels: Iterable[Regel], info: dict[str, RegelInfo]):
        self.regels = tuple(regels)
        self.info = info
        self._per_niveaus: dict[tuple[Controleniveau, ...], list[tuple[Regel, RegelInfo, Controleniveau]]] = {}
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
        """Every finding of the rules of these levels; `index` is a walk of `bericht` made earlier, if any."""
        findings = []
        with geindexeerd(bericht, index):
            for regel, info, niveau in self._van_niveaus(tuple(niveaus)):
                for fout in regel.check(bericht, context):
                    findings.append(Bevinding(regel.code, info.retourcode, niveau, fout.locatie, fout.klasse, fout.melding))
        return findings

    def _van_niveaus(self, niveaus: tuple[Controleniveau, ...]) -> list[tuple[Regel, RegelInfo, Controleniveau]]:
        """The rules of these levels in their order, with their official metadata (worked out once per set of levels)."""
        found = self._per_niveaus.get(niveaus)
        if found is None:
            found = self._per_niveaus[niveaus] = [
                (regel, self.info[regel.code], self.niveau(regel)) for regel in self.regels if self.niveau(regel) in niveaus
            ]
        return found
