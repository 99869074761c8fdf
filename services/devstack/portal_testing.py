"""Test support for the portal: the services it calls as real processes (the toewijzing service
last, on the berichten and indicatie services started before it), the demo region loaded through
their gRPC APIs, one samenwerkingstraject handed to an aanbieder, and the edge with the demo
portal users. Used by tests/test_portal_*.py (one stack per test module): `portal_stack_fixture`
makes a module's `stack` fixture, `portal_stack` is the same stack as a context manager for a
fixture that starts more around it (an OIDC provider)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import httpx
import pytest
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc
from zorgketen.indicatie.v1 import trajecten_pb2 as pb
from zorgketen.indicatie.v1 import trajecten_pb2_grpc

from devstack import demo
from devstack.infra import LocalNats, free_port
from devstack.testing import TOKEN, Infra, ServiceProcess, make_starter, metadata, wait_for
from devstack.users import demo_password, write_users_file
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
    database_url: str = ""  # the services' database; the edge keeps its sessions there in schema `edge`
    workdir: Path = Path()  # the module's own directory: logs, NATS store, users file (a test may start another edge there)

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
        port = int(env.pop("ZK_EDGE_PORT", 0)) or free_port()  # a given port: e.g. an OIDC redirect URI names it
        nobody = f"127.0.0.1:{free_port()}"
        addresses = {f"ZK_{n.upper()}_ADDR": self.addresses.get(n, nobody) for n in SERVICE_NAMES}
        edge = ServiceProcess(
            "edge", {**addresses, "ZK_EDGE_PORT": str(port), "ZK_PORTAL_USERS_FILE": str(users), "ZK_DATABASE_URL": self.database_url, **env}, workdir
        )
        edge.migrate()
        edge.start()
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
    nats = LocalNats(workdir / "nats", logfile=workdir / "nats.log")
    nats.start()
    started: list[ServiceProcess] = []
    database_url = infra.new_database()
    start = make_starter(database_url, nats.url, workdir, started)
    # each after the services it calls: declaratie calls berichten (the 323s and their 325s), toewijzing berichten and indicatie
    for name in ("indicatie", "berichten", "declaratie", "toewijzing"):
        start(name)
    addresses = {s.name: s.address for s in started}
    asyncio.run(demo.load(addresses["indicatie"], addresses["declaratie"], TOKEN))
    nieuwegein = [c for c in demo.demo_clienten(demo.load_region()) if c.gemeente.value == "0356" and c.status == indicatie_pb2.CLIENT_STATUS_ACTIEF]
    traject_bsn = nieuwegein[0].bsn.value
    traject_id = _traject(addresses["indicatie"], traject_bsn)

    stack = PortalStack("", addresses, traject_id, traject_bsn, started, database_url, workdir)
    stack.base_url = stack.start_edge(workdir, **edge_env)
    return stack, nats


def stop_portal_stack(stack: PortalStack, nats: LocalNats) -> None:
    """The edges first (they call the services), then the services all at once — each takes its
    few seconds of grace to stop, so together rather than one after the other — then NATS."""
    running = [p for p in reversed(stack.processes) if p.process is not None and p.process.poll() is None]
    for edge in (p for p in running if p.name == "edge"):
        edge.stop()
    diensten = [p for p in running if p.name != "edge"]
    for dienst in diensten:
        dienst.process.terminate()  # type: ignore[union-attr]
    for dienst in diensten:
        dienst.process.wait(20)  # type: ignore[union-attr]
    nats.stop()


@contextmanager
def portal_stack(infra: Infra, workdir: Path, **edge_env: str) -> Iterator[PortalStack]:
    """The stack for the duration of a `with`: started in `workdir`, stopped after (also on failure)."""
    stack, nats = start_portal_stack(infra, workdir, **edge_env)
    try:
        yield stack
    finally:
        stop_portal_stack(stack, nats)


def portal_stack_fixture(naam: str, edge_env: Callable[[Path], dict[str, str]] | None = None):  # type: ignore[no-untyped-def]
    """A test module's `stack` fixture (`stack = portal_stack_fixture("portal-x")`): one stack per
    module, in a directory of its own named `naam`; `edge_env(workdir)` may prepare files there and
    returns the edge's extra environment."""

    @pytest.fixture(scope="module", name="stack")
    def stack(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalStack]:
        workdir = tmp_path_factory.mktemp(naam)
        with portal_stack(infra, workdir, **(edge_env(workdir) if edge_env else {})) as started:
            yield started

    return stack


# ---- toewijzingen: cliënten on the toewijslijst and verzoeken, made through the services' APIs ----

CONSULENT_0356 = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "portal:consulent-0356", ["0356"])


def partner(agb: str) -> Tenant:
    """An aanbieder's partner system (sends messages through the hub)."""
    return Tenant.aanbieder(Role.SYSTEEM, f"partner:aanbieder-{agb}", agb)


def nieuwe_bsn(stack: PortalStack) -> str:
    """A BSN (11-proef) outside the demo range 9999xxxxx that this stack has not used yet."""
    from indicatie.domain.client import is_geldig_bsn

    gebruikt = stack.__dict__.setdefault("_bsns", set())
    n = 999_880_000
    while str(n) in gebruikt or not is_geldig_bsn(str(n)):
        n += 1
    gebruikt.add(str(n))
    return str(n)


def login(stack: PortalStack, gebruikersnaam: str) -> httpx.Client:
    """An HTTP client logged in to the portal as a demo user (the built-in login)."""
    client = httpx.Client(base_url=stack.base_url, follow_redirects=False, timeout=30)
    page = client.get("/portal/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/portal/inloggen", data={"csrf": token, "terug": "/portal/", "gebruikersnaam": gebruikersnaam, "wachtwoord": demo_password(gebruikersnaam)}
    )
    assert response.status_code == 303 and response.headers["location"] == "/portal/", response.text
    return client


def csrf(client: httpx.Client, path: str = "/portal/") -> str:
    """The session's CSRF token, as a page carries it."""
    return re.search(r'data-csrf="([^"]+)"', client.get(path).text).group(1)  # type: ignore[union-attr]


def client_met_beschikking(stack: PortalStack, bsn: str, ingang: str, einde: str, aanbieder: str | None = None, gemeente: str = "0356") -> indicatie_pb2.Beschikking:
    """A new cliënt of Nieuwegein with a Jeugdwet beschikking for 45/45A48 (contracted with 98100003
    and 98100004 in the demo region); without an aanbieder it goes on the toewijslijst."""
    consulent = metadata(Tenant.gemeente(Role.GEMEENTE_CONSULENT, f"portal:consulent-{gemeente}", [gemeente]))
    with grpc.insecure_channel(stack.addresses["indicatie"]) as channel:
        indicatie_pb2_grpc.IndicatieStub(channel).RegistreerClient(
            indicatie_pb2.RegistreerClientRequest(
                client=indicatie_pb2.Client(
                    bsn=common_pb2.Bsn(value=bsn),
                    gemeente=common_pb2.Gemeentecode(value=gemeente),
                    geslachtsnaam="Verbeek",
                    voorletters="J.",
                    geboortedatum=common_pb2.Datum(value="2015-03-04"),
                    geslacht="1",
                    adressen=[indicatie_pb2.Adres(soort="01", straatnaam="Lekboulevard", huisnummer=7, postcode="3431AB", plaatsnaam="Nieuwegein")],
                )
            ),
            metadata=consulent,
            timeout=10,
        )
    return beschikking(stack, bsn, ingang, einde, aanbieder, gemeente)


def beschikking(stack: PortalStack, bsn: str, ingang: str, einde: str, aanbieder: str | None = None, gemeente: str = "0356") -> indicatie_pb2.Beschikking:
    """Another Jeugdwet beschikking for 45/45A48 of a registered cliënt (its period must not overlap
    one the cliënt has); without an aanbieder it goes on the toewijslijst."""
    consulent = metadata(Tenant.gemeente(Role.GEMEENTE_CONSULENT, f"portal:consulent-{gemeente}", [gemeente]))
    product = indicatie_pb2.BeschiktProduct(
        product=common_pb2.Product(categorie="45", code="45A48"),
        omvang=common_pb2.Omvang(volume=120, eenheid="01", frequentie="2"),
        ingangsdatum=common_pb2.Datum(value=ingang),
        einddatum=common_pb2.Datum(value=einde),
        uitvoeringsvariant=indicatie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
        aanbieder=common_pb2.AgbCode(value=aanbieder) if aanbieder else None,
    )
    with grpc.insecure_channel(stack.addresses["indicatie"]) as channel:
        return indicatie_pb2_grpc.IndicatieStub(channel).GeefBeschikkingAf(
            indicatie_pb2.GeefBeschikkingAfRequest(
                beschikking=indicatie_pb2.Beschikking(
                    bsn=common_pb2.Bsn(value=bsn), gemeente=common_pb2.Gemeentecode(value=gemeente), wet=common_pb2.WET_JEUGDWET, producten=[product]
                )
            ),
            metadata=consulent,
            timeout=10,
        )


def toewijzing_call(stack: PortalStack, method: str, request, tenant: Tenant):  # type: ignore[no-untyped-def]
    from zorgketen.toewijzing.v1 import toewijzing_pb2_grpc

    with grpc.insecure_channel(stack.addresses["toewijzing"]) as channel:
        return getattr(toewijzing_pb2_grpc.ToewijzingStub(channel), method)(request, metadata=metadata(tenant), timeout=15)


def inschrijving_van(stack: PortalStack, bsn: str, tenant: Tenant = CONSULENT_0356):  # type: ignore[no-untyped-def]
    """The cliënt's entry on the toewijslijst as the gemeente sees it, once the service made it."""
    from zorgketen.toewijzing.v1 import toewijzing_pb2

    def gevonden():  # type: ignore[no-untyped-def]
        lijst = toewijzing_call(stack, "ListToewijslijst", toewijzing_pb2.ListToewijslijstRequest(page=common_pb2.PageRequest(page_size=500)), tenant)
        return next((i for i in lijst.inschrijvingen if i.bsn.value == bsn), None)

    return wait_for(gevonden, 30, 0.2, what=f"cliënt {bsn} on the toewijslijst")


def verzoek_om_toewijzing(stack: PortalStack, agb: str, gemeente: str, bsn: str):  # type: ignore[no-untyped-def]
    """A 315 (the official example, sent by `agb` to `gemeente` about `bsn`) through the hub; returns
    the verzoek once the toewijzing service has it."""
    import uuid

    from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
    from zorgketen.toewijzing.v1 import toewijzing_pb2

    from berichten.codec.schemas import STANDAARD_DIR

    xml = (STANDAARD_DIR / "ijw" / "3.2" / "examples" / "JW315.xml").read_bytes()
    for oud, nieuw in (
        (b"<jw315:Afzender>42420001</jw315:Afzender>", f"<jw315:Afzender>{agb}</jw315:Afzender>".encode()),
        (b"<jw315:Ontvanger>0384</jw315:Ontvanger>", f"<jw315:Ontvanger>{gemeente}</jw315:Ontvanger>".encode()),
        (b"<ijw:Identificatie>123456789012</ijw:Identificatie>", f"<ijw:Identificatie>{uuid.uuid4().hex[:12]}</ijw:Identificatie>".encode()),
        (b"<jw315:Bsn>999900006</jw315:Bsn>", f"<jw315:Bsn>{bsn}</jw315:Bsn>".encode()),
    ):
        assert oud in xml, oud
        xml = xml.replace(oud, nieuw)
    with grpc.insecure_channel(stack.addresses["berichten"]) as channel:
        sent = berichten_pb2_grpc.BerichtenStub(channel).Ontvang(berichten_pb2.OntvangRequest(xml=xml), metadata=metadata(partner(agb)), timeout=30)
    assert sent.status == "geaccepteerd", (sent.status, sent.fout_melding, list(sent.xsd_fouten), list(sent.bevindingen))
    gemeente_tenant = Tenant.gemeente(Role.GEMEENTE_CONSULENT, f"portal:consulent-{gemeente}", [gemeente])

    def gevonden():  # type: ignore[no-untyped-def]
        lijst = toewijzing_call(stack, "ListVerzoeken", toewijzing_pb2.ListVerzoekenRequest(page=common_pb2.PageRequest(page_size=200)), gemeente_tenant)
        return next((v for v in lijst.verzoeken if v.bericht_id == sent.id), None)

    return wait_for(gevonden, 30, 0.2, what=f"the verzoek {sent.id} in the toewijzing service")
