"""The composition root of the toewijzing service."""

from __future__ import annotations

from pathlib import Path

from zorgketen.toewijzing.v1 import toewijzing_pb2

from toewijzing.adapters.tables import metadata
from toewijzing.grpc_servicer import add_servicers
from runtime.server import ServiceDefinition


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="toewijzing",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=(toewijzing_pb2.DESCRIPTOR.services_by_name["Toewijzing"].full_name,),
        add_servicers=add_servicers,
        publishes=True,
    )
