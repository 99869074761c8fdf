"""The Rapportage gRPC servicer."""

from __future__ import annotations

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.rapportage.v1 import rapportage_pb2, rapportage_pb2_grpc

from rapportage import handlers
from runtime.server import Runtime
from runtime.servicer import rpc
from runtime.tenancy import current_tenant


class RapportageServicer(rapportage_pb2_grpc.RapportageServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    @rpc
    async def GetClientTelling(self, request: rapportage_pb2.GetClientTellingRequest, context: grpc.aio.ServicerContext) -> rapportage_pb2.GetClientTellingResponse:
        async with self.runtime.unit_of_work() as uow:
            tellingen = await handlers.client_tellingen(uow, current_tenant())
        return rapportage_pb2.GetClientTellingResponse(
            tellingen=[rapportage_pb2.GemeenteTelling(gemeente=common_pb2.Gemeentecode(value=g), aantal_clienten=n) for g, n in tellingen]
        )


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    rapportage_pb2_grpc.add_RapportageServicer_to_server(RapportageServicer(runtime), server)
