"""The demo region's partner systems: one OAuth2 client per gemeente and per aanbieder.

Development only: the secrets are predictable (`demo-<client_id>`) so the README can list them;
`make run` writes their scrypt hashes to a file the edge reads (ZK_PARTNER_CLIENTS_FILE). Extra
clients act for AGB 65656055 and 42420001 and for gemeenten 0363 and 0384, the parties of the
official example messages, so those can be sent as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devstack import demo
from edge.auth import hash_secret

VOORBEELDPARTIJEN = (
    {"client_id": "aanbieder-65656055", "naam": "Aanbieder van de voorbeeldberichten", "agb": "65656055"},
    {"client_id": "aanbieder-42420001", "naam": "Aanbieder van de voorbeeldberichten 301 en 315", "agb": "42420001"},
    {"client_id": "gemeente-0363", "naam": "Gemeente van de voorbeeldberichten", "gemeentecode": "0363"},
    {"client_id": "gemeente-0384", "naam": "Gemeente van de voorbeeldberichten 301, 319 en 323", "gemeentecode": "0384"},
)


def demo_clients() -> list[dict[str, Any]]:
    region = demo.load_region()
    clients = [{"client_id": f"gemeente-{g['code']}", "naam": g["naam"], "gemeentecode": g["code"]} for g in region["gemeenten"]]
    clients += [{"client_id": f"aanbieder-{a['agb']}", "naam": a["naam"], "agb": a["agb"]} for a in region["aanbieders"]]
    return clients + list(VOORBEELDPARTIJEN)


def demo_secret(client_id: str) -> str:
    return f"demo-{client_id}"


def write_clients_file(path: Path) -> list[dict[str, Any]]:
    """Writes the demo clients (with hashed secrets) to `path`; returns them without secrets."""
    clients = demo_clients()
    path.write_text(json.dumps([{**c, "secret_hash": hash_secret(demo_secret(c["client_id"]))} for c in clients], indent=2), encoding="utf-8")
    path.chmod(0o600)
    return clients
