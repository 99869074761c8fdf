"""The Client (cliënt) of a gemeente, identified by BSN: naam, geboortedatum, adressen, contact and
wettelijke vertegenwoordiging, as the i-Standaard's Client class carries them.

The shape of each value is checked here; whether a code (Soort adres, DatumGebruik, Land,
Wettelijke vertegenwoordiging) is in its dated code list is checked by `codes_gebreken()` against
the lists the caller loaded, so no list is copied into Python. `naw_gebreken()` says why a cliënt's
NAW is not complete enough for a beschikking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

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


# COD757 Soort adres: the values the rules below speak of (TR061: a cliënt needs one of the first three).
ADRES_BRP = "01"
ADRES_CORRESPONDENTIE = "02"
ADRES_VERBLIJF = "03"
WOONADRES_VOORKEUR = (ADRES_BRP, ADRES_VERBLIJF, ADRES_CORRESPONDENTIE)
POSTADRES_VOORKEUR = (ADRES_CORRESPONDENTIE, ADRES_BRP, ADRES_VERBLIJF)
NEDERLAND = "NL"  # COD032: Dutch postcode rules apply only to Dutch addresses

_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
_TELEFOON = re.compile(r"^\+?[0-9][0-9 -]{1,14}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Codelijsten(Protocol):
    """What the checks need of berichten's Codelijsten: get(naam) with geldig(code, op)."""

    def get(self, naam: str): ...  # type: ignore[no-untyped-def]


def normaliseer_postcode(value: str) -> str:
    return value.replace(" ", "").upper()


@dataclass(frozen=True)
class Adres:
    """An Adres of the cliënt; `soort` is a COD757 code and a cliënt has at most one of each soort."""

    soort: str
    postcode: str = ""
    huisnummer: int | None = None
    huisletter: str = ""
    huisnummertoevoeging: str = ""
    straatnaam: str = ""
    plaatsnaam: str = ""
    land: str = NEDERLAND

    def __post_init__(self) -> None:
        object.__setattr__(self, "postcode", normaliseer_postcode(self.postcode))
        if self.land == NEDERLAND and self.postcode and not _POSTCODE.match(self.postcode):
            raise DomainError(f"postcode {self.postcode!r} is not 4 digits (not starting with 0) and 2 letters")
        if self.huisnummer is not None and not 0 <= self.huisnummer <= 99999:
            raise DomainError(f"huisnummer {self.huisnummer} is not a number from 0 to 99999")
        if len(self.huisletter) > 1 or (self.huisletter and not self.huisletter.isalpha()):
            raise DomainError(f"huisletter {self.huisletter!r} is not one letter")
        if len(self.huisnummertoevoeging) > 4:
            raise DomainError(f"huisnummertoevoeging {self.huisnummertoevoeging!r} is longer than 4 characters")
        if len(self.straatnaam) > 24:
            raise DomainError(f"straatnaam {self.straatnaam!r} is longer than 24 characters (LDT_Straatnaam)")
        if len(self.plaatsnaam) > 80:
            raise DomainError("plaatsnaam is longer than 80 characters")

    @property
    def volledig(self) -> bool:
        """Straat, huisnummer and plaats; for a Dutch address also the postcode (CD005/TR006)."""
        return bool(self.straatnaam and self.huisnummer is not None and self.plaatsnaam and (self.postcode or self.land != NEDERLAND))

    def regels(self) -> list[str]:
        huis = f"{self.huisnummer if self.huisnummer is not None else ''}{self.huisletter}"
        if self.huisnummertoevoeging:
            huis += f"-{self.huisnummertoevoeging}"
        postcode = f"{self.postcode[:4]} {self.postcode[4:]}" if len(self.postcode) == 6 else self.postcode
        return [f"{self.straatnaam} {huis}".strip(), f"{postcode}  {self.plaatsnaam}".strip()]


@dataclass(frozen=True)
class Contact:
    """Telefoon and e-mailadres of the cliënt (Communicatie/Contactgegevens)."""

    telefoon: str = ""
    emailadres: str = ""

    def __post_init__(self) -> None:
        if self.telefoon and not _TELEFOON.match(self.telefoon):
            raise DomainError(f"telefoon {self.telefoon!r} is not a telephone number of at most 15 digits, spaces or dashes")
        if self.emailadres and (len(self.emailadres) > 80 or not _EMAIL.match(self.emailadres)):
            raise DomainError(f"emailadres {self.emailadres!r} is not an e-mail address of at most 80 characters")


@dataclass(frozen=True)
class WettelijkeVertegenwoordiging:
    """Who legally represents the cliënt: `soort` is a WJ003 code, with the representative's naam and contact."""

    soort: str
    naam: str
    contact: Contact = field(default_factory=Contact)

    def __post_init__(self) -> None:
        if not self.soort:
            raise DomainError("wettelijke vertegenwoordiging needs its soort (codelijst WJ003)")
        if not self.naam.strip():
            raise DomainError("wettelijke vertegenwoordiging needs the naam of the vertegenwoordiger")


@dataclass(frozen=True)
class Client:
    bsn: str
    gemeentecode: str
    geslachtsnaam: str
    voorletters: str
    geboortedatum: date
    geslacht: Geslacht
    voorvoegsel: str = ""
    # The short form of the woonadres (older callers give only these); kept equal to the woonadres.
    postcode: str = ""
    huisnummer: str = ""
    status: ClientStatus = ClientStatus.ACTIEF
    # COD170, empty when the geboortedatum is fully known (TR002: unknown = 1900-01-01 with code 3)
    datum_gebruik: str = ""
    adressen: tuple[Adres, ...] = ()
    contact: Contact = field(default_factory=Contact)
    wettelijke_vertegenwoordiging: WettelijkeVertegenwoordiging | None = None

    def __post_init__(self) -> None:
        if not is_geldig_bsn(self.bsn):
            raise DomainError(f"BSN {self.bsn!r} is not 9 digits passing the 11-proef")
        if not is_gemeentecode(self.gemeentecode):
            raise DomainError(f"gemeentecode {self.gemeentecode!r} is not 4 digits")
        if not self.geslachtsnaam.strip():
            raise DomainError("geslachtsnaam is required")
        if self.geboortedatum > date.today():
            raise DomainError("geboortedatum lies in the future")
        object.__setattr__(self, "postcode", normaliseer_postcode(self.postcode))
        if self.postcode and not (len(self.postcode) == 6 and self.postcode[:4].isdigit() and self.postcode[4:].isalpha()):
            raise DomainError(f"postcode {self.postcode!r} is not 4 digits and 2 letters")
        soorten = [a.soort for a in self.adressen]
        dubbel = sorted({s for s in soorten if soorten.count(s) > 1})
        if dubbel:
            raise DomainError(f"a cliënt has one adres per soort; soort {', '.join(dubbel)} occurs more than once")
        object.__setattr__(self, "adressen", tuple(sorted(self.adressen, key=lambda a: a.soort)))
        if not self.adressen and (self.postcode or self.huisnummer):
            object.__setattr__(self, "adressen", (Adres(ADRES_BRP, postcode=self.postcode, huisnummer=_huisnummer(self.huisnummer)),))
        woon = self.woonadres
        if woon is not None:
            object.__setattr__(self, "postcode", woon.postcode)
            object.__setattr__(self, "huisnummer", "" if woon.huisnummer is None else str(woon.huisnummer))

    def adres(self, soort: str) -> Adres | None:
        return next((a for a in self.adressen if a.soort == soort), None)

    @property
    def woonadres(self) -> Adres | None:
        """Where the cliënt lives: the BRP-adres, else the verblijf- or correspondentieadres."""
        return next((a for s in WOONADRES_VOORKEUR if (a := self.adres(s)) is not None), None)

    @property
    def postadres(self) -> Adres | None:
        """Where letters go: the correspondentieadres, else the woonadres."""
        return next((a for s in POSTADRES_VOORKEUR if (a := self.adres(s)) is not None), None)

    @property
    def naam(self) -> str:
        return " ".join(part for part in (self.voorletters, self.voorvoegsel, self.geslachtsnaam) if part)


def _huisnummer(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise DomainError(f"huisnummer {value!r} is not a number")
    return int(value)


def codes_gebreken(client: Client, codelijsten: Codelijsten, op: date) -> list[str]:
    """The codes of `client` that are not valid on `op` in their code list."""
    gebreken = []

    def check(lijst: str, code: str, wat: str) -> None:
        if code and not codelijsten.get(lijst).geldig(code, op):
            gebreken.append(f"{wat} {code!r} is not a valid code of {lijst} on {op.isoformat()}")

    check("COD170", client.datum_gebruik, "datum_gebruik")
    for adres in client.adressen:
        check("COD757", adres.soort, "soort adres")
        check("COD032", adres.land, "land")
    if client.wettelijke_vertegenwoordiging is not None:
        check("WJ003", client.wettelijke_vertegenwoordiging.soort, "wettelijke vertegenwoordiging")
    check("LDT_Gemeente", client.gemeentecode, "gemeentecode")
    return gebreken


def controleer_codes(client: Client, codelijsten: Codelijsten, op: date) -> None:
    gebreken = codes_gebreken(client, codelijsten, op)
    if gebreken:
        raise DomainError("; ".join(gebreken))


def naw_gebreken(client: Client) -> list[str]:
    """Why the cliënt's naam, adres and woonplaats are not complete enough to decide on (empty: complete)."""
    gebreken = []
    if client.status is not ClientStatus.ACTIEF:
        gebreken.append(f"the cliënt is {client.status.value} (BRP)")
    if not client.voorletters.strip():
        gebreken.append("voorletters are missing")
    woon = client.woonadres
    if woon is None:
        gebreken.append("the cliënt has no BRP-, verblijf- or correspondentieadres (TR061)")
    elif not woon.volledig:
        ontbreekt = [
            naam
            for naam, waarde in (("straatnaam", woon.straatnaam), ("huisnummer", woon.huisnummer), ("postcode", woon.postcode or woon.land != NEDERLAND), ("plaatsnaam", woon.plaatsnaam))
            if waarde in ("", None, False)
        ]
        gebreken.append(f"the woonadres lacks {', '.join(ontbreekt)}")
    return gebreken
