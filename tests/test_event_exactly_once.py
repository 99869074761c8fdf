"""The event path: a change written through indicatie's outbox is applied by rapportage exactly once,
also when the consumer dies mid-handling and when the publisher's database is briefly unavailable."""

from __future__ import annotations

from pathlib import Path

import grpc
import pytest
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

from devstack.demo import demo_bsns
from devstack.testing import ServiceProcess, consumer_state, metadata, sql, wait_for
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

HELPER = Path(__file__).parent / "helpers" / "crashing_consumer.py"
DURABLE = "rapportage-client-telling"
GEMEENTE = "0356"
CONSULENT = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-nieuwegein", [GEMEENTE])
FAST_REDELIVERY = {"ZK_EVENT_ACK_WAIT_SECONDS": "2"}


def registreer(indicatie: ServiceProcess, bsn: str) -> None:
    with grpc.insecure_channel(indicatie.address) as channel:
        indicatie_pb2_grpc.IndicatieStub(channel).RegistreerClient(
            indicatie_pb2.RegistreerClientRequest(
                client=indicatie_pb2.Client(
                    bsn=common_pb2.Bsn(value=bsn),
                    gemeente=common_pb2.Gemeentecode(value=GEMEENTE),
                    geslachtsnaam="Visser",
                    voorletters="A.",
                    geboortedatum=common_pb2.Datum(value="1948-03-02"),
                    geslacht="2",
                )
            ),
            metadata=metadata(CONSULENT),
            timeout=5,
        )


def telling(url: str) -> int:
    rows = sql(url, f"SELECT aantal_clienten FROM rapportage.client_telling WHERE gemeentecode = '{GEMEENTE}'")
    return rows[0][0] if rows else 0


def processed(url: str) -> int:
    return sql(url, "SELECT count(*) FROM rapportage.processed_event")[0][0]


def all_acknowledged(nats, expected_delivered: int) -> bool:  # type: ignore[no-untyped-def]
    state = consumer_state(nats.monitor_port, DURABLE)
    return bool(state) and state["num_ack_pending"] == 0 and state["num_pending"] == 0 and state["ack_floor"]["stream_seq"] >= expected_delivered


def test_event_is_applied_once_by_the_consumer(start_service, nats):
    indicatie = start_service("indicatie")
    rapportage = start_service("rapportage")
    url = indicatie.env["ZK_DATABASE_URL"]
    for bsn in demo_bsns()[1:4]:
        registreer(indicatie, bsn)
    wait_for(lambda: telling(url) == 3, 15, what="three cliënten counted")
    wait_for(lambda: all_acknowledged(nats, 3), 10, what="all events acknowledged")
    assert processed(url) == 3
    assert sql(url, "SELECT count(*) FROM indicatie.outbox WHERE published_at IS NULL")[0][0] == 0
    assert rapportage.process.poll() is None


def _crashing_consumer(indicatie: ServiceProcess, mode: str) -> ServiceProcess:
    helper = ServiceProcess("rapportage", {**indicatie.env, **FAST_REDELIVERY}, indicatie.log.parent)
    helper.migrate()
    return helper.start(str(HELPER), mode)


def test_consumer_killed_after_commit_before_ack_does_not_apply_twice(start_service, nats):
    indicatie = start_service("indicatie")
    url = indicatie.env["ZK_DATABASE_URL"]
    helper = _crashing_consumer(indicatie, "after-commit")
    registreer(indicatie, demo_bsns()[5])
    assert helper.process.wait(30) == 9, helper.logtext()
    assert telling(url) == 1  # the handler's transaction committed before the crash

    rapportage = start_service("rapportage", **FAST_REDELIVERY)
    # the unacknowledged event is delivered again and recognised as already applied
    wait_for(lambda: "already applied" in rapportage.logtext(), 20, what="the redelivered event")
    wait_for(lambda: all_acknowledged(nats, 1), 10, what="the event acknowledged")
    assert telling(url) == 1
    assert processed(url) == 1


def test_consumer_killed_before_commit_applies_the_event_on_redelivery(start_service, nats):
    indicatie = start_service("indicatie")
    url = indicatie.env["ZK_DATABASE_URL"]
    helper = _crashing_consumer(indicatie, "before-commit")
    registreer(indicatie, demo_bsns()[6])
    assert helper.process.wait(30) == 9, helper.logtext()
    assert telling(url) == 0  # nothing of the interrupted handling remains
    assert processed(url) == 0

    start_service("rapportage", **FAST_REDELIVERY)
    wait_for(lambda: telling(url) == 1, 20, what="the event applied after redelivery")
    wait_for(lambda: all_acknowledged(nats, 1), 10, what="the event acknowledged")
    assert telling(url) == 1
    assert processed(url) == 1


def test_events_survive_a_database_and_nats_outage_of_the_publisher(start_private_service, private_postgres, nats):
    indicatie = start_private_service("indicatie")
    start_private_service("rapportage", **FAST_REDELIVERY)
    url = indicatie.env["ZK_DATABASE_URL"]
    bsns = demo_bsns()[10:13]
    registreer(indicatie, bsns[0])
    wait_for(lambda: telling(url) == 1, 15, what="the first cliënt counted")

    # NATS goes away: the change commits with its outbox row, which waits unpublished
    nats.stop()
    registreer(indicatie, bsns[1])
    assert sql(url, "SELECT count(*) FROM indicatie.outbox WHERE published_at IS NULL")[0][0] == 1

    # then the database goes away too, and NATS comes back while it is down
    private_postgres.stop()
    with pytest.raises(grpc.RpcError):
        registreer(indicatie, bsns[2])
    nats.start()
    private_postgres.start()

    # the relay and the consumer recover by themselves: the waiting event is published and applied once
    wait_for(lambda: telling(url) == 2, 40, what="the waiting event applied after the outage")
    registreer(indicatie, bsns[2])
    wait_for(lambda: telling(url) == 3, 20, what="a new cliënt counted after the outage")
    wait_for(lambda: all_acknowledged(nats, 3), 15, what="all events acknowledged")
    assert telling(url) == 3
    assert processed(url) == 3
    assert sql(url, "SELECT count(*) FROM indicatie.outbox WHERE published_at IS NULL")[0][0] == 0
