"""Cliënten over gRPC with the indicatie service as a process: the full cliënt is stored and returned;
a change is published; BRP-mutaties (overlijden, verhuizing) are recorded and published once per
kenmerk, one by one or as an import; another gemeente and aanbieders cannot read or change the
cliënt; every read is written to the audit log."""

from __future__ import annotations

import asyncio

import grpc
import nats as nats_client
import pytest
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

from devstack.demo import demo_bsns
from devstack.infra import LocalNats
from devstack.testing import make_starter, metadata, sql, wait_for
from runtime.events import Event
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

NIEUWEGEIN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-nieuwegein", ["0356"])
BACKOFFICE = Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "backoffice-lekstroom", ["0356", "0321"])
BRP = Tenant.gemeente(Role.SYSTEEM, "brp-koppeling", ["0356"])
HOUTEN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-houten", ["0321"])
AANBIEDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker", "98100001")
BSNS = demo_bsns()[600:610]
GEMEENTE = common_pb2.Gemeentecode(value="0356")


@pytest.fixture(scope="module")
def indicatie(infra, tmp_path_factory):
    logdir = tmp_path_factory.mktemp("client")
    nats = LocalNats(logdir / "nats", logfile=logdir / "nats.log")
    nats.start()
    started: list = []
    service = make_starter(infra.new_database(), nats.url, logdir, started)("indicatie")
    with grpc.insecure_channel(service.address) as channel:
        stub = indicatie_pb2_grpc.IndicatieStub(channel)
        for bsn in BSNS:
            stub.RegistreerClient(indicatie_pb2.RegistreerClientRequest(client=client(bsn)), metadata=metadata(NIEUWEGEIN), timeout=5)
        yield {"stub": stub, "url": service.env["ZK_DATABASE_URL"], "nats": nats.url}
    for s in started:
        s.stop()
    nats.stop()


def client(bsn: str, **changes) -> indicatie_pb2.Client:  # type: ignore[no-untyped-def]
    values = dict(
        bsn=common_pb2.Bsn(value=bsn),
        gemeente=GEMEENTE,
        geslachtsnaam="Dekker",
        voorvoegsel="",
        voorletters="E.M.",
        geboortedatum=common_pb2.Datum(value="1900-01-01"),
        datum_gebruik="3",
        geslacht="2",
        adressen=[
            indicatie_pb2.Adres(soort="01", straatnaam="Dorpsstraat", huisnummer=4, huisletter="a", postcode="3431 ab", plaatsnaam="Nieuwegein"),
            indicatie_pb2.Adres(soort="02", straatnaam="Postbus", huisnummer=100, postcode="3430AA", plaatsnaam="Nieuwegein"),
        ],
        contact=indicatie_pb2.Contact(telefoon="030-1234567", emailadres="e.dekker@example.nl"),
        wettelijke_vertegenwoordiging=indicatie_pb2.WettelijkeVertegenwoordiging(soort="08", naam="Mentorschap Utrecht", contact=indicatie_pb2.Contact(telefoon="030-7654321")),
    )
    values.update(changes)
    return indicatie_pb2.Client(**values)


def get(stub, bsn: str, tenant=NIEUWEGEIN) -> indicatie_pb2.Client:  # type: ignore[no-untyped-def]
    return stub.GetClient(indicatie_pb2.GetClientRequest(bsn=common_pb2.Bsn(value=bsn), gemeente=GEMEENTE), metadata=metadata(tenant), timeout=5)


def refused(call, request, tenant) -> grpc.RpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as error:
        call(request, metadata=metadata(tenant), timeout=5)
    return error.value


def events(url: str, subject: str, bsn: str) -> list[dict]:  # type: ignore[type-arg]
    rows = sql(url, f"SELECT payload FROM indicatie.outbox WHERE subject = '{subject}' AND payload->'data'->>'bsn' = '{bsn}' ORDER BY seq")
    return [row[0]["data"] for row in rows]


def test_full_client_is_stored_and_returned(indicatie):
    found = get(indicatie["stub"], BSNS[0])
    assert found.datum_gebruik == "3" and found.geboortedatum.value == "1900-01-01"
    assert [(a.soort, a.straatnaam, a.huisnummer, a.huisletter, a.postcode) for a in found.adressen] == [
        ("01", "Dorpsstraat", 4, "a", "3431AB"),
        ("02", "Postbus", 100, "", "3430AA"),
    ]
    assert (found.postcode, found.huisnummer) == ("3431AB", "4")
    assert found.contact.emailadres == "e.dekker@example.nl"
    assert found.wettelijke_vertegenwoordiging.soort == "08" and found.wettelijke_vertegenwoordiging.contact.telefoon == "030-7654321"
    assert get(indicatie["stub"], BSNS[0], BACKOFFICE).bsn.value == BSNS[0]  # the back office working for the gemeente


def test_bad_codes_are_refused_with_their_reason(indicatie):
    bad = client(demo_bsns()[650], datum_gebruik="9")
    error = refused(indicatie["stub"].RegistreerClient, indicatie_pb2.RegistreerClientRequest(client=bad), NIEUWEGEIN)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "datum_gebruik '9' is not a valid code of COD170" in error.details()


def test_wijziging_is_stored_and_published_once(indicatie):
    stub, url = indicatie["stub"], indicatie["url"]
    nieuw = client(BSNS[1], geslachtsnaam="Dekker-Smit", adressen=[indicatie_pb2.Adres(soort="01", straatnaam="Kanaalweg", huisnummer=9, postcode="3432CD", plaatsnaam="Nieuwegein")])
    changed = stub.WijzigClient(indicatie_pb2.WijzigClientRequest(client=nieuw), metadata=metadata(NIEUWEGEIN), timeout=5)
    assert changed.geslachtsnaam == "Dekker-Smit" and [a.soort for a in changed.adressen] == ["01"]
    stub.WijzigClient(indicatie_pb2.WijzigClientRequest(client=nieuw), metadata=metadata(NIEUWEGEIN), timeout=5)  # nothing changes
    assert len(events(url, "indicatie.client.gewijzigd", BSNS[1])) == 1
    assert get(stub, BSNS[1]).postcode == "3432CD"
    assert refused(stub.WijzigClient, indicatie_pb2.WijzigClientRequest(client=nieuw), HOUTEN).code() == grpc.StatusCode.PERMISSION_DENIED


def mutatie(bsn: str, kenmerk: str, soort, datum: str, **extra) -> indicatie_pb2.BrpMutatie:  # type: ignore[no-untyped-def]
    return indicatie_pb2.BrpMutatie(kenmerk=kenmerk, bsn=common_pb2.Bsn(value=bsn), gemeente=GEMEENTE, soort=soort, datum=common_pb2.Datum(value=datum), **extra)


def test_brp_overlijden_is_recorded_and_published_once(indicatie):
    stub, url = indicatie["stub"], indicatie["url"]
    request = indicatie_pb2.VerwerkBrpMutatieRequest(mutatie=mutatie(BSNS[2], "brp-2026-0001", indicatie_pb2.BRP_MUTATIE_SOORT_OVERLIJDEN, "2026-10-30"))
    first = stub.VerwerkBrpMutatie(request, metadata=metadata(BRP), timeout=5)
    assert first.verwerkt and first.client.status == indicatie_pb2.CLIENT_STATUS_OVERLEDEN
    second = stub.VerwerkBrpMutatie(request, metadata=metadata(BRP), timeout=5)
    assert not second.verwerkt
    assert events(url, "indicatie.client.overleden", BSNS[2]) == [
        {"bsn": BSNS[2], "gemeentecode": "0356", "datum": "2026-10-30", "kenmerk": "brp-2026-0001", "bron": "koppeling"}
    ]
    assert sql(url, f"SELECT soort, datum::text, door FROM indicatie.brp_mutatie WHERE bsn = '{BSNS[2]}'") == [("overlijden", "2026-10-30", "brp-koppeling")]
    assert get(stub, BSNS[2]).status == indicatie_pb2.CLIENT_STATUS_OVERLEDEN


def test_brp_import_processes_each_mutatie_on_its_own(indicatie):
    stub, url = indicatie["stub"], indicatie["url"]
    verhuizing = mutatie(BSNS[3], "brp-2026-0002", indicatie_pb2.BRP_MUTATIE_SOORT_VERHUIZING, "2026-11-01", nieuwe_gemeente=common_pb2.Gemeentecode(value="0344"))
    binnen = mutatie(
        BSNS[4], "brp-2026-0003", indicatie_pb2.BRP_MUTATIE_SOORT_VERHUIZING, "2026-11-02", nieuwe_gemeente=GEMEENTE,
        nieuw_adres=indicatie_pb2.Adres(straatnaam="Nieuwe Gracht", huisnummer=1, postcode="3431EF", plaatsnaam="Nieuwegein"),
    )
    zonder_kenmerk = mutatie(BSNS[5], "", indicatie_pb2.BRP_MUTATIE_SOORT_OVERLIJDEN, "2026-11-01")
    onbekend = mutatie(demo_bsns()[700], "brp-2026-0004", indicatie_pb2.BRP_MUTATIE_SOORT_OVERLIJDEN, "2026-11-01")
    response = stub.VerwerkBrpMutaties(indicatie_pb2.VerwerkBrpMutatiesRequest(mutaties=[verhuizing, binnen, zonder_kenmerk, onbekend, verhuizing]), metadata=metadata(BRP), timeout=10)
    assert [r.uitkomst for r in response.resultaten] == ["verwerkt", "verwerkt", "geweigerd", "geweigerd", "al verwerkt"]
    assert "kenmerk" in response.resultaten[2].reden and "no cliënt" in response.resultaten[3].reden
    (verhuisd,) = events(url, "indicatie.client.verhuisd", BSNS[3])
    assert verhuisd["nieuwe_gemeentecode"] == "0344" and verhuisd["bron"] == "import"
    assert get(stub, BSNS[3]).status == indicatie_pb2.CLIENT_STATUS_VERHUISD
    assert get(stub, BSNS[4]).adressen[0].straatnaam == "Nieuwe Gracht" and events(url, "indicatie.client.verhuisd", BSNS[4]) == []


def test_other_gemeente_and_aanbieder_cannot_read_or_change_the_client(indicatie):
    stub = indicatie["stub"]
    for tenant in (HOUTEN, AANBIEDER):
        assert refused(stub.GetClient, indicatie_pb2.GetClientRequest(bsn=common_pb2.Bsn(value=BSNS[0]), gemeente=GEMEENTE), tenant).code() == grpc.StatusCode.NOT_FOUND
        assert stub.ListClienten(indicatie_pb2.ListClientenRequest(), metadata=metadata(tenant), timeout=5).clienten == []
    brp = indicatie_pb2.VerwerkBrpMutatieRequest(mutatie=mutatie(BSNS[0], "brp-x", indicatie_pb2.BRP_MUTATIE_SOORT_OVERLIJDEN, "2026-11-01"))
    assert refused(stub.VerwerkBrpMutatie, brp, HOUTEN).code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused(stub.VerwerkBrpMutatie, brp, AANBIEDER).code() == grpc.StatusCode.PERMISSION_DENIED


def publish(nats_url: str, event: Event) -> None:
    """Publishes an event as another service's outbox relay does."""

    async def send() -> None:
        connection = await nats_client.connect(nats_url)
        try:
            await connection.jetstream().publish(event.subject, event.to_bytes(), headers={"Nats-Msg-Id": event.id})
        finally:
            await connection.close()

    asyncio.run(send())


def test_an_aanbieder_sees_a_client_while_it_has_a_toewijzing_for_them(indicatie):
    stub, bsn = indicatie["stub"], BSNS[8]
    request = indicatie_pb2.GetClientRequest(bsn=common_pb2.Bsn(value=bsn), gemeente=GEMEENTE)
    assert refused(stub.GetClient, request, AANBIEDER).code() == grpc.StatusCode.NOT_FOUND
    toewijzing = {"gemeentecode": "0356", "wet": "jeugdwet", "toewijzing_nummer": 41, "versie": 1, "bsn": bsn, "agb": AANBIEDER.agb, "einddatum": "2026-12-31", "verwijderd": False}
    publish(indicatie["nats"], Event("toewijzing.toewijzing.gewijzigd", toewijzing, "toewijzing", "0356"))
    gezien = wait_for(lambda: next(iter(stub.ListClienten(indicatie_pb2.ListClientenRequest(), metadata=metadata(AANBIEDER), timeout=5).clienten), None), 15, what="the relation")
    assert gezien.bsn.value == bsn and stub.GetClient(request, metadata=metadata(AANBIEDER), timeout=5).geslachtsnaam
    andere = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker", "98100002")
    assert refused(stub.GetClient, request, andere).code() == grpc.StatusCode.NOT_FOUND
    publish(indicatie["nats"], Event("toewijzing.toewijzing.gewijzigd", {**toewijzing, "versie": 2, "verwijderd": True}, "toewijzing", "0356"))
    wait_for(lambda: stub.ListClienten(indicatie_pb2.ListClientenRequest(), metadata=metadata(AANBIEDER), timeout=5).clienten == [], 15, what="the relation gone")
    assert refused(stub.GetClient, request, AANBIEDER).code() == grpc.StatusCode.NOT_FOUND


def test_reads_are_audited_with_who_which_client_what_and_when(indicatie):
    stub, url = indicatie["stub"], indicatie["url"]
    before = sql(url, "SELECT coalesce(max(id), 0) FROM indicatie.inzage")[0][0]
    get(stub, BSNS[6])
    page = stub.ListClienten(indicatie_pb2.ListClientenRequest(page=common_pb2.PageRequest(page_size=3)), metadata=metadata(BACKOFFICE), timeout=5)
    rows = sql(url, f"SELECT subject, rol, namens, bsn, wat, op IS NOT NULL FROM indicatie.inzage WHERE id > {before} ORDER BY id")
    assert rows[0] == ("consulent-nieuwegein", "gemeente_consulent", "0356", BSNS[6], "GetClient", True)
    assert rows[1:] == [("backoffice-lekstroom", "regionaal_backoffice", "0321,0356", c.bsn.value, "ListClienten", True) for c in page.clienten]
    refused(stub.GetClient, indicatie_pb2.GetClientRequest(bsn=common_pb2.Bsn(value=BSNS[6]), gemeente=GEMEENTE), HOUTEN)
    assert sql(url, f"SELECT count(*) FROM indicatie.inzage WHERE id > {before} AND subject = 'consulent-houten'")[0][0] == 0
