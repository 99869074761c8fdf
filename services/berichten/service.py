"""The composition root of the berichten service."""

from __future__ import annotations

from pathlib import Path

from zorgketen.berichten.v1 import berichten_pb2

from berichten.adapters.tables import metadata
from berichten.grpc_servicer import add_servicers
from runtime.server import ServiceDefinition


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="berichten",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=(berichten_pb2.DESCRIPTOR.services_by_name["Berichten"].full_name,),
        add_servicers=add_servicers,
        publishes=True,
    )
