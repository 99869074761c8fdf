"""The NATS JetStream connection of a process.

The connection is made in the background and kept: a service starts (and reports NOT_SERVING)
while NATS is unreachable, and nats-py reconnects for ever after a loss.
"""

from __future__ import annotations

import asyncio
import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

from runtime.events import DUPLICATE_WINDOW_SECONDS, STREAMS

log = logging.getLogger(__name__)


class Messaging:
    def __init__(self, servers: str, name: str):
        self.servers = [s.strip() for s in servers.split(",") if s.strip()]
        self.name = name
        self.nc: Client | None = None
        self.js: JetStreamContext | None = None
        self._ready = asyncio.Event()

    async def run_connect(self) -> None:
        """Connects, retrying until it succeeds; then ensures the streams exist."""
        delay = 0.2
        while self.nc is None:
            try:
                self.nc = await nats.connect(
                    servers=self.servers,
                    name=self.name,
                    connect_timeout=2,
                    reconnect_time_wait=0.5,
                    max_reconnect_attempts=-1,
                    allow_reconnect=True,
                    error_cb=self._on_error,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                )
            except Exception as exc:
                log.warning("NATS not reachable yet (%s); retrying", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self.js = self.nc.jetstream(timeout=5)
        while True:
            try:
                await ensure_streams(self.js)
                break
            except Exception as exc:
                log.warning("JetStream streams not ensured yet (%s); retrying", exc)
                await asyncio.sleep(1)
        self._ready.set()

    async def wait_ready(self) -> JetStreamContext:
        await self._ready.wait()
        assert self.js is not None
        return self.js

    @property
    def connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected and self._ready.is_set()

    async def ping(self, timeout: float = 2.0) -> bool:
        """True when the server answers and JetStream is enabled."""
        if not self.connected or self.js is None:
            return False
        try:
            async with asyncio.timeout(timeout):
                await self.js.account_info()
            return True
        except Exception:
            return False

    async def close(self) -> None:
        if self.nc is not None and not self.nc.is_closed:
            try:
                await asyncio.wait_for(self.nc.drain(), timeout=5)
            except Exception:
                await self.nc.close()

    async def _on_error(self, exc: Exception) -> None:
        log.debug("NATS error: %s", exc)

    async def _on_disconnected(self) -> None:
        log.warning("NATS disconnected")

    async def _on_reconnected(self) -> None:
        log.info("NATS reconnected")


async def ensure_streams(js: JetStreamContext) -> None:
    """Creates every stream of `runtime.events.STREAMS` that does not exist yet (idempotent)."""
    for name, subjects in STREAMS.items():
        try:
            await js.stream_info(name)
        except NotFoundError:
            await js.add_stream(
                StreamConfig(
                    name=name,
                    subjects=list(subjects),
                    storage=StorageType.FILE,
                    duplicate_window=DUPLICATE_WINDOW_SECONDS,
                )
            )
