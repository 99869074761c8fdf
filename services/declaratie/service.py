"""The composition root of the declaratie service."""

from __future__ import annotations

from pathlib import Path

from zorgketen.declaratie.v1 import declaratie_pb2

from declaratie.adapters.tables import metadata
from declaratie.grpc_servicer import add_servicers
from runtime.server import ServiceDefinition


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="declaratie",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=(declaratie_pb2.DESCRIPTOR.services_by_name["Declaratie"].full_name,),
        add_servicers=add_servicers,
        publishes=True,
    )
