"""A Contract version: what a gemeente pays an aanbieder for a product, in a period.

A change of tarief is a new dated version, never an overwrite of the old one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from uuid import uuid4

from runtime.domein import Uitvoeringsvariant, Wet  # noqa: F401  (re-exported for this service)
from runtime.errors import DomainError



_PRODUCTCATEGORIE = re.compile(r"^\d{2}$")
_PRODUCTCODE = re.compile(r"^[0-9A-Z]{1,5}$")


@dataclass(frozen=True)
class Contract:
    gemeentecode: str
    agb: str
    wet: Wet
    productcategorie: str
    productcode: str
    uitvoeringsvariant: Uitvoeringsvariant
    tarief_eurocent: int
    eenheid: str
    begindatum: date
    einddatum: date | None = None
    id: str = field(default_factory=lambda: str(uuid4()))
    # Agreed in the contract: declarations only for care that started (a 305) and was not stopped in the
    # ProductPeriode. Off by default: OP364 forbids rejecting on regieberichten (see controle.ZK001).
    start_stop_verplicht: bool = False
    # Agreed in the contract: a claim of this aanbieder on the toewijslijst for this product is confirmed
    # without waiting for the gemeente (the toewijzing and its 301 follow at once).
    toewijslijst_automatisch: bool = False
    # Agreed in the contract: the voorschot for this product is this estimate per period (eurocent)
    # instead of the toegewezen volume × tarief (afrekening.afspraken_uit_contracten).
    voorschot_per_periode_eurocent: int | None = None

    def __post_init__(self) -> None:
        if not (len(self.gemeentecode) == 4 and self.gemeentecode.isdigit()):
            raise DomainError(f"gemeentecode {self.gemeentecode!r} is not 4 digits")
        if not (len(self.agb) == 8 and self.agb.isdigit()):
            raise DomainError(f"AGB code {self.agb!r} is not 8 digits")
        if not _PRODUCTCATEGORIE.match(self.productcategorie):
            raise DomainError(f"productcategorie {self.productcategorie!r} is not 2 digits")
        if not _PRODUCTCODE.match(self.productcode):
            raise DomainError(f"productcode {self.productcode!r} is not 1-5 digits or capitals")
        if self.uitvoeringsvariant is not Uitvoeringsvariant.TAAKGERICHT and self.tarief_eurocent <= 0:
            raise DomainError("a tarief in eurocent above 0 is required (except for taakgericht contracts)")
        if self.tarief_eurocent < 0:
            raise DomainError("tarief cannot be negative")
        if not (len(self.eenheid) == 2 and self.eenheid.isdigit()):
            raise DomainError(f"eenheid {self.eenheid!r} is not a 2-digit code")
        if self.einddatum is not None and self.einddatum < self.begindatum:
            raise DomainError("einddatum lies before begindatum")
        if self.voorschot_per_periode_eurocent is not None and self.voorschot_per_periode_eurocent < 0:
            raise DomainError("an agreed voorschot per period cannot be negative")

    def geldt_op(self, datum: date) -> bool:
        return self.begindatum <= datum and (self.einddatum is None or datum <= self.einddatum)
