"""The facts the indicatie service publishes (subjects of the INDICATIE stream)."""

from __future__ import annotations

from typing import Any

from indicatie.domain.client import Client

CLIENT_GEREGISTREERD = "indicatie.client.geregistreerd"


def client_geregistreerd(client: Client) -> dict[str, Any]:
    """Carries no name or address: consumers that need them ask the indicatie service."""
    return {
        "bsn": client.bsn,
        "gemeentecode": client.gemeentecode,
        "geboortedatum": client.geboortedatum.isoformat(),
        "status": client.status.value,
    }
