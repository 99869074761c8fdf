"""The facts the declaratie service publishes (subjects of the DECLARATIE stream)."""

from __future__ import annotations

from typing import Any

from declaratie.domain.contract import Contract

CONTRACT_GEREGISTREERD = "declaratie.contract.geregistreerd"


def contract_geregistreerd(contract: Contract) -> dict[str, Any]:
    return {
        "id": contract.id,
        "gemeentecode": contract.gemeentecode,
        "agb": contract.agb,
        "wet": contract.wet.value,
        "productcategorie": contract.productcategorie,
        "productcode": contract.productcode,
        "uitvoeringsvariant": contract.uitvoeringsvariant.value,
        "tarief_eurocent": contract.tarief_eurocent,
        "eenheid": contract.eenheid,
        "begindatum": contract.begindatum.isoformat(),
        "einddatum": contract.einddatum.isoformat() if contract.einddatum else None,
    }
