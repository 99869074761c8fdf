"""Moves a herindicatie signal to the aanbieder the toewijslijst gave the product, from
`toewijzing.toewijslijst.gewijzigd`.

A beschikt product without a chosen aanbieder waits on the toewijzing service's toewijslijst, and
its herindicatie signal goes to the gemeente (domain/herindicatie.py). When an aanbieder's claim of
that entry is confirmed (by the gemeente, or at once by the contract), the toewijzing service
publishes the entry with status `bevestigd` and the claiming aanbieder (`geclaimd_door`) through its
outbox. Here, in the transaction that records the event as processed (`processed_event`, consumer
`indicatie-toewijslijst`), the product's aanbieder is recorded (`toewijslijst_aanbieder`) and the
beschikking's signalen are brought in line: the gemeente's open signal is afgehandeld and one for
the aanbieder opens, with the same deadline (`indicatie.signaal.afgehandeld / aangemaakt`). Other
states of an entry (open, geclaimd, vervallen) change nothing here.

The toewijzing made for that aanbieder may end before the product does (an earlier einddatum:
verkorting, verhuizing, overlijden; or deleted). Every version of a toewijzing comes as
`toewijzing.toewijzing.gewijzigd`; the consumer `indicatie-toewijslijst-toewijzingen` (exactly once,
`processed_event`) records the latest version of each toewijzing for a product of a beschikking
without a chosen aanbieder (`toewijslijst_toewijzing`; an older version arriving late changes
nothing) with whether it ends before the product as the beschikking now stands, and brings the
beschikking's signalen in line the same way: when every known toewijzing of the aanbieder for the
product ends before it, its signal is afgehandeld and the gemeente's opens with the same deadline;
when one runs to the end again, it moves back.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from datetime import date

from indicatie import handlers
from indicatie.adapters.beschikking_repository import BeschikkingRepository
from indicatie.adapters.herindicatie import load_eigen_verantwoordelijkheid
from indicatie.domain.beschikking import Beschikking
from indicatie.domain.herindicatie import (
    EigenVerantwoordelijkheid,
    ToewijslijstToewijzing,
    product_sleutel,
    toewijzing_voor,
    van_de_toewijslijst,
)
from runtime.consumer import Subscription
from runtime.db import UnitOfWork
from runtime.errors import NotFound
from runtime.events import Event
from runtime.tenancy import Role, Tenant

log = logging.getLogger(__name__)

INSCHRIJVING_GEWIJZIGD = "toewijzing.toewijslijst.gewijzigd"
TOEWIJZING_GEWIJZIGD = "toewijzing.toewijzing.gewijzigd"
BEVESTIGD = "bevestigd"


async def _beschikking(repository: BeschikkingRepository, event: Event, wat: str) -> Beschikking:
    """The beschikking the event's data names, locked for this transaction. Read as a system task, but
    within the tenancy of the event's gemeente like every read of a beschikking. Every toewijslijst entry
    and toewijzing of a beschikking comes from one of this service: an unknown one is parked, not skipped."""
    gemeentecode, beschikkingnummer = event.data["gemeentecode"], event.data["beschikkingnummer"]
    gemeente = Tenant.gemeente(Role.SYSTEEM, f"event:{event.subject}", [gemeentecode])
    beschikking = await repository.get(gemeente, gemeentecode, beschikkingnummer, for_update=True)
    if beschikking is None:
        raise NotFound(f"{wat}: gemeente {gemeentecode} has no beschikking {beschikkingnummer}")
    return beschikking


async def inschrijving_gewijzigd(uow: UnitOfWork, event: Event, markeringen: Sequence[EigenVerantwoordelijkheid]) -> None:
    data = event.data
    if data.get("status") != BEVESTIGD or not data.get("geclaimd_door"):
        return  # open, geclaimd or vervallen: nobody delivers the product yet
    gemeentecode, beschikkingnummer = data["gemeentecode"], data["beschikkingnummer"]
    repository = BeschikkingRepository(uow.session)
    beschikking = await _beschikking(repository, event, f"toewijslijst entry {data['id']}")
    ingangsdatum = date.fromisoformat(data["ingangsdatum"]) if data.get("ingangsdatum") else None
    product = van_de_toewijslijst(beschikking, data.get("categorie") or "", data.get("code") or "", ingangsdatum)
    if product is None:
        log.info("toewijslijst entry %s: beschikking %s/%s has no such product without a chosen aanbieder any more", data["id"], gemeentecode, beschikkingnummer)
        return
    await repository.leg_toewijslijst_aanbieder_vast(gemeentecode, beschikkingnummer, product_sleutel(product), data["geclaimd_door"], data["id"])
    await handlers.herindicatie_bijwerken(uow, beschikking, markeringen)


async def toewijzing_gewijzigd(uow: UnitOfWork, event: Event, markeringen: Sequence[EigenVerantwoordelijkheid]) -> None:
    data = event.data
    if not data.get("beschikkingnummer"):
        return  # not made from a beschikking (e.g. an honoured verzoek om toewijzing)
    gemeentecode, beschikkingnummer = data["gemeentecode"], data["beschikkingnummer"]
    repository = BeschikkingRepository(uow.session)
    beschikking = await _beschikking(repository, event, f"toewijzing {data['toewijzing_nummer']}")
    product = toewijzing_voor(beschikking, data.get("categorie") or "", data.get("code") or "", date.fromisoformat(data["ingangsdatum"]))
    if product is None:
        return  # for a product with a chosen aanbieder: its signal is that aanbieder's, whatever the toewijzing
    einddatum = date.fromisoformat(data["einddatum"]) if data.get("einddatum") else None
    toewijzing = ToewijslijstToewijzing.van_versie(product, data["agb"], einddatum, bool(data.get("verwijderd")))
    await repository.leg_toewijslijst_toewijzing_vast(gemeentecode, data["wet"], int(data["toewijzing_nummer"]), int(data["versie"]), beschikkingnummer, toewijzing)
    await handlers.herindicatie_bijwerken(uow, beschikking, markeringen)


def subscriptions() -> tuple[Subscription, ...]:
    """The consumers of confirmed toewijslijst entries and of the toewijzingen made for them, with the
    gemeente's list of producten that are the cliënt's own responsibility for herindicatie (read once,
    when the service starts)."""
    markeringen = load_eigen_verantwoordelijkheid()
    return (
        Subscription(subject=INSCHRIJVING_GEWIJZIGD, durable="indicatie-toewijslijst", handler=functools.partial(inschrijving_gewijzigd, markeringen=markeringen)),
        Subscription(
            subject=TOEWIJZING_GEWIJZIGD, durable="indicatie-toewijslijst-toewijzingen", handler=functools.partial(toewijzing_gewijzigd, markeringen=markeringen)
        ),
    )
