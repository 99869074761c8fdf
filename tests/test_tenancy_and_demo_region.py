"""The demo region loads through the services' APIs (twice without doubling), and every query is
limited to the caller's tenancy: a gemeente sees only its cliënten, an aanbieder only its contracts."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc
from zorgketen.indicatie.v1 import trajecten_pb2 as tpb
from zorgketen.indicatie.v1 import trajecten_pb2_grpc
from zorgketen.rapportage.v1 import rapportage_pb2, rapportage_pb2_grpc

from devstack import demo
from devstack.infra import LocalNats
from devstack.testing import TOKEN, make_starter, metadata, wait_for
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

NIEUWEGEIN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-nieuwegein", ["0356"])
HOUTEN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-houten", ["0321"])
AANBIEDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker-de-lek", "98100001")


@pytest.fixture(scope="module")
def region(infra, tmp_path_factory):
    logdir = tmp_path_factory.mktemp("region")
    nats = LocalNats(logdir / "nats", logfile=logdir / "nats.log")
    nats.start()
    started: list = []
    start_service = make_starter(infra.new_database(), nats.url, logdir, started)
    services = {name: start_service(name) for name in ("indicatie", "declaratie", "rapportage")}
    first = asyncio.run(demo.load(services["indicatie"].address, services["declaratie"].address, TOKEN))
    second = asyncio.run(demo.load(services["indicatie"].address, services["declaratie"].address, TOKEN))
    channels = {name: grpc.insecure_channel(s.address) for name, s in services.items()}
    yield {"first": first, "second": second, "channels": channels}
    for channel in channels.values():
        channel.close()
    for service in started:
        service.stop()
    nats.stop()


def all_clienten(channel: grpc.Channel, tenant: Tenant, page_size: int = 7) -> list[indicatie_pb2.Client]:
    stub = indicatie_pb2_grpc.IndicatieStub(channel)
    result, token = [], ""
    while True:
        page = stub.ListClienten(
            indicatie_pb2.ListClientenRequest(page=common_pb2.PageRequest(page_size=page_size, page_token=token)),
            metadata=metadata(tenant),
            timeout=5,
        )
        result.extend(page.clienten)
        token = page.next_page_token
        if not token:
            return result


def test_demo_region_loads_once(region):
    spec = demo.load_region()
    assert region["first"].clienten_nieuw == spec["clienten"]["aantal"] >= 100
    assert region["first"].contracten_nieuw == len(demo.demo_contracten(spec))
    assert region["second"].clienten_nieuw == 0 and region["second"].contracten_nieuw == 0
    assert region["second"].clienten_bestaand == region["first"].clienten_nieuw
    # every gemeente pays every aanbieder on its IBAN and is the debtor of its payment files, set once
    assert region["first"].betaalgegevens == region["second"].betaalgegevens == len(spec["gemeenten"]) * len(spec["aanbieders"])
    assert (region["first"].debiteuren_nieuw, region["second"].debiteuren_nieuw) == (len(spec["gemeenten"]), 0)


def test_demo_region_has_trajecten_and_beschikkingen_in_every_state_once(region):
    spec = demo.load_region()
    n = len(spec["werkruimte"]["trajecten"])
    first, second = region["first"].werkruimte, region["second"].werkruimte
    taken = sum(len(t["taken"]) for t in spec["werkruimte"]["trajecten"])
    assert (first.trajecten_nieuw, first.taken_nieuw, first.pops, first.evaluaties) == (n, taken, n, 1)
    assert (second.trajecten_nieuw, second.trajecten_bestaand, second.taken_nieuw) == (0, n, 0)
    assert (first.beschikkingen_nieuw, first.gewijzigd, first.ingetrokken) == (3, 2, 1)
    assert (second.beschikkingen_nieuw, second.gewijzigd, second.ingetrokken) == (0, 2, 1)

    channel = region["channels"]["indicatie"]
    gemeenten = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-regio", [g["code"] for g in spec["gemeenten"]])
    trajecten = trajecten_pb2_grpc.TrajectenStub(channel)
    gevonden = trajecten.ListTrajecten(tpb.ListTrajectenRequest(page=common_pb2.PageRequest(page_size=100)), metadata=metadata(gemeenten), timeout=5).trajecten
    assert sorted(t.onderwerp for t in gevonden) == sorted(t["onderwerp"] for t in spec["werkruimte"]["trajecten"])
    pops = {t.onderwerp: trajecten.GetPop(tpb.GetPopRequest(traject_id=t.id), metadata=metadata(gemeenten), timeout=5).status for t in gevonden}
    assert sorted(pops.values()) == sorted(
        [tpb.POP_STATUS_CONCEPT, tpb.POP_STATUS_BIJ_AANBIEDER, tpb.POP_STATUS_TERUGGEGEVEN, tpb.POP_STATUS_ONDERTEKEND, tpb.POP_STATUS_TOEGEKEND]
    )
    toegekend = next(t for t in gevonden if pops[t.onderwerp] == tpb.POP_STATUS_TOEGEKEND)
    (evaluatie,) = trajecten.ListEvaluaties(tpb.ListEvaluatiesRequest(traject_id=toegekend.id), metadata=metadata(gemeenten), timeout=5).evaluaties
    assert evaluatie.status == tpb.EVALUATIE_STATUS_UITGEVOERD

    stub = indicatie_pb2_grpc.IndicatieStub(channel)
    statussen = [
        stub.GetBeschikking(indicatie_pb2.GetBeschikkingRequest(gemeente=b.gemeente, beschikkingnummer=b.beschikkingnummer), metadata=metadata(gemeenten), timeout=5).status
        for b, _ in demo.demo_extra_beschikkingen(spec)
    ]
    assert sorted(statussen) == sorted([indicatie_pb2.BESCHIKKING_STATUS_GEWIJZIGD] * 2 + [indicatie_pb2.BESCHIKKING_STATUS_INGETROKKEN])


def test_gemeente_sees_only_its_own_clienten(region):
    channel = region["channels"]["indicatie"]
    nieuwegein = all_clienten(channel, NIEUWEGEIN)
    expected = [c for c in demo.demo_clienten(demo.load_region()) if c.gemeente.value == "0356"]
    assert len(nieuwegein) == len(expected) > 0
    assert {c.gemeente.value for c in nieuwegein} == {"0356"}
    assert sorted(c.bsn.value for c in nieuwegein) == sorted(c.bsn.value for c in expected)

    houten_client = all_clienten(channel, HOUTEN)[0]
    stub = indicatie_pb2_grpc.IndicatieStub(channel)
    with pytest.raises(grpc.RpcError) as refused:
        stub.GetClient(indicatie_pb2.GetClientRequest(bsn=houten_client.bsn, gemeente=houten_client.gemeente), metadata=metadata(NIEUWEGEIN), timeout=5)
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND
    own = stub.GetClient(indicatie_pb2.GetClientRequest(bsn=houten_client.bsn, gemeente=houten_client.gemeente), metadata=metadata(HOUTEN), timeout=5)
    assert own.bsn == houten_client.bsn


def test_aanbieder_sees_only_the_clienten_of_its_open_trajecten_and_only_its_own_contracten(region):
    # no toewijzing service runs here: an aanbieder sees a cliënt only through a traject the POP handed to it
    spec = demo.load_region()
    met_aanbieder = [b for b in demo.demo_beschikkingen(spec) if b.producten[0].aanbieder.value]
    open_voor = sorted(
        b.bsn.value for t, b in zip(spec["werkruimte"]["trajecten"], met_aanbieder) if t["stap"] != "concept" and b.producten[0].aanbieder.value == "98100001"
    )
    assert sorted(c.bsn.value for c in all_clienten(region["channels"]["indicatie"], AANBIEDER)) == open_voor
    stub = declaratie_pb2_grpc.DeclaratieStub(region["channels"]["declaratie"])
    contracten = stub.ListContracten(
        declaratie_pb2.ListContractenRequest(page=common_pb2.PageRequest(page_size=500)), metadata=metadata(AANBIEDER), timeout=5
    ).contracten
    assert contracten and {c.aanbieder.value for c in contracten} == {"98100001"}
    wets = {c.wet for c in stub.ListContracten(declaratie_pb2.ListContractenRequest(page=common_pb2.PageRequest(page_size=500)), metadata=metadata(NIEUWEGEIN), timeout=5).contracten}
    assert wets == {common_pb2.WET_WMO, common_pb2.WET_JEUGDWET}


def test_rapportage_counts_only_the_callers_gemeente(region):
    stub = rapportage_pb2_grpc.RapportageStub(region["channels"]["rapportage"])
    expected = sum(1 for c in demo.demo_clienten(demo.load_region()) if c.gemeente.value == "0356")

    def telling():
        response = stub.GetClientTelling(rapportage_pb2.GetClientTellingRequest(), metadata=metadata(NIEUWEGEIN), timeout=5)
        return [(t.gemeente.value, t.aantal_clienten) for t in response.tellingen]

    assert wait_for(lambda: telling() == [("0356", expected)], 20, what="the telling of Nieuwegein")


def test_refusals_name_their_reason(region):
    channel = region["channels"]["indicatie"]
    stub = indicatie_pb2_grpc.IndicatieStub(channel)
    client = indicatie_pb2.Client(
        bsn=common_pb2.Bsn(value="123456789"),
        gemeente=common_pb2.Gemeentecode(value="0356"),
        geslachtsnaam="Test",
        voorletters="T.",
        geboortedatum=common_pb2.Datum(value="1980-01-01"),
        geslacht="1",
    )
    cases = [
        (client, metadata(NIEUWEGEIN), grpc.StatusCode.INVALID_ARGUMENT, "11-proef"),
        (client, [], grpc.StatusCode.UNAUTHENTICATED, "internal token"),
        (client, [("x-zk-internal-token", TOKEN), ("x-zk-role", "koning")], grpc.StatusCode.UNAUTHENTICATED, "unknown role"),
        (client, metadata(HOUTEN), grpc.StatusCode.PERMISSION_DENIED, "0356"),
        (client, metadata(AANBIEDER), grpc.StatusCode.PERMISSION_DENIED, "0356"),
    ]
    for pb, md, code, words in cases:
        if code is grpc.StatusCode.PERMISSION_DENIED:
            pb = indicatie_pb2.Client(**{**{f.name: v for f, v in client.ListFields()}, "bsn": common_pb2.Bsn(value=demo.demo_bsns()[900])})
        with pytest.raises(grpc.RpcError) as refused:
            stub.RegistreerClient(indicatie_pb2.RegistreerClientRequest(client=pb), metadata=md, timeout=5)
        assert refused.value.code() == code
        assert words in refused.value.details()
    with pytest.raises(grpc.RpcError) as refused:
        stub.ListClienten(indicatie_pb2.ListClientenRequest(page=common_pb2.PageRequest(page_token="bm9wZQ==")), metadata=metadata(NIEUWEGEIN), timeout=5)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
