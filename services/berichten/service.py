"""The composition root of the berichten service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from zorgketen.berichten.v1 import berichten_pb2

from berichten import handlers
from berichten.adapters.tables import inzage, metadata
from berichten.grpc_servicer import add_servicers
from runtime.server import Runtime, ServiceDefinition

SIGNAAL_INTERVAL_SECONDS = 300


def background(runtime: Runtime) -> dict[str, Callable[[], Awaitable[None]]]:
    async def niet_opgehaald() -> None:
        while True:
            async with runtime.unit_of_work() as uow:
                await handlers.signaleer_niet_opgehaald(uow, date.today())
            await asyncio.sleep(SIGNAAL_INTERVAL_SECONDS)

    return {"postbus-niet-opgehaald": niet_opgehaald}


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="berichten",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=(berichten_pb2.DESCRIPTOR.services_by_name["Berichten"].full_name,),
        add_servicers=add_servicers,
        publishes=True,
        audit=inzage,
        background=background,
    )
