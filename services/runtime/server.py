"""The process of a Zorgketen service: `python -m <service> [serve|migrate]`.

`serve` starts a grpc.aio server with the standard health protocol and reflection, connects to
PostgreSQL and NATS JetStream (in the background, retrying), runs the outbox relay and the event
consumers, and stops gracefully on SIGTERM. Health is NOT_SERVING until both the database and
NATS answer, and goes back to NOT_SERVING whenever one of them stops answering.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio
from grpc_reflection.v1alpha import reflection
from sqlalchemy import MetaData, Table

from runtime import audit_servicer, channels, migrations, settings as settings_mod, telemetry
from runtime.consumer import EventConsumer, Subscription
from runtime.db import Database, UnitOfWork
from runtime.interceptors import AuthInterceptor
from runtime.messaging import Messaging
from runtime.outbox import OutboxRelay

log = logging.getLogger(__name__)

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING
HEALTH_INTERVAL_SECONDS = 1.0
GRACE_SECONDS = 10.0


class Runtime:
    """What a running service hands to its servicers and handlers."""

    def __init__(self, name: str, settings: settings_mod.Settings, db: Database, messaging: Messaging):
        self.name = name
        self.settings = settings
        self.db = db
        self.messaging = messaging

    def unit_of_work(self) -> UnitOfWork:
        return self.db.unit_of_work(self.name)


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    metadata: MetaData
    migrations_dir: Path
    grpc_service_names: tuple[str, ...]
    add_servicers: Callable[[grpc.aio.Server, Runtime], None]
    subscriptions: Callable[[Runtime], Sequence[Subscription]] = field(default=lambda runtime: ())
    publishes: bool = False
    # periodic work of the service (name -> loop), run and restarted like the other background tasks
    background: Callable[[Runtime], dict[str, Callable[[], Awaitable[None]]]] = field(default=lambda runtime: {})
    # the service's audit log of cliënt data (`runtime.audit.inzage_table`): its search is served as
    # zorgketen.common.v1.Audit next to the service's own gRPC services
    audit: Table | None = None

    def service_names(self) -> tuple[str, ...]:
        return (*self.grpc_service_names, audit_servicer.SERVICE_NAME) if self.audit is not None else self.grpc_service_names


async def _supervise(name: str, factory: Callable[[], Awaitable[None]]) -> None:
    """Runs a background loop for the life of the process, restarting it if it ever fails."""
    delay = 0.5
    while True:
        try:
            await factory()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("background task %s failed; restarting in %.1fs", name, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)


async def _watch_health(health: health_aio.HealthServicer, names: Sequence[str], db: Database, messaging: Messaging) -> None:
    current = None
    while True:
        db_ok, nats_ok = await asyncio.gather(db.ping(), messaging.ping())
        status = SERVING if db_ok and nats_ok else NOT_SERVING
        if status != current:
            if status == SERVING:
                log.info("SERVING: database and NATS JetStream reachable")
            else:
                log.warning("NOT_SERVING: database %s, NATS %s", "ok" if db_ok else "unreachable", "ok" if nats_ok else "unreachable")
            for name in ("", *names):
                await health.set(name, status)
            current = status
        await asyncio.sleep(HEALTH_INTERVAL_SECONDS)


async def serve(definition: ServiceDefinition, cfg: settings_mod.Settings) -> None:
    telemetry.setup_tracing(definition.name, cfg.otlp_endpoint)
    telemetry.instrument_grpc()
    db = Database(cfg.database_url, definition.metadata)
    engine = db.connect()
    if cfg.otlp_endpoint:
        telemetry.instrument_sqlalchemy(engine.sync_engine)
    messaging = Messaging(cfg.nats_url, f"zorgketen-{definition.name}")
    runtime = Runtime(definition.name, cfg, db, messaging)

    server = grpc.aio.server(interceptors=[AuthInterceptor(cfg.internal_token)], options=channels.OPTIONS)
    health = health_aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    definition.add_servicers(server, runtime)
    if definition.audit is not None:
        audit_servicer.add_servicer(server, runtime, definition.audit)
    service_names = definition.service_names()
    reflection.enable_server_reflection(
        (*service_names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME),
        server,
    )
    for name in ("", *service_names):
        await health.set(name, NOT_SERVING)
    if server.add_insecure_port(cfg.grpc_listen) == 0:
        raise SystemExit(f"cannot listen on {cfg.grpc_listen}")
    await server.start()
    log.info("%s listening on %s", definition.name, cfg.grpc_listen)

    loops: dict[str, Callable[[], Awaitable[None]]] = {
        "nats-connect": messaging.run_connect,
        "health": lambda: _watch_health(health, service_names, db, messaging),
    }
    if definition.publishes:
        loops["outbox-relay"] = OutboxRelay(db, messaging).run
    loops.update(definition.background(runtime))
    for sub in definition.subscriptions(runtime):
        loops[f"consumer-{sub.durable}"] = EventConsumer(db, messaging, sub, definition.name, cfg.event_ack_wait_seconds).run
    tasks = [asyncio.create_task(_supervise(name, factory), name=name) for name, factory in loops.items()]

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()

    log.info("%s stopping", definition.name)
    await health.enter_graceful_shutdown()
    await server.stop(GRACE_SECONDS)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await messaging.close()
    await db.dispose()
    telemetry.shutdown_tracing()
    log.info("%s stopped", definition.name)


def main(definition: ServiceDefinition, argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {definition.name}", description=f"The Zorgketen {definition.name} service.")
    parser.add_argument("command", nargs="?", default="serve", choices=("serve", "migrate"))
    args = parser.parse_args(argv)
    try:
        cfg = settings_mod.load(settings_mod.MIGRATE_SETTINGS if args.command == "migrate" else settings_mod.settings_of_service(definition.name))
    except settings_mod.SettingsError as exc:
        sys.stderr.write(f"{definition.name}: {exc}\n")
        raise SystemExit(2) from None
    telemetry.setup_logging(definition.name, cfg.log_level)
    if args.command == "migrate":
        migrations.upgrade(definition.migrations_dir, cfg.database_url)
        log.info("%s migrated to head", definition.name)
        return
    asyncio.run(serve(definition, cfg))
