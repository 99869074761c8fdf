"""The composition root of the rapportage service."""

from __future__ import annotations

from pathlib import Path

from zorgketen.rapportage.v1 import rapportage_pb2

from rapportage.adapters.tables import metadata
from rapportage.grpc_servicer import add_servicers
from rapportage.handlers import SUBSCRIPTIONS
from runtime.server import ServiceDefinition


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="rapportage",
        metadata=metadata,
        migrations_dir=Path(__file__).parent / "migrations",
        grpc_service_names=(rapportage_pb2.DESCRIPTOR.services_by_name["Rapportage"].full_name,),
        add_servicers=add_servicers,
        subscriptions=lambda runtime: SUBSCRIPTIONS,
    )
