"""Keeps the indicatie service's copy of the declaratie contracts, from `declaratie.contract.geregistreerd`.

A beschikking may only be afgegeven for a product contracted in the gemeente for its period and
uitvoeringsvariant; the indicatie service answers that from this copy rather than asking the
declaratie service (no service reads another's tables, and a beschikking does not wait on it).
Each contract version arrives once per event id (the consumer records it); a version already
copied is left as it is.
"""

from __future__ import annotations

from datetime import date

from indicatie.adapters.beschikking_repository import ContractRepository
from indicatie.domain.beschikking import ContractRegel
from runtime.consumer import Subscription
from runtime.db import UnitOfWork
from runtime.events import Event

CONTRACT_GEREGISTREERD = "declaratie.contract.geregistreerd"


async def contract_geregistreerd(uow: UnitOfWork, event: Event) -> None:
    data = event.data
    regel = ContractRegel(
        gemeentecode=data["gemeentecode"],
        wet=data["wet"],
        productcategorie=data["productcategorie"],
        productcode=data["productcode"],
        uitvoeringsvariant=data["uitvoeringsvariant"],
        begindatum=date.fromisoformat(data["begindatum"]),
        einddatum=date.fromisoformat(data["einddatum"]) if data.get("einddatum") else None,
    )
    await ContractRepository(uow.session).add(data["id"], regel, agb=data["agb"], eenheid=data["eenheid"])


SUBSCRIPTIONS = (Subscription(subject=CONTRACT_GEREGISTREERD, durable="indicatie-contracten", handler=contract_geregistreerd),)
