"""The audit log of cliënt data over gRPC, with the indicatie service as a process: every change
(RegistreerClient, WijzigClient, VerwerkBrpMutatie(s), GeefBeschikkingAf, WijzigBeschikking,
TrekBeschikkingIn) is logged next to the reads, in the same transaction; a beheerder searches the log
(ZoekInzage) by who, BSN, what and time, newest first and page by page; every other role gets
PERMISSION_DENIED; a beheerder of one gemeente never sees the rows of another gemeente's cliënten;
and each search is logged itself."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import grpc
import nats as nats_client
import pytest
from zorgketen.common.v1 import audit_pb2, audit_pb2_grpc, common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

from devstack.demo import demo_bsns
from devstack.infra import LocalNats
from devstack.testing import make_starter, metadata, sql, wait_for
from runtime.events import Event
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

NIEUWEGEIN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-nieuwegein", ["0356"])
HOUTEN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-houten", ["0321"])
BRP = Tenant.gemeente(Role.SYSTEEM, "brp-koppeling", ["0356"])
BACKOFFICE = Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "backoffice-lekstroom", ["0356", "0321"])
AANBIEDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker", "98100003")
BEHEERDER_NIEUWEGEIN = Tenant.gemeente(Role.BEHEERDER, "beheerder-nieuwegein", ["0356"])
BEHEERDER_HOUTEN = Tenant.gemeente(Role.BEHEERDER, "beheerder-houten", ["0321"])
BSNS = demo_bsns()[800:806]
HOUTEN_BSN = demo_bsns()[806]
NIEUWEGEIN_CODE = common_pb2.Gemeentecode(value="0356")


def publish(nats_url: str, event: Event) -> None:
    """Publishes an event as the declaratie service's outbox relay does."""

    async def send() -> None:
        connection = await nats_client.connect(nats_url)
        try:
            await connection.jetstream().publish(event.subject, event.to_bytes(), headers={"Nats-Msg-Id": event.id})
        finally:
            await connection.close()

    asyncio.run(send())


@pytest.fixture(scope="module")
def indicatie(infra, tmp_path_factory):
    logdir = tmp_path_factory.mktemp("audit")
    nats = LocalNats(logdir / "nats", logfile=logdir / "nats.log")
    nats.start()
    started: list = []
    service = make_starter(infra.new_database(), nats.url, logdir, started)("indicatie")
    url = service.env["ZK_DATABASE_URL"]
    contract = {
        "id": str(uuid.uuid4()), "gemeentecode": "0356", "agb": "98100003", "wet": "jeugdwet", "productcategorie": "45", "productcode": "45A48",
        "uitvoeringsvariant": "inspanningsgericht", "tarief_eurocent": 175, "eenheid": "01", "begindatum": "2026-01-01", "einddatum": None,
    }
    publish(nats.url, Event("declaratie.contract.geregistreerd", contract, "declaratie", "0356"))
    wait_for(lambda: sql(url, "SELECT count(*) FROM indicatie.contract")[0][0] == 1, 15, what="the contract copied into indicatie")
    with grpc.insecure_channel(service.address) as channel:
        yield {"stub": indicatie_pb2_grpc.IndicatieStub(channel), "audit": audit_pb2_grpc.AuditStub(channel), "url": url}
    for s in started:
        s.stop()
    nats.stop()


def client(bsn: str, gemeente: str = "0356", geslachtsnaam: str = "Visser") -> indicatie_pb2.Client:
    return indicatie_pb2.Client(
        bsn=common_pb2.Bsn(value=bsn),
        gemeente=common_pb2.Gemeentecode(value=gemeente),
        geslachtsnaam=geslachtsnaam,
        voorletters="J.",
        geboortedatum=common_pb2.Datum(value="2012-03-04"),
        geslacht="1",
        adressen=[indicatie_pb2.Adres(soort="01", straatnaam="Lekboulevard", huisnummer=3, postcode="3431AB", plaatsnaam="Nieuwegein")],
    )


def registreer(stub, bsn: str, tenant: Tenant = NIEUWEGEIN, gemeente: str = "0356") -> None:  # type: ignore[no-untyped-def]
    stub.RegistreerClient(indicatie_pb2.RegistreerClientRequest(client=client(bsn, gemeente)), metadata=metadata(tenant), timeout=5)


def zoek(audit, tenant: Tenant = BEHEERDER_NIEUWEGEIN, page_size: int = 100, page_token: str = "", **filters) -> audit_pb2.ZoekInzageResponse:  # type: ignore[no-untyped-def]
    if "bsn" in filters:
        filters["bsn"] = common_pb2.Bsn(value=filters["bsn"])
    request = audit_pb2.ZoekInzageRequest(page=common_pb2.PageRequest(page_size=page_size, page_token=page_token), **filters)
    return audit.ZoekInzage(request, metadata=metadata(tenant), timeout=5)


def product(ingang: str, eind: str) -> indicatie_pb2.BeschiktProduct:
    return indicatie_pb2.BeschiktProduct(
        product=common_pb2.Product(categorie="45", code="45A48"),
        omvang=common_pb2.Omvang(volume=120, eenheid="01", frequentie="2"),
        ingangsdatum=common_pb2.Datum(value=ingang),
        einddatum=common_pb2.Datum(value=eind),
        uitvoeringsvariant=indicatie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
    )


def rows(url: str, bsn: str) -> list[tuple]:  # type: ignore[type-arg]
    return sql(url, f"SELECT subject, rol, namens, wat, soort FROM indicatie.inzage WHERE bsn = '{bsn}' AND soort <> 'zoekopdracht' ORDER BY id")


def test_every_change_of_client_data_is_audited_next_to_the_reads(indicatie):
    stub, url, bsn = indicatie["stub"], indicatie["url"], BSNS[0]
    registreer(stub, bsn)
    stub.WijzigClient(indicatie_pb2.WijzigClientRequest(client=client(bsn, geslachtsnaam="Visser-Bos")), metadata=metadata(NIEUWEGEIN), timeout=5)
    stub.WijzigClient(indicatie_pb2.WijzigClientRequest(client=client(bsn, geslachtsnaam="Visser-Bos")), metadata=metadata(NIEUWEGEIN), timeout=5)  # unchanged
    stub.GetClient(indicatie_pb2.GetClientRequest(bsn=common_pb2.Bsn(value=bsn), gemeente=NIEUWEGEIN_CODE), metadata=metadata(NIEUWEGEIN), timeout=5)
    verhuizing = indicatie_pb2.BrpMutatie(
        kenmerk="brp-audit-1", bsn=common_pb2.Bsn(value=bsn), gemeente=NIEUWEGEIN_CODE, soort=indicatie_pb2.BRP_MUTATIE_SOORT_VERHUIZING,
        datum=common_pb2.Datum(value="2026-11-01"), nieuwe_gemeente=NIEUWEGEIN_CODE,
        nieuw_adres=indicatie_pb2.Adres(straatnaam="Nieuwe Gracht", huisnummer=1, postcode="3431EF", plaatsnaam="Nieuwegein"),
    )
    stub.VerwerkBrpMutatie(indicatie_pb2.VerwerkBrpMutatieRequest(mutatie=verhuizing), metadata=metadata(BRP), timeout=5)
    stub.VerwerkBrpMutatie(indicatie_pb2.VerwerkBrpMutatieRequest(mutatie=verhuizing), metadata=metadata(BRP), timeout=5)  # seen before
    overlijden = indicatie_pb2.BrpMutatie(
        kenmerk="brp-audit-2", bsn=common_pb2.Bsn(value=bsn), gemeente=NIEUWEGEIN_CODE, soort=indicatie_pb2.BRP_MUTATIE_SOORT_OVERLIJDEN, datum=common_pb2.Datum(value="2026-11-10")
    )
    stub.VerwerkBrpMutaties(indicatie_pb2.VerwerkBrpMutatiesRequest(mutaties=[overlijden]), metadata=metadata(BRP), timeout=5)

    beschikking_bsn = BSNS[1]
    registreer(stub, beschikking_bsn)
    afgifte = indicatie_pb2.Beschikking(
        beschikkingnummer="7001", bsn=common_pb2.Bsn(value=beschikking_bsn), gemeente=NIEUWEGEIN_CODE, wet=common_pb2.WET_JEUGDWET,
        beschikkingsdatum=common_pb2.Datum(value="2026-11-20"), producten=[product("2027-01-01", "2027-12-31")],
    )
    stub.GeefBeschikkingAf(indicatie_pb2.GeefBeschikkingAfRequest(beschikking=afgifte), metadata=metadata(NIEUWEGEIN), timeout=5)
    stub.WijzigBeschikking(
        indicatie_pb2.WijzigBeschikkingRequest(
            gemeente=NIEUWEGEIN_CODE, beschikkingnummer="7001", versie=1, producten=[product("2027-01-01", "2027-06-30")], reden=indicatie_pb2.Reden(code="05", toelichting="verkort")
        ),
        metadata=metadata(NIEUWEGEIN),
        timeout=5,
    )
    stub.TrekBeschikkingIn(
        indicatie_pb2.TrekBeschikkingInRequest(gemeente=NIEUWEGEIN_CODE, beschikkingnummer="7001", versie=2, reden=indicatie_pb2.Reden(code="13"), per=common_pb2.Datum(value="2027-03-01")),
        metadata=metadata(NIEUWEGEIN),
        timeout=5,
    )
    # a refused change changes nothing and logs nothing
    with pytest.raises(grpc.RpcError):
        stub.WijzigClient(indicatie_pb2.WijzigClientRequest(client=client(bsn, geslachtsnaam="Anders")), metadata=metadata(HOUTEN), timeout=5)

    consulent = ("consulent-nieuwegein", "gemeente_consulent", "0356")
    brp = ("brp-koppeling", "systeem", "0356")
    assert rows(url, bsn) == [
        (*consulent, "RegistreerClient", "wijziging"),
        (*consulent, "WijzigClient", "wijziging"),
        (*consulent, "WijzigClient", "inzage"),  # nothing changed; the answer showed the cliënt
        (*consulent, "GetClient", "inzage"),
        (*brp, "VerwerkBrpMutatie", "wijziging"),
        (*brp, "VerwerkBrpMutatie", "inzage"),  # the kenmerk was processed before
        (*brp, "VerwerkBrpMutaties", "wijziging"),
    ]
    assert rows(url, beschikking_bsn) == [
        (*consulent, "RegistreerClient", "wijziging"),
        (*consulent, "GeefBeschikkingAf", "wijziging"),
        (*consulent, "WijzigBeschikking", "wijziging"),
        (*consulent, "TrekBeschikkingIn", "wijziging"),
    ]
    # in the same transaction as the change: each logged row has the change's own transaction time
    (gewijzigd_op,) = sql(url, f"SELECT gewijzigd_op = (SELECT max(op) FROM indicatie.inzage WHERE bsn = '{bsn}' AND wat = 'VerwerkBrpMutaties') FROM indicatie.client WHERE bsn = '{bsn}'")[0]
    assert gewijzigd_op is True


def test_zoek_inzage_filters_on_who_bsn_wat_and_time_newest_first(indicatie):
    stub, url = indicatie["stub"], indicatie["url"]
    a, b = BSNS[2], BSNS[3]
    registreer(stub, a)
    registreer(stub, b)
    for bsn in (a, b, a):
        stub.GetClient(indicatie_pb2.GetClientRequest(bsn=common_pb2.Bsn(value=bsn), gemeente=NIEUWEGEIN_CODE), metadata=metadata(BACKOFFICE), timeout=5)

    van_a = zoek(indicatie["audit"], bsn=a).inzages
    assert [(i.wat, i.soort) for i in van_a] == [
        ("GetClient", audit_pb2.INZAGE_SOORT_INZAGE),
        ("GetClient", audit_pb2.INZAGE_SOORT_INZAGE),
        ("RegistreerClient", audit_pb2.INZAGE_SOORT_WIJZIGING),
    ]
    assert [i.id for i in van_a] == sorted((i.id for i in van_a), reverse=True)  # newest first
    newest = van_a[0]
    assert (newest.subject, newest.rol, newest.namens, newest.gemeente.value, newest.bsn.value) == ("backoffice-lekstroom", "regionaal_backoffice", "0321,0356", "0356", a)
    assert datetime.fromisoformat(newest.op).tzinfo is not None

    by_subject = zoek(indicatie["audit"], subject="backoffice-lekstroom").inzages
    assert {i.bsn.value for i in by_subject} >= {a, b} and {i.subject for i in by_subject} == {"backoffice-lekstroom"}
    assert {(i.bsn.value, i.wat) for i in zoek(indicatie["audit"], wat="Registreer", bsn=b).inzages} == {(b, "RegistreerClient")}  # wat matches its start
    assert zoek(indicatie["audit"], wat="Get%", bsn=a).inzages == []  # a LIKE wildcard is a plain character

    # the time range: van inclusive, tot exclusive, as timestamps with their offset or as dates
    # (searching by BSN is itself logged with that BSN: the searches are left out here)
    def gelezen(**filters) -> list[int]:  # type: ignore[no-untyped-def]
        return [i.id for i in zoek(indicatie["audit"], bsn=a, **filters).inzages if i.soort != audit_pb2.INZAGE_SOORT_ZOEKOPDRACHT]

    (op,) = sql(url, f"SELECT op FROM indicatie.inzage WHERE id = {newest.id}")[0]
    assert gelezen(van=op.isoformat()) == [newest.id]
    assert gelezen(tot=op.isoformat()) == [i.id for i in van_a[1:]]
    assert gelezen(van=op.date().isoformat()) == [i.id for i in van_a]
    assert zoek(indicatie["audit"], bsn=a, van="2020-01-01", tot="2020-01-02").inzages == []
    with pytest.raises(grpc.RpcError) as error:
        zoek(indicatie["audit"], van="gisteren")
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT

    # keyset pages of 2 give every row once, in the same order as one page
    alles = [i.id for i in zoek(indicatie["audit"], page_size=500, subject="backoffice-lekstroom").inzages]
    gezien, token = [], ""
    while True:
        page = zoek(indicatie["audit"], page_size=2, page_token=token, subject="backoffice-lekstroom")
        gezien += [i.id for i in page.inzages]
        token = page.next_page_token
        if not token:
            break
    assert gezien == alles and len(alles) >= 3


def test_only_a_beheerder_may_search_the_audit_log(indicatie):
    for tenant in (NIEUWEGEIN, BACKOFFICE, BRP, AANBIEDER, Tenant.gemeente(Role.CONTRACTMANAGER, "contractmanager", ["0356"])):
        with pytest.raises(grpc.RpcError) as error:
            zoek(indicatie["audit"], tenant)
        assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED, tenant.role
    assert zoek(indicatie["audit"], BEHEERDER_NIEUWEGEIN).inzages


def test_a_beheerder_sees_only_the_rows_of_its_own_gemeentes_clienten(indicatie):
    stub = indicatie["stub"]
    registreer(stub, HOUTEN_BSN, HOUTEN, "0321")
    stub.GetClient(indicatie_pb2.GetClientRequest(bsn=common_pb2.Bsn(value=HOUTEN_BSN), gemeente=common_pb2.Gemeentecode(value="0321")), metadata=metadata(BACKOFFICE), timeout=5)
    registreer(stub, BSNS[4])

    nieuwegein = zoek(indicatie["audit"], BEHEERDER_NIEUWEGEIN, page_size=500).inzages
    assert nieuwegein and {i.gemeente.value for i in nieuwegein} == {"0356"}
    assert HOUTEN_BSN not in {i.bsn.value for i in nieuwegein}
    assert zoek(indicatie["audit"], BEHEERDER_NIEUWEGEIN, bsn=HOUTEN_BSN).inzages == []
    assert zoek(indicatie["audit"], BEHEERDER_NIEUWEGEIN, subject="consulent-houten").inzages == []  # not even who in Houten did something
    houten = zoek(indicatie["audit"], BEHEERDER_HOUTEN, page_size=500).inzages
    assert {i.gemeente.value for i in houten} == {"0321"}
    assert {(i.bsn.value, i.wat) for i in houten if i.soort != audit_pb2.INZAGE_SOORT_ZOEKOPDRACHT} == {(HOUTEN_BSN, "RegistreerClient"), (HOUTEN_BSN, "GetClient")}
    assert BSNS[4] not in {i.bsn.value for i in houten}


def test_each_search_is_itself_audited_with_who_and_its_filters(indicatie):
    url = indicatie["url"]
    zoek(indicatie["audit"], BEHEERDER_NIEUWEGEIN, bsn=BSNS[5], wat="GetClient", van="2026-11-01")
    logged = sql(url, "SELECT subject, rol, namens, gemeentecode, bsn, wat, soort, zoekopdracht FROM indicatie.inzage WHERE soort = 'zoekopdracht' ORDER BY id DESC LIMIT 1")
    assert logged[0][:7] == ("beheerder-nieuwegein", "beheerder", "0356", "0356", BSNS[5], "ZoekInzage", "zoekopdracht")
    assert logged[0][7]["bsn"] == BSNS[5] and logged[0][7]["wat"] == "GetClient" and logged[0][7]["van"].startswith("2026-11-01T00:00:00+01:00")
    # the beheerder finds the search in the log (a search never finds itself: it is logged after it ran)
    first = zoek(indicatie["audit"], BEHEERDER_NIEUWEGEIN, wat="ZoekInzage", subject="beheerder-nieuwegein")
    searches = [i for i in first.inzages if i.soort == audit_pb2.INZAGE_SOORT_ZOEKOPDRACHT]
    assert searches and searches[0].zoekopdracht["bsn"] == BSNS[5] and searches[0].bsn.value == BSNS[5]
    second = zoek(indicatie["audit"], BEHEERDER_NIEUWEGEIN, wat="ZoekInzage", subject="beheerder-nieuwegein")
    assert len(second.inzages) == len(first.inzages) + 1
    # a refused search is not a search: nothing is logged for it
    before = sql(url, "SELECT count(*) FROM indicatie.inzage WHERE soort = 'zoekopdracht'")[0][0]
    with pytest.raises(grpc.RpcError):
        zoek(indicatie["audit"], NIEUWEGEIN, bsn=BSNS[5])
    assert sql(url, "SELECT count(*) FROM indicatie.inzage WHERE soort = 'zoekopdracht'")[0][0] == before
    # a search of the Houten beheerder is logged for Houten only
    zoek(indicatie["audit"], BEHEERDER_HOUTEN, subject="consulent-houten")
    assert zoek(indicatie["audit"], BEHEERDER_NIEUWEGEIN, subject="beheerder-houten").inzages == []
