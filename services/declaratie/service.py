"""The composition root of the declaratie service.

Every process is also a worker of the declaratiecontrole: the 323s arrive on one durable JetStream
pull consumer shared by all processes, so starting more processes spreads the 323s over them; each
323 is applied exactly once (the consumer records its event id in the transaction that stores the
outcome and queues the verdict).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from zorgketen.berichten.v1 import berichten_pb2_grpc
from zorgketen.declaratie.v1 import declaratie_pb2

from berichten.codec.codec import Codec
from berichten.koppeling import Hubkoppeling
from declaratie import handlers
from declaratie.adapters.tables import inzage, metadata
from declaratie.domain import toewijzingstand
from declaratie.grpc_servicer import add_servicers
from runtime.channels import open_channel
from runtime.consumer import Subscription
from runtime.db import UnitOfWork
from runtime.events import Event
from runtime.server import Runtime, ServiceDefinition

AFLEVER_INTERVAL_SECONDS = 0.3


def dienst(runtime: Runtime) -> handlers.Dienst:
    """The runtime's one Dienst (codec and channel to the hub), made on first use inside the event loop."""
    made = getattr(runtime, "_declaratie_dienst", None)
    if made is None:
        cfg = runtime.settings
        made = handlers.Dienst(codec=Codec(), hub=Hubkoppeling(berichten_pb2_grpc.BerichtenStub(open_channel(cfg.berichten_addr)), cfg.internal_token, "declaratie"))
        runtime._declaratie_dienst = made  # type: ignore[attr-defined]
    return made


def subscriptions(runtime: Runtime) -> Sequence[Subscription]:
    async def declaratie(uow: UnitOfWork, event: Event) -> None:
        await handlers.declaratie_ontvangen(uow, dienst(runtime), event)

    return (
        Subscription(toewijzingstand.TOEWIJZING_GEWIJZIGD, "declaratie-toewijzingen", handlers.toewijzing_gewijzigd),
        *(
            Subscription(subject, f"declaratie-{subject.split('.', 1)[1].replace('.', '-')}", handlers.levering_gewijzigd)
            for subject in (toewijzingstand.START_ONTVANGEN, toewijzingstand.START_VERWIJDERD, toewijzingstand.STOP_ONTVANGEN, toewijzingstand.STOP_VERWIJDERD)
        ),
        Subscription("bericht.ontvangen.323", "declaratie-323", declaratie),
    )


def background(runtime: Runtime) -> dict[str, Callable[[], Awaitable[None]]]:
    async def afleveren() -> None:
        """Delivers the queued verdicts on 323s to the hub (which sends the 325s)."""
        while True:
            async with runtime.unit_of_work() as uow:
                meer = await handlers.aflever_een(uow, dienst(runtime))
            if not meer:
                await asyncio.sleep(AFLEVER_INTERVAL_SECONDS)

    return {"afleveren-aan-hub": afleveren}


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="declaratie",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=(declaratie_pb2.DESCRIPTOR.services_by_name["Declaratie"].full_name,),
        add_servicers=add_servicers,
        publishes=True,
        audit=inzage,
        subscriptions=subscriptions,
        background=background,
    )
