"""Test support for the portal: the services it calls as real processes, the demo region loaded
through their gRPC APIs, one samenwerkingstraject handed to an aanbieder, and the edge with the demo
portal users. Used by tests/test_portal_*.py (one stack per test module)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import httpx
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc
from zorgketen.indicatie.v1 import trajecten_pb2 as pb
from zorgketen.indicatie.v1 import trajecten_pb2_grpc

from devstack import demo
from devstack.infra import LocalNats, free_port
from devstack.testing import TOKEN, Infra, ServiceProcess, make_starter, metadata, wait_for
from devstack.users import write_users_file
from runtime.settings import SERVICE_NAMES
from runtime.tenancy import Role, Tenant

LOADER = Tenant.gemeente(Role.SYSTEEM, "portal-test-loader", ["0356", "0321", "0353", "0331", "1961"])


@dataclass
class PortalStack:
    base_url: str
    addresses: dict[str, str]
    traject_id: str  # a traject of a Nieuwegein cliënt, handed over to aanbieder 98100001
    traject_bsn: str
    processes: list[ServiceProcess] = field(default_factory=list)

    def clienten(self, gemeentecode: str) -> list[indicatie_pb2.Client]:
        """The demo cliënten of one gemeente (as the services hold them)."""
        with grpc.insecure_channel(self.addresses["indicatie"]) as channel:
            stub = indicatie_pb2_grpc.IndicatieStub(channel)
            tenant = Tenant.gemeente(Role.SYSTEEM, "portal-test", [gemeentecode])
            return list(stub.ListClienten(indicatie_pb2.ListClientenRequest(page=common_pb2.PageRequest(page_size=500)), metadata=metadata(tenant), timeout=10).clienten)

    def start_edge(self, workdir: Path, **env: str) -> str:
        """Starts an edge (with the demo portal users) on these services; returns its base URL."""
        users = workdir / "portal-users.json"
        if not users.exists():
            write_users_file(users)
        port = free_port()
        nobody = f"127.0.0.1:{free_port()}"
        addresses = {f"ZK_{n.upper()}_ADDR": self.addresses.get(n, nobody) for n in SERVICE_NAMES}
        edge = ServiceProcess("edge", {**addresses, "ZK_EDGE_PORT": str(port), "ZK_PORTAL_USERS_FILE": str(users), **env}, workdir).start()
        self.processes.append(edge)
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _up(base), 30, what=f"the edge answering\n{edge.logtext()[-2000:]}")
        return base


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/portal/inloggen", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _traject(indicatie_addr: str, bsn: str) -> str:
    consulent = metadata(Tenant.gemeente(Role.GEMEENTE_CONSULENT, "portal:consulent-0356", ["0356"]))
    with grpc.insecure_channel(indicatie_addr) as channel:
        stub = trajecten_pb2_grpc.TrajectenStub(channel)
        traject = stub.RegistreerMelding(
            pb.RegistreerMeldingRequest(bsn=common_pb2.Bsn(value=bsn), gemeente=common_pb2.Gemeentecode(value="0356"), onderwerp="Ondersteuning thuis"),
            metadata=consulent,
            timeout=10,
        )
        stub.StelPopOp(
            pb.StelPopOpRequest(
                traject_id=traject.id,
                zrm=[pb.ZrmScore(domein="huisvesting", score=2)],
                profiel="Begeleiding thuis",
                pakket="Pakket licht",
                aanbieder=common_pb2.AgbCode(value="98100001"),
            ),
            metadata=consulent,
            timeout=10,
        )
        stub.DraagPopOver(pb.DraagPopOverRequest(traject_id=traject.id), metadata=consulent, timeout=10)
        return traject.id


def start_portal_stack(infra: Infra, workdir: Path, **edge_env: str) -> tuple[PortalStack, LocalNats]:
    nats = LocalNats(workdir / "nats", free_port(), free_port(), workdir / "nats.log")
    nats.start()
    started: list[ServiceProcess] = []
    start = make_starter(infra.new_database(), nats.url, workdir, started)
    for name in ("indicatie", "declaratie", "berichten"):
        start(name)
    addresses = {s.name: s.address for s in started}
    asyncio.run(demo.load(addresses["indicatie"], addresses["declaratie"], TOKEN))
    nieuwegein = [c for c in demo.demo_clienten(demo.load_region()) if c.gemeente.value == "0356" and c.status == indicatie_pb2.CLIENT_STATUS_ACTIEF]
    traject_bsn = nieuwegein[0].bsn.value
    traject_id = _traject(addresses["indicatie"], traject_bsn)

    stack = PortalStack("", addresses, traject_id, traject_bsn, started)
    stack.base_url = stack.start_edge(workdir, **edge_env)
    return stack, nats


def stop_portal_stack(stack: PortalStack, nats: LocalNats) -> None:
    for process in reversed(stack.processes):
        if process.process and process.process.poll() is None:
            process.stop()
    nats.stop()
