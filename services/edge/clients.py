"""gRPC channels from the edge to the services, opened at start-up and closed at shutdown."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from runtime.channels import open_channel
from runtime.settings import SERVICE_NAMES, Settings


@dataclass
class ServiceClients:
    addresses: dict[str, str]
    channels: dict[str, grpc.aio.Channel] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, cfg: Settings) -> ServiceClients:
        return cls({name: getattr(cfg, f"{name}_addr") for name in SERVICE_NAMES})

    def open(self) -> None:
        for name, address in self.addresses.items():
            self.channels[name] = open_channel(address)

    async def close(self) -> None:
        await asyncio.gather(*(channel.close() for channel in self.channels.values()))
        self.channels.clear()

    async def health(self, timeout: float = 1.0) -> dict[str, str]:
        """Each service's gRPC health status (SERVING, NOT_SERVING, or UNREACHABLE)."""

        async def check(name: str) -> tuple[str, str]:
            try:
                response = await health_pb2_grpc.HealthStub(self.channels[name]).Check(health_pb2.HealthCheckRequest(), timeout=timeout)
                return name, health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
            except grpc.aio.AioRpcError:
                return name, "UNREACHABLE"

        return dict(await asyncio.gather(*(check(name) for name in self.channels)))
