"""The fourteen berichtsoorten of iWmo / iJw 3.2: which model class, which heenbericht a retour
answers, and who sends it. The BerichtCode per standard comes from the XSDs (data), not from here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from berichten.domain import model
from runtime.domein import Wet


class Standaard(StrEnum):
    IWMO = "iwmo"
    IJW = "ijw"


# Which standard carries the messages of which wet: iWmo for the Wmo, iJw for the Jeugdwet.
STANDAARD_VAN_WET: dict[Wet, Standaard] = {Wet.WMO: Standaard.IWMO, Wet.JEUGDWET: Standaard.IJW}
WET_VAN_STANDAARD: dict[Standaard, Wet] = {s: w for w, s in STANDAARD_VAN_WET.items()}


class Partij(StrEnum):
    GEMEENTE = "gemeente"
    AANBIEDER = "aanbieder"


@dataclass(frozen=True)
class Berichtsoort:
    soort: str
    naam: str
    model: type
    afzender: Partij  # who sends this berichtsoort
    retour_op: str | None = None  # for a retourbericht: the heenbericht it answers

    @property
    def is_retour(self) -> bool:
        return self.retour_op is not None


_G, _A = Partij.GEMEENTE, Partij.AANBIEDER

BERICHTSOORTEN: dict[str, Berichtsoort] = {
    s.soort: s
    for s in (
        Berichtsoort("301", "Toewijzing", model.ToewijzingBericht, _G),
        Berichtsoort("302", "Retour toewijzing", model.ToewijzingBericht, _A, "301"),
        Berichtsoort("305", "Start zorg", model.StartBericht, _A),
        Berichtsoort("306", "Retour start zorg", model.StartBericht, _G, "305"),
        Berichtsoort("307", "Stop zorg", model.StopBericht, _A),
        Berichtsoort("308", "Retour stop zorg", model.StopBericht, _G, "307"),
        Berichtsoort("315", "Verzoek om toewijzing", model.VerzoekOmToewijzingBericht, _A),
        Berichtsoort("316", "Retour verzoek om toewijzing", model.VerzoekOmToewijzingBericht, _G, "315"),
        Berichtsoort("317", "Verzoek om wijziging", model.VerzoekOmWijzigingBericht, _A),
        Berichtsoort("318", "Retour verzoek om wijziging", model.VerzoekOmWijzigingBericht, _G, "317"),
        Berichtsoort("319", "Antwoordbericht", model.AntwoordBericht, _G),
        Berichtsoort("320", "Retour antwoordbericht", model.AntwoordBericht, _A, "319"),
        Berichtsoort("323", "Declaratie", model.DeclaratieBericht, _A),
        Berichtsoort("325", "Declaratie-antwoord", model.DeclaratieAntwoordBericht, _G),
    )
}

@dataclass(frozen=True)
class Partijen:
    """Who sends and who receives a message: one gemeente and one aanbieder (AGB), in some order."""

    afzender: str
    ontvanger: str
    gemeentecode: str
    agb: str


def partijen(soort: Berichtsoort, afzender: str, ontvanger: str) -> Partijen:
    """The parties of a message from its header. A retour copies its heenbericht's header, so its
    sending party is the header's Ontvanger (IV028)."""
    zender, bestemming = (ontvanger, afzender) if soort.is_retour else (afzender, ontvanger)
    gemeente, agb = (zender, bestemming) if soort.afzender is Partij.GEMEENTE else (bestemming, zender)
    return Partijen(afzender=zender, ontvanger=bestemming, gemeentecode=gemeente, agb=agb)


# Berichtsoorten whose level-3/4 checks belong to a domain service: the hub publishes them and
# answers only when that service has judged them (Berichten.Beoordeel). A 323 is never answered by
# the hub alone: an 8001 without the declaratie service's rechtmatigheidscontrole would grant money
# unchecked. Start, stop and the verzoeken are judged against the toewijzingen by the toewijzing
# service. The other heenberichten (301, 319) are answered on the hub's own checks.
BEOORDEELD_DOOR: dict[str, str] = {"305": "toewijzing", "307": "toewijzing", "315": "toewijzing", "317": "toewijzing", "323": "declaratie"}

# heenbericht -> its retourbericht (the 323 is answered by the 325, which has no retour of its own)
RETOUR_VAN: dict[str, str] = {s.retour_op: s.soort for s in BERICHTSOORTEN.values() if s.retour_op}
