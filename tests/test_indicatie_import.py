"""Indicaties imported from a gemeente's own system, over gRPC on real indicatie and declaratie
processes and PostgreSQL: a CSV file with good and wrong records makes beschikkingen of the good
ones (through the afgifte's own checks, audit, herindicatie signal and event) and keeps the wrong ones
with their gebreken per field; importing the same file again makes no second beschikking and no
second afgewezen copy; a corrected record becomes a beschikking; records by the API and a JSON file
go the same way; another gemeente and an aanbieder can neither import for it nor see its records."""

from __future__ import annotations

import json

import grpc
import pytest
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_import_pb2 as pb
from zorgketen.indicatie.v1 import indicatie_import_pb2_grpc, indicatie_pb2, indicatie_pb2_grpc

from devstack.demo import demo_bsns
from devstack.testing import metadata, sql, wait_for
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

NIEUWEGEIN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-nieuwegein", ["0356"])
HOUTEN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-houten", ["0321"])
AANBIEDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker", "98100003")
CONTRACTMANAGER = Tenant.gemeente(Role.CONTRACTMANAGER, "contractmanager", ["0356"])
KIND, ZONDER_ADRES, ANDER_KIND = demo_bsns()[520], demo_bsns()[521], demo_bsns()[522]
ADRES = indicatie_pb2.Adres(soort="01", straatnaam="Lekboulevard", huisnummer=12, postcode="3431AB", plaatsnaam="Nieuwegein")
KOP = "bsn;gemeentecode;beschikkingnummer;wet;beschikkingsdatum;productcategorie;productcode;ingangsdatum;einddatum;uitvoeringsvariant;volume;eenheid;frequentie;aanbieder"


def regel(bsn: str, nummer: str, code: str = "45A48", variant: str = "inspanningsgericht", eenheid: str = "01", frequentie: str = "2", ingang: str = "2026-02-01") -> str:
    return f"{bsn};0356;{nummer};jeugdwet;2026-01-20;45;{code};{ingang};2026-12-31;{variant};120;{eenheid};{frequentie};98100003"


BESTAND = "\n".join(
    [
        KOP,
        regel(KIND, "5001"),  # line 2: good
        regel("123456789", "5002"),  # line 3: BSN fails the 11-proef
        regel(KIND, "5003", code="45Z99"),  # line 4: no such productcode in JZ21 (so not contracted either)
        regel(ANDER_KIND, "5004", variant="outputgericht"),  # line 5: JZ21 says 45A48 is inspanningsgericht
        regel(ZONDER_ADRES, "5005"),  # line 6: the cliënt's NAW is incomplete
        regel(ANDER_KIND, "5006", eenheid="14", frequentie="1"),  # line 7: CS338
    ]
).encode()


@pytest.fixture
def stubs(start_service):  # type: ignore[no-untyped-def]
    indicatie = start_service("indicatie")
    declaratie = start_service("declaratie")
    url = indicatie.env["ZK_DATABASE_URL"]
    with grpc.insecure_channel(indicatie.address) as ich, grpc.insecure_channel(declaratie.address) as dch:
        declaratie_pb2_grpc.DeclaratieStub(dch).RegistreerContract(
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
        clienten = indicatie_pb2_grpc.IndicatieStub(ich)
        for bsn, adressen in ((KIND, [ADRES]), (ZONDER_ADRES, []), (ANDER_KIND, [ADRES])):
            client = indicatie_pb2.Client(
                bsn=common_pb2.Bsn(value=bsn),
                gemeente=common_pb2.Gemeentecode(value="0356"),
                geslachtsnaam="Bakker",
                voorletters="S.",
                geboortedatum=common_pb2.Datum(value="2014-05-06"),
                geslacht="2",
                adressen=adressen,
            )
            clienten.RegistreerClient(indicatie_pb2.RegistreerClientRequest(client=client), metadata=metadata(NIEUWEGEIN), timeout=5)
        wait_for(lambda: sql(url, "SELECT count(*) FROM indicatie.contract")[0][0] == 1, 15, what="the contract copied into indicatie")
        yield indicatie_import_pb2_grpc.IndicatieImportStub(ich), clienten, url


def importeer(stub, inhoud: bytes, formaat=pb.BESTAND_FORMAAT_CSV, tenant=NIEUWEGEIN, gemeente="0356") -> pb.ImporteerIndicatiesResponse:  # type: ignore[no-untyped-def]
    request = pb.ImporteerIndicatiesRequest(gemeente=common_pb2.Gemeentecode(value=gemeente), bestand=pb.Bestand(naam="indicaties.csv", formaat=formaat, inhoud=inhoud))
    return stub.ImporteerIndicaties(request, metadata=metadata(tenant), timeout=30)


def afgewezen(stub, tenant=NIEUWEGEIN) -> list[pb.AfgewezenIndicatie]:  # type: ignore[no-untyped-def]
    return list(stub.ListAfgewezenIndicaties(pb.ListAfgewezenIndicatiesRequest(), metadata=metadata(tenant), timeout=5).indicaties)


def refused(call, request, tenant) -> grpc.RpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as error:
        call(request, metadata=metadata(tenant), timeout=10)
    return error.value


def test_a_file_makes_beschikkingen_of_good_records_and_keeps_the_others_with_their_gebreken_per_field(stubs):
    stub, clienten, url = stubs
    eerste = importeer(stub, BESTAND)
    assert (eerste.aantal, eerste.aanvaard, eerste.al_verwerkt, eerste.afgewezen) == (6, 1, 0, 5)
    per_regel = {u.regel: u for u in eerste.uitkomsten}
    assert per_regel[2].uitkomst == pb.UITKOMST_AANVAARD and per_regel[2].beschikkingnummer == "5001"
    velden = {r: [(g.veld, g.reden) for g in per_regel[r].gebreken] for r in range(3, 8)}
    assert velden[3] == [("bsn", "BSN '123456789' is not 9 digits passing the 11-proef")]
    assert velden[4] == [
        ("productcode", "productcode '45Z99' is not in JZ21 on 2026-02-01"),
        ("aanbieder", "product 45/45Z99 (jeugdwet, inspanningsgericht) is not contracted with aanbieder 98100003 in gemeente 0356 for the whole period 2026-02-01 to 2026-12-31"),
    ]
    assert velden[5][0] == ("uitvoeringsvariant", "productcode '45A48' is inspanningsgericht in JZ21, not outputgericht")
    assert velden[6][0][0] == "bsn" and "NAW is not complete" in velden[6][0][1]
    assert velden[7] == [("frequentie", "product 45/45A48: eenheid 14 needs frequentie 2, 4 or 6, not 1 (CS338)")]

    # the accepted one went the way of every afgifte: the beschikking, its event, its herindicatie signal, the audit
    beschikking = clienten.GetBeschikking(
        indicatie_pb2.GetBeschikkingRequest(gemeente=common_pb2.Gemeentecode(value="0356"), beschikkingnummer="5001"), metadata=metadata(NIEUWEGEIN), timeout=5
    )
    assert beschikking.bsn.value == KIND and beschikking.producten[0].aanbieder.value == "98100003"
    assert sql(url, "SELECT count(*) FROM indicatie.outbox WHERE subject = 'indicatie.beschikking.afgegeven'")[0][0] == 1
    assert sql(url, "SELECT count(*) FROM indicatie.signaal WHERE beschikkingnummer = '5001' AND soort = 'herindicatie'")[0][0] == 1
    assert sql(url, "SELECT count(*) FROM indicatie.inzage WHERE wat = 'ImporteerIndicaties' AND soort = 'wijziging'")[0][0] == 1

    # the same file again: nothing twice
    tweede = importeer(stub, BESTAND)
    assert (tweede.aanvaard, tweede.al_verwerkt, tweede.afgewezen) == (0, 1, 5)
    assert sql(url, "SELECT count(*) FROM indicatie.beschikking")[0][0] == 1
    assert sql(url, "SELECT count(*) FROM indicatie.outbox WHERE subject = 'indicatie.beschikking.afgegeven'")[0][0] == 1
    open_records = afgewezen(stub)
    assert sorted(a.regel for a in open_records) == [3, 4, 5, 6, 7]
    assert {a.import_id for a in open_records} == {tweede.import_id}
    assert sql(url, "SELECT count(*) FROM indicatie.inzage WHERE wat = 'ListAfgewezenIndicaties'")[0][0] == 3  # one row per cliënt read (valid BSNs)

    # the gemeente corrects the zorgvorm: a beschikking; a correction still wrong stays afgewezen with its new gebreken
    zorgvorm = next(a for a in open_records if a.regel == 5)
    record = pb.IndicatieRecord()
    record.CopyFrom(zorgvorm.record)
    record.uitvoeringsvariant = "inspanningsgericht"
    hersteld = stub.HerstelIndicatie(pb.HerstelIndicatieRequest(id=zorgvorm.id, record=record), metadata=metadata(NIEUWEGEIN), timeout=10)
    assert (hersteld.uitkomst, hersteld.beschikkingnummer, hersteld.regel) == (pb.UITKOMST_AANVAARD, "5004", 5)
    nog_eens = refused(stub.HerstelIndicatie, pb.HerstelIndicatieRequest(id=zorgvorm.id, record=record), NIEUWEGEIN)
    assert nog_eens.code() == grpc.StatusCode.INVALID_ARGUMENT and "hersteld already (beschikking 5004)" in nog_eens.details()
    bsn_fout = next(a for a in open_records if a.regel == 3)
    record.CopyFrom(bsn_fout.record)
    record.bsn = "12345678"
    weer = stub.HerstelIndicatie(pb.HerstelIndicatieRequest(id=bsn_fout.id, record=record), metadata=metadata(NIEUWEGEIN), timeout=10)
    assert weer.uitkomst == pb.UITKOMST_AFGEWEZEN and weer.afgewezen_id == bsn_fout.id
    assert [(g.veld, g.reden) for g in weer.gebreken] == [("bsn", "BSN '12345678' is not 9 digits passing the 11-proef")]
    assert sorted(a.regel for a in afgewezen(stub)) == [3, 4, 6, 7]
    # importing the original file once more: 5004 now exists with that content (al verwerkt), the rest stays as it is
    derde = importeer(stub, BESTAND)
    assert (derde.aanvaard, derde.al_verwerkt, derde.afgewezen) == (0, 2, 4)
    assert len(afgewezen(stub)) == 4


def test_records_by_the_api_and_a_json_file_go_the_same_way(stubs):
    stub, _, url = stubs
    record = pb.IndicatieRecord(
        bsn=KIND, gemeentecode="0356", beschikkingnummer="6001", wet="jeugdwet", beschikkingsdatum="2026-01-20", productcategorie="45",
        productcode="45A48", ingangsdatum="2026-02-01", einddatum="2026-06-30", uitvoeringsvariant="inspanningsgericht", volume="120",
        eenheid="01", frequentie="2",
    )
    api = stub.ImporteerIndicaties(
        pb.ImporteerIndicatiesRequest(gemeente=common_pb2.Gemeentecode(value="0356"), records=pb.IndicatieRecords(records=[record])), metadata=metadata(NIEUWEGEIN), timeout=10
    )
    assert (api.aanvaard, api.uitkomsten[0].beschikkingnummer) == (1, "6001")
    tweede = {**{f.name: v for f, v in record.ListFields()}, "beschikkingnummer": "6002", "ingangsdatum": "2026-07-01", "einddatum": ""}
    bestand = json.dumps({"indicaties": [tweede]}).encode()
    uit_json = importeer(stub, bestand, pb.BESTAND_FORMAAT_JSON)
    # an omvang per week without einddatum: CD076, on the einddatum
    assert [(g.veld, g.reden) for g in uit_json.uitkomsten[0].gebreken] == [("einddatum", "product 45/45A48: an omvang per week (frequentie 2) needs an einddatum (CD076)")]
    assert sql(url, "SELECT bron FROM indicatie.indicatie_import ORDER BY ontvangen_op")[0][0] == "api"

    kapot = refused(stub.ImporteerIndicaties, pb.ImporteerIndicatiesRequest(gemeente=common_pb2.Gemeentecode(value="0356"), bestand=pb.Bestand(formaat=pb.BESTAND_FORMAAT_JSON, inhoud=b"[{")), NIEUWEGEIN)
    assert kapot.code() == grpc.StatusCode.INVALID_ARGUMENT and "not valid JSON" in kapot.details()
    kop = refused(stub.ImporteerIndicaties, pb.ImporteerIndicatiesRequest(gemeente=common_pb2.Gemeentecode(value="0356"), bestand=pb.Bestand(formaat=pb.BESTAND_FORMAAT_CSV, inhoud=b"bsn;naam\n1;2")), NIEUWEGEIN)
    assert kop.code() == grpc.StatusCode.INVALID_ARGUMENT and "unknown field(s) naam" in kop.details()


def test_another_gemeente_or_an_aanbieder_neither_imports_for_nor_sees_the_gemeentes_records(stubs):
    stub, _, url = stubs
    importeer(stub, BESTAND)
    (eigen,) = [a for a in afgewezen(stub) if a.regel == 3]
    for tenant in (HOUTEN, AANBIEDER):
        assert refused(stub.ImporteerIndicaties, pb.ImporteerIndicatiesRequest(gemeente=common_pb2.Gemeentecode(value="0356"), bestand=pb.Bestand(formaat=pb.BESTAND_FORMAAT_CSV, inhoud=BESTAND)), tenant).code() == grpc.StatusCode.PERMISSION_DENIED
        assert afgewezen(stub, tenant) == []
        assert refused(stub.GetAfgewezenIndicatie, pb.GetAfgewezenIndicatieRequest(id=eigen.id), tenant).code() == grpc.StatusCode.NOT_FOUND
        assert refused(stub.HerstelIndicatie, pb.HerstelIndicatieRequest(id=eigen.id, record=eigen.record), tenant).code() == grpc.StatusCode.NOT_FOUND
    # Houten's own import of Nieuwegein's lines: each record is refused on its gemeentecode
    houten = importeer(stub, BESTAND, tenant=HOUTEN, gemeente="0321")
    assert houten.afgewezen == 6 and all(u.gebreken[0].veld == "gemeentecode" for u in houten.uitkomsten if u.regel != 3)
    assert {a.gemeente.value for a in afgewezen(stub, HOUTEN)} == {"0321"}
    assert sql(url, "SELECT count(*) FROM indicatie.beschikking")[0][0] == 1
