"""Test support: throwaway PostgreSQL and NATS on free ports, and services run as real processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from devstack.infra import LocalNats, LocalPostgres, free_port
from runtime.interceptors import call_metadata
from runtime.settings import INTERNAL_TOKEN, SERVICE_ADDRESSES, SERVICE_PEERS
from runtime.tenancy import Tenant

TOKEN = INTERNAL_TOKEN.dev_default or ""


class Infra:
    """A PostgreSQL cluster of its own in a temporary directory, for a test session."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="zorgketen-test-"))
        self.root.chmod(0o755)  # the postgres user must reach its data directory
        self.pg = LocalPostgres(self.root / "postgres", fast=True)

    def start(self) -> Infra:
        self.pg.initialize()
        self.pg.start()
        return self

    def new_database(self) -> str:
        return self.pg.create_database(f"t_{uuid.uuid4().hex[:12]}")

    def stop(self) -> None:
        self.pg.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class ServiceProcess:
    """`python -m <name>` with its own environment and log file."""

    def __init__(self, name: str, env: dict[str, str], logdir: Path):
        self.name = name
        self.env = {**os.environ, "ZK_ENV": "development", "ZK_LOG_LEVEL": "INFO", **env}
        self.log = logdir / f"{name}-{uuid.uuid4().hex[:6]}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return self.env.get("ZK_GRPC_LISTEN", "")

    def migrate(self) -> None:
        result = subprocess.run([sys.executable, "-m", self.name, "migrate"], env=self.env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    def start(self, *args: str) -> ServiceProcess:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([sys.executable, *(args or ("-m", self.name))], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def stop(self, timeout: float = 15) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def logtext(self) -> str:
        return self.log.read_text(errors="replace")


def make_starter(database_url: str, nats_url: str, logdir: Path, started: list[ServiceProcess]) -> Callable[..., ServiceProcess]:
    """A function that migrates and starts a service as a process, waiting for SERVING unless told not to."""

    def start(name: str, wait: bool = True, **env: str) -> ServiceProcess:
        # the services it calls: those started before it, else an address where nothing listens
        peers = {
            SERVICE_ADDRESSES[peer].name: next((s.address for s in reversed(started) if s.name == peer), "127.0.0.1:9")
            for peer in SERVICE_PEERS.get(name, ())
        }
        service = ServiceProcess(
            name,
            {"ZK_DATABASE_URL": database_url, "ZK_NATS_URL": nats_url, "ZK_GRPC_LISTEN": f"127.0.0.1:{free_port()}", **peers, **env},
            logdir,
        )
        service.migrate()
        service.start()
        started.append(service)
        if wait:
            wait_for(lambda: health_status(service.address) == "SERVING", 30, what=f"{name} SERVING\n{service.logtext()[-2000:]}")
        return service

    return start


def health_status(address: str, timeout: float = 1.0) -> str:
    try:
        with grpc.insecure_channel(address) as channel:
            response = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=timeout)
            return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
    except grpc.RpcError:
        return "UNREACHABLE"


def wait_for(condition, timeout: float = 30.0, interval: float = 0.1, what: str = "condition"):  # type: ignore[no-untyped-def]
    """Polls `condition` until it returns a truthy value; fails the test with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def metadata(tenant: Tenant) -> list[tuple[str, str]]:
    return call_metadata(TOKEN, tenant)


def sql(database_url: str, query: str) -> list[tuple]:
    """Runs one query on a test database and returns its rows (for assertions on stored state)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        cursor = conn.execute(query)
        return cursor.fetchall() if cursor.description is not None else []


def consumer_state(nats_monitor_port: int, durable: str) -> dict:
    """The JetStream state of a durable consumer, from the nats-server monitoring endpoint."""
    import json
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{nats_monitor_port}/jsz?consumers=true", timeout=2) as response:
        report = json.load(response)
    for account in report.get("account_details", []):
        for stream in account.get("stream_detail", []):
            for consumer in stream.get("consumer_detail", []) or []:
                if consumer["name"] == durable:
                    return consumer
    return {}


@dataclass
class PrivateStack:
    """A database and NATS of its own, and `start` for services on them (see `private_stack`)."""

    url: str
    nats_url: str
    start: Callable[..., ServiceProcess]
    started: list[ServiceProcess] = field(default_factory=list)


@contextmanager
def private_stack(root: Path) -> Iterator[PrivateStack]:
    """A throwaway PostgreSQL (without fsync) and NATS in `root`, for a benchmark run: every process in
    `started` (the services `start` made, and any the caller adds) is stopped on leaving, then NATS and
    PostgreSQL."""
    pg = LocalPostgres(root / "postgres", fast=True)
    nats = LocalNats(root / "nats", logfile=root / "nats.log")
    started: list[ServiceProcess] = []
    try:
        pg.initialize()
        pg.start()
        nats.start()
        url = pg.create_database("zorgketen")
        yield PrivateStack(url, nats.url, make_starter(url, nats.url, root, started), started)
    finally:
        for process in reversed(started):
            if process.process is not None and process.process.poll() is None:
                try:
                    process.stop(20)
                except Exception:
                    process.kill()
        nats.stop()
        pg.stop()
