"""The Toewijzing gRPC servicer. Its RPCs arrive with the toewijzing issue."""

from __future__ import annotations

import grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2_grpc

from runtime.server import Runtime


class ToewijzingServicer(toewijzing_pb2_grpc.ToewijzingServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    toewijzing_pb2_grpc.add_ToewijzingServicer_to_server(ToewijzingServicer(runtime), server)
