"""The facts the declaratie service publishes (subjects of the DECLARATIE stream)."""

from __future__ import annotations

from typing import Any

from declaratie.domain.afrekening import Afrekening
from declaratie.domain.contract import Contract
from runtime.domein import Wet

CONTRACT_GEREGISTREERD = "declaratie.contract.geregistreerd"
DECLARATIE_BEOORDEELD = "declaratie.declaratie.beoordeeld"
AFREKENING_GEMAAKT = "declaratie.afrekening.gemaakt"
# whether approved, non-credited prestaties exist on a toewijzing changed (TR385: it may not be deleted then)
PRESTATIESTAND_GEWIJZIGD = "declaratie.toewijzing.prestatiestand"


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
        "start_stop_verplicht": contract.start_stop_verplicht,
        "toewijslijst_automatisch": contract.toewijslijst_automatisch,
    }


def declaratie_beoordeeld(bericht_id: str, gemeentecode: str, wet: Wet, agb: str, declaratie_nummer: str, toegekend: int, afgewezen: int, toegekend_eurocent: int) -> dict[str, Any]:
    return {
        "bericht_id": bericht_id,
        "gemeentecode": gemeentecode,
        "wet": wet.value,
        "agb": agb,
        "declaratie_nummer": declaratie_nummer,
        "prestaties_toegekend": toegekend,
        "prestaties_afgewezen": afgewezen,
        "toegekend_eurocent": toegekend_eurocent,
    }


def afrekening_gemaakt(a: Afrekening) -> dict[str, Any]:
    return {
        "soort": a.soort.value,
        "gemeentecode": a.gemeentecode,
        "agb": a.agb,
        "periode": {"begindatum": a.periode.begindatum.isoformat(), "einddatum": a.periode.einddatum.isoformat()},
        "voorschot": a.voorschot,
        "gedeclareerd": a.gedeclareerd,
        "toegekend": a.toegekend,
        "saldo": a.saldo,
    }


def prestatiestand_gewijzigd(gemeentecode: str, wet: Wet, toewijzing_nummer: int, heeft_toegekende_prestaties: bool, versie: int) -> dict[str, Any]:
    return {
        "gemeentecode": gemeentecode,
        "wet": wet.value,
        "toewijzing_nummer": toewijzing_nummer,
        "heeft_toegekende_prestaties": heeft_toegekende_prestaties,
        "versie": versie,
    }
