"""The portal's built-in users: who may log in with a wachtwoord, in which role, for which party.

Each user is bound to gemeentecode(s) or to one AGB code, exactly like a `Tenant`; every page call
acts as that tenant. Wachtwoorden are stored as scrypt hashes (`edge.auth.hash_secret`). The
built-in login exists for local use (ZK_ENV=development) and for a deployment that configures
ZK_PORTAL_USERS_FILE on purpose; production logs in with OIDC (`edge.oidc`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from edge.auth import verify_secret
from runtime.tenancy import Role, Tenant

ROL_NAMEN = {
    Role.GEMEENTE_CONSULENT: "Consulent",
    Role.CONTRACTMANAGER: "Contractmanager",
    Role.FINANCIEEL_MEDEWERKER: "Financieel medewerker",
    Role.REGIONAAL_BACKOFFICE: "Regionaal backoffice",
    Role.AANBIEDER_MEDEWERKER: "Medewerker zorgaanbieder",
    Role.BEHEERDER: "Beheerder",
}


@dataclass(frozen=True)
class PortalUser:
    gebruikersnaam: str
    naam: str
    rol: Role
    wachtwoord_hash: str = ""  # empty for a user who logged in with OIDC
    gemeentecodes: tuple[str, ...] = ()
    agb: str | None = None
    bron: str = "ingebouwd"  # 'ingebouwd' (ZK_PORTAL_USERS_FILE) or 'oidc'

    def tenant(self) -> Tenant:
        subject = f"portal:{self.gebruikersnaam}"
        if self.agb:
            return Tenant.aanbieder(self.rol, subject, self.agb)
        return Tenant.gemeente(self.rol, subject, self.gemeentecodes)

    @property
    def rolnaam(self) -> str:
        return ROL_NAMEN.get(self.rol, self.rol.value)

    @property
    def partij(self) -> str:
        return f"AGB {self.agb}" if self.agb else "gemeente " + ", ".join(self.gemeentecodes)


def load_portal_users(path: str) -> dict[str, PortalUser]:
    """The users of ZK_PORTAL_USERS_FILE (a JSON list); none when the setting is empty."""
    if not path:
        return {}
    users = {}
    for raw in json.loads(Path(path).read_text(encoding="utf-8")):
        rol = Role(raw["rol"])
        if rol is Role.SYSTEEM:
            raise ValueError(f"portal user {raw['gebruikersnaam']!r}: role systeem is for partner systems and jobs, not people")
        user = PortalUser(
            gebruikersnaam=raw["gebruikersnaam"],
            naam=raw.get("naam", raw["gebruikersnaam"]),
            rol=rol,
            wachtwoord_hash=raw["wachtwoord_hash"],
            gemeentecodes=tuple(raw.get("gemeentecodes") or ()),
            agb=raw.get("agb"),
        )
        user.tenant()  # refuses a user bound to both or neither, or to a malformed code
        users[user.gebruikersnaam] = user
    return users


def authenticate(users: dict[str, PortalUser], gebruikersnaam: str, wachtwoord: str) -> PortalUser | None:
    user = users.get(gebruikersnaam)
    if user is None:
        verify_secret(wachtwoord, _DUMMY_HASH)  # as slow for an unknown name as for a wrong wachtwoord
        return None
    return user if verify_secret(wachtwoord, user.wachtwoord_hash) else None


# a valid scrypt hash of no known wachtwoord (salt and digest of zero bytes)
_DUMMY_HASH = "scrypt$" + "00" * 16 + "$" + "00" * 32
