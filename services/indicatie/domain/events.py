"""The facts the indicatie service publishes (subjects of the INDICATIE stream).

Cliënt events carry no name or address: consumers that need them ask the indicatie service (and
that read is audited). Beschikking events carry what the toewijzing service needs to make or end
toewijzingen: bsn, gemeentecode, beschikkingnummer, wet and every product with categorie, code,
omvang {volume, eenheid, frequentie} or budget (eurocent), ingangsdatum, einddatum,
uitvoeringsvariant and the chosen aanbieder's agb (None: the cliënt goes on the toewijslijst); a wijziging and an intrekking also carry their reden {code (RedenWijziging), toelichting}.
"""

from __future__ import annotations

from typing import Any

from indicatie.domain.beschikking import Beschikking, BeschiktProduct, Reden
from indicatie.domain.brp import BrpMutatie
from indicatie.domain.client import Client

CLIENT_GEREGISTREERD = "indicatie.client.geregistreerd"
CLIENT_GEWIJZIGD = "indicatie.client.gewijzigd"
CLIENT_OVERLEDEN = "indicatie.client.overleden"
CLIENT_VERHUISD = "indicatie.client.verhuisd"
BESCHIKKING_AFGEGEVEN = "indicatie.beschikking.afgegeven"
BESCHIKKING_GEWIJZIGD = "indicatie.beschikking.gewijzigd"
BESCHIKKING_INGETROKKEN = "indicatie.beschikking.ingetrokken"


def client_geregistreerd(client: Client) -> dict[str, Any]:
    """Carries no name or address: consumers that need them ask the indicatie service."""
    return {
        "bsn": client.bsn,
        "gemeentecode": client.gemeentecode,
        "geboortedatum": client.geboortedatum.isoformat(),
        "status": client.status.value,
    }


def client_gewijzigd(client: Client) -> dict[str, Any]:
    return client_geregistreerd(client)


def brp_mutatie_verwerkt(mutatie: BrpMutatie) -> tuple[str, dict[str, Any]] | None:
    """The event of a mutatie that changes the cliënt's status; None for a move within the gemeente."""
    data: dict[str, Any] = {
        "bsn": mutatie.bsn,
        "gemeentecode": mutatie.gemeentecode,
        "datum": mutatie.datum.isoformat(),
        "kenmerk": mutatie.kenmerk,
        "bron": mutatie.bron,
    }
    if mutatie.soort.value == "overlijden":
        return CLIENT_OVERLEDEN, data
    if mutatie.binnen_gemeente:
        return None
    return CLIENT_VERHUISD, {**data, "nieuwe_gemeentecode": mutatie.nieuwe_gemeentecode}


def product(p: BeschiktProduct) -> dict[str, Any]:
    return {
        "categorie": p.categorie,
        "code": p.code or None,
        "omvang": {"volume": p.omvang.volume, "eenheid": p.omvang.eenheid, "frequentie": p.omvang.frequentie} if p.omvang else None,
        "budget": p.budget_eurocent,
        "ingangsdatum": p.ingangsdatum.isoformat(),
        "einddatum": p.einddatum.isoformat() if p.einddatum else None,
        "uitvoeringsvariant": p.uitvoeringsvariant.value,
        "agb": p.agb,
    }


def _reden(reden: Reden | None) -> dict[str, Any] | None:
    return {"code": reden.code, "toelichting": reden.toelichting} if reden else None


def beschikking(b: Beschikking) -> dict[str, Any]:
    data: dict[str, Any] = {
        "beschikkingnummer": b.beschikkingnummer,
        "bsn": b.bsn,
        "gemeentecode": b.gemeentecode,
        "wet": b.wet.value,
        "beschikkingsdatum": b.beschikkingsdatum.isoformat(),
        "versie": b.versie,
        "producten": [product(p) for p in b.producten],
    }
    if b.reden is not None:
        data["reden"] = _reden(b.reden)
    if b.ingetrokken_per is not None:
        data["ingetrokken_per"] = b.ingetrokken_per.isoformat()
    return data
