"""The composition root of the indicatie service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import grpc

from indicatie import contracten, grpc_servicer, import_servicer, relaties, toewijslijst, traject_servicer, trajecten
from indicatie.adapters.tables import inzage, metadata
from runtime.server import Runtime, ServiceDefinition

# One servicer module per area of the service; each has SERVICE_NAME and add_servicers(server, runtime).
AREAS = (grpc_servicer, traject_servicer, import_servicer)


def _add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    for area in AREAS:
        area.add_servicers(server, runtime)


def background(runtime: Runtime) -> dict[str, Callable[[], Awaitable[None]]]:
    async def signalen_verlopen() -> None:
        """Each round reports the signalen past their deadline (indicatie.signaal.verlopen, once each);
        a full batch means more may wait, so the next round follows at once. Cancelled when the
        service stops: a round's transaction either commits whole or is rolled back."""
        while True:
            async with runtime.unit_of_work() as uow:
                gemeld = await trajecten.meld_verlopen_signalen(uow, trajecten.vandaag())
            if gemeld < trajecten.VERLOPEN_PER_RONDE:
                await asyncio.sleep(runtime.settings.indicatie_signaal_interval_seconds)

    return {"signalen-verlopen": signalen_verlopen}


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="indicatie",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=tuple(area.SERVICE_NAME for area in AREAS),
        add_servicers=_add_servicers,
        publishes=True,
        audit=inzage,
        subscriptions=lambda runtime: (*contracten.SUBSCRIPTIONS, *relaties.SUBSCRIPTIONS, *toewijslijst.subscriptions()),
        background=background,
    )
