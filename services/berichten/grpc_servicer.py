"""The Berichten gRPC servicer. Its RPCs arrive with the berichten issue."""

from __future__ import annotations

import grpc
from zorgketen.berichten.v1 import berichten_pb2_grpc

from runtime.server import Runtime


class BerichtenServicer(berichten_pb2_grpc.BerichtenServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    berichten_pb2_grpc.add_BerichtenServicer_to_server(BerichtenServicer(runtime), server)
