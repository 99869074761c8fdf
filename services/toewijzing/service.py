"""The composition root of the toewijzing service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from zorgketen.berichten.v1 import berichten_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_pb2_grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2

from berichten.codec.codec import Codec
from berichten.koppeling import Hubkoppeling
from runtime.channels import open_channel
from runtime.consumer import Subscription
from runtime.db import UnitOfWork
from runtime.events import Event
from runtime.server import Runtime, ServiceDefinition
from toewijzing import handlers
from toewijzing.adapters.tables import inzage, metadata
from toewijzing.domain import events
from toewijzing.grpc_servicer import add_servicers

AFLEVER_INTERVAL_SECONDS = 0.3


def dienst(runtime: Runtime) -> handlers.Dienst:
    """The runtime's one Dienst (codec and channels to the hub and indicatie), made on first use inside the event loop."""
    made = getattr(runtime, "_toewijzing_dienst", None)
    if made is None:
        cfg = runtime.settings
        made = handlers.Dienst(
            codec=Codec(),
            hub=Hubkoppeling(berichten_pb2_grpc.BerichtenStub(open_channel(cfg.berichten_addr)), cfg.internal_token, "toewijzing"),
            indicatie=indicatie_pb2_grpc.IndicatieStub(open_channel(cfg.indicatie_addr)),
        )
        runtime._toewijzing_dienst = made  # type: ignore[attr-defined]
    return made


def _met_dienst(runtime: Runtime, handler: Callable[[UnitOfWork, handlers.Dienst, Event], Awaitable[None]]) -> Callable[[UnitOfWork, Event], Awaitable[None]]:
    async def handle(uow: UnitOfWork, event: Event) -> None:
        await handler(uow, dienst(runtime), event)

    return handle


def subscriptions(runtime: Runtime) -> Sequence[Subscription]:
    return (
        Subscription(events.BESCHIKKINGEN, "toewijzing-beschikkingen", _met_dienst(runtime, handlers.beschikking_ontvangen)),
        Subscription(events.CLIENT_OVERLEDEN, "toewijzing-overlijden", _met_dienst(runtime, handlers.brp_mutatie)),
        Subscription(events.CLIENT_VERHUISD, "toewijzing-verhuizing", _met_dienst(runtime, handlers.brp_mutatie)),
        Subscription(events.CONTRACT_GEREGISTREERD, "toewijzing-contracten", _met_dienst(runtime, handlers.contract_geregistreerd)),
        Subscription(events.PRESTATIESTAND_GEWIJZIGD, "toewijzing-prestatiestand", _met_dienst(runtime, handlers.prestatiestand_gewijzigd)),
        *(
            Subscription(events.BERICHT_ONTVANGEN.format(soort=soort), f"toewijzing-bericht-{soort}", _met_dienst(runtime, handlers.bericht_ontvangen))
            for soort in events.BEOORDEELDE_SOORTEN
        ),
    )


def background(runtime: Runtime) -> dict[str, Callable[[], Awaitable[None]]]:
    async def afleveren() -> None:
        """Delivers queued 301s, 319s and verdicts to the hub, one per transaction, oldest first."""
        while True:
            async with runtime.unit_of_work() as uow:
                meer = await handlers.aflever_een(uow, dienst(runtime))
            if not meer:
                await asyncio.sleep(AFLEVER_INTERVAL_SECONDS)

    return {"afleveren-aan-hub": afleveren}


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="toewijzing",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=(toewijzing_pb2.DESCRIPTOR.services_by_name["Toewijzing"].full_name,),
        add_servicers=add_servicers,
        publishes=True,
        audit=inzage,
        subscriptions=subscriptions,
        background=background,
    )
