"""The demo region's portal users: one per role, bound to a demo gemeente or aanbieder.

Development only: the wachtwoorden are predictable (`demo-<gebruikersnaam>`) so the banner and the
README can list them; `make run` writes their scrypt hashes to a file the edge reads
(ZK_PORTAL_USERS_FILE), the same way as the partner clients (devstack/partners.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devstack import demo
from edge.auth import hash_secret
from runtime.tenancy import Role


def demo_users() -> list[dict[str, Any]]:
    region = demo.load_region()
    gemeenten = {g["code"]: g["naam"] for g in region["gemeenten"]}
    alle = sorted(gemeenten)
    users: list[dict[str, Any]] = []
    for code in ("0356", "0321"):  # two gemeenten, so one can be seen not to reach the other
        users.append({"gebruikersnaam": f"consulent-{code}", "naam": f"Consulent {gemeenten[code]}", "rol": Role.GEMEENTE_CONSULENT.value, "gemeentecodes": [code]})
    users += [
        {"gebruikersnaam": "contractmanager-0356", "naam": f"Contractmanager {gemeenten['0356']}", "rol": Role.CONTRACTMANAGER.value, "gemeentecodes": ["0356"]},
        {"gebruikersnaam": "financieel-0356", "naam": f"Financieel medewerker {gemeenten['0356']}", "rol": Role.FINANCIEEL_MEDEWERKER.value, "gemeentecodes": ["0356"]},
        {"gebruikersnaam": "backoffice", "naam": f"Regionaal backoffice {region['regio']}", "rol": Role.REGIONAAL_BACKOFFICE.value, "gemeentecodes": alle},
        {"gebruikersnaam": "beheerder", "naam": f"Beheerder {region['regio']}", "rol": Role.BEHEERDER.value, "gemeentecodes": alle},
    ]
    users += [
        {"gebruikersnaam": f"aanbieder-{a['agb']}", "naam": f"Medewerker {a['naam']}", "rol": Role.AANBIEDER_MEDEWERKER.value, "agb": a["agb"]}
        for a in region["aanbieders"]
    ]
    # the aanbieder of the official example messages, so those can be uploaded as they are
    users.append({"gebruikersnaam": "aanbieder-65656055", "naam": "Medewerker aanbieder van de voorbeeldberichten", "rol": Role.AANBIEDER_MEDEWERKER.value, "agb": "65656055"})
    return users


def demo_password(gebruikersnaam: str) -> str:
    return f"demo-{gebruikersnaam}"


def write_users_file(path: Path) -> list[dict[str, Any]]:
    """Writes the demo users (with hashed wachtwoorden) to `path`; returns them without wachtwoorden."""
    users = demo_users()
    path.write_text(
        json.dumps([{**u, "wachtwoord_hash": hash_secret(demo_password(u["gebruikersnaam"]))} for u in users], indent=2), encoding="utf-8"
    )
    path.chmod(0o600)
    return users
