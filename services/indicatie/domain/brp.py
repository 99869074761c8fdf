"""BRP-mutaties: what the Basisregistratie Personen reports about a cliënt, and what it changes here.

A mutatie arrives one at a time (from a BRP koppeling) or in an import (a file of mutaties); each has
the BRP's own `kenmerk`, so a mutatie delivered twice is recorded and published once. Two soorten
change the cliënt's status — overlijden and verhuizing buiten de gemeente — and are published so the
toewijzing service can end toewijzingen with the matching reden (client overleden / verhuizing
naar een andere gemeente). A verhuizing binnen de gemeente only changes the BRP-adres.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from indicatie.domain.client import ADRES_BRP, Adres, Client, ClientStatus, is_gemeentecode
from runtime.errors import DomainError


class BrpMutatieSoort(StrEnum):
    OVERLIJDEN = "overlijden"
    VERHUIZING = "verhuizing"


@dataclass(frozen=True)
class BrpMutatie:
    bsn: str
    gemeentecode: str  # the gemeente whose cliënt this is (the one that receives the mutatie)
    soort: BrpMutatieSoort
    datum: date  # datum overlijden or datum verhuizing
    kenmerk: str  # the BRP's id of this mutatie: the de-duplication key per gemeente
    nieuwe_gemeentecode: str = ""  # verhuizing: the gemeente moved to
    nieuw_adres: Adres | None = None  # verhuizing: the new BRP-adres (required when moving within the gemeente)
    bron: str = "koppeling"  # "koppeling" or "import"

    def __post_init__(self) -> None:
        if not self.kenmerk.strip() or len(self.kenmerk) > 64:
            raise DomainError("a BRP-mutatie needs its kenmerk (1 to 64 characters), so it is never applied twice")
        if self.datum > date.today():
            raise DomainError(f"the {self.soort.value} of a BRP-mutatie cannot lie in the future ({self.datum.isoformat()})")
        if self.soort is BrpMutatieSoort.VERHUIZING:
            if not is_gemeentecode(self.nieuwe_gemeentecode):
                raise DomainError(f"a verhuizing needs the nieuwe gemeentecode (4 digits), not {self.nieuwe_gemeentecode!r}")
            if self.binnen_gemeente and self.nieuw_adres is None:
                raise DomainError("a verhuizing within the gemeente needs the new adres")
        elif self.nieuwe_gemeentecode or self.nieuw_adres is not None:
            raise DomainError("an overlijden carries no nieuwe gemeente or adres")

    @property
    def binnen_gemeente(self) -> bool:
        return self.nieuwe_gemeentecode == self.gemeentecode


def pas_toe(client: Client, mutatie: BrpMutatie) -> Client:
    """The cliënt after the mutatie; refuses a mutatie that does not fit the cliënt's state."""
    if client.bsn != mutatie.bsn or client.gemeentecode != mutatie.gemeentecode:
        raise DomainError("the BRP-mutatie is about another cliënt")
    if client.status is ClientStatus.OVERLEDEN:
        raise DomainError(f"the cliënt is already registered as overleden; a {mutatie.soort.value} cannot follow")
    if mutatie.datum < client.geboortedatum:
        raise DomainError(f"the {mutatie.soort.value} lies before the geboortedatum")
    if mutatie.soort is BrpMutatieSoort.OVERLIJDEN:
        return replace(client, status=ClientStatus.OVERLEDEN)
    if mutatie.binnen_gemeente:
        assert mutatie.nieuw_adres is not None
        adressen = tuple(a for a in client.adressen if a.soort != ADRES_BRP) + (replace(mutatie.nieuw_adres, soort=ADRES_BRP),)
        return replace(client, adressen=adressen, postcode="", huisnummer="", status=ClientStatus.ACTIEF)
    if client.status is ClientStatus.VERHUISD:
        raise DomainError("the cliënt has already moved out of the gemeente")
    return replace(client, status=ClientStatus.VERHUISD)
