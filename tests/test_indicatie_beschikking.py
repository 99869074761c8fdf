"""Beschikkingen over gRPC, with the indicatie and declaratie services as processes: the contract copy
is fed by declaratie's events; a beschikking is refused for an uncontracted product, for incomplete
NAW and for overlap; afgifte, wijziging and intrekking are recorded with their reden and published;
another gemeente cannot read them; reads are audited; the letter is a PDF."""

from __future__ import annotations

import asyncio
import json

import grpc
import pytest
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

from devstack import demo
from devstack.demo import demo_bsns
from devstack.infra import LocalNats
from devstack.testing import TOKEN, make_starter, metadata, sql, wait_for
from indicatie.tests.pdf_tekst import pdf_tekst
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

NIEUWEGEIN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-nieuwegein", ["0356"])
HOUTEN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-houten", ["0321"])
AANBIEDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker", "98100003")
CONTRACTMANAGER = Tenant.gemeente(Role.CONTRACTMANAGER, "contractmanager", ["0356"])
BSN, BSN_ZONDER_ADRES = demo_bsns()[500], demo_bsns()[501]


@pytest.fixture(scope="module")
def chain(infra, tmp_path_factory):
    logdir = tmp_path_factory.mktemp("beschikking")
    nats = LocalNats(logdir / "nats", logfile=logdir / "nats.log")
    nats.start()
    started: list = []
    start = make_starter(infra.new_database(), nats.url, logdir, started)
    indicatie, declaratie = start("indicatie"), start("declaratie")
    url = indicatie.env["ZK_DATABASE_URL"]
    with grpc.insecure_channel(indicatie.address) as ich, grpc.insecure_channel(declaratie.address) as dch:
        stub = indicatie_pb2_grpc.IndicatieStub(ich)
        contracten = declaratie_pb2_grpc.DeclaratieStub(dch)
        contracten.RegistreerContract(
            declaratie_pb2.RegistreerContractRequest(
                contract=declaratie_pb2.Contract(
                    gemeente=common_pb2.Gemeentecode(value="0356"),
                    aanbieder=common_pb2.AgbCode(value="98100003"),
                    wet=common_pb2.WET_JEUGDWET,
                    product=common_pb2.Product(categorie="45", code="45A48"),
                    uitvoeringsvariant=declaratie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
                    tarief=common_pb2.Bedrag(eurocent=175),
                    eenheid="01",
                    geldigheid=common_pb2.Periode(begindatum=common_pb2.Datum(value="2026-01-01")),
                )
            ),
            metadata=metadata(CONTRACTMANAGER),
            timeout=5,
        )
        for bsn, adressen in ((BSN, [ADRES]), (BSN_ZONDER_ADRES, [])):
            stub.RegistreerClient(indicatie_pb2.RegistreerClientRequest(client=client(bsn, adressen)), metadata=metadata(NIEUWEGEIN), timeout=5)
        wait_for(lambda: sql(url, "SELECT count(*) FROM indicatie.contract")[0][0] == 1, 15, what="the contract copied into indicatie")
        yield {"stub": stub, "url": url, "addresses": {"indicatie": indicatie.address, "declaratie": declaratie.address}}
    for service in started:
        service.stop()
    nats.stop()


ADRES = indicatie_pb2.Adres(soort="01", straatnaam="Lekboulevard", huisnummer=12, postcode="3431AB", plaatsnaam="Nieuwegein")


def client(bsn: str, adressen: list) -> indicatie_pb2.Client:  # type: ignore[type-arg]
    return indicatie_pb2.Client(
        bsn=common_pb2.Bsn(value=bsn),
        gemeente=common_pb2.Gemeentecode(value="0356"),
        geslachtsnaam="Bakker",
        voorletters="S.",
        geboortedatum=common_pb2.Datum(value="2014-05-06"),
        geslacht="2",
        adressen=adressen,
    )


def product(
    code: str = "45A48", categorie: str = "45", ingang: str = "2026-02-01", eind: str = "2026-12-31", agb: str | None = None
) -> indicatie_pb2.BeschiktProduct:
    return indicatie_pb2.BeschiktProduct(
        aanbieder=common_pb2.AgbCode(value=agb) if agb else None,
        product=common_pb2.Product(categorie=categorie, code=code),
        omvang=common_pb2.Omvang(volume=120, eenheid="01", frequentie="2"),
        ingangsdatum=common_pb2.Datum(value=ingang),
        einddatum=common_pb2.Datum(value=eind),
        uitvoeringsvariant=indicatie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
    )


def beschikking(nummer: str, *producten: indicatie_pb2.BeschiktProduct, bsn: str = BSN) -> indicatie_pb2.GeefBeschikkingAfRequest:
    return indicatie_pb2.GeefBeschikkingAfRequest(
        beschikking=indicatie_pb2.Beschikking(
            beschikkingnummer=nummer,
            bsn=common_pb2.Bsn(value=bsn),
            gemeente=common_pb2.Gemeentecode(value="0356"),
            wet=common_pb2.WET_JEUGDWET,
            beschikkingsdatum=common_pb2.Datum(value="2026-01-20"),
            producten=list(producten) or [product()],
        )
    )


def refused(call, request, tenant=NIEUWEGEIN) -> grpc.RpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as error:
        call(request, metadata=metadata(tenant), timeout=5)
    return error.value


def outbox(url: str, subject: str, nummer: str) -> list[dict]:  # type: ignore[type-arg]
    rows = sql(url, f"SELECT payload FROM indicatie.outbox WHERE subject = '{subject}' AND payload->'data'->>'beschikkingnummer' = '{nummer}' ORDER BY seq")
    return [row[0]["data"] for row in rows]


def test_afgifte_is_recorded_and_published_with_what_toewijzing_needs(chain):
    stub, url = chain["stub"], chain["url"]
    result = stub.GeefBeschikkingAf(beschikking("1001", product(agb="98100003")), metadata=metadata(NIEUWEGEIN), timeout=5)
    assert result.producten[0].aanbieder.value == "98100003"
    assert result.status == indicatie_pb2.BESCHIKKING_STATUS_AFGEGEVEN and result.versie == 1
    (event,) = outbox(url, "indicatie.beschikking.afgegeven", "1001")
    assert event == {
        "beschikkingnummer": "1001",
        "bsn": BSN,
        "gemeentecode": "0356",
        "wet": "jeugdwet",
        "beschikkingsdatum": "2026-01-20",
        "versie": 1,
        "producten": [
            {
                "categorie": "45",
                "code": "45A48",
                "omvang": {"volume": 120, "eenheid": "01", "frequentie": "2"},
                "budget": None,
                "ingangsdatum": "2026-02-01",
                "einddatum": "2026-12-31",
                "uitvoeringsvariant": "inspanningsgericht",
                "agb": "98100003",
            }
        ],
    }
    again = refused(stub.GeefBeschikkingAf, beschikking("1001"))
    assert again.code() == grpc.StatusCode.ALREADY_EXISTS
    assert len(outbox(url, "indicatie.beschikking.afgegeven", "1001")) == 1
    wait_for(lambda: sql(url, "SELECT count(*) FROM indicatie.outbox WHERE published_at IS NULL")[0][0] == 0, 10, what="the outbox relayed")


def test_refused_when_the_chosen_aanbieder_has_no_contract_for_the_product(chain):
    error = refused(chain["stub"].GeefBeschikkingAf, beschikking("1009", product(ingang="2027-01-01", eind="2027-06-30", agb="98100004")))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "not contracted with aanbieder 98100004" in error.details()
    assert "overlaps" not in error.details()


def test_refused_for_an_uncontracted_product(chain):
    error = refused(chain["stub"].GeefBeschikkingAf, beschikking("1002", product(code="43A07", categorie="43")))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "43/43A07 (jeugdwet, inspanningsgericht) is not contracted in gemeente 0356" in error.details()


def test_refused_for_incomplete_naw(chain):
    error = refused(chain["stub"].GeefBeschikkingAf, beschikking("1003", bsn=BSN_ZONDER_ADRES))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "NAW is not complete" in error.details() and "no BRP-, verblijf- or correspondentieadres" in error.details()


def test_refused_for_overlap_with_an_identical_product(chain):
    stub = chain["stub"]
    stub.GeefBeschikkingAf(beschikking("1004", product(ingang="2027-01-01", eind="2027-06-30")), metadata=metadata(NIEUWEGEIN), timeout=5)
    error = refused(stub.GeefBeschikkingAf, beschikking("1005", product(ingang="2027-06-01", eind="2027-12-31")))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "overlaps an identical product" in error.details()
    assert sql(chain["url"], "SELECT count(*) FROM indicatie.beschikking WHERE beschikkingnummer = '1005'")[0][0] == 0


def test_wijziging_and_intrekking_record_their_reden_and_publish(chain):
    stub, url = chain["stub"], chain["url"]
    stub.GeefBeschikkingAf(beschikking("1006", product(ingang="2028-01-01", eind="2028-12-31")), metadata=metadata(NIEUWEGEIN), timeout=5)
    gemeente = common_pb2.Gemeentecode(value="0356")
    gewijzigd = stub.WijzigBeschikking(
        indicatie_pb2.WijzigBeschikkingRequest(
            gemeente=gemeente, beschikkingnummer="1006", versie=1, producten=[product(ingang="2028-01-01", eind="2028-06-30")], reden=indicatie_pb2.Reden(code="05", toelichting="verkort")
        ),
        metadata=metadata(NIEUWEGEIN),
        timeout=5,
    )
    assert gewijzigd.versie == 2 and gewijzigd.status == indicatie_pb2.BESCHIKKING_STATUS_GEWIJZIGD
    (event,) = outbox(url, "indicatie.beschikking.gewijzigd", "1006")
    assert event["reden"] == {"code": "05", "toelichting": "verkort"} and event["producten"][0]["einddatum"] == "2028-06-30"

    intrekken = indicatie_pb2.TrekBeschikkingInRequest(
        gemeente=gemeente, beschikkingnummer="1006", versie=2, reden=indicatie_pb2.Reden(code="13", toelichting="op verzoek van de ouders"), per=common_pb2.Datum(value="2028-03-01")
    )
    ingetrokken = stub.TrekBeschikkingIn(intrekken, metadata=metadata(NIEUWEGEIN), timeout=5)
    assert ingetrokken.status == indicatie_pb2.BESCHIKKING_STATUS_INGETROKKEN and ingetrokken.reden.code == "13"
    (event,) = outbox(url, "indicatie.beschikking.ingetrokken", "1006")
    assert event["reden"] == {"code": "13", "toelichting": "op verzoek van de ouders"} and event["ingetrokken_per"] == "2028-03-01"
    assert event["bsn"] == BSN and event["wet"] == "jeugdwet" and event["producten"]
    history = sql(url, "SELECT versie, status, reden_code, reden_toelichting, door FROM indicatie.beschikking_mutatie WHERE beschikkingnummer = '1006' ORDER BY versie")
    assert history == [
        (1, "afgegeven", None, None, "consulent-nieuwegein"),
        (2, "gewijzigd", "05", "verkort", "consulent-nieuwegein"),
        (3, "ingetrokken", "13", "op verzoek van de ouders", "consulent-nieuwegein"),
    ]
    again = refused(stub.TrekBeschikkingIn, intrekken)  # a repeat applies nothing
    assert again.code() == grpc.StatusCode.INVALID_ARGUMENT and "ingetrokken" in again.details()
    assert len(outbox(url, "indicatie.beschikking.ingetrokken", "1006")) == 1
    bad = refused(stub.TrekBeschikkingIn, indicatie_pb2.TrekBeschikkingInRequest(gemeente=gemeente, beschikkingnummer="1004", versie=1, reden=indicatie_pb2.Reden(code="99")))
    assert "not a RedenWijziging" in bad.details()
    # the product of the withdrawn beschikking is free again from the day it took effect
    stub.GeefBeschikkingAf(beschikking("1007", product(ingang="2028-03-01", eind="2028-12-31")), metadata=metadata(NIEUWEGEIN), timeout=5)


def test_other_gemeente_and_aanbieder_cannot_read_or_change_it(chain):
    stub = chain["stub"]
    get = indicatie_pb2.GetBeschikkingRequest(gemeente=common_pb2.Gemeentecode(value="0356"), beschikkingnummer="1001")
    for tenant in (HOUTEN, AANBIEDER):
        assert refused(stub.GetBeschikking, get, tenant).code() == grpc.StatusCode.NOT_FOUND
        assert refused(stub.GetBeschikkingBrief, get, tenant).code() == grpc.StatusCode.NOT_FOUND
        assert stub.ListBeschikkingen(indicatie_pb2.ListBeschikkingenRequest(), metadata=metadata(tenant), timeout=5).beschikkingen == []
    assert refused(stub.GeefBeschikkingAf, beschikking("1010"), HOUTEN).code() == grpc.StatusCode.PERMISSION_DENIED
    wijzig = indicatie_pb2.WijzigBeschikkingRequest(gemeente=get.gemeente, beschikkingnummer="1001", versie=1, producten=[product()], reden=indicatie_pb2.Reden(code="05"))
    assert refused(stub.WijzigBeschikking, wijzig, HOUTEN).code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused(stub.GeefBeschikkingAf, beschikking("1011"), CONTRACTMANAGER).code() == grpc.StatusCode.PERMISSION_DENIED


def test_reads_are_audited(chain):
    stub, url = chain["stub"], chain["url"]
    get = indicatie_pb2.GetBeschikkingRequest(gemeente=common_pb2.Gemeentecode(value="0356"), beschikkingnummer="1001")
    before = sql(url, "SELECT count(*) FROM indicatie.inzage")[0][0]
    found = stub.GetBeschikking(get, metadata=metadata(NIEUWEGEIN), timeout=5)
    assert [m.versie for m in found.historie] == [1]
    listed = stub.ListBeschikkingen(
        indicatie_pb2.ListBeschikkingenRequest(gemeente=get.gemeente, bsn=common_pb2.Bsn(value=BSN)), metadata=metadata(NIEUWEGEIN), timeout=5
    )
    assert "1001" in {b.beschikkingnummer for b in listed.beschikkingen}
    rows = sql(url, f"SELECT subject, rol, namens, gemeentecode, bsn, wat FROM indicatie.inzage ORDER BY id OFFSET {before}")
    assert rows[0] == ("consulent-nieuwegein", "gemeente_consulent", "0356", "0356", BSN, "GetBeschikking")
    assert rows[1:] == [("consulent-nieuwegein", "gemeente_consulent", "0356", "0356", BSN, "ListBeschikkingen")]


def test_brief_is_a_pdf_with_gemeente_and_product(chain):
    stub, url = chain["stub"], chain["url"]
    brief = stub.GetBeschikkingBrief(
        indicatie_pb2.GetBeschikkingRequest(gemeente=common_pb2.Gemeentecode(value="0356"), beschikkingnummer="1001"), metadata=metadata(NIEUWEGEIN), timeout=5
    )
    assert brief.pdf.startswith(b"%PDF-") and brief.bestandsnaam == "beschikking-0356-1001-v1.pdf"
    tekst = pdf_tekst(brief.pdf)
    assert "Gemeente Nieuwegein" in tekst and "45A48" in tekst and "Jeugdhulp ambulant regulier" in tekst
    assert "S. Bakker" in tekst and "binnen 6 weken" in tekst
    assert sql(url, "SELECT count(*) FROM indicatie.inzage WHERE wat = 'GetBeschikkingBrief'")[0][0] >= 1


def test_beschikkingnummer_is_assigned_when_not_given(chain):
    stub = chain["stub"]
    result = stub.GeefBeschikkingAf(beschikking("", product(ingang="2029-01-01", eind="2029-03-31")), metadata=metadata(NIEUWEGEIN), timeout=5)
    assert result.beschikkingnummer.isdigit()
    assert json.dumps(outbox(chain["url"], "indicatie.beschikking.afgegeven", result.beschikkingnummer))  # published under its number


def test_demo_region_beschikkingen_load_once(chain):
    addresses = chain["addresses"]
    first = asyncio.run(demo.load(addresses["indicatie"], addresses["declaratie"], TOKEN))
    second = asyncio.run(demo.load(addresses["indicatie"], addresses["declaratie"], TOKEN))
    expected = len(demo.demo_beschikkingen(demo.load_region()))
    assert (first.beschikkingen_nieuw, first.beschikkingen_overgeslagen) == (expected, 0)
    assert (second.beschikkingen_nieuw, second.beschikkingen_bestaand) == (0, expected)


def test_refused_by_cd076_and_cs338_with_the_rule_named(chain):
    open_einde = product(agb="98100003", ingang="2028-01-01")
    open_einde.ClearField("einddatum")  # an omvang per week (frequentie 2) without einddatum
    error = refused(chain["stub"].GeefBeschikkingAf, beschikking("1020", open_einde))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "product 45/45A48: an omvang per week (frequentie 2) needs an einddatum (CD076)" in error.details()

    per_dag = product(agb="98100003", ingang="2028-01-01", eind="2028-06-30")
    per_dag.omvang.CopyFrom(common_pb2.Omvang(volume=1, eenheid="14", frequentie="1"))  # etmaal per dag
    error = refused(chain["stub"].GeefBeschikkingAf, beschikking("1021", per_dag))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "product 45/45A48: eenheid 14 needs frequentie 2, 4 or 6, not 1 (CS338)" in error.details()
    assert sql(chain["url"], "SELECT count(*) FROM indicatie.beschikking WHERE beschikkingnummer IN ('1020', '1021')")[0][0] == 0
