"""The composition root of the indicatie service."""

from __future__ import annotations

from pathlib import Path

from zorgketen.indicatie.v1 import indicatie_pb2

from indicatie.adapters.tables import metadata
from indicatie.grpc_servicer import add_servicers
from runtime.server import ServiceDefinition


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="indicatie",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=(indicatie_pb2.DESCRIPTOR.services_by_name["Indicatie"].full_name,),
        add_servicers=add_servicers,
        publishes=True,
    )
