"""Correcting a rejected message in the real berichten service: the rejected message waits for
correction, the concept has a fresh Identificatie, the correction is a new message linked both ways
(the original's XML unchanged), a message is corrected once — also by two corrections at the same
time — and only by the party that sent it."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from lxml import etree
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2

from berichten.codec.schemas import STANDAARD_DIR
from devstack.testing import metadata, sql
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

AANBIEDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "portal:aanbieder-65656055", "65656055")  # the AGB of the official examples
ANDERE_AANBIEDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "portal:aanbieder-98100001", "98100001")
GEMEENTE = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "portal:consulent-0363", ["0363"])
FOUT = b"<jw305:Bsn>999900007</jw305:Bsn>"  # fails the 11-proef: CS002, answered with 0001
GOED = b"<jw305:Bsn>999900006</jw305:Bsn>"


def example(name: str) -> bytes:
    return next(STANDAARD_DIR.glob(f"*/3.2/examples/{name}.xml")).read_bytes()


@pytest.fixture
def hub(start_service):
    service = start_service("berichten")
    channel = grpc.insecure_channel(service.address)
    yield service, berichten_pb2_grpc.BerichtenStub(channel)
    channel.close()


def call(stub, method: str, request, tenant: Tenant = AANBIEDER):  # type: ignore[no-untyped-def]
    return getattr(stub, method)(request, metadata=metadata(tenant), timeout=15)


def wachtend(stub, tenant: Tenant = AANBIEDER) -> list[str]:
    page = call(stub, "ListWachtOpCorrectie", berichten_pb2.ListWachtOpCorrectieRequest(page=common_pb2.PageRequest(page_size=100)), tenant)
    return [b.id for b in page.berichten]


def identificatie(xml: bytes) -> str:
    root = etree.fromstring(xml)
    return next(e.text for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "Identificatie")


def test_a_rejected_message_is_corrected_once_as_a_new_linked_message(hub):
    service, stub = hub
    afgekeurd = call(stub, "Ontvang", berichten_pb2.OntvangRequest(xml=example("JW305").replace(GOED, FOUT)))
    assert afgekeurd.afgekeurd and afgekeurd.bevindingen and afgekeurd.retour_id
    geaccepteerd = call(stub, "Ontvang", berichten_pb2.OntvangRequest(xml=example("JW307")))
    assert not geaccepteerd.afgekeurd and not geaccepteerd.bevindingen
    assert wachtend(stub) == [afgekeurd.id]
    assert wachtend(stub, ANDERE_AANBIEDER) == [] and wachtend(stub, GEMEENTE) == []  # only the sending party

    concept = call(stub, "ConceptCorrectie", berichten_pb2.GetBerichtRequest(id=afgekeurd.id)).xml
    assert identificatie(concept) not in ("", afgekeurd.identificatie) and len(identificatie(concept)) <= 12
    for tenant in (ANDERE_AANBIEDER, GEMEENTE):  # another party may not even see it
        with pytest.raises(grpc.RpcError) as refused:
            call(stub, "ConceptCorrectie", berichten_pb2.GetBerichtRequest(id=afgekeurd.id), tenant)
        assert refused.value.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED)

    # the same Identificatie again would be refused by TR056: the hub says so before storing anything
    with pytest.raises(grpc.RpcError) as zelfde:
        call(stub, "Ontvang", berichten_pb2.OntvangRequest(xml=example("JW305"), correctie_van=afgekeurd.id))
    assert zelfde.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "TR056" in zelfde.value.details()
    aantal = sql(service.env["ZK_DATABASE_URL"], "SELECT count(*) FROM berichten.bericht WHERE richting = 'in'")

    origineel_sha = hashlib.sha256(call(stub, "GetBerichtXml", berichten_pb2.GetBerichtRequest(id=afgekeurd.id)).xml).hexdigest()
    gecorrigeerd = call(stub, "Ontvang", berichten_pb2.OntvangRequest(xml=concept.replace(FOUT, GOED), correctie_van=afgekeurd.id))
    assert gecorrigeerd.correctie_van == afgekeurd.id and gecorrigeerd.id != afgekeurd.id
    assert not any(b.regel == "TR056" for b in gecorrigeerd.bevindingen)
    na = call(stub, "GetBericht", berichten_pb2.GetBerichtRequest(id=afgekeurd.id))
    assert na.gecorrigeerd_door == gecorrigeerd.id and na.status == afgekeurd.status and list(na.bevindingen) == list(afgekeurd.bevindingen)
    assert hashlib.sha256(call(stub, "GetBerichtXml", berichten_pb2.GetBerichtRequest(id=afgekeurd.id)).xml).hexdigest() == origineel_sha == afgekeurd.sha256
    assert afgekeurd.id not in wachtend(stub)
    assert sql(service.env["ZK_DATABASE_URL"], "SELECT count(*) FROM berichten.bericht WHERE richting = 'in'")[0][0] == aantal[0][0] + 1

    # corrected once: a second correction is refused, and so is correcting an accepted message
    with pytest.raises(grpc.RpcError) as nogmaals:
        call(stub, "Ontvang", berichten_pb2.OntvangRequest(xml=concept.replace(FOUT, GOED), correctie_van=afgekeurd.id))
    assert nogmaals.value.code() == grpc.StatusCode.ALREADY_EXISTS
    with pytest.raises(grpc.RpcError) as niets:
        call(stub, "ConceptCorrectie", berichten_pb2.GetBerichtRequest(id=geaccepteerd.id))
    assert niets.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_two_corrections_at_once_link_exactly_one(hub):
    service, stub = hub
    afgekeurd = call(stub, "Ontvang", berichten_pb2.OntvangRequest(xml=example("JW305").replace(GOED, FOUT)))
    concepten = [call(stub, "ConceptCorrectie", berichten_pb2.GetBerichtRequest(id=afgekeurd.id)).xml.replace(FOUT, GOED) for _ in range(2)]

    def corrigeer(xml: bytes):  # type: ignore[no-untyped-def]
        try:
            return call(stub, "Ontvang", berichten_pb2.OntvangRequest(xml=xml, correctie_van=afgekeurd.id)).id
        except grpc.RpcError as exc:
            return exc.code()

    with ThreadPoolExecutor(2) as pool:
        uitkomsten = list(pool.map(corrigeer, concepten))
    assert sorted(map(str, uitkomsten)).count(str(grpc.StatusCode.ALREADY_EXISTS)) == 1, uitkomsten
    (nieuw,) = [u for u in uitkomsten if isinstance(u, str)]
    assert call(stub, "GetBericht", berichten_pb2.GetBerichtRequest(id=afgekeurd.id)).gecorrigeerd_door == nieuw
    rows = sql(service.env["ZK_DATABASE_URL"], f"SELECT id::text FROM berichten.bericht WHERE correctie_van = '{afgekeurd.id}'")
    assert rows == [(nieuw,)]  # the refused one left nothing behind
