"""The message hub as a real service: receive, judge, answer, deliver, fetch and acknowledge —
each party seeing only its own messages."""

from __future__ import annotations

import json
import urllib.request

import grpc
import psycopg
import pytest
from lxml import etree
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2

from berichten.codec.schemas import STANDAARD_DIR
from devstack.testing import metadata, sql
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

AANBIEDER = Tenant.aanbieder(Role.SYSTEEM, "partner-65656055", "65656055")  # the AGB of the official examples
ANDERE_AANBIEDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "mw", "98100001")
GEMEENTE = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-0363", ["0363"])
ANDERE_GEMEENTE = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-0356", ["0356"])
SYSTEEM = Tenant.gemeente(Role.SYSTEEM, "declaratie-service", ["0384"])  # the gemeente of the official JW323
GEMEENTE_301 = Tenant.gemeente(Role.SYSTEEM, "partner-0384", ["0384"])  # the parties of the official JW301
AANBIEDER_301 = Tenant.aanbieder(Role.SYSTEEM, "partner-42420001", "42420001")
TOEWIJZING = Tenant.gemeente(Role.SYSTEEM, "toewijzing-service", ["0363"])  # judges the official JW305


def example(name: str) -> bytes:
    return next(STANDAARD_DIR.glob(f"*/3.2/examples/{name}.xml")).read_bytes()


@pytest.fixture
def hub(start_service):
    service = start_service("berichten")
    channel = grpc.insecure_channel(service.address)
    stub = berichten_pb2_grpc.BerichtenStub(channel)
    yield service, stub
    channel.close()


def call(stub, method: str, request, tenant: Tenant):  # type: ignore[no-untyped-def]
    return getattr(stub, method)(request, metadata=metadata(tenant), timeout=10)


def ontvang(stub, data: bytes, tenant: Tenant = AANBIEDER) -> berichten_pb2.Bericht:
    return call(stub, "Ontvang", berichten_pb2.OntvangRequest(xml=data), tenant)


def postbus(stub, tenant: Tenant) -> list[berichten_pb2.Bericht]:
    return list(call(stub, "ListPostbus", berichten_pb2.ListPostbusRequest(page=common_pb2.PageRequest(page_size=100)), tenant).berichten)


def xml_of(stub, bericht_id: str, tenant: Tenant) -> etree._Element:
    return etree.fromstring(call(stub, "GetBerichtXml", berichten_pb2.GetBerichtRequest(id=bericht_id), tenant).xml)


def codes(root: etree._Element) -> list[str]:
    return [e.text for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "RetourCode"]


def test_accepted_toewijzing_is_answered_delivered_fetched_and_acknowledged(hub):
    service, stub = hub
    toewijzing = ontvang(stub, example("JW301"), GEMEENTE_301)
    assert (toewijzing.status, toewijzing.berichtsoort, toewijzing.afzender, toewijzing.ontvanger) == ("retour_verzonden", "301", "0384", "42420001")
    assert toewijzing.retour_id and toewijzing.bevindingen == [] and len(toewijzing.sha256) == 64

    (retour,) = postbus(stub, GEMEENTE_301)
    assert (retour.id, retour.berichtsoort, retour.heen_id, retour.levering) == (toewijzing.retour_id, "302", toewijzing.id, "klaargezet")
    root = xml_of(stub, retour.id, GEMEENTE_301)
    assert etree.QName(root).namespace.endswith("/jw302/schema") and codes(root) == []  # accepted: header only, no RetourCodes
    assert postbus(stub, GEMEENTE_301)[0].levering == "opgehaald"
    call(stub, "BevestigOntvangst", berichten_pb2.GetBerichtRequest(id=retour.id), GEMEENTE_301)
    assert postbus(stub, GEMEENTE_301) == []

    (delivered,) = postbus(stub, AANBIEDER_301)  # the aanbieder fetches the 301 itself
    assert delivered.id == toewijzing.id
    assert xml_of(stub, toewijzing.id, AANBIEDER_301) is not None
    history = sql(service.env["ZK_DATABASE_URL"], f"SELECT status FROM berichten.bericht_status WHERE bericht_id = '{toewijzing.id}' ORDER BY id")
    assert [s for (s,) in history] == ["ontvangen", "geaccepteerd", "verwerkt", "retour_verzonden"]


def test_start_waits_for_the_toewijzing_service_and_a_repeated_verdict_changes_nothing(hub):
    service, stub = hub
    start = ontvang(stub, example("JW305"))
    assert (start.status, start.retour_id) == ("geaccepteerd", "")
    assert postbus(stub, AANBIEDER) == []
    pad = "/Bericht/Client/StartProducten/StartProduct[2]"  # the example starts two products
    finding = berichten_pb2.Bevinding(regel="TR019", retourcode="9019", niveau=3, locatie=pad + "/ToewijzingNummer", klasse=pad, melding="onbekende toewijzing")
    judged = call(stub, "Beoordeel", berichten_pb2.BeoordeelRequest(id=start.id, bevindingen=[finding]), TOEWIJZING)
    assert judged.status == "retour_verzonden" and judged.retour_id
    again = call(stub, "Beoordeel", berichten_pb2.BeoordeelRequest(id=start.id, bevindingen=[finding]), TOEWIJZING)
    assert (again.id, again.retour_id) == (judged.id, judged.retour_id)
    (retour,) = postbus(stub, AANBIEDER)
    assert retour.berichtsoort == "306" and codes(xml_of(stub, retour.id, AANBIEDER)) == ["0200", "0200", "9019", "0200"]  # header, StartProduct[1], [2], Client


def test_a_message_sent_again_by_a_service_is_sent_once(hub):
    service, stub = hub
    sent = call(stub, "Verstuur", berichten_pb2.VerstuurRequest(xml=example("JW301")), GEMEENTE_301)
    again = call(stub, "Verstuur", berichten_pb2.VerstuurRequest(xml=example("JW301")), GEMEENTE_301)
    assert again.id == sent.id and sent.status == "verzonden"
    assert [b.id for b in postbus(stub, AANBIEDER_301)] == [sent.id]
    changed = example("JW301").replace(b"<jw301:Commentaar>", b"<jw301:Commentaar>Gewijzigd: ", 1)
    assert changed != example("JW301")
    with pytest.raises(grpc.RpcError) as refused:
        call(stub, "Verstuur", berichten_pb2.VerstuurRequest(xml=changed), GEMEENTE_301)
    assert refused.value.code() == grpc.StatusCode.ALREADY_EXISTS and "TR056" in refused.value.details()


def test_identificatie_used_twice_is_rejected_with_9056(hub):
    _, stub = hub
    ontvang(stub, example("JW301"), GEMEENTE_301)
    again = ontvang(stub, example("JW301"), GEMEENTE_301)
    assert again.status == "retour_verzonden"
    assert [(b.regel, b.retourcode, b.niveau) for b in again.bevindingen] == [("TR056", "9056", 3)]
    root = xml_of(stub, again.retour_id, GEMEENTE_301)
    assert codes(root) == ["9056"]


def test_level_2_error_is_answered_with_0001_alone(hub):
    _, stub = hub
    bericht = ontvang(stub, example("JW305").replace(b"999900006", b"999900007"))
    assert bericht.status == "retour_verzonden" and [b.regel for b in bericht.bevindingen] == ["CS002"]
    assert codes(xml_of(stub, bericht.retour_id, AANBIEDER)) == ["0001"]


def test_xsd_invalid_message_gets_its_errors_and_no_retour(hub):
    _, stub = hub
    bericht = ontvang(stub, example("JW305").replace(b"<jw305:Geslacht>1</jw305:Geslacht>", b"<jw305:Geslacht>7</jw305:Geslacht>"))
    assert (bericht.status, bericht.fout_reden, bericht.retour_id) == ("afgekeurd", "xsd", "")
    (fout,) = bericht.xsd_fouten
    assert fout.element == "/Bericht/Client/Geslacht" and fout.regel > 1
    assert postbus(stub, AANBIEDER) == []


@pytest.mark.parametrize("data, reden", [(b"not xml", "geen_xml"), (b"<lolz/>", "geen_bericht"), (example("JW305")[:300], "onvolledig")])
def test_unreadable_upload_is_kept_and_refused_with_its_reason(hub, data, reden):
    service, stub = hub
    bericht = ontvang(stub, data)
    assert (bericht.status, bericht.fout_reden) == ("afgekeurd", reden) and bericht.fout_melding
    assert call(stub, "GetBericht", berichten_pb2.GetBerichtRequest(id=bericht.id), AANBIEDER).sha256 == bericht.sha256


def test_a_party_cannot_send_in_anothers_name_and_nothing_is_stored(hub):
    service, stub = hub
    with pytest.raises(grpc.RpcError) as refused:
        ontvang(stub, example("JW305"), ANDERE_AANBIEDER)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert sql(service.env["ZK_DATABASE_URL"], "SELECT count(*) FROM berichten.bericht")[0][0] == 0


def test_other_parties_see_nothing_of_a_message(hub):
    _, stub = hub
    start = ontvang(stub, example("JW305"))
    for tenant in (ANDERE_AANBIEDER, ANDERE_GEMEENTE):
        for method in ("GetBericht", "GetBerichtXml", "BevestigOntvangst"):
            with pytest.raises(grpc.RpcError) as refused:
                call(stub, method, berichten_pb2.GetBerichtRequest(id=start.id), tenant)
            assert refused.value.code() == grpc.StatusCode.NOT_FOUND
        assert postbus(stub, tenant) == []


def test_declaratie_waits_for_the_declaratie_service_and_gets_its_325(hub):
    _, stub = hub
    declaratie = ontvang(stub, example("JW323"))
    assert declaratie.status == "geaccepteerd" and declaratie.retour_id == ""
    root = etree.fromstring(example("JW323"))
    first = next(e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "Prestatie")
    clients = [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "Client"]
    prestaties = [e for e in clients[0].iter() if isinstance(e.tag, str) and etree.QName(e).localname == "Prestatie"]
    client_pad = "/Bericht/Declaratie/Clienten/Client" + ("[1]" if len(clients) > 1 else "")
    pad = client_pad + "/Prestaties/Prestatie" + ("[1]" if len(prestaties) > 1 else "")
    assert first is prestaties[0]
    finding = berichten_pb2.Bevinding(regel="TR307", retourcode="9307", niveau=3, locatie=pad + "/ProductPeriode", klasse=pad, melding="buiten de toewijzing")
    judged = call(stub, "Beoordeel", berichten_pb2.BeoordeelRequest(id=declaratie.id, bevindingen=[finding]), SYSTEEM)
    assert judged.status == "retour_verzonden" and judged.retour_id
    antwoord = xml_of(stub, judged.retour_id, AANBIEDER)
    assert etree.QName(antwoord).namespace.endswith("/jw325/schema")
    assert "9307" in codes(antwoord)
    with pytest.raises(grpc.RpcError) as refused:
        call(stub, "Beoordeel", berichten_pb2.BeoordeelRequest(id=declaratie.id), SYSTEEM)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_raw_xml_is_immutable(hub):
    service, stub = hub
    start = ontvang(stub, example("JW305"))
    with psycopg.connect(service.env["ZK_DATABASE_URL"], autocommit=True) as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="immutable"):
            conn.execute(f"UPDATE berichten.bericht_inhoud SET xml = 'x' WHERE bericht_id = '{start.id}'")
        with pytest.raises(psycopg.errors.RaiseException, match="immutable"):
            conn.execute(f"DELETE FROM berichten.bericht_inhoud WHERE bericht_id = '{start.id}'")


def test_receiving_publishes_events_for_the_domain(hub, nats):
    _, stub = hub
    ontvang(stub, example("JW301"), GEMEENTE_301)

    def stream_messages() -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{nats.monitor_port}/jsz?streams=true", timeout=2) as response:
            report = json.load(response)
        streams = [s for a in report.get("account_details", []) for s in a.get("stream_detail", [])]
        return next((s["state"]["messages"] for s in streams if s["name"] == "BERICHTEN"), 0)

    from devstack.testing import wait_for

    assert wait_for(lambda: stream_messages() >= 2, 10, what="bericht.ontvangen.301 and bericht.verzonden.302 published")


async def test_message_left_unfetched_beyond_three_werkdagen_is_signalled_once(hub):
    from datetime import date

    from berichten.adapters.tables import metadata as berichten_metadata
    from berichten.handlers import signaleer_niet_opgehaald
    from runtime.db import Database

    service, stub = hub
    start = ontvang(stub, example("JW301"), GEMEENTE_301)
    url = service.env["ZK_DATABASE_URL"]
    sql(url, f"UPDATE berichten.postbus SET klaargezet_op = '2026-11-16 09:00+01' WHERE bericht_id = '{start.retour_id}'")  # a Monday
    db = Database(url, berichten_metadata)
    db.connect()
    try:
        async with db.unit_of_work("berichten") as uow:
            assert await signaleer_niet_opgehaald(uow, date(2026, 11, 19)) == 0  # Thursday: 3 werkdagen have not passed
        async with db.unit_of_work("berichten") as uow:
            assert await signaleer_niet_opgehaald(uow, date(2026, 11, 20)) == 1  # Friday: they have
        async with db.unit_of_work("berichten") as uow:
            assert await signaleer_niet_opgehaald(uow, date(2026, 11, 23)) == 0  # signalled once
    finally:
        await db.dispose()
    events = sql(url, "SELECT subject, payload->'data'->>'id', payload->'data'->>'ontvanger' FROM berichten.outbox WHERE subject = 'bericht.niet_opgehaald'")
    assert events == [("bericht.niet_opgehaald", start.retour_id, "0384")]
