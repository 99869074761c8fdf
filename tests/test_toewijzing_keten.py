"""The toewijzing chain end to end, over real PostgreSQL and NATS with the indicatie, declaratie,
berichten and toewijzing services as processes: a beschikking becomes a 301 in the aanbieder's
postbus, the aanbieder's 302 makes the toewijzing actief, its starts and stops (305 / 307) are
judged against the toewijzing and answered with a 306 / 308; a cliënt without a chosen aanbieder
waits on the toewijslijst, where exactly one of two concurrent claims wins; and nobody sees another
party's toewijzingen, leveringen or (without a contract) toewijslijst."""

from __future__ import annotations

import asyncio
import functools
import itertools
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import grpc
import nats as nats_client
import pytest
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2, toewijzing_pb2_grpc

from berichten.controle import Controleur
from berichten.domain import model
from berichten.domain.berichtsoorten import Standaard
from devstack.aanbieder import Prestatieregel, codec, declaratie_323, retour_302, start_305, stop_307
from devstack.infra import LocalNats
from devstack.testing import ServiceProcess, make_starter, metadata, sql, wait_for
from indicatie.domain.client import is_geldig_bsn
from runtime.events import Event
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

NIEUWEGEIN, HOUTEN = "0356", "0321"
PRODUCT = ("45", "45A48")  # Jeugdhulp ambulant regulier, inspanningsgericht
AANBIEDER_A = "98100003"  # contracted in Nieuwegein: gets 301s directly
AANBIEDER_B = "98100004"  # contracted in Nieuwegein
CLAIMER_1, CLAIMER_2 = "98100005", "98100006"  # contracted in Nieuwegein: claim from the toewijslijst
ZONDER_CONTRACT = "98100008"  # no contract anywhere
ALLEEN_HOUTEN = "98100009"  # contracted for the same product, but only in Houten
CONTRACTEN = {
    NIEUWEGEIN: (AANBIEDER_A, AANBIEDER_B, CLAIMER_1, CLAIMER_2),
    HOUTEN: (ALLEEN_HOUTEN,),
}

CONSULENT = {
    NIEUWEGEIN: Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-nieuwegein", [NIEUWEGEIN]),
    HOUTEN: Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-houten", [HOUTEN]),
}
CONTRACTMANAGER = {g: Tenant.gemeente(Role.CONTRACTMANAGER, f"contractmanager-{g}", [g]) for g in CONSULENT}

VANDAAG = date.today()
# Care that began in the past, so that starts and stops may carry it (TR134: not after the Dagtekening).
INGANG = VANDAAG - timedelta(days=70)
EINDE = INGANG + timedelta(days=364)
BESCHIKKINGSDATUM = INGANG - timedelta(days=14)
WACHT = 30.0


@functools.cache
def controleur() -> Controleur:
    return Controleur(codec())


def medewerker(agb: str) -> Tenant:
    """An aanbieder's employee (portal): toewijzingen, leveringen, the toewijslijst."""
    return Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, f"medewerker-{agb}", agb)


def partner(agb: str) -> Tenant:
    """An aanbieder's partner system: sends and fetches messages through the hub."""
    return Tenant.aanbieder(Role.SYSTEEM, f"partner-{agb}", agb)


def _bsns() -> Iterator[str]:
    for n in itertools.count(999_960_000):
        if is_geldig_bsn(str(n)):
            yield str(n)


_BSN = _bsns()


def nieuwe_bsn() -> str:
    """A BSN (11-proef) no other test of this module uses."""
    return next(_BSN)


# ---------------------------------------------------------------- the services


@dataclass
class Keten:
    indicatie: indicatie_pb2_grpc.IndicatieStub
    declaratie: declaratie_pb2_grpc.DeclaratieStub
    berichten: berichten_pb2_grpc.BerichtenStub
    toewijzing: toewijzing_pb2_grpc.ToewijzingStub
    toewijzing_address: str
    services: dict[str, ServiceProcess]
    url: str
    xml_cache: dict[str, tuple[bytes, Any]] = field(default_factory=dict)
    nats_url: str = ""

    def logs(self) -> str:
        return "\n".join(f"--- {name} log (tail) ---\n{s.logtext()[-3000:]}" for name, s in self.services.items() if name in ("toewijzing", "berichten"))

    def wacht(self, condition: Callable[[], Any], what: str, timeout: float = WACHT) -> Any:
        """wait_for, with the tails of the toewijzing and berichten logs when it times out."""
        try:
            return wait_for(condition, timeout, 0.2, what)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.logs()}") from None


@pytest.fixture(scope="module")
def keten(infra, tmp_path_factory) -> Iterator[Keten]:  # type: ignore[no-untyped-def]
    logdir = tmp_path_factory.mktemp("toewijzing_keten")
    nats = LocalNats(logdir / "nats", logfile=logdir / "nats.log")
    nats.start()
    started: list[ServiceProcess] = []
    channels: list[grpc.Channel] = []
    try:
        start = make_starter(infra.new_database(), nats.url, logdir, started)
        berichten, indicatie, declaratie = start("berichten"), start("indicatie"), start("declaratie")
        addresses = {"ZK_BERICHTEN_ADDR": berichten.address, "ZK_INDICATIE_ADDR": indicatie.address, "ZK_DECLARATIE_ADDR": declaratie.address}
        toewijzing = start("toewijzing", **addresses)
        services = {"berichten": berichten, "indicatie": indicatie, "declaratie": declaratie, "toewijzing": toewijzing}
        channels = [grpc.insecure_channel(s.address) for s in (indicatie, declaratie, berichten, toewijzing)]
        k = Keten(
            indicatie=indicatie_pb2_grpc.IndicatieStub(channels[0]),
            declaratie=declaratie_pb2_grpc.DeclaratieStub(channels[1]),
            berichten=berichten_pb2_grpc.BerichtenStub(channels[2]),
            toewijzing=toewijzing_pb2_grpc.ToewijzingStub(channels[3]),
            toewijzing_address=toewijzing.address,
            services=services,
            url=indicatie.env["ZK_DATABASE_URL"],
            nats_url=nats.url,
        )
        for gemeente, aanbieders in CONTRACTEN.items():
            for agb in aanbieders:
                k.declaratie.RegistreerContract(contract(gemeente, agb), metadata=metadata(CONTRACTMANAGER[gemeente]), timeout=10)
        aantal = sum(len(a) for a in CONTRACTEN.values())
        k.wacht(lambda: sql(k.url, "SELECT count(*) FROM indicatie.contract")[0][0] == aantal, "the contracts copied into indicatie")
        yield k
    finally:
        for channel in channels:
            channel.close()
        for service in started:
            if service.process is not None and service.process.poll() is None:
                service.stop()
        nats.stop()


def contract(gemeente: str, agb: str) -> declaratie_pb2.RegistreerContractRequest:
    return declaratie_pb2.RegistreerContractRequest(
        contract=declaratie_pb2.Contract(
            gemeente=common_pb2.Gemeentecode(value=gemeente),
            aanbieder=common_pb2.AgbCode(value=agb),
            wet=common_pb2.WET_JEUGDWET,
            product=common_pb2.Product(categorie=PRODUCT[0], code=PRODUCT[1]),
            uitvoeringsvariant=declaratie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
            tarief=common_pb2.Bedrag(eurocent=175),
            eenheid="01",
            geldigheid=common_pb2.Periode(begindatum=common_pb2.Datum(value="2025-01-01")),
        )
    )


# ---------------------------------------------------------------- indicatie: cliënt and beschikking

ADRES = {
    NIEUWEGEIN: indicatie_pb2.Adres(soort="01", straatnaam="Lekboulevard", huisnummer=12, postcode="3431AB", plaatsnaam="Nieuwegein"),
    HOUTEN: indicatie_pb2.Adres(soort="01", straatnaam="Plein", huisnummer=3, postcode="3991DL", plaatsnaam="Houten"),
}


def registreer_client(k: Keten, bsn: str, gemeente: str = NIEUWEGEIN, geslachtsnaam: str = "Bakker") -> None:
    client = indicatie_pb2.Client(
        bsn=common_pb2.Bsn(value=bsn),
        gemeente=common_pb2.Gemeentecode(value=gemeente),
        geslachtsnaam=geslachtsnaam,
        voorletters="S.",
        geboortedatum=common_pb2.Datum(value="2014-05-06"),
        geslacht="2",
        adressen=[ADRES[gemeente]],
    )
    k.indicatie.RegistreerClient(indicatie_pb2.RegistreerClientRequest(client=client), metadata=metadata(CONSULENT[gemeente]), timeout=10)


def geef_beschikking_af(
    k: Keten, bsn: str, agb: str | None, gemeente: str = NIEUWEGEIN, nummer: str = "", perioden: tuple[tuple[date, date], ...] = ((INGANG, EINDE),)
) -> indicatie_pb2.Beschikking:
    """A beschikking of PRODUCT for each of `perioden` (they must not overlap)."""
    producten = [
        indicatie_pb2.BeschiktProduct(
            aanbieder=common_pb2.AgbCode(value=agb) if agb else None,
            product=common_pb2.Product(categorie=PRODUCT[0], code=PRODUCT[1]),
            omvang=common_pb2.Omvang(volume=120, eenheid="01", frequentie="2"),
            ingangsdatum=common_pb2.Datum(value=ingang.isoformat()),
            einddatum=common_pb2.Datum(value=einde.isoformat()),
            uitvoeringsvariant=indicatie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
        )
        for ingang, einde in perioden
    ]
    request = indicatie_pb2.GeefBeschikkingAfRequest(
        beschikking=indicatie_pb2.Beschikking(
            beschikkingnummer=nummer,
            bsn=common_pb2.Bsn(value=bsn),
            gemeente=common_pb2.Gemeentecode(value=gemeente),
            wet=common_pb2.WET_JEUGDWET,
            beschikkingsdatum=common_pb2.Datum(value=BESCHIKKINGSDATUM.isoformat()),
            producten=producten,
        )
    )
    return k.indicatie.GeefBeschikkingAf(request, metadata=metadata(CONSULENT[gemeente]), timeout=10)


# ---------------------------------------------------------------- the hub: postbus and messages


def postbus(k: Keten, agb: str) -> list[berichten_pb2.Bericht]:
    result: list[berichten_pb2.Bericht] = []
    token = ""
    while True:
        page = k.berichten.ListPostbus(
            berichten_pb2.ListPostbusRequest(page=common_pb2.PageRequest(page_size=100, page_token=token)), metadata=metadata(partner(agb)), timeout=10
        )
        result.extend(page.berichten)
        token = page.next_page_token
        if not token:
            return result


def bericht_xml(k: Keten, agb: str, bericht_id: str) -> tuple[bytes, Any]:
    """The XML of a message of this aanbieder's and the message decoded (kept: raw messages are immutable)."""
    if bericht_id not in k.xml_cache:
        data = k.berichten.GetBerichtXml(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=metadata(partner(agb)), timeout=10).xml
        k.xml_cache[bericht_id] = (data, codec().decode(data).bericht)
    return k.xml_cache[bericht_id]


def toewijzingen_301(k: Keten, agb: str, bsn: str) -> list[tuple[berichten_pb2.Bericht, bytes, model.ToewijzingBericht]]:
    """The 301s about this cliënt in the aanbieder's postbus."""
    found = []
    for bericht in postbus(k, agb):
        if bericht.berichtsoort != "301":
            continue
        data, decoded = bericht_xml(k, agb, bericht.id)
        if decoded is not None and decoded.client is not None and decoded.client.bsn == bsn:
            found.append((bericht, data, decoded))
    return found


def wacht_op_301(k: Keten, agb: str, bsn: str) -> tuple[berichten_pb2.Bericht, bytes, model.ToewijzingBericht]:
    (found,) = k.wacht(lambda: toewijzingen_301(k, agb, bsn), f"a 301 about cliënt {bsn} in the postbus of {agb}")
    return found


def ontvang(k: Keten, agb: str, data: bytes) -> berichten_pb2.Bericht:
    return k.berichten.Ontvang(berichten_pb2.OntvangRequest(xml=data), metadata=metadata(partner(agb)), timeout=10)


def get_bericht(k: Keten, agb: str, bericht_id: str) -> berichten_pb2.Bericht:
    return k.berichten.GetBericht(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=metadata(partner(agb)), timeout=10)


def beantwoord(k: Keten, agb: str, data: bytes, retour_soort: str) -> tuple[berichten_pb2.Bericht, Any]:
    """Sends a 305 / 307 as the aanbieder and waits for the hub's answer on the toewijzing service's verdict:
    the message (retour_verzonden) and its retourbericht decoded."""
    ontvangen = ontvang(k, agb, data)
    assert ontvangen.status == "geaccepteerd", (ontvangen.status, ontvangen.fout_melding, list(ontvangen.xsd_fouten), list(ontvangen.bevindingen))
    assert ontvangen.retour_id == ""  # it waits for the toewijzing service
    beoordeeld = k.wacht(
        lambda: (b := get_bericht(k, agb, ontvangen.id)).status == "retour_verzonden" and b,
        f"the toewijzing service's verdict on {ontvangen.berichtsoort} {ontvangen.id}",
    )
    assert beoordeeld.retour_id
    _, retour = bericht_xml(k, agb, beoordeeld.retour_id)
    assert retour is not None and retour.header.bericht_code == codec().schemas.type_for(Standaard.IJW, retour_soort).berichtcode
    assert beoordeeld.retour_id in {b.id for b in postbus(k, agb)}  # the retour waits in the aanbieder's postbus
    return beoordeeld, retour


def regels(bericht: berichten_pb2.Bericht) -> list[tuple[str, str]]:
    return [(b.regel, b.retourcode) for b in bericht.bevindingen]


def geaccepteerd(bericht: berichten_pb2.Bericht, retour: Any) -> bool:
    """Fully accepted (IV028): no findings, and the retour is the header alone without RetourCodes."""
    return bericht.bevindingen == [] and retour.client is None and retour.header.retour_codes == []


# ---------------------------------------------------------------- the toewijzing service


def toewijzingen(k: Keten, tenant: Tenant, bsn: str | None = None) -> list[toewijzing_pb2.Toewijzing]:
    """ListToewijzingen, all pages; a NOT_FOUND for a cliënt outside the caller's tenancy counts as none."""
    result: list[toewijzing_pb2.Toewijzing] = []
    token = ""
    while True:
        request = toewijzing_pb2.ListToewijzingenRequest(
            bsn=common_pb2.Bsn(value=bsn) if bsn else None, page=common_pb2.PageRequest(page_size=100, page_token=token)
        )
        try:
            page = k.toewijzing.ListToewijzingen(request, metadata=metadata(tenant), timeout=10)
        except grpc.RpcError as error:
            if bsn and error.code() == grpc.StatusCode.NOT_FOUND:
                return []
            raise
        result.extend(page.toewijzingen)
        token = page.next_page_token
        if not token:
            return result


def leveringen(k: Keten, tenant: Tenant, bsn: str) -> list[toewijzing_pb2.Levering]:
    """ListLeveringen; a NOT_FOUND for a cliënt outside the caller's tenancy counts as none."""
    try:
        return list(k.toewijzing.ListLeveringen(toewijzing_pb2.ListLeveringenRequest(bsn=common_pb2.Bsn(value=bsn)), metadata=metadata(tenant), timeout=10).leveringen)
    except grpc.RpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return []
        raise


def toewijslijst(k: Keten, tenant: Tenant) -> list[toewijzing_pb2.Inschrijving]:
    result: list[toewijzing_pb2.Inschrijving] = []
    token = ""
    while True:
        page = k.toewijzing.ListToewijslijst(
            toewijzing_pb2.ListToewijslijstRequest(page=common_pb2.PageRequest(page_size=100, page_token=token)), metadata=metadata(tenant), timeout=10
        )
        result.extend(page.inschrijvingen)
        token = page.next_page_token
        if not token:
            return result


def toewijzingberichten(k: Keten, tenant: Tenant) -> list[toewijzing_pb2.Toewijzingbericht]:
    result: list[toewijzing_pb2.Toewijzingbericht] = []
    token = ""
    while True:
        page = k.toewijzing.ListToewijzingberichten(
            toewijzing_pb2.ListToewijzingberichtenRequest(page=common_pb2.PageRequest(page_size=100, page_token=token)), metadata=metadata(tenant), timeout=10
        )
        result.extend(page.berichten)
        token = page.next_page_token
        if not token:
            return result


def inschrijving_van(k: Keten, bsn: str, gemeente: str = NIEUWEGEIN) -> toewijzing_pb2.Inschrijving:
    """The cliënt's entry on the toewijslijst, as the gemeente sees it (in full)."""
    return k.wacht(
        lambda: next((i for i in toewijslijst(k, CONSULENT[gemeente]) if i.bsn.value == bsn), None),
        f"cliënt {bsn} on the toewijslijst of {gemeente}",
    )


def zichtbaar_voor(k: Keten, agb: str, inschrijving_id: str) -> toewijzing_pb2.Inschrijving | None:
    return next((i for i in toewijslijst(k, medewerker(agb)) if i.id == inschrijving_id), None)


def toewijzing_met_301(k: Keten, bsn: str, agb: str = AANBIEDER_A, gemeente: str = NIEUWEGEIN) -> tuple[int, model.ToewijzingBericht]:
    """A registered cliënt with a beschikking for aanbieder `agb`: its ToewijzingNummer and the 301 as received."""
    registreer_client(k, bsn, gemeente)
    geef_beschikking_af(k, bsn, agb, gemeente)
    _, _, bericht301 = wacht_op_301(k, agb, bsn)
    assert bericht301.client is not None
    (toegewezen,) = bericht301.client.toegewezen_producten
    return toegewezen.toewijzing_nummer, bericht301


# ---------------------------------------------------------------- the tests


def test_beschikking_to_definitive_stop(keten: Keten):
    k, bsn = keten, nieuwe_bsn()
    gemeente = CONSULENT[NIEUWEGEIN]
    registreer_client(k, bsn)
    beschikking = geef_beschikking_af(k, bsn, AANBIEDER_A)
    assert beschikking.producten[0].aanbieder.value == AANBIEDER_A

    # the beschikking becomes a toewijzing with a number from the gemeente's jeugdwet sequence
    (toewijzing,) = k.wacht(lambda: toewijzingen(k, gemeente, bsn), f"the toewijzing of cliënt {bsn}")
    nummer = toewijzing.toewijzing_nummer
    assert nummer > 0
    assert (toewijzing.gemeente.value, toewijzing.wet, toewijzing.aanbieder.value) == (NIEUWEGEIN, common_pb2.WET_JEUGDWET, AANBIEDER_A)
    assert (toewijzing.product.categorie, toewijzing.product.code) == PRODUCT
    assert (toewijzing.ingangsdatum.value, toewijzing.einddatum.value) == (INGANG.isoformat(), EINDE.isoformat())
    assert toewijzing.beschikkingnummer == beschikking.beschikkingnummer

    # … and a 301 in the aanbieder's postbus, valid against the official XSD and the level-2 rules
    bericht, data, bericht301 = wacht_op_301(k, AANBIEDER_A, bsn)
    assert (bericht.berichtsoort, bericht.afzender, bericht.ontvanger, bericht.standaard) == ("301", NIEUWEGEIN, AANBIEDER_A, "ijw")
    decoded = codec().decode(data)
    assert decoded.xsd_valid, decoded.xsd_fouten
    uitslag = controleur().controleer(data, VANDAAG)
    assert uitslag.geaccepteerd, uitslag.bevindingen
    assert f">{nummer}<".encode() in data
    assert bericht301.client is not None
    (toegewezen,) = bericht301.client.toegewezen_producten
    assert (toegewezen.toewijzing_nummer, toegewezen.ingangsdatum, toegewezen.einddatum) == (nummer, INGANG, EINDE)
    assert toegewezen.product is not None and (toegewezen.product.categorie, toegewezen.product.code) == PRODUCT
    assert toegewezen.reden_wijziging is None  # a new toewijzing (IV066)

    # the aanbieder accepts it with a 302 without RetourCodes: the toewijzing is actief, the 301 geaccepteerd
    retour = ontvang(k, AANBIEDER_A, retour_302(bericht301))
    assert retour.berichtsoort == "302" and retour.status not in ("afgekeurd", "retour_verzonden"), (retour.status, list(retour.bevindingen))
    k.wacht(lambda: [t.status for t in toewijzingen(k, gemeente, bsn)] == ["actief"], f"toewijzing {nummer} actief after the 302")
    verzonden = k.wacht(
        lambda: [b for b in toewijzingberichten(k, gemeente) if b.bsn.value == bsn and b.status == "geaccepteerd"],
        f"the 301 of cliënt {bsn} geaccepteerd in ListToewijzingberichten",
    )
    assert [(b.berichtsoort, b.bericht_id, list(b.retour_codes)) for b in verzonden] == [("301", bericht.id, [])]

    # start on the toewijzing's Ingangsdatum: 306 without RetourCodes
    start, antwoord = beantwoord(k, AANBIEDER_A, start_305(bericht301, INGANG), "306")
    assert geaccepteerd(start, antwoord), (regels(start), antwoord)

    # temporary stop (RedenBeeindiging 20): 308 without RetourCodes
    tijdelijk_einde = INGANG + timedelta(days=20)
    stop, antwoord = beantwoord(k, AANBIEDER_A, stop_307(bericht301, INGANG, tijdelijk_einde, "20"), "308")
    assert geaccepteerd(stop, antwoord), (regels(stop), antwoord)

    # herstart after the temporary stop (OP379): a new start, accepted
    herstart_begin = tijdelijk_einde + timedelta(days=14)
    herstart, antwoord = beantwoord(k, AANBIEDER_A, start_305(bericht301, herstart_begin), "306")
    assert geaccepteerd(herstart, antwoord), (regels(herstart), antwoord)

    # definitive stop (31, volgens plan) with an Einddatum after the temporary one: accepted
    definitief_einde = VANDAAG - timedelta(days=3)
    assert definitief_einde >= tijdelijk_einde
    slot, antwoord = beantwoord(k, AANBIEDER_A, stop_307(bericht301, herstart_begin, definitief_einde, "31"), "308")
    assert geaccepteerd(slot, antwoord), (regels(slot), antwoord)

    # the regie: two starts and two stops of this toewijzing
    gezien = k.wacht(lambda: len(lijst := leveringen(k, gemeente, bsn)) == 4 and lijst, "four leveringen of the cliënt")
    assert sorted((l.soort, l.toewijzing_nummer, l.begindatum.value, l.einddatum.value, l.reden_beeindiging, l.verwijderd) for l in gezien) == sorted(
        [
            ("start", nummer, INGANG.isoformat(), "", "", False),
            ("start", nummer, herstart_begin.isoformat(), "", "", False),
            ("stop", nummer, INGANG.isoformat(), tijdelijk_einde.isoformat(), "20", False),
            ("stop", nummer, herstart_begin.isoformat(), definitief_einde.isoformat(), "31", False),
        ]
    )
    assert {(l.aanbieder.value, l.gemeente.value, l.bsn.value) for l in gezien} == {(AANBIEDER_A, NIEUWEGEIN, bsn)}
    assert {l.bericht_id for l in gezien} == {start.id, stop.id, herstart.id, slot.id}
    # the aanbieder sees the same regie of its cliënt
    assert len(leveringen(k, medewerker(AANBIEDER_A), bsn)) == 4


def test_rejected_start_gets_its_retourcode(keten: Keten):
    k, bsn = keten, nieuwe_bsn()
    nummer, bericht301 = toewijzing_met_301(k, bsn)
    ontvang(k, AANBIEDER_A, retour_302(bericht301))
    k.wacht(lambda: [t.status for t in toewijzingen(k, CONSULENT[NIEUWEGEIN], bsn)] == ["actief"], f"toewijzing {nummer} actief")

    # a start of a ToewijzingNummer this cliënt does not have at this aanbieder: TR019 -> 9019 on the StartProduct
    onbekend = nummer + 900_000
    afgewezen, antwoord = beantwoord(k, AANBIEDER_A, start_305(bericht301, INGANG, nummer=onbekend), "306")
    assert regels(afgewezen) == [("TR019", "9019")]
    pad = "/Bericht/Client/StartProducten/StartProduct"
    assert [b.klasse for b in afgewezen.bevindingen] == [pad]
    assert antwoord.header.retour_codes == ["0200"] and antwoord.client is not None
    (retour_product,) = antwoord.client.start_producten
    assert (retour_product.toewijzing_nummer, retour_product.retour_codes) == (onbekend, ["9019"])
    assert antwoord.client.retour_codes == ["0200"]

    # the right number is accepted …
    eerste, antwoord = beantwoord(k, AANBIEDER_A, start_305(bericht301, INGANG), "306")
    assert geaccepteerd(eerste, antwoord), (regels(eerste), antwoord)
    # … and a second start of the same toegewezen product while the first has no stop: TR326 -> 9326
    tweede, antwoord = beantwoord(k, AANBIEDER_A, start_305(bericht301, INGANG + timedelta(days=7)), "306")
    assert regels(tweede) == [("TR326", "9326")]
    assert [b.klasse for b in tweede.bevindingen] == [pad]
    assert antwoord.client is not None
    (retour_product,) = antwoord.client.start_producten
    assert (retour_product.toewijzing_nummer, retour_product.begindatum, retour_product.retour_codes) == (nummer, INGANG + timedelta(days=7), ["9326"])

    # only the accepted start counts
    gezien = k.wacht(lambda: leveringen(k, CONSULENT[NIEUWEGEIN], bsn), "the accepted start in ListLeveringen")
    assert [(l.soort, l.toewijzing_nummer, l.begindatum.value, l.bericht_id) for l in gezien] == [("start", nummer, INGANG.isoformat(), eerste.id)]


def test_toewijslijst_two_aanbieders_claim_at_once(keten: Keten):
    k, bsn = keten, nieuwe_bsn()
    registreer_client(k, bsn, geslachtsnaam="Vermeulen")
    beschikking = geef_beschikking_af(k, bsn, None, nummer="987654321")  # a number that stands out in the bytes
    gemeente = CONSULENT[NIEUWEGEIN]

    # no 301: the cliënt waits on the toewijslijst, the gemeente sees the entry in full
    inschrijving = inschrijving_van(k, bsn)
    assert (inschrijving.status, inschrijving.beschikkingnummer) == ("open", beschikking.beschikkingnummer)
    assert (inschrijving.product.categorie, inschrijving.product.code, inschrijving.ingangsdatum.value) == (*PRODUCT, INGANG.isoformat())
    assert toewijzingen(k, gemeente, bsn) == []

    # both contracted aanbieders see it, without BSN, name or beschikkingnummer
    for agb in (CLAIMER_1, CLAIMER_2):
        gezien = k.wacht(lambda agb=agb: zichtbaar_voor(k, agb, inschrijving.id), f"the entry on the toewijslijst of {agb}")
        assert (gezien.bsn.value, gezien.beschikkingnummer, gezien.status) == ("", "", "open")
        assert (gezien.product.categorie, gezien.product.code, gezien.gemeente.value) == (*PRODUCT, NIEUWEGEIN)
        raw = gezien.SerializeToString()
        assert bsn.encode() not in raw and b"Vermeulen" not in raw and beschikking.beschikkingnummer.encode() not in raw

    # both claim at the same moment: exactly one wins
    barrier = threading.Barrier(2)

    def claim(agb: str) -> tuple[str, toewijzing_pb2.Inschrijving | None, grpc.RpcError | None]:
        with grpc.insecure_channel(k.toewijzing_address) as channel:
            grpc.channel_ready_future(channel).result(timeout=10)
            stub = toewijzing_pb2_grpc.ToewijzingStub(channel)
            barrier.wait(timeout=10)
            try:
                return agb, stub.ClaimInschrijving(toewijzing_pb2.InschrijvingRequest(id=inschrijving.id), metadata=metadata(medewerker(agb)), timeout=15), None
            except grpc.RpcError as error:
                return agb, None, error

    with ThreadPoolExecutor(max_workers=2) as pool:
        uitkomsten = list(pool.map(claim, (CLAIMER_1, CLAIMER_2)))
    gewonnen = [(agb, i) for agb, i, e in uitkomsten if e is None]
    verloren = [(agb, e) for agb, i, e in uitkomsten if e is not None]
    assert len(gewonnen) == 1 and len(verloren) == 1, [(agb, i, e and (e.code(), e.details())) for agb, i, e in uitkomsten]
    (winnaar, geclaimd), (verliezer, fout) = gewonnen[0], verloren[0]
    assert fout.code() in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.ABORTED), (fout.code(), fout.details())
    assert (geclaimd.status, geclaimd.geclaimd_door.value) == ("geclaimd", winnaar)
    na_claim = next(i for i in toewijslijst(k, gemeente) if i.id == inschrijving.id)
    assert (na_claim.status, na_claim.geclaimd_door.value) == ("geclaimd", winnaar)
    assert zichtbaar_voor(k, verliezer, inschrijving.id) is None  # no longer open

    # the gemeente confirms: a toewijzing for the winner and its 301 in the winner's postbus, none for the loser
    bevestigd = k.toewijzing.BevestigClaim(toewijzing_pb2.InschrijvingRequest(id=inschrijving.id), metadata=metadata(gemeente), timeout=15)
    assert bevestigd.status == "bevestigd" and bevestigd.toewijzing_nummer > 0
    _, data, bericht301 = wacht_op_301(k, winnaar, bsn)
    assert bericht301.client is not None
    assert [p.toewijzing_nummer for p in bericht301.client.toegewezen_producten] == [bevestigd.toewijzing_nummer]
    assert codec().decode(data).xsd_valid
    (toewijzing,) = toewijzingen(k, gemeente, bsn)
    assert (toewijzing.toewijzing_nummer, toewijzing.aanbieder.value) == (bevestigd.toewijzing_nummer, winnaar)
    assert toewijzingen_301(k, verliezer, bsn) == []
    assert [i.status for i in toewijslijst(k, gemeente) if i.id == inschrijving.id] == ["bevestigd"]


def test_cross_tenant(keten: Keten):
    k = keten
    nieuwegein, houten = CONSULENT[NIEUWEGEIN], CONSULENT[HOUTEN]

    # an entry on Nieuwegein's toewijslijst: a contracted aanbieder sees it, one without a contract
    # (or with one only in Houten) does not, and neither does Houten
    wachtend = nieuwe_bsn()
    registreer_client(k, wachtend)
    geef_beschikking_af(k, wachtend, None)
    inschrijving = inschrijving_van(k, wachtend)
    k.wacht(lambda: zichtbaar_voor(k, CLAIMER_1, inschrijving.id), f"the entry on the toewijslijst of {CLAIMER_1}")
    for agb in (ZONDER_CONTRACT, ALLEEN_HOUTEN):
        assert zichtbaar_voor(k, agb, inschrijving.id) is None, agb
    assert inschrijving.id not in {i.id for i in toewijslijst(k, houten)}

    # aanbieder A's cliënt, with a toewijzing and a start
    van_a = nieuwe_bsn()
    nummer, bericht301 = toewijzing_met_301(k, van_a, AANBIEDER_A)
    start, antwoord = beantwoord(k, AANBIEDER_A, start_305(bericht301, INGANG), "306")
    assert geaccepteerd(start, antwoord), (regels(start), antwoord)
    k.wacht(lambda: len(leveringen(k, medewerker(AANBIEDER_A), van_a)) == 1, "A sees the start of its cliënt")
    assert van_a in {t.bsn.value for t in toewijzingen(k, medewerker(AANBIEDER_A))}

    # aanbieder B sees nothing of it
    b = medewerker(AANBIEDER_B)
    assert toewijzingen(k, b, van_a) == []
    assert van_a not in {t.bsn.value for t in toewijzingen(k, b)}
    assert leveringen(k, b, van_a) == []
    assert toewijzingen_301(k, AANBIEDER_B, van_a) == []

    # a Houten cliënt with a toewijzing: each gemeente sees only its own
    in_houten = nieuwe_bsn()
    registreer_client(k, in_houten, HOUTEN)
    geef_beschikking_af(k, in_houten, ALLEEN_HOUTEN, HOUTEN)
    (eigen,) = k.wacht(lambda: toewijzingen(k, houten, in_houten), "Houten's toewijzing")
    assert eigen.gemeente.value == HOUTEN

    assert toewijzingen(k, nieuwegein, in_houten) == []
    assert {t.gemeente.value for t in toewijzingen(k, nieuwegein)} == {NIEUWEGEIN}
    assert toewijzingen(k, houten, van_a) == []
    assert {t.gemeente.value for t in toewijzingen(k, houten)} == {HOUTEN}
    assert leveringen(k, houten, van_a) == []
    with pytest.raises(grpc.RpcError) as refused:
        k.toewijzing.GetToewijzing(
            toewijzing_pb2.GetToewijzingRequest(gemeente=common_pb2.Gemeentecode(value=NIEUWEGEIN), wet=common_pb2.WET_JEUGDWET, toewijzing_nummer=nummer),
            metadata=metadata(houten),
            timeout=10,
        )
    assert refused.value.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED), refused.value.code()
    # the same call by the gemeente itself finds it
    historie = k.toewijzing.GetToewijzing(
        toewijzing_pb2.GetToewijzingRequest(gemeente=common_pb2.Gemeentecode(value=NIEUWEGEIN), wet=common_pb2.WET_JEUGDWET, toewijzing_nummer=nummer),
        metadata=metadata(nieuwegein),
        timeout=10,
    )
    assert historie.versies and historie.versies[-1].bsn.value == van_a


def test_declaratie_with_good_and_bad_prestaties_gets_its_325_and_a_voorlopige_afrekening(keten: Keten):
    """toewijzing → 302 → 305 → 323 with one good and two bad prestaties → 325 → voorlopige afrekening.

    Hand-checked: the toewijzing is 120 minuten per week at the contract tarief of 175 eurocent per
    minuut. Last month's prestatie of 480 minuten is 480 × 175 = 84000; one prestatie names a
    ToewijzingNummer that does not exist (9338) and one credits a debet never approved (8017).
    Ingediend: 84000 + 10500 − 5000 = 89500. Toegekend: 84000. Voorschot for last month: 120/7
    minuten a day × 175 = 3000 eurocent a day, × the days of the month. Saldo = 84000 − voorschot.
    """
    k, bsn = keten, nieuwe_bsn()
    nummer, bericht301 = toewijzing_met_301(k, bsn)
    ontvang(k, AANBIEDER_A, retour_302(bericht301))
    beantwoord(k, AANBIEDER_A, start_305(bericht301, INGANG), "306")

    einde = VANDAAG.replace(day=1) - timedelta(days=1)
    begin = einde.replace(day=1)  # last month: within the toewijzing, which began 70 days ago
    prestaties = [
        Prestatieregel("G-" + bsn, nummer, begin, einde, 480, 84000, product_tarief=175),
        Prestatieregel("O-" + bsn, 99_999_001, begin, einde, 60, 10500, product_tarief=175),
        Prestatieregel("C-" + bsn, nummer, begin, einde, 30, 5000, product_tarief=175, debet_credit="C", vorig_referentie_nummer="ONBEKEND-1"),
    ]
    ontvangen = ontvang(k, AANBIEDER_A, declaratie_323(bericht301, "D" + bsn, (begin, einde), prestaties))
    assert ontvangen.status == "geaccepteerd", (ontvangen.status, list(ontvangen.xsd_fouten), list(ontvangen.bevindingen))
    beoordeeld = k.wacht(lambda: (b := get_bericht(k, AANBIEDER_A, ontvangen.id)).status == "retour_verzonden" and b, "the 325 on the 323")
    assert sorted(regels(beoordeeld)) == [("TR323", "8017"), ("TR338", "9338")]

    _, antwoord = bericht_xml(k, AANBIEDER_A, beoordeeld.retour_id)
    assert isinstance(antwoord, model.DeclaratieAntwoordBericht) and antwoord.declaratie_antwoord is not None
    da = antwoord.declaratie_antwoord
    assert (da.totaal_ingediend_bedrag.totaal_bedrag, da.totaal_ingediend_bedrag.debet_credit) == (89500, "D")
    assert (da.totaal_toegekend_bedrag.totaal_bedrag, da.totaal_toegekend_bedrag.debet_credit) == (84000, "D")
    (client,) = da.clienten
    afgewezen = {p.product_referentie.referentie_nummer: p.retour_codes for p in client.prestaties}
    assert afgewezen == {"O-" + bsn: ["9338"], "C-" + bsn: ["8017"]}  # only the rejected prestaties return (TR342)

    gemeente = Tenant.gemeente(Role.FINANCIEEL_MEDEWERKER, "financieel-0356", [NIEUWEGEIN])
    detail = k.declaratie.GetDeclaratie(declaratie_pb2.GetDeclaratieRequest(bericht_id=ontvangen.id), metadata=metadata(gemeente), timeout=10)
    assert (detail.declaratie.ingediend_eurocent, detail.declaratie.toegekend_eurocent, detail.declaratie.aantal_afgewezen) == (89500, 84000, 2)
    assert {p.referentie_nummer: (p.toegekend, list(p.retour_codes)) for p in detail.prestaties} == {
        "G-" + bsn: (True, []),
        "O-" + bsn: (False, ["9338"]),
        "C-" + bsn: (False, ["8017"]),
    }
    andere = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker-98100004", "98100004")
    with pytest.raises(grpc.RpcError) as refused:
        k.declaratie.GetDeclaratie(declaratie_pb2.GetDeclaratieRequest(bericht_id=ontvangen.id), metadata=metadata(andere), timeout=10)
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND

    afrekening = k.declaratie.MaakAfrekening(
        declaratie_pb2.MaakAfrekeningRequest(
            gemeente=common_pb2.Gemeentecode(value=NIEUWEGEIN), aanbieder=common_pb2.AgbCode(value=AANBIEDER_A), jaar=begin.year, maand=begin.month
        ),
        metadata=metadata(gemeente),
        timeout=10,
    )
    dagen = (einde - begin).days + 1
    # other tests of this module declare nothing for this aanbieder, but have toewijzingen of their own
    assert afrekening.soort == "voorlopig" and afrekening.toegekend_eurocent == 84000
    assert afrekening.voorschot_eurocent % (3000 * dagen) == 0 and afrekening.voorschot_eurocent >= 3000 * dagen
    assert afrekening.saldo_eurocent == 84000 - afrekening.voorschot_eurocent
    assert afrekening.gedeclareerd_eurocent == 89500
    gemaakt = k.declaratie.ListAfrekeningen(declaratie_pb2.ListAfrekeningenRequest(), metadata=metadata(gemeente), timeout=10).afrekeningen
    assert afrekening.id > 0 and [(a.id, a.saldo_eurocent) for a in gemaakt if a.id == afrekening.id] == [(afrekening.id, afrekening.saldo_eurocent)]


def test_a_claim_is_confirmed_at_once_when_the_contract_says_so(keten: Keten):
    k, bsn = keten, nieuwe_bsn()
    automatisch = "98100007"
    request = contract(NIEUWEGEIN, automatisch)
    request.contract.toewijslijst_automatisch = True
    k.declaratie.RegistreerContract(request, metadata=metadata(CONTRACTMANAGER[NIEUWEGEIN]), timeout=10)
    registreer_client(k, bsn)
    geef_beschikking_af(k, bsn, None)
    inschrijving = inschrijving_van(k, bsn)
    k.wacht(lambda: zichtbaar_voor(k, automatisch, inschrijving.id), f"the entry on the toewijslijst of {automatisch}")

    geclaimd = k.toewijzing.ClaimInschrijving(toewijzing_pb2.InschrijvingRequest(id=inschrijving.id), metadata=metadata(medewerker(automatisch)), timeout=10)
    assert geclaimd.status == "bevestigd" and geclaimd.bsn.value == ""  # confirmed without the gemeente; still no BSN in the answer
    gezien = inschrijving_van(k, bsn)
    assert (gezien.status, gezien.geclaimd_door.value) == ("bevestigd", automatisch) and gezien.toewijzing_nummer > 0
    _, _, bericht301 = wacht_op_301(k, automatisch, bsn)
    assert bericht301.client is not None and [p.toewijzing_nummer for p in bericht301.client.toegewezen_producten] == [gezien.toewijzing_nummer]


def test_overlijden_ends_the_toewijzing_with_reden_02_in_a_new_301(keten: Keten):
    k, bsn = keten, nieuwe_bsn()
    nummer, bericht301 = toewijzing_met_301(k, bsn)
    ontvang(k, AANBIEDER_A, retour_302(bericht301))
    overleden = VANDAAG - timedelta(days=5)
    brp = Tenant.gemeente(Role.SYSTEEM, "brp-koppeling", [NIEUWEGEIN])
    mutatie = indicatie_pb2.BrpMutatie(
        kenmerk=f"brp-{bsn}",
        bsn=common_pb2.Bsn(value=bsn),
        gemeente=common_pb2.Gemeentecode(value=NIEUWEGEIN),
        soort=indicatie_pb2.BRP_MUTATIE_SOORT_OVERLIJDEN,
        datum=common_pb2.Datum(value=overleden.isoformat()),
    )
    assert k.indicatie.VerwerkBrpMutatie(indicatie_pb2.VerwerkBrpMutatieRequest(mutatie=mutatie), metadata=metadata(brp), timeout=10).verwerkt

    def tweede_301() -> model.ToewijzingBericht | None:
        found = [b for _, _, b in toewijzingen_301(k, AANBIEDER_A, bsn) if b is not bericht301 and b.header.bericht_identificatie != bericht301.header.bericht_identificatie]
        return found[-1] if found else None

    nieuw = k.wacht(tweede_301, f"the 301 that ends toewijzing {nummer}")
    assert nieuw.client is not None
    (product,) = nieuw.client.toegewezen_producten
    assert (product.toewijzing_nummer, product.einddatum, product.reden_wijziging) == (nummer, overleden, "02")
    (huidig,) = toewijzingen(k, CONSULENT[NIEUWEGEIN], bsn)
    assert (huidig.einddatum.value, huidig.reden_wijziging, huidig.versie) == (overleden.isoformat(), "02", 2)
    alleen_deze = k.toewijzing.ListToewijzingberichten(
        toewijzing_pb2.ListToewijzingberichtenRequest(bsn=common_pb2.Bsn(value=bsn)), metadata=metadata(CONSULENT[NIEUWEGEIN]), timeout=10
    ).berichten
    assert [(b.berichtsoort, b.bsn.value) for b in alleen_deze] == [("301", bsn), ("301", bsn)]  # the ending 301 and the first, newest first
    assert len(toewijzingberichten(k, CONSULENT[NIEUWEGEIN])) > len(alleen_deze)


def signalen(k: Keten, tenant: Tenant, soort: str, bsn: str) -> list[toewijzing_pb2.Signaal]:
    found = k.toewijzing.ListSignalen(toewijzing_pb2.ListSignalenRequest(), metadata=metadata(tenant), timeout=10).signalen
    return [s for s in found if s.soort == soort and s.bsn.value == bsn]


def herhaal(k: Keten, schema: str, subject: str, waar: str) -> str:
    """Publishes the event that `schema`'s outbox published on `subject` (the one row matching the SQL
    condition `waar` on its payload) once more under a new event id, as a replay would; returns that id."""
    ((payload,),) = sql(k.url, f"SELECT payload FROM {schema}.outbox WHERE subject = '{subject}' AND {waar}")
    event = replace(Event.from_json(payload), id=str(uuid.uuid4()))

    async def send() -> None:
        connection = await nats_client.connect(k.nats_url)
        try:
            await connection.jetstream().publish(event.subject, event.to_bytes(), headers={"Nats-Msg-Id": event.id})
        finally:
            await connection.close()

    asyncio.run(send())
    return event.id


def verwerkt(k: Keten, event_id: str) -> bool:
    return sql(k.url, f"SELECT count(*) FROM toewijzing.processed_event WHERE event_id = '{event_id}'") == [(1,)]


def test_tr385_a_deletion_with_approved_prestaties_is_deferred_signalled_and_carried_out_after_the_credit(keten: Keten):
    """The declaratie service tells the toewijzing service (event through its outbox, over NATS) when
    approved, non-credited prestaties exist on a toewijzing. Withdrawing the beschikking from its first day
    deletes its toewijzingen (RedenWijziging 13) — but TR385 forbids deleting the one with prestaties: that
    deletion is deferred, not dead-lettered. The rest of the withdrawal is applied (the beschikking's other
    toewijzing is deleted, its 301 sent), the gemeente sees a signaal naming the toewijzing and TR385, and
    once a credit lifts the prestatiestand the deferred deletion is carried out (a new version with 13 and
    its 301), exactly once, and the signaal is gone."""
    k = keten
    met, zonder = nieuwe_bsn(), nieuwe_bsn()
    splits = VANDAAG + timedelta(days=10)
    registreer_client(k, met)
    registreer_client(k, zonder)
    beschikkingen = {
        met: geef_beschikking_af(k, met, AANBIEDER_B, perioden=((INGANG, splits), (splits + timedelta(days=1), EINDE))),
        zonder: geef_beschikking_af(k, zonder, AANBIEDER_B),
    }
    _, _, bericht301 = wacht_op_301(k, AANBIEDER_B, met)
    assert bericht301.client is not None
    eerste, tweede = (p.toewijzing_nummer for p in sorted(bericht301.client.toegewezen_producten, key=lambda p: p.ingangsdatum))
    ontvang(k, AANBIEDER_B, retour_302(bericht301))
    beantwoord(k, AANBIEDER_B, start_305(bericht301, INGANG, eerste), "306")
    einde = VANDAAG.replace(day=1) - timedelta(days=1)
    begin = einde.replace(day=1)
    debet = Prestatieregel("TR385-" + met, eerste, begin, einde, 120, 21000, product_tarief=175)
    ontvangen = ontvang(k, AANBIEDER_B, declaratie_323(bericht301, "T" + met, (begin, einde), [debet]))
    beoordeeld = k.wacht(lambda: (b := get_bericht(k, AANBIEDER_B, ontvangen.id)).status == "retour_verzonden" and b, "the 325 on the 323")
    assert regels(beoordeeld) == []  # approved

    def stand() -> list[tuple]:
        return sql(k.url, f"SELECT heeft_toegekende_prestaties, versie FROM toewijzing.prestatiestand WHERE gemeentecode = '{NIEUWEGEIN}' AND toewijzing_nummer = {eerste}")

    k.wacht(lambda: stand() == [(True, 1)], "the toewijzing service's copy: approved prestaties exist")

    def trek_in(bsn: str) -> None:
        b = beschikkingen[bsn]
        k.indicatie.TrekBeschikkingIn(
            indicatie_pb2.TrekBeschikkingInRequest(
                gemeente=common_pb2.Gemeentecode(value=NIEUWEGEIN), beschikkingnummer=b.beschikkingnummer, versie=b.versie, reden=indicatie_pb2.Reden(code="05"), per=common_pb2.Datum(value=INGANG.isoformat())
            ),
            metadata=metadata(CONSULENT[NIEUWEGEIN]),
            timeout=10,
        )

    def verwijderd(bsn: str) -> dict[int, bool]:
        return {t.toewijzing_nummer: t.verwijderd for t in toewijzingen(k, CONSULENT[NIEUWEGEIN], bsn)}

    # without prestaties: withdrawn from its first day, the toewijzing is deleted
    wacht_op_301(k, AANBIEDER_B, zonder)
    trek_in(zonder)
    k.wacht(lambda: list(verwijderd(zonder).values()) == [True], "the toewijzing without prestaties deleted")

    # with approved prestaties on the first toewijzing: the withdrawal is applied except that deletion
    trek_in(met)
    k.wacht(lambda: verwijderd(met) == {eerste: False, tweede: True}, "the withdrawal applied, the deletion of the toewijzing with prestaties deferred")
    (s,) = k.wacht(lambda: signalen(k, CONSULENT[NIEUWEGEIN], "verwijdering_uitgesteld", met), "the signaal of the deferred deletion")
    assert (s.kenmerk, s.voor, s.aanbieder.value, s.uiterlijk.value) == (str(eerste), "gemeente", AANBIEDER_B, VANDAAG.isoformat())
    assert all(w in s.omschrijving for w in ("TR385", "9385", "niet gecrediteerde prestaties", "crediteert")), s.omschrijving
    assert sql(k.url, "SELECT count(*) FROM toewijzing.dead_event WHERE subject = 'indicatie.beschikking.ingetrokken'") == [(0,)]
    assert signalen(k, medewerker(AANBIEDER_A), "verwijdering_uitgesteld", met) == []  # not another aanbieder's
    def redenen_per_301() -> list[dict[int, str | None]]:
        return [{p.toewijzing_nummer: p.reden_wijziging for p in b.client.toegewezen_producten} for _, _, b in toewijzingen_301(k, AANBIEDER_B, met) if b.client]

    k.wacht(lambda: {eerste: None, tweede: "13"} in redenen_per_301(), "the 301 that deletes the second toewijzing, the first still in it as it was")

    def uitgesteld() -> list[tuple]:
        return sql(k.url, f"SELECT sinds, uitgevoerd_op FROM toewijzing.uitgestelde_verwijdering WHERE gemeentecode = '{NIEUWEGEIN}' AND toewijzing_nummer = {eerste}")

    (voor,) = uitgesteld()
    # the same withdrawal once more (a replay under a new event id): still one deferral, unchanged, nothing deleted
    opnieuw = herhaal(k, "indicatie", "indicatie.beschikking.ingetrokken", f"payload->'data'->>'bsn' = '{met}'")
    k.wacht(lambda: verwerkt(k, opnieuw), "the replayed withdrawal handled")
    assert uitgesteld() == [voor] and voor[1] is None
    assert verwijderd(met) == {eerste: False, tweede: True}
    assert len(signalen(k, CONSULENT[NIEUWEGEIN], "verwijdering_uitgesteld", met)) == 1

    # a credit of the debet: no approved, non-credited prestaties any more; the copy follows (versie 2) and
    # the deferred deletion is carried out now
    credit = Prestatieregel("TR385C-" + met, eerste, begin, einde, 120, 21000, product_tarief=175, debet_credit="C", vorig_referentie_nummer=debet.referentie_nummer)
    gecrediteerd = ontvang(k, AANBIEDER_B, declaratie_323(bericht301, "C" + met, (begin, einde), [credit]))
    assert regels(k.wacht(lambda: (b := get_bericht(k, AANBIEDER_B, gecrediteerd.id)).status == "retour_verzonden" and b, "the 325 on the credit")) == []
    k.wacht(lambda: stand() == [(False, 2)], "the copy: no approved, non-credited prestaties")
    k.wacht(lambda: verwijderd(met) == {eerste: True, tweede: True}, "the deferred deletion carried out")
    assert signalen(k, CONSULENT[NIEUWEGEIN], "verwijdering_uitgesteld", met) == []
    versies = sql(k.url, f"SELECT versie, reden_wijziging, einddatum = ingangsdatum FROM toewijzing.toewijzing_versie WHERE gemeentecode = '{NIEUWEGEIN}' AND toewijzing_nummer = {eerste} ORDER BY versie")
    assert versies == [(1, None, False), (2, "13", True)]  # deleted once
    assert sql(k.url, f"SELECT uitgevoerd_op IS NOT NULL FROM toewijzing.uitgestelde_verwijdering WHERE toewijzing_nummer = {eerste} AND gemeentecode = '{NIEUWEGEIN}'") == [(True,)]
    k.wacht(lambda: {eerste: "13"} in redenen_per_301(), "the 301 that deletes the first toewijzing")
    assert [r.get(eerste) for r in redenen_per_301()].count("13") == 1  # one 301 deletes it
    # the lifting prestatiestand once more: nothing is deleted twice
    nogmaals = herhaal(
        k, "declaratie", "declaratie.toewijzing.prestatiestand", f"(payload->'data'->>'toewijzing_nummer')::bigint = {eerste} AND payload->'data'->>'versie' = '2'"
    )
    k.wacht(lambda: verwerkt(k, nogmaals), "the replayed prestatiestand handled")
    assert sql(k.url, f"SELECT count(*) FROM toewijzing.toewijzing_versie WHERE gemeentecode = '{NIEUWEGEIN}' AND toewijzing_nummer = {eerste}") == [(2,)]
    assert [r.get(eerste) for r in redenen_per_301()].count("13") == 1
