"""Herindicatie signalen and indicatie.signaal.verlopen over real processes (indicatie, declaratie for
the contracts), PostgreSQL and NATS JetStream:

- a beschikt product signals its herindicatie 8 weeks before it ends to the aanbieder that delivers
  it, or to the gemeente for a product that is the cliënt's own responsibility, visible through
  ListSignalen to that party only; a wijziging moves the signal, an intrekking closes it;
- every signal past its deadline is published once as indicatie.signaal.verlopen and reaches a
  JetStream consumer — with two indicatie processes on one database, and after a restart;
- a product without a chosen aanbieder signals the gemeente until an aanbieder's claim of it on the
  toewijslijst is confirmed in the toewijzing service: its event (through the toewijzing outbox,
  over NATS) moves the signal to that aanbieder, once, and a later wijziging keeps it there; when
  that aanbieder's toewijzing ends before the product (a verhuizing out of the gemeente), the
  toewijzing service's event moves the signal back to the gemeente, once; a version of a toewijzing
  that arrives twice or after a later one changes nothing.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

import grpc
import nats
import pytest
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc
from zorgketen.indicatie.v1 import trajecten_pb2 as tpb
from zorgketen.indicatie.v1 import trajecten_pb2_grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2, toewijzing_pb2_grpc

from devstack.demo import demo_bsns
from devstack.testing import consumer_state, health_status, metadata, sql, wait_for
from indicatie.domain.termijnen import WEKEN_VOOR_EINDE_BESCHIKKING, uiterlijk_weken_voor
from indicatie.trajecten import vandaag
from runtime.events import Event
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

NIEUWEGEIN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-nieuwegein", ["0356"])
HOUTEN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-houten", ["0321"])
JEUGDHULP = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker", "98100003")
THUISZORG = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker", "98100001")
ANDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker", "98100004")
CONTRACTMANAGER = Tenant.gemeente(Role.CONTRACTMANAGER, "contractmanager", ["0356"])
BRP = Tenant.gemeente(Role.SYSTEEM, "brp-koppeling", ["0356"])
KIND, VOLWASSENE = demo_bsns()[510], demo_bsns()[511]
ADRES = indicatie_pb2.Adres(soort="01", straatnaam="Lekboulevard", huisnummer=12, postcode="3431AB", plaatsnaam="Nieuwegein")
HERINDICATIE = tpb.SIGNAAL_SOORT_HERINDICATIE


def contract(agb: str, wet: int, categorie: str, code: str, eenheid: str) -> declaratie_pb2.RegistreerContractRequest:
    return declaratie_pb2.RegistreerContractRequest(
        contract=declaratie_pb2.Contract(
            gemeente=common_pb2.Gemeentecode(value="0356"),
            aanbieder=common_pb2.AgbCode(value=agb),
            wet=wet,
            product=common_pb2.Product(categorie=categorie, code=code),
            uitvoeringsvariant=declaratie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
            tarief=common_pb2.Bedrag(eurocent=175),
            eenheid=eenheid,
            geldigheid=common_pb2.Periode(begindatum=common_pb2.Datum(value="2026-01-01")),
        )
    )


def client(bsn: str, geboortedatum: str) -> indicatie_pb2.RegistreerClientRequest:
    return indicatie_pb2.RegistreerClientRequest(
        client=indicatie_pb2.Client(
            bsn=common_pb2.Bsn(value=bsn),
            gemeente=common_pb2.Gemeentecode(value="0356"),
            geslachtsnaam="Bakker",
            voorletters="S.",
            geboortedatum=common_pb2.Datum(value=geboortedatum),
            geslacht="2",
            adressen=[ADRES],
        )
    )


def product(eind: date, agb: str | None, categorie: str = "45", code: str = "45A48", eenheid: str = "01") -> indicatie_pb2.BeschiktProduct:
    return indicatie_pb2.BeschiktProduct(
        aanbieder=common_pb2.AgbCode(value=agb) if agb else None,
        product=common_pb2.Product(categorie=categorie, code=code),
        omvang=common_pb2.Omvang(volume=3, eenheid=eenheid, frequentie="2"),
        ingangsdatum=common_pb2.Datum(value="2026-02-01"),
        einddatum=common_pb2.Datum(value=eind.isoformat()),
        uitvoeringsvariant=indicatie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
    )


def beschikking(nummer: str, bsn: str, wet: int, *producten: indicatie_pb2.BeschiktProduct) -> indicatie_pb2.GeefBeschikkingAfRequest:
    return indicatie_pb2.GeefBeschikkingAfRequest(
        beschikking=indicatie_pb2.Beschikking(
            beschikkingnummer=nummer,
            bsn=common_pb2.Bsn(value=bsn),
            gemeente=common_pb2.Gemeentecode(value="0356"),
            wet=wet,
            beschikkingsdatum=common_pb2.Datum(value="2026-01-20"),
            producten=list(producten),
        )
    )


def herindicaties(channel: grpc.Channel, tenant: Tenant) -> list[tpb.Signaal]:
    page = trajecten_pb2_grpc.TrajectenStub(channel).ListSignalen(
        tpb.ListSignalenRequest(page=common_pb2.PageRequest(page_size=100)), metadata=metadata(tenant), timeout=5
    )
    return [s for s in page.signalen if s.soort == HERINDICATIE]


def start_chain(start_service, **env: str):  # type: ignore[no-untyped-def]
    indicatie = start_service("indicatie", **env)
    declaratie = start_service("declaratie")
    url = indicatie.env["ZK_DATABASE_URL"]
    with grpc.insecure_channel(declaratie.address) as dch, grpc.insecure_channel(indicatie.address) as ich:
        contracten = declaratie_pb2_grpc.DeclaratieStub(dch)
        contracten.RegistreerContract(contract("98100003", common_pb2.WET_JEUGDWET, "45", "45A48", "01"), metadata=metadata(CONTRACTMANAGER), timeout=5)
        contracten.RegistreerContract(contract("98100001", common_pb2.WET_WMO, "01", "01A01", "04"), metadata=metadata(CONTRACTMANAGER), timeout=5)
        stub = indicatie_pb2_grpc.IndicatieStub(ich)
        stub.RegistreerClient(client(KIND, "2014-05-06"), metadata=metadata(NIEUWEGEIN), timeout=5)
        stub.RegistreerClient(client(VOLWASSENE, "1950-05-06"), metadata=metadata(NIEUWEGEIN), timeout=5)
    wait_for(lambda: sql(url, "SELECT count(*) FROM indicatie.contract")[0][0] == 2, 15, what="the contracts copied into indicatie")
    return indicatie, url


def test_herindicatie_goes_to_the_delivering_aanbieder_or_for_own_responsibility_to_the_gemeente(start_service):
    indicatie, url = start_chain(start_service)
    eind = date(2027, 6, 27)  # a Sunday: 8 weeks before is Sunday 2 May 2027, so Friday 30 April
    with grpc.insecure_channel(indicatie.address) as channel:
        stub = indicatie_pb2_grpc.IndicatieStub(channel)
        stub.GeefBeschikkingAf(beschikking("2001", KIND, common_pb2.WET_JEUGDWET, product(eind, "98100003")), metadata=metadata(NIEUWEGEIN), timeout=5)
        hbh = product(eind, "98100001", "01", "01A01", "04")  # marked as the cliënt's own responsibility
        stub.GeefBeschikkingAf(beschikking("2002", VOLWASSENE, common_pb2.WET_WMO, hbh), metadata=metadata(NIEUWEGEIN), timeout=5)

        (aanbieder,) = herindicaties(channel, JEUGDHULP)
        assert (aanbieder.beschikkingnummer, aanbieder.gemeente.value, aanbieder.product) == ("2001", "0356", "45/45A48@2026-02-01")
        assert aanbieder.deadline.value == "2027-04-30" and aanbieder.partij.code == "98100003"
        assert aanbieder.traject_id == "" and aanbieder.urgentie == tpb.URGENTIE_OP_TIJD and aanbieder.werkdagen_resterend > 0
        (gemeente,) = herindicaties(channel, NIEUWEGEIN)
        assert (gemeente.beschikkingnummer, gemeente.partij.soort, gemeente.partij.code) == ("2002", tpb.PARTIJ_SOORT_GEMEENTE, "0356")
        # the thuiszorg delivers 01A01 but the cliënt asks for its herindicatie; others see nothing
        assert herindicaties(channel, THUISZORG) == [] and herindicaties(channel, ANDER) == [] and herindicaties(channel, HOUTEN) == []

        # a wijziging that extends the product moves the signal; an intrekking closes it
        verlengd = product(date(2027, 12, 31), "98100003")
        reden = indicatie_pb2.Reden(code="01", toelichting="verlenging")
        stub.WijzigBeschikking(
            indicatie_pb2.WijzigBeschikkingRequest(gemeente=common_pb2.Gemeentecode(value="0356"), beschikkingnummer="2001", producten=[verlengd], reden=reden, versie=1),
            metadata=metadata(NIEUWEGEIN),
            timeout=5,
        )
        (verplaatst,) = herindicaties(channel, JEUGDHULP)
        assert verplaatst.deadline.value == uiterlijk_weken_voor(date(2027, 12, 31), WEKEN_VOOR_EINDE_BESCHIKKING).isoformat() == "2027-11-05"
        assert verplaatst.id != aanbieder.id
        stub.TrekBeschikkingIn(
            indicatie_pb2.TrekBeschikkingInRequest(gemeente=common_pb2.Gemeentecode(value="0356"), beschikkingnummer="2001", reden=reden, versie=2),
            metadata=metadata(NIEUWEGEIN),
            timeout=5,
        )
        assert herindicaties(channel, JEUGDHULP) == []
    afgehandeld = sql(url, "SELECT count(*) FROM indicatie.signaal WHERE beschikkingnummer = '2001' AND afgehandeld_op IS NOT NULL")[0][0]
    assert afgehandeld == 2
    subjects = [r[0] for r in sql(url, "SELECT subject FROM indicatie.outbox WHERE subject LIKE 'indicatie.signaal.%' ORDER BY seq")]
    assert subjects == ["indicatie.signaal.aangemaakt"] * 2 + ["indicatie.signaal.afgehandeld", "indicatie.signaal.aangemaakt", "indicatie.signaal.afgehandeld"]


async def _verlopen_events(nats_url: str, durable: str, wait: float, until: int | None = None) -> list[dict]:  # type: ignore[type-arg]
    """Every indicatie.signaal.verlopen message a durable JetStream consumer gets within `wait` seconds (acked),
    or as soon as `until` have come (the relay may lag on a busy machine; absence needs the whole window)."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe("indicatie.signaal.verlopen", durable=durable, stream="INDICATIE")
        found: list[dict] = []  # type: ignore[type-arg]
        deadline = asyncio.get_running_loop().time() + wait
        while asyncio.get_running_loop().time() < deadline and (until is None or len(found) < until):
            try:
                msgs = await sub.fetch(50, timeout=0.5)
            except asyncio.TimeoutError:  # nats-py raises its own subclass or asyncio's, depending on the path
                continue
            for msg in msgs:
                found.append(json.loads(msg.data))
                await msg.ack()
        return found
    finally:
        await nc.close()


def test_each_overdue_signal_is_published_once_as_verlopen_across_two_processes_and_a_restart(start_service, nats):
    interval = {"ZK_INDICATIE_SIGNAAL_INTERVAL_SECONDS": "0.3"}
    indicatie, url = start_chain(start_service, **interval)
    tweede = start_service("indicatie", **interval)  # a second process on the same database
    dag = vandaag()
    with grpc.insecure_channel(indicatie.address) as channel:
        # a herindicatie due 8 weeks before an end 10 days away: overdue
        indicatie_pb2_grpc.IndicatieStub(channel).GeefBeschikkingAf(
            beschikking("3001", KIND, common_pb2.WET_JEUGDWET, product(dag + timedelta(days=10), "98100003")), metadata=metadata(NIEUWEGEIN), timeout=5
        )
        trajecten = trajecten_pb2_grpc.TrajectenStub(channel)
        for weken in (9, 10, 11):  # meldingen whose 4 weeks for the participatieadviseur have passed
            trajecten.RegistreerMelding(
                tpb.RegistreerMeldingRequest(
                    bsn=common_pb2.Bsn(value=KIND),
                    gemeente=common_pb2.Gemeentecode(value="0356"),
                    onderwerp=f"melding van {weken} weken geleden",
                    meldingsdatum=common_pb2.Datum(value=(dag - timedelta(weeks=weken)).isoformat()),
                ),
                metadata=metadata(NIEUWEGEIN),
                timeout=5,
            )
        # one that is not overdue yet
        trajecten.RegistreerMelding(
            tpb.RegistreerMeldingRequest(bsn=common_pb2.Bsn(value=KIND), gemeente=common_pb2.Gemeentecode(value="0356"), onderwerp="vandaag"),
            metadata=metadata(NIEUWEGEIN),
            timeout=5,
        )
    wait_for(lambda: sql(url, "SELECT count(*) FROM indicatie.signaal WHERE verlopen_gemeld_op IS NOT NULL")[0][0] == 4, 15, what="4 signalen reported")
    eerste = asyncio.run(_verlopen_events(nats.url, "test-verlopen", 30.0, until=4))
    eerste += asyncio.run(_verlopen_events(nats.url, "test-verlopen", 2.0))  # and no fifth
    assert sorted(e["subject"] for e in eerste) == ["indicatie.signaal.verlopen"] * 4
    data = [e["data"] for e in eerste]
    assert len({d["signaal_id"] for d in data}) == 4
    assert sorted(d["soort"] for d in data) == ["herindicatie"] + ["participatieadviseur"] * 3
    herindicatie = next(d for d in data if d["soort"] == "herindicatie")
    assert (herindicatie["beschikkingnummer"], herindicatie["code"], herindicatie["werkdagen_te_laat"] > 0) == ("3001", "98100003", True)

    # a graceful stop and a restart report nothing again; the other process kept running all along
    assert indicatie.stop() == 0
    indicatie.start()
    wait_for(lambda: health_status(indicatie.address) == "SERVING", 30, what="indicatie SERVING again")
    later = asyncio.run(_verlopen_events(nats.url, "test-verlopen", 3.0))
    assert later == []
    assert sql(url, "SELECT count(*) FROM indicatie.outbox WHERE subject = 'indicatie.signaal.verlopen'")[0][0] == 4
    assert tweede.process is not None and tweede.process.poll() is None


def test_the_herindicatie_signal_moves_to_the_aanbieder_whose_toewijslijst_claim_is_confirmed(start_service):
    indicatie, url = start_chain(start_service)
    berichten = start_service("berichten")
    toewijzing = start_service("toewijzing", ZK_BERICHTEN_ADDR=berichten.address, ZK_INDICATIE_ADDR=indicatie.address)
    eind = date(2027, 6, 27)

    def toewijslijst_events() -> list[str]:
        return [r[0] for r in sql(url, "SELECT event_id FROM toewijzing.outbox WHERE subject = 'toewijzing.toewijslijst.gewijzigd' ORDER BY seq")]

    def verwerkt() -> list[str]:
        return [r[0] for r in sql(url, "SELECT event_id FROM indicatie.processed_event WHERE consumer = 'indicatie-toewijslijst' ORDER BY processed_at")]

    with grpc.insecure_channel(indicatie.address) as ich, grpc.insecure_channel(toewijzing.address) as tch:
        stub, lijst = indicatie_pb2_grpc.IndicatieStub(ich), toewijzing_pb2_grpc.ToewijzingStub(tch)
        stub.GeefBeschikkingAf(beschikking("4001", KIND, common_pb2.WET_JEUGDWET, product(eind, None)), metadata=metadata(NIEUWEGEIN), timeout=5)
        (bij_gemeente,) = herindicaties(ich, NIEUWEGEIN)
        assert (bij_gemeente.partij.soort, bij_gemeente.partij.code, bij_gemeente.deadline.value) == (tpb.PARTIJ_SOORT_GEMEENTE, "0356", "2027-04-30")
        assert herindicaties(ich, JEUGDHULP) == []

        # the product waits on the toewijslijst; the contracted aanbieder claims it: nobody delivers it yet
        def inschrijving() -> toewijzing_pb2.Inschrijving | None:
            page = lijst.ListToewijslijst(toewijzing_pb2.ListToewijslijstRequest(), metadata=metadata(NIEUWEGEIN), timeout=5)
            return next((i for i in page.inschrijvingen if i.beschikkingnummer == "4001"), None)

        entry = wait_for(inschrijving, 30, what="the product on the toewijslijst")

        def zichtbaar() -> bool:
            page = lijst.ListToewijslijst(toewijzing_pb2.ListToewijslijstRequest(), metadata=metadata(JEUGDHULP), timeout=5)
            return any(i.id == entry.id for i in page.inschrijvingen)

        wait_for(zichtbaar, 30, what="the entry on the contracted aanbieder's toewijslijst")
        lijst.ClaimInschrijving(toewijzing_pb2.InschrijvingRequest(id=entry.id), metadata=metadata(JEUGDHULP), timeout=10)
        wait_for(lambda: len(toewijslijst_events()) >= 1 and sorted(verwerkt()) == sorted(toewijslijst_events()), 30, what="the claim's event handled by indicatie")
        assert [s.id for s in herindicaties(ich, NIEUWEGEIN)] == [bij_gemeente.id] and herindicaties(ich, JEUGDHULP) == []

        # the gemeente confirms the claim: the signal moves to the aanbieder, with the same deadline and product
        bevestigd = lijst.BevestigClaim(toewijzing_pb2.InschrijvingRequest(id=entry.id), metadata=metadata(NIEUWEGEIN), timeout=10)
        assert bevestigd.status == "bevestigd"
        (bij_aanbieder,) = wait_for(lambda: herindicaties(ich, JEUGDHULP), 30, what="the herindicatie signal at the aanbieder")
        assert (bij_aanbieder.partij.code, bij_aanbieder.deadline.value, bij_aanbieder.beschikkingnummer, bij_aanbieder.product) == (
            "98100003",
            bij_gemeente.deadline.value,
            "4001",
            bij_gemeente.product,
        )
        assert herindicaties(ich, NIEUWEGEIN) == [] and herindicaties(ich, ANDER) == []

        # each toewijslijst event was handled exactly once (processed_event), and the move happened once
        events = toewijslijst_events()
        wait_for(lambda: sorted(verwerkt()) == sorted(events), 30, what="every toewijslijst event handled")
        assert len(verwerkt()) == len(set(verwerkt())) == len(events) >= 2
        payload = sql(url, f"SELECT payload FROM toewijzing.outbox WHERE event_id = '{events[-1]}'")[0][0]
        assert (payload["data"]["status"], payload["data"]["geclaimd_door"], payload["data"]["ingangsdatum"]) == ("bevestigd", "98100003", "2026-02-01")
        signaal_events = sql(url, "SELECT subject, payload FROM indicatie.outbox WHERE subject LIKE 'indicatie.signaal.%' ORDER BY seq")
        assert [(subject, p["data"]["code"]) for subject, p in signaal_events] == [
            ("indicatie.signaal.aangemaakt", "0356"),
            ("indicatie.signaal.afgehandeld", "0356"),
            ("indicatie.signaal.aangemaakt", "98100003"),
        ]

        # a later verlenging of the beschikking (the product still names no aanbieder) keeps the signal with it
        verlengd = product(date(2027, 12, 31), None)
        stub.WijzigBeschikking(
            indicatie_pb2.WijzigBeschikkingRequest(
                gemeente=common_pb2.Gemeentecode(value="0356"), beschikkingnummer="4001", producten=[verlengd], reden=indicatie_pb2.Reden(code="01", toelichting="verlenging"), versie=1
            ),
            metadata=metadata(NIEUWEGEIN),
            timeout=5,
        )
        (verlengd_signaal,) = herindicaties(ich, JEUGDHULP)
        assert (verlengd_signaal.partij.code, verlengd_signaal.deadline.value) == ("98100003", "2027-11-05")
        assert herindicaties(ich, NIEUWEGEIN) == []



def test_the_herindicatie_signal_goes_back_to_the_gemeente_when_the_toewijslijst_aanbieders_toewijzing_ends(start_service):
    indicatie, url = start_chain(start_service)
    berichten = start_service("berichten")
    toewijzing = start_service("toewijzing", ZK_BERICHTEN_ADDR=berichten.address, ZK_INDICATIE_ADDR=indicatie.address)

    def toewijzing_events() -> list[str]:
        return [r[0] for r in sql(url, "SELECT event_id FROM toewijzing.outbox WHERE subject = 'toewijzing.toewijzing.gewijzigd' ORDER BY seq")]

    def verwerkt() -> list[str]:
        return [r[0] for r in sql(url, "SELECT event_id FROM indicatie.processed_event WHERE consumer = 'indicatie-toewijslijst-toewijzingen'")]

    with grpc.insecure_channel(indicatie.address) as ich, grpc.insecure_channel(toewijzing.address) as tch:
        stub, lijst = indicatie_pb2_grpc.IndicatieStub(ich), toewijzing_pb2_grpc.ToewijzingStub(tch)
        # a product from today, without a chosen aanbieder: on the toewijslijst, its signal at the gemeente
        wachtend = product(date(2027, 6, 27), None)
        wachtend.ingangsdatum.value = vandaag().isoformat()
        stub.GeefBeschikkingAf(beschikking("4002", KIND, common_pb2.WET_JEUGDWET, wachtend), metadata=metadata(NIEUWEGEIN), timeout=5)
        (bij_gemeente,) = herindicaties(ich, NIEUWEGEIN)

        def inschrijving() -> toewijzing_pb2.Inschrijving | None:
            page = lijst.ListToewijslijst(toewijzing_pb2.ListToewijslijstRequest(), metadata=metadata(JEUGDHULP), timeout=5)
            return next((i for i in page.inschrijvingen if i.product.code == "45A48"), None)

        entry = wait_for(inschrijving, 30, what="the entry on the contracted aanbieder's toewijslijst")
        lijst.ClaimInschrijving(toewijzing_pb2.InschrijvingRequest(id=entry.id), metadata=metadata(JEUGDHULP), timeout=10)
        lijst.BevestigClaim(toewijzing_pb2.InschrijvingRequest(id=entry.id), metadata=metadata(NIEUWEGEIN), timeout=10)
        (bij_aanbieder,) = wait_for(lambda: herindicaties(ich, JEUGDHULP), 30, what="the herindicatie signal at the aanbieder")
        # the toewijzing made on the confirmation runs to the product's end: the signal stays with the aanbieder
        wait_for(lambda: len(verwerkt()) == len(toewijzing_events()) == 1, 30, what="the new toewijzing's event handled by indicatie")
        assert [s.id for s in herindicaties(ich, JEUGDHULP)] == [bij_aanbieder.id] and herindicaties(ich, NIEUWEGEIN) == []

        # the cliënt moves out of the gemeente today: the toewijzing service ends the aanbieder's
        # toewijzing (begun today, so deleted) before the product ends — nobody delivers the product any
        # more, and the signal goes back to the gemeente with the same deadline
        verhuizing = indicatie_pb2.BrpMutatie(
            kenmerk="brp-verhuizing-4002",
            bsn=common_pb2.Bsn(value=KIND),
            gemeente=common_pb2.Gemeentecode(value="0356"),
            soort=indicatie_pb2.BRP_MUTATIE_SOORT_VERHUIZING,
            datum=common_pb2.Datum(value=vandaag().isoformat()),
            nieuwe_gemeente=common_pb2.Gemeentecode(value="0321"),
        )
        stub.VerwerkBrpMutatie(indicatie_pb2.VerwerkBrpMutatieRequest(mutatie=verhuizing), metadata=metadata(BRP), timeout=5)
        (terug,) = wait_for(lambda: herindicaties(ich, NIEUWEGEIN), 30, what="the herindicatie signal back at the gemeente")
        assert (terug.partij.soort, terug.partij.code, terug.deadline.value, terug.beschikkingnummer, terug.product) == (
            tpb.PARTIJ_SOORT_GEMEENTE,
            "0356",
            bij_gemeente.deadline.value,
            "4002",
            bij_gemeente.product,
        )
        assert herindicaties(ich, JEUGDHULP) == []

        # both versions of the toewijzing reached indicatie over NATS and were each handled exactly once
        events = toewijzing_events()
        wait_for(lambda: sorted(verwerkt()) == sorted(events), 30, what="every toewijzing event handled")
        assert len(verwerkt()) == len(set(verwerkt())) == len(events) == 2
        laatste = sql(url, f"SELECT payload FROM toewijzing.outbox WHERE event_id = '{events[-1]}'")[0][0]["data"]
        assert (laatste["versie"], laatste["verwijderd"], laatste["reden_wijziging"]) == (2, True, "13")
        assert sql(url, "SELECT versie, verwijderd, eindigt_voor_product FROM indicatie.toewijslijst_toewijzing") == [(2, True, True)]
        # the signal moved to the aanbieder once and back once, always with the product's deadline
        signaal_events = sql(url, "SELECT subject, payload FROM indicatie.outbox WHERE subject LIKE 'indicatie.signaal.%' ORDER BY seq")
        assert [(subject.rsplit(".", 1)[1], p["data"]["code"], p["data"]["deadline"]) for subject, p in signaal_events] == [
            ("aangemaakt", "0356", bij_gemeente.deadline.value),
            ("afgehandeld", "0356", bij_gemeente.deadline.value),
            ("aangemaakt", "98100003", bij_gemeente.deadline.value),
            ("afgehandeld", "98100003", bij_gemeente.deadline.value),
            ("aangemaakt", "0356", bij_gemeente.deadline.value),
        ]


async def _publiceer(nats_url: str, *events: Event) -> None:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for event in events:
            await js.publish(event.subject, event.to_bytes(), stream="TOEWIJZING")
    finally:
        await nc.close()


def test_a_toewijzing_version_arriving_late_or_twice_changes_nothing(start_service, nats):
    """The toewijzing service's versions of one toewijzing, as they may reach indicatie: the later
    one (deleted) first, then the same message again, then the older one. The deletion stands."""
    indicatie, url = start_chain(start_service)
    durable = "indicatie-toewijslijst-toewijzingen"
    with grpc.insecure_channel(indicatie.address) as ich:
        stub = indicatie_pb2_grpc.IndicatieStub(ich)
        stub.GeefBeschikkingAf(beschikking("4003", KIND, common_pb2.WET_JEUGDWET, product(date(2027, 6, 27), None)), metadata=metadata(NIEUWEGEIN), timeout=5)
        (bij_gemeente,) = herindicaties(ich, NIEUWEGEIN)
        product_data = {"gemeentecode": "0356", "wet": "jeugdwet", "beschikkingnummer": "4003", "categorie": "45", "code": "45A48"}
        bevestigd = {**product_data, "id": "inschrijving-4003", "ingangsdatum": "2026-02-01", "einddatum": "2027-06-27", "status": "bevestigd", "geclaimd_door": "98100003", "sinds": "2026-12-01T09:00:00"}
        asyncio.run(_publiceer(nats.url, Event("toewijzing.toewijslijst.gewijzigd", bevestigd, "toewijzing", "0356")))
        wait_for(lambda: herindicaties(ich, JEUGDHULP), 30, what="the herindicatie signal at the aanbieder")

        toewijzing = {**product_data, "toewijzing_nummer": 7, "bsn": KIND, "agb": "98100003", "ingangsdatum": "2026-12-01"}
        versie_1 = Event("toewijzing.toewijzing.gewijzigd", {**toewijzing, "versie": 1, "einddatum": "2027-06-27", "verwijderd": False}, "toewijzing", "0356")
        versie_2 = Event("toewijzing.toewijzing.gewijzigd", {**toewijzing, "versie": 2, "einddatum": "2026-12-01", "verwijderd": True}, "toewijzing", "0356")
        asyncio.run(_publiceer(nats.url, versie_2, versie_2, versie_1))

        def alles_bevestigd() -> bool:
            state = consumer_state(nats.monitor_port, durable)
            return bool(state) and state["num_pending"] == 0 and state["num_ack_pending"] == 0 and state["delivered"]["stream_seq"] >= 4

        wait_for(alles_bevestigd, 30, what="the three toewijzing messages acknowledged")
        verwerkt = sql(url, f"SELECT event_id FROM indicatie.processed_event WHERE consumer = '{durable}'")
        assert sorted(str(r[0]) for r in verwerkt) == sorted([versie_1.id, versie_2.id])
        assert sql(url, "SELECT toewijzing_nummer, versie, verwijderd, eindigt_voor_product FROM indicatie.toewijslijst_toewijzing") == [(7, 2, True, True)]
        (terug,) = herindicaties(ich, NIEUWEGEIN)
        assert (terug.deadline.value, terug.product) == (bij_gemeente.deadline.value, bij_gemeente.product) and herindicaties(ich, JEUGDHULP) == []
        signaal_events = sql(url, "SELECT subject, payload FROM indicatie.outbox WHERE subject LIKE 'indicatie.signaal.%' ORDER BY seq")
        assert [(subject.rsplit(".", 1)[1], p["data"]["code"]) for subject, p in signaal_events] == [
            ("aangemaakt", "0356"),
            ("afgehandeld", "0356"),
            ("aangemaakt", "98100003"),
            ("afgehandeld", "98100003"),
            ("aangemaakt", "0356"),
        ]
