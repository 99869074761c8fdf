"""Fixtures for the integration tests: real PostgreSQL and NATS JetStream, services as processes.

PostgreSQL is one cluster per test session with a fresh database per test; NATS is a fresh server
per test (it starts in milliseconds), so no stream or durable consumer state leaks between tests.
Tests that stop PostgreSQL get a cluster of their own (`private_postgres`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devstack.infra import LocalNats, LocalPostgres
from devstack.testing import Infra, ServiceProcess, make_starter

StartService = Callable[..., ServiceProcess]


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    shared = Infra().start()
    yield shared
    shared.stop()


@pytest.fixture
def nats(tmp_path: Path) -> Iterator[LocalNats]:
    server = LocalNats(tmp_path / "nats", logfile=tmp_path / "nats.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_postgres() -> Iterator[LocalPostgres]:
    own = Infra().start()
    yield own.pg
    own.stop()


def _stop_all(started: list[ServiceProcess]) -> None:
    for service in started:
        if service.process and service.process.poll() is None:
            service.kill()


@pytest.fixture
def start_service(infra: Infra, nats: LocalNats, tmp_path: Path) -> Iterator[StartService]:
    """Starts services as real processes on a fresh database and this test's NATS; kills them after."""
    started: list[ServiceProcess] = []
    yield make_starter(infra.new_database(), nats.url, tmp_path, started)
    _stop_all(started)


@pytest.fixture
def start_private_service(private_postgres: LocalPostgres, nats: LocalNats, tmp_path: Path) -> Iterator[StartService]:
    """Like start_service, on a PostgreSQL cluster of this test's own (which the test may stop)."""
    started: list[ServiceProcess] = []
    yield make_starter(private_postgres.create_database("zorgketen"), nats.url, tmp_path, started)
    _stop_all(started)
