"""Every read of cliënt data is audited in every service that holds it, with one search for all:
a read through the toewijzing and declaratie services' RPCs, and of a message's XML through the
partner API and the portal (berichten), leaves rows naming who (subject, rol,
namens), which cliënt (gemeente, BSN), what (the RPC) and when, in the same transaction; the
services' Audit search (zorgketen.common.v1.Audit) shows them to the beheerder of the cliënt's
gemeente only; and the portal's audit page merges the rows of all services, naming the service."""

from __future__ import annotations

import re
from pathlib import Path
from datetime import date, datetime, timedelta

import grpc
import httpx
import pytest
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import audit_pb2, audit_pb2_grpc, common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2

from devstack.portal_testing import CONSULENT_0356, PortalStack, client_met_beschikking, nieuwe_bsn, portal_stack_fixture, toewijzing_call
from devstack.partners import demo_secret, write_clients_file
from devstack.testing import metadata, sql, wait_for
from devstack.users import demo_password
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

AANBIEDER = "98100003"
BEHEERDER_0356 = Tenant.gemeente(Role.BEHEERDER, "portal:beheerder-0356", ["0356"])
BEHEERDER_0321 = Tenant.gemeente(Role.BEHEERDER, "portal:beheerder-0321", ["0321"])
CONTRACTMANAGER_0356 = Tenant.gemeente(Role.CONTRACTMANAGER, "portal:contractmanager-0356", ["0356"])
MEDEWERKER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, f"portal:aanbieder-{AANBIEDER}", AANBIEDER)


def _partner_api(workdir: Path) -> dict[str, str]:
    """The edge with the demo partner clients (the partner API's reads are audited too)."""
    write_clients_file(workdir / "partners.json")
    return {"ZK_PARTNER_CLIENTS_FILE": str(workdir / "partners.json")}


stack = portal_stack_fixture("audit-diensten", _partner_api)


@pytest.fixture(scope="module")
def bsn(stack: PortalStack) -> str:
    """A Nieuwegein cliënt with a toewijzing to AANBIEDER, known to the toewijzing and declaratie services."""
    bsn = nieuwe_bsn(stack)
    client_met_beschikking(stack, bsn, date.today().isoformat(), (date.today() + timedelta(days=180)).isoformat(), aanbieder=AANBIEDER)
    return bsn


def zoek(stack: PortalStack, dienst: str, tenant: Tenant, **filters) -> list[audit_pb2.Inzage]:  # type: ignore[no-untyped-def]
    if "bsn" in filters:
        filters["bsn"] = common_pb2.Bsn(value=filters["bsn"])
    with grpc.insecure_channel(stack.addresses[dienst]) as channel:
        request = audit_pb2.ZoekInzageRequest(page=common_pb2.PageRequest(page_size=500), **filters)
        return list(audit_pb2_grpc.AuditStub(channel).ZoekInzage(request, metadata=metadata(tenant), timeout=15).inzages)


def toewijzingen(stack: PortalStack, bsn: str, tenant: Tenant) -> list[toewijzing_pb2.Toewijzing]:
    request = toewijzing_pb2.ListToewijzingenRequest(page=common_pb2.PageRequest(page_size=50), bsn=common_pb2.Bsn(value=bsn))
    return list(toewijzing_call(stack, "ListToewijzingen", request, tenant).toewijzingen)


def benutting(stack: PortalStack, bsn: str, tenant: Tenant) -> list[declaratie_pb2.Benutting]:
    vandaag = common_pb2.Datum(value=date.today().isoformat())
    request = declaratie_pb2.ListBenuttingRequest(periode=common_pb2.Periode(begindatum=vandaag, einddatum=vandaag), bsn=common_pb2.Bsn(value=bsn))
    with grpc.insecure_channel(stack.addresses["declaratie"]) as channel:
        return list(declaratie_pb2_grpc.DeclaratieStub(channel).ListBenutting(request, metadata=metadata(tenant), timeout=30).benutting)


def assert_recent(inzage: audit_pb2.Inzage) -> None:
    op = datetime.fromisoformat(inzage.op)
    assert op.tzinfo is not None and abs((datetime.now(op.tzinfo) - op).total_seconds()) < 600, inzage.op


def test_a_read_of_toewijzingen_is_recorded_per_client_and_only_the_clients_beheerder_finds_it(stack: PortalStack, bsn: str):
    wait_for(lambda: toewijzingen(stack, bsn, CONSULENT_0356), 30, 0.3, what="the toewijzing made")
    assert toewijzingen(stack, bsn, MEDEWERKER)  # the aanbieder reads it too

    rijen = zoek(stack, "toewijzing", BEHEERDER_0356, bsn=bsn, wat="ListToewijzingen")
    door = {(i.subject, i.rol, i.namens) for i in rijen}
    assert ("portal:consulent-0356", "gemeente_consulent", "0356") in door
    assert (f"portal:aanbieder-{AANBIEDER}", "aanbieder_medewerker", AANBIEDER) in door
    for i in rijen:
        assert (i.dienst, i.gemeente.value, i.bsn.value, i.wat, i.soort) == ("toewijzing", "0356", bsn, "ListToewijzingen", audit_pb2.INZAGE_SOORT_INZAGE)
        assert_recent(i)
    # the rows are in the toewijzing service's own log, written with the read
    assert sql(stack.database_url, f"SELECT count(*) FROM toewijzing.inzage WHERE bsn = '{bsn}' AND wat = 'ListToewijzingen'")[0][0] == len(rijen)
    # a reader who gets nothing leaves nothing: another gemeente's consulent reads no cliënt
    houten = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "portal:consulent-0321", ["0321"])
    assert toewijzingen(stack, bsn, houten) == []
    assert not [i for i in zoek(stack, "toewijzing", BEHEERDER_0356, bsn=bsn) if i.subject == "portal:consulent-0321"]
    # the beheerder of another gemeente never sees these rows; nobody but a beheerder searches
    assert zoek(stack, "toewijzing", BEHEERDER_0321, bsn=bsn) == []
    assert not [i for i in zoek(stack, "toewijzing", BEHEERDER_0321) if i.bsn.value == bsn and i.soort != audit_pb2.INZAGE_SOORT_ZOEKOPDRACHT]  # but its own search
    for tenant in (CONSULENT_0356, MEDEWERKER, Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "backoffice", ["0356"])):
        with pytest.raises(grpc.RpcError) as refused:
            zoek(stack, "toewijzing", tenant)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # the search itself is recorded in the service's log
    zoekopdrachten = zoek(stack, "toewijzing", BEHEERDER_0356, wat="ZoekInzage", subject="portal:beheerder-0356")
    assert zoekopdrachten and zoekopdrachten[0].soort == audit_pb2.INZAGE_SOORT_ZOEKOPDRACHT


def test_a_read_of_benutting_is_recorded_per_client_and_only_the_clients_beheerder_finds_it(stack: PortalStack, bsn: str):
    wait_for(lambda: benutting(stack, bsn, CONTRACTMANAGER_0356), 30, 0.3, what="the toewijzing copied into declaratie")
    rijen = zoek(stack, "declaratie", BEHEERDER_0356, bsn=bsn, wat="ListBenutting")
    assert rijen and {(i.subject, i.rol, i.namens) for i in rijen} == {("portal:contractmanager-0356", "contractmanager", "0356")}
    for i in rijen:
        assert (i.dienst, i.gemeente.value, i.bsn.value, i.soort) == ("declaratie", "0356", bsn, audit_pb2.INZAGE_SOORT_INZAGE)
        assert_recent(i)
    assert sql(stack.database_url, f"SELECT count(*) FROM declaratie.inzage WHERE bsn = '{bsn}' AND wat = 'ListBenutting'")[0][0] == len(rijen)
    assert zoek(stack, "declaratie", BEHEERDER_0321, bsn=bsn) == []
    with pytest.raises(grpc.RpcError) as refused:
        zoek(stack, "declaratie", CONTRACTMANAGER_0356)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


def de_301(stack: PortalStack, bsn: str) -> str:
    """The id in the berichten service of the 301 that told AANBIEDER of the cliënt's toewijzing."""

    def verzonden() -> str:
        page = toewijzing_call(stack, "ListToewijzingberichten", toewijzing_pb2.ListToewijzingberichtenRequest(page=common_pb2.PageRequest(page_size=100)), CONSULENT_0356)
        return next((b.bericht_id for b in page.berichten if b.bsn.value == bsn and b.berichtsoort == "301" and b.bericht_id), "")

    return wait_for(verzonden, 30, 0.3, what="the 301 sent")


def test_fetching_a_messages_xml_is_recorded_per_client_of_the_message(stack: PortalStack, bsn: str):
    bericht_id = de_301(stack, bsn)
    assert sql(stack.database_url, f"SELECT bsns FROM berichten.bericht WHERE id = '{bericht_id}'")[0][0] == [bsn]  # kept when stored
    # the aanbieder's partner system fetches it from its postbus
    with httpx.Client(base_url=stack.base_url, timeout=30) as partner:
        grant = partner.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": f"aanbieder-{AANBIEDER}", "client_secret": demo_secret(f"aanbieder-{AANBIEDER}")})
        assert grant.status_code == 200, grant.text
        xml = partner.get(f"/partner/v1/postbus/{bericht_id}", headers={"Authorization": f"Bearer {grant.json()['access_token']}"})
        assert xml.status_code == 200 and bsn.encode() in xml.content
    # and a consulent of the gemeente downloads it in the portal
    download = login(stack, "consulent-0356").get(f"/portal/berichten/{bericht_id}/xml")
    assert download.status_code == 200 and bsn.encode() in download.content

    rijen = zoek(stack, "berichten", BEHEERDER_0356, bsn=bsn, wat="GetBerichtXml")
    assert {(i.subject, i.rol, i.namens) for i in rijen} == {(f"partner:aanbieder-{AANBIEDER}", "systeem", AANBIEDER), ("portal:consulent-0356", "gemeente_consulent", "0356")}
    for i in rijen:
        assert (i.dienst, i.gemeente.value, i.bsn.value, i.soort) == ("berichten", "0356", bsn, audit_pb2.INZAGE_SOORT_INZAGE)
        assert_recent(i)
    # the XML over gRPC is recorded the same way: one row more
    with grpc.insecure_channel(stack.addresses["berichten"]) as channel:
        stub = berichten_pb2_grpc.BerichtenStub(channel)
        stub.GetBerichtXml(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=metadata(CONSULENT_0356), timeout=15)
    assert len(zoek(stack, "berichten", BEHEERDER_0356, bsn=bsn, wat="GetBerichtXml")) == len(rijen) + 1
    assert zoek(stack, "berichten", BEHEERDER_0321, bsn=bsn) == []


def login(stack: PortalStack, gebruikersnaam: str) -> httpx.Client:
    client = httpx.Client(base_url=stack.base_url, follow_redirects=False, timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/portal/inloggen").text).group(1)  # type: ignore[union-attr]
    response = client.post("/portal/inloggen", data={"csrf": token, "terug": "/portal/", "gebruikersnaam": gebruikersnaam, "wachtwoord": demo_password(gebruikersnaam)})
    assert response.status_code == 303, response.text
    return client


def test_the_portal_audit_page_shows_the_rows_of_every_service_newest_first(stack: PortalStack, bsn: str):
    wait_for(lambda: toewijzingen(stack, bsn, CONSULENT_0356), 30, 0.3, what="the toewijzing made")
    wait_for(lambda: benutting(stack, bsn, CONTRACTMANAGER_0356), 30, 0.3, what="the toewijzing copied into declaratie")
    with grpc.insecure_channel(stack.addresses["berichten"]) as channel:
        berichten_pb2_grpc.BerichtenStub(channel).GetBerichtXml(berichten_pb2.GetBerichtRequest(id=de_301(stack, bsn)), metadata=metadata(CONSULENT_0356), timeout=15)
    page = login(stack, "beheerder").get("/portal/audit", params={"bsn": bsn})
    assert page.status_code == 200, page.text
    rijen = [re.findall(r"<td>([^<]*)", cellen) for cellen in re.findall(r"<tr>\s*<th scope=\"row\">[^<]*</th>(.*?)</tr>", page.text, re.S)]
    assert rijen and all(r[2].startswith(bsn) for r in rijen), page.text  # BSN column: only this cliënt's rows
    gezien = {(r[-1], r[3].strip()) for r in rijen}  # (Dienst, Wat)
    for verwacht in (("Indicatie", "RegistreerClient"), ("Indicatie", "GeefBeschikkingAf"), ("Toewijzing", "ListToewijzingen"), ("Declaratie", "ListBenutting"), ("Berichten", "GetBerichtXml")):
        assert verwacht in gezien, (verwacht, gezien)
    tijden = [datetime.strptime(r[-2], "%d-%m-%Y %H:%M") for r in rijen]
    assert tijden == sorted(tijden, reverse=True)
