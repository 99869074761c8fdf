"""Every service reports its health by the gRPC health protocol, and the edge sums it up at /health:
NOT_SERVING while PostgreSQL or NATS is away, SERVING again when it is back."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request

import pytest

from devstack.infra import free_port
from devstack.testing import ServiceProcess, health_status, wait_for
from runtime.settings import SERVICE_NAMES

pytestmark = pytest.mark.integration


def edge_health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=3) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)
    except OSError:
        return 0, {}


def test_health_follows_postgres_and_nats(start_private_service, private_postgres, nats, tmp_path):
    services = {name: start_private_service(name) for name in SERVICE_NAMES}
    port = free_port()
    edge = ServiceProcess(
        "edge", {"ZK_EDGE_PORT": str(port), **{f"ZK_{n.upper()}_ADDR": s.address for n, s in services.items()}}, tmp_path
    ).start()
    try:
        status, report = wait_for(lambda: (r := edge_health(port))[0] == 200 and r, 30, what="edge /health 200")
        assert report == {"status": "serving", "services": {**{n: "SERVING" for n in SERVICE_NAMES}, "edge": "SERVING"}}

        nats.stop()
        status, report = wait_for(lambda: (r := edge_health(port))[0] == 503 and r, 15, what="/health 503 without NATS")
        wait_for(lambda: all(edge_health(port)[1]["services"][n] == "NOT_SERVING" for n in SERVICE_NAMES), 15, what="all NOT_SERVING")
        assert report["status"] == "not_serving"
        nats.start()
        wait_for(lambda: edge_health(port)[0] == 200, 30, what="/health 200 after NATS is back")

        private_postgres.stop()
        wait_for(lambda: all(edge_health(port)[1]["services"][n] == "NOT_SERVING" for n in SERVICE_NAMES), 15, what="all NOT_SERVING without PostgreSQL")
        assert edge_health(port)[0] == 503
        private_postgres.start()
        wait_for(lambda: edge_health(port)[0] == 200, 30, what="/health 200 after PostgreSQL is back")
    finally:
        edge.stop()


def test_edge_reports_an_unreachable_service_and_stays_live(tmp_path):
    port = free_port()
    nobody = f"127.0.0.1:{free_port()}"
    edge = ServiceProcess("edge", {"ZK_EDGE_PORT": str(port), **{f"ZK_{n.upper()}_ADDR": nobody for n in SERVICE_NAMES}}, tmp_path).start()
    try:
        status, report = wait_for(lambda: (r := edge_health(port))[0] and r, 20, what="edge answering")
        assert status == 503
        assert report["services"]["indicatie"] == "UNREACHABLE"
        assert report["services"]["edge"] == "SERVING"
        # the probes' endpoint answers for the edge process alone, whatever the services do
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=3) as response:
            assert (response.status, json.load(response)) == (200, {"status": "live"})
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=3) as response:
            assert "/health" in json.load(response)["paths"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/docs", timeout=3) as response:
            assert response.status == 200
    finally:
        edge.stop()  # uvicorn shuts down gracefully, then re-raises SIGTERM (exit status -15)
    assert "Finished server process" in edge.logtext()


def test_service_starts_not_serving_until_nats_is_reachable(start_service, nats):
    nats.stop()
    service = start_service("toewijzing", wait=False)
    wait_for(lambda: health_status(service.address) == "NOT_SERVING", 20, what="NOT_SERVING without NATS")
    nats.start()
    wait_for(lambda: health_status(service.address) == "SERVING", 30, what="SERVING once NATS is there")


def test_service_stops_gracefully_on_sigterm(start_service):
    service = start_service("berichten")
    service.process.send_signal(signal.SIGTERM)
    assert service.process.wait(15) == 0
    assert "berichten stopped" in service.logtext()
