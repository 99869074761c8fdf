"""The composition root of the indicatie service."""

from __future__ import annotations

from pathlib import Path

import grpc

from indicatie import contracten, grpc_servicer, relaties, traject_servicer
from indicatie.adapters.tables import inzage, metadata
from runtime.server import Runtime, ServiceDefinition

# One servicer module per area of the service; each has SERVICE_NAME and add_servicers(server, runtime).
AREAS = (grpc_servicer, traject_servicer)


def _add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    for area in AREAS:
        area.add_servicers(server, runtime)


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="indicatie",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=tuple(area.SERVICE_NAME for area in AREAS),
        add_servicers=_add_servicers,
        publishes=True,
        audit=inzage,
        subscriptions=lambda runtime: (*contracten.SUBSCRIPTIONS, *relaties.SUBSCRIPTIONS),
    )
