"""The Client (cliënt) of a gemeente, identified by BSN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from runtime.errors import DomainError


def is_geldig_bsn(value: str) -> bool:
    """The 11-proef: 9 digits d1..d9 with 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11 (and not 0)."""
    if len(value) != 9 or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    total = sum(weight * d for weight, d in zip(range(9, 1, -1), digits[:8])) - digits[8]
    return total % 11 == 0 and value != "000000000"


def is_gemeentecode(value: str) -> bool:
    return len(value) == 4 and value.isdigit()


class ClientStatus(StrEnum):
    ACTIEF = "actief"
    VERHUISD = "verhuisd"  # moved out of the gemeente (BRP-mutatie)
    OVERLEDEN = "overleden"  # BRP-mutatie


class Geslacht(StrEnum):
    """COD046 Geslacht."""

    ONBEKEND = "0"
    MAN = "1"
    VROUW = "2"


@dataclass(frozen=True)
class Client:
    bsn: str
    gemeentecode: str
    geslachtsnaam: str
    voorletters: str
    geboortedatum: date
    geslacht: Geslacht
    voorvoegsel: str = ""
    postcode: str = ""
    huisnummer: str = ""
    status: ClientStatus = ClientStatus.ACTIEF

    def __post_init__(self) -> None:
        if not is_geldig_bsn(self.bsn):
            raise DomainError(f"BSN {self.bsn!r} is not 9 digits passing the 11-proef")
        if not is_gemeentecode(self.gemeentecode):
            raise DomainError(f"gemeentecode {self.gemeentecode!r} is not 4 digits")
        if not self.geslachtsnaam.strip():
            raise DomainError("geslachtsnaam is required")
        if self.geboortedatum > date.today():
            raise DomainError("geboortedatum lies in the future")
        if self.postcode and not (len(self.postcode) == 6 and self.postcode[:4].isdigit() and self.postcode[4:].isalpha()):
            raise DomainError(f"postcode {self.postcode!r} is not 4 digits and 2 letters")
