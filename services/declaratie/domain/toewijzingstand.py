"""The declaratie service's own copy of what it needs from the toewijzing service.

The toewijzing service publishes every new version of a toewijzing on `toewijzing.toewijzing.gewijzigd`
and every received or deleted start and stop on `toewijzing.{start|stop}.{ontvangen|verwijderd}`
(toewijzing.domain.events). The declaratie service keeps the latest version of each toewijzing and
the current starts and stops, and judges a 323 against that copy; it never imports the toewijzing
domain (its own model may change without touching the declaratiecontrole).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from runtime.domein import Uitvoeringsvariant, Wet

TOEWIJZING_GEWIJZIGD = "toewijzing.toewijzing.gewijzigd"
START_ONTVANGEN = "toewijzing.start.ontvangen"
START_VERWIJDERD = "toewijzing.start.verwijderd"
STOP_ONTVANGEN = "toewijzing.stop.ontvangen"
STOP_VERWIJDERD = "toewijzing.stop.verwijderd"

START = "start"
STOP = "stop"


def _datum(waarde: str | None) -> date | None:
    return date.fromisoformat(waarde) if waarde else None


@dataclass(frozen=True, slots=True)
class Omvang:
    volume: int
    eenheid: str  # WJ756
    frequentie: str  # WMO757


@dataclass(frozen=True, slots=True)
class ToewijzingKopie:
    """The latest version of one toewijzing as far as the declaratiecontrole needs it."""

    gemeentecode: str
    wet: Wet
    toewijzing_nummer: int
    bsn: str
    agb: str
    categorie: str | None  # None: generieke toewijzing (budget only)
    code: str | None  # None: aspecifiek or generiek
    ingangsdatum: date
    einddatum: date | None
    uitvoeringsvariant: Uitvoeringsvariant
    omvang: Omvang | None = None
    budget: int | None = None  # eurocent
    verwijderd: bool = False  # RedenWijziging 13 (or 01) with Einddatum = Ingangsdatum (TR384)
    versie: int = 1

    @classmethod
    def uit_event(cls, data: dict[str, Any]) -> ToewijzingKopie:
        """From the payload of `toewijzing.toewijzing.gewijzigd`."""
        omvang = data.get("omvang")
        return cls(
            gemeentecode=data["gemeentecode"],
            wet=Wet(data["wet"]),
            toewijzing_nummer=int(data["toewijzing_nummer"]),
            bsn=data["bsn"],
            agb=data["agb"],
            categorie=data.get("categorie"),
            code=data.get("code"),
            ingangsdatum=date.fromisoformat(data["ingangsdatum"]),
            einddatum=_datum(data.get("einddatum")),
            uitvoeringsvariant=Uitvoeringsvariant(data["uitvoeringsvariant"]),
            omvang=Omvang(int(omvang["volume"]), omvang["eenheid"], omvang["frequentie"]) if omvang else None,
            budget=data.get("budget"),
            verwijderd=bool(data.get("verwijderd", False)),
            versie=int(data.get("versie", 1)),
        )

    @property
    def sleutel(self) -> tuple[str, Wet, int]:
        """ToewijzingNummer is unique per gemeente per wettelijk domein (OP275)."""
        return (self.gemeentecode, self.wet, self.toewijzing_nummer)

    def vervangt(self, ander: ToewijzingKopie | None) -> bool:
        """Whether this version replaces `ander` in the copy (events may arrive twice or out of order)."""
        return ander is None or (ander.sleutel == self.sleutel and self.versie > ander.versie)


@dataclass(frozen=True, slots=True)
class LeveringKopie:
    """One received start or stop (305 / 307) of a cliënt at an aanbieder.

    A stop copies the key of its start (ToewijzingNummer, Product, Begindatum; TR382), so the stops
    of a start are found by `start_sleutel`. Deleted ones (`…verwijderd`) are removed from the copy.
    """

    soort: str  # START or STOP
    gemeentecode: str
    wet: Wet
    agb: str
    bsn: str
    toewijzing_nummer: int | None  # None: taakgericht (IV096)
    categorie: str | None
    code: str | None
    begindatum: date
    einddatum: date | None = None  # stop only
    reden_beeindiging: str | None = None  # stop only; 20 = tijdelijk beëindigd
    bericht_id: str | None = None

    @classmethod
    def uit_event(cls, data: dict[str, Any]) -> LeveringKopie:
        """From the payload of `toewijzing.start.*` or `toewijzing.stop.*` (a stop carries an einddatum)."""
        nummer = data.get("toewijzing_nummer")
        return cls(
            soort=STOP if data.get("einddatum") else START,
            gemeentecode=data["gemeentecode"],
            wet=Wet(data["wet"]),
            agb=data["agb"],
            bsn=data["bsn"],
            toewijzing_nummer=int(nummer) if nummer is not None else None,
            categorie=data.get("categorie"),
            code=data.get("code"),
            begindatum=date.fromisoformat(data["begindatum"]),
            einddatum=_datum(data.get("einddatum")),
            reden_beeindiging=data.get("reden_beeindiging"),
            bericht_id=data.get("bericht_id"),
        )

    @property
    def start_sleutel(self) -> tuple[int | None, str | None, str | None, date]:
        return (self.toewijzing_nummer, self.categorie, self.code, self.begindatum)

    @property
    def is_tijdelijk(self) -> bool:
        return self.reden_beeindiging == "20"
