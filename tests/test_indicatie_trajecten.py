"""The secure workspace over gRPC on a real indicatie process: a melding opens a traject, the POP goes
from participatieadviseur to aanbieder to signature to besluit with a signaal for whoever must act,
taken keep their history, evaluaties are planned and recorded (and vervallen, with their signalen,
when the traject closes; a closed traject refuses new ones), open taken vervallen when the traject
closes (and migration 0011 does so for trajecten closed before), signalen can be listed per traject,
every read is audited — and another gemeente or another aanbieder gets NOT_FOUND."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import grpc
import pytest
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc
from zorgketen.indicatie.v1 import trajecten_pb2 as pb
from zorgketen.indicatie.v1 import trajecten_pb2_grpc

from alembic import command

from devstack.testing import metadata, sql
from indicatie.service import definition
from runtime.migrations import alembic_config, upgrade
from indicatie.domain.termijnen import Fase, fase_deadline
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

NIEUWEGEIN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "pa-nieuwegein", ["0356"])
HOUTEN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-houten", ["0321"])
DE_LEK = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker-de-lek", "98100001")
ANDER = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "medewerker-ander", "98100002")
BSN = "999900006"


def vandaag() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


class Caller:
    """The Trajecten stub acting as one tenant."""

    def __init__(self, channel: grpc.Channel, tenant: Tenant):
        self.stub = trajecten_pb2_grpc.TrajectenStub(channel)
        self.md = metadata(tenant)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        method = getattr(self.stub, name)
        return lambda request: method(request, metadata=self.md, timeout=10)


def refused(call, request) -> grpc.RpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as error:
        call(request)
    return error.value


@pytest.fixture
def indicatie(start_service):  # type: ignore[no-untyped-def]
    service = start_service("indicatie")
    channel = grpc.insecure_channel(service.address)
    clienten = indicatie_pb2_grpc.IndicatieStub(channel)
    for tenant, gemeente in ((NIEUWEGEIN, "0356"), (HOUTEN, "0321")):
        client = indicatie_pb2.Client(
            bsn=common_pb2.Bsn(value=BSN),
            gemeente=common_pb2.Gemeentecode(value=gemeente),
            geslachtsnaam="Jansen",
            voorletters="J.",
            geboortedatum=common_pb2.Datum(value="1950-01-01"),
            geslacht="1",
        )
        clienten.RegistreerClient(indicatie_pb2.RegistreerClientRequest(client=client), metadata=metadata(tenant), timeout=10)
    yield service, channel
    channel.close()


def melding(caller: Caller, gemeente: str = "0356") -> pb.Samenwerkingstraject:
    return caller.RegistreerMelding(
        pb.RegistreerMeldingRequest(
            bsn=common_pb2.Bsn(value=BSN), gemeente=common_pb2.Gemeentecode(value=gemeente), onderwerp="Ondersteuning thuis"
        )
    )


def overgedragen(gemeente: Caller) -> pb.Samenwerkingstraject:
    traject = melding(gemeente)
    gemeente.WijzigTraject(pb.WijzigTrajectRequest(id=traject.id, vervang_doelen=True, doelen=[pb.Doel(omschrijving="Zelfstandig wonen", domein="huisvesting")]))
    gemeente.StelPopOp(
        pb.StelPopOpRequest(
            traject_id=traject.id,
            zrm=[pb.ZrmScore(domein="huisvesting", score=2), pb.ZrmScore(domein="financien", score=3)],
            profiel="Begeleiding thuis",
            pakket="Pakket licht",
            aanbieder=common_pb2.AgbCode(value="98100001"),
        )
    )
    gemeente.DraagPopOver(pb.DraagPopOverRequest(traject_id=traject.id))
    return traject


def signalen(caller: Caller, **kwargs) -> list[pb.Signaal]:  # type: ignore[no-untyped-def]
    return list(caller.ListSignalen(pb.ListSignalenRequest(**kwargs)).signalen)


def test_melding_pop_besluit_with_signalen_for_whoever_must_act(indicatie):
    service, channel = indicatie
    url = service.env["ZK_DATABASE_URL"]
    gemeente, aanbieder = Caller(channel, NIEUWEGEIN), Caller(channel, DE_LEK)
    dag = vandaag()

    traject = melding(gemeente)
    assert traject.status == pb.TRAJECT_STATUS_LOPEND and traject.nummer == f"0356-{dag.year}-00001"
    assert traject.participatieadviseur == "pa-nieuwegein"
    [pa] = signalen(gemeente)
    assert (pa.soort, pa.traject_nummer, pa.partij.medewerker) == (pb.SIGNAAL_SOORT_PARTICIPATIEADVISEUR, traject.nummer, "pa-nieuwegein")
    assert pa.deadline.value == fase_deadline(Fase.PARTICIPATIEADVISEUR, dag, dag).isoformat()
    assert pa.werkdagen_resterend > 10 and pa.urgentie == pb.URGENTIE_OP_TIJD
    assert signalen(aanbieder) == []

    overgedragen_traject = overgedragen(gemeente)
    opnieuw = refused(
        gemeente.StelPopOp,
        pb.StelPopOpRequest(traject_id=overgedragen_traject.id, profiel="Dagbesteding", pakket="p", aanbieder=common_pb2.AgbCode(value="98100002")),
    )
    assert opnieuw.code() == grpc.StatusCode.INVALID_ARGUMENT and "no stacking of profielen" in opnieuw.details()
    assert aanbieder.GetTraject(pb.GetTrajectRequest(id=overgedragen_traject.id)).aanbieder.value == "98100001"
    [voor_aanbieder] = signalen(aanbieder)
    assert voor_aanbieder.soort == pb.SIGNAAL_SOORT_AANBIEDER and voor_aanbieder.partij.code == "98100001"
    assert voor_aanbieder.deadline.value == fase_deadline(Fase.AANBIEDER, dag, dag).isoformat()
    # the participatieadviseur's signaal of the handed-over traject is afgehandeld; the first traject's remains
    assert [s.traject_id for s in signalen(gemeente)] == [traject.id]

    afgewezen = refused(gemeente.VulPopAan, pb.VulPopAanRequest(traject_id=overgedragen_traject.id, inzet="x", activiteiten=["a"]))
    assert afgewezen.code() == grpc.StatusCode.PERMISSION_DENIED
    pop = aanbieder.VulPopAan(pb.VulPopAanRequest(traject_id=overgedragen_traject.id, inzet="2 uur per week", activiteiten=["wekelijks gesprek"]))
    assert pop.status == pb.POP_STATUS_AANGEVULD

    taak = aanbieder.MaakTaak(
        pb.MaakTaakRequest(
            traject_id=overgedragen_traject.id,
            naam="Handtekening cliënt",
            soort="POP ondertekenen",
            bestemd_voor=pb.Partij(soort=pb.PARTIJ_SOORT_GEMEENTE, code="0356", medewerker="pa-nieuwegein"),
            einddatum=common_pb2.Datum(value=(dag + timedelta(days=3)).isoformat()),
            prioriteit=pb.PRIORITEIT_HOOG,
        )
    )
    assert taak.aangemaakt_door == "medewerker-de-lek" and taak.status == pb.TAAK_STATUS_OPEN
    taak_signaal = [s for s in signalen(gemeente, alleen_voor_mij=True) if s.soort == pb.SIGNAAL_SOORT_TAAK]
    assert [s.bron_id for s in taak_signaal] == [taak.id]
    gemeente.WijzigTaak(pb.WijzigTaakRequest(traject_id=overgedragen_traject.id, taak_id=taak.id, status=pb.TAAK_STATUS_AFGEROND))
    [bewaard] = aanbieder.ListTaken(pb.ListTakenRequest(traject_id=overgedragen_traject.id)).taken
    assert [(w.door, w.veld, w.oud, w.nieuw) for w in bewaard.geschiedenis] == [
        ("medewerker-de-lek", "status", "", "open"),
        ("pa-nieuwegein", "status", "open", "afgerond"),
    ]
    assert not [s for s in signalen(gemeente) if s.soort == pb.SIGNAAL_SOORT_TAAK]

    pop = aanbieder.OndertekenPop(pb.OndertekenPopRequest(traject_id=overgedragen_traject.id, ondertekend_door="J. Jansen"))
    assert pop.status == pb.POP_STATUS_ONDERTEKEND and pop.ondertekend_op.value == dag.isoformat()
    assert signalen(aanbieder) == []
    assert [s.soort for s in signalen(gemeente) if s.traject_id == overgedragen_traject.id] == [pb.SIGNAAL_SOORT_BESLUIT]
    assert refused(aanbieder.NeemBesluit, pb.NeemBesluitRequest(traject_id=overgedragen_traject.id, toegekend=True)).code() == grpc.StatusCode.PERMISSION_DENIED
    pop = gemeente.NeemBesluit(pb.NeemBesluitRequest(traject_id=overgedragen_traject.id, toegekend=True))
    assert pop.status == pb.POP_STATUS_TOEGEKEND
    assert [s.traject_id for s in signalen(gemeente)] == [traject.id]

    einde = dag + timedelta(days=365)
    eigen = refused(
        aanbieder.PlanEvaluatie,
        pb.PlanEvaluatieRequest(
            traject_id=overgedragen_traject.id, soort=pb.EVALUATIE_SOORT_REGULIER, beschikking_einddatum=common_pb2.Datum(value=einde.isoformat()), eigen_verantwoordelijkheid=True
        ),
    )
    assert eigen.code() == grpc.StatusCode.INVALID_ARGUMENT and "own responsibility" in eigen.details()
    evaluatie = aanbieder.PlanEvaluatie(
        pb.PlanEvaluatieRequest(traject_id=overgedragen_traject.id, soort=pb.EVALUATIE_SOORT_REGULIER, beschikking_einddatum=common_pb2.Datum(value=einde.isoformat()))
    )
    assert date.fromisoformat(evaluatie.uiterste_datum.value) <= einde - timedelta(weeks=8)
    assert [s.soort for s in signalen(aanbieder)] == [pb.SIGNAAL_SOORT_EVALUATIE]
    gedaan = aanbieder.LegEvaluatieVast(
        pb.LegEvaluatieVastRequest(
            traject_id=overgedragen_traject.id,
            evaluatie_id=evaluatie.id,
            doelrealisatie=[pb.Doelrealisatie(doel="Zelfstandig wonen", mate=pb.MATE_DEELS_BEHAALD)],
            advies=pb.ADVIES_VOORTZETTEN,
        )
    )
    assert gedaan.status == pb.EVALUATIE_STATUS_UITGEVOERD and signalen(aanbieder) == []

    # overdue and nearly-due work is visible, with the werkdagen past the deadline
    sql(url, f"UPDATE indicatie.signaal SET deadline = '{dag - timedelta(days=14)}' WHERE traject_id = '{traject.id}' AND afgehandeld_op IS NULL")
    [verlopen] = signalen(gemeente, alleen_urgent=True)
    assert verlopen.urgentie == pb.URGENTIE_VERLOPEN and verlopen.werkdagen_resterend < 0

    subjects = {row[0] for row in sql(url, "SELECT DISTINCT subject FROM indicatie.outbox")}
    assert {
        "indicatie.melding.ontvangen",
        "indicatie.pop.overgedragen",
        "indicatie.pop.ondertekend",
        "indicatie.pop.besloten",
        "indicatie.signaal.aangemaakt",
        "indicatie.signaal.afgehandeld",
        "indicatie.traject.taak_aangemaakt",
        "indicatie.traject.evaluatie_uitgevoerd",
    } <= subjects
    audit = sql(url, "SELECT subject, namens, bsn, wat FROM indicatie.inzage WHERE wat LIKE 'Trajecten.%'")
    assert ("medewerker-de-lek", "98100001", BSN, f"Trajecten.GetTraject {overgedragen_traject.nummer} ({overgedragen_traject.id})") in audit
    assert ("pa-nieuwegein", "0356", BSN, f"Trajecten.WijzigTaak {overgedragen_traject.nummer} ({overgedragen_traject.id})") in audit


def test_another_gemeente_and_another_aanbieder_get_not_found(indicatie):
    service, channel = indicatie
    url = service.env["ZK_DATABASE_URL"]
    gemeente, aanbieder = Caller(channel, NIEUWEGEIN), Caller(channel, DE_LEK)
    houten, ander = Caller(channel, HOUTEN), Caller(channel, ANDER)

    nog_niet = melding(gemeente)
    # before the overdracht no aanbieder has the traject open, not even the one that will be chosen
    assert refused(aanbieder.GetTraject, pb.GetTrajectRequest(id=nog_niet.id)).code() == grpc.StatusCode.NOT_FOUND
    traject = overgedragen(gemeente)
    aanbieder.MaakTaak(
        pb.MaakTaakRequest(
            traject_id=traject.id,
            naam="Intake",
            soort="Kennismaking",
            bestemd_voor=pb.Partij(soort=pb.PARTIJ_SOORT_AANBIEDER, code="98100001"),
            einddatum=common_pb2.Datum(value=(vandaag() + timedelta(days=7)).isoformat()),
        )
    )
    before = sql(url, "SELECT count(*) FROM indicatie.inzage")[0][0]

    for outsider in (houten, ander):
        for call, request in (
            (outsider.GetTraject, pb.GetTrajectRequest(id=traject.id)),
            (outsider.ListTaken, pb.ListTakenRequest(traject_id=traject.id)),
            (outsider.GetPop, pb.GetPopRequest(traject_id=traject.id)),
            (outsider.VulPopAan, pb.VulPopAanRequest(traject_id=traject.id, inzet="x", activiteiten=["a"])),
            (outsider.WijzigTraject, pb.WijzigTrajectRequest(id=traject.id, vervang_acties=True)),
            (outsider.ListEvaluaties, pb.ListEvaluatiesRequest(traject_id=traject.id)),
            (
                outsider.MaakTaak,
                pb.MaakTaakRequest(traject_id=traject.id, naam="n", soort="s", einddatum=common_pb2.Datum(value="2099-01-01"), bestemd_voor=pb.Partij(soort=pb.PARTIJ_SOORT_GEMEENTE, code="0356")),
            ),
        ):
            assert refused(call, request).code() == grpc.StatusCode.NOT_FOUND, (outsider, call)
        assert list(outsider.ListTrajecten(pb.ListTrajectenRequest()).trajecten) == []
        assert signalen(outsider) == []
    # a refused look is no read of the cliënt's data: nothing was audited
    assert sql(url, "SELECT count(*) FROM indicatie.inzage")[0][0] == before

    # the chosen aanbieder sees only the traject it has open; the gemeente sees both
    assert [t.id for t in aanbieder.ListTrajecten(pb.ListTrajectenRequest()).trajecten] == [traject.id]
    assert {t.id for t in gemeente.ListTrajecten(pb.ListTrajectenRequest(page=common_pb2.PageRequest(page_size=1))).trajecten} <= {traject.id, nog_niet.id}
    # a taak cannot be given to an aanbieder that does not have the traject open
    vreemd = refused(
        gemeente.MaakTaak,
        pb.MaakTaakRequest(traject_id=traject.id, naam="n", soort="s", einddatum=common_pb2.Datum(value="2099-01-01"), bestemd_voor=pb.Partij(soort=pb.PARTIJ_SOORT_AANBIEDER, code="98100002")),
    )
    assert vreemd.code() == grpc.StatusCode.INVALID_ARGUMENT and "does not have this traject open" in vreemd.details()
    # meldingen: only the gemeente itself, only for a known cliënt
    assert refused(houten.RegistreerMelding, pb.RegistreerMeldingRequest(bsn=common_pb2.Bsn(value=BSN), gemeente=common_pb2.Gemeentecode(value="0356"), onderwerp="x")).code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused(aanbieder.RegistreerMelding, pb.RegistreerMeldingRequest(bsn=common_pb2.Bsn(value=BSN), gemeente=common_pb2.Gemeentecode(value="0356"), onderwerp="x")).code() == grpc.StatusCode.PERMISSION_DENIED
    onbekend = refused(gemeente.RegistreerMelding, pb.RegistreerMeldingRequest(bsn=common_pb2.Bsn(value="111222333"), gemeente=common_pb2.Gemeentecode(value="0356"), onderwerp="x"))
    assert onbekend.code() == grpc.StatusCode.NOT_FOUND and "register the cliënt first" in onbekend.details()


def test_the_aanbieder_returns_the_pop_and_the_participatieadviseur_passes_it_again(indicatie):
    service, channel = indicatie
    url = service.env["ZK_DATABASE_URL"]
    gemeente, aanbieder, ander = Caller(channel, NIEUWEGEIN), Caller(channel, DE_LEK), Caller(channel, ANDER)
    dag = vandaag()
    traject = overgedragen(gemeente)
    verzoek = pb.GeefPopTerugRequest(traject_id=traject.id, reden="Het pakket past niet bij de score op huisvesting")

    assert refused(gemeente.GeefPopTerug, verzoek).code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused(ander.GeefPopTerug, verzoek).code() == grpc.StatusCode.NOT_FOUND
    leeg = refused(aanbieder.GeefPopTerug, pb.GeefPopTerugRequest(traject_id=traject.id, reden=" "))
    assert leeg.code() == grpc.StatusCode.INVALID_ARGUMENT and "with a reden" in leeg.details()

    pop = aanbieder.GeefPopTerug(verzoek)
    assert pop.status == pb.POP_STATUS_TERUGGEGEVEN and pop.teruggegeven_op.value == dag.isoformat()
    assert pop.teruggave_reden == "Het pakket past niet bij de score op huisvesting"
    # the aanbieder's signal is afgehandeld and the participatieadviseur's is open again, on the melding's 4 weeks
    assert signalen(aanbieder) == []
    [pa] = [s for s in signalen(gemeente) if s.traject_id == traject.id]
    assert pa.soort == pb.SIGNAAL_SOORT_PARTICIPATIEADVISEUR and pa.deadline.value == fase_deadline(Fase.PARTICIPATIEADVISEUR, dag, dag).isoformat()
    nog_eens = refused(aanbieder.VulPopAan, pb.VulPopAanRequest(traject_id=traject.id, inzet="x", activiteiten=["a"]))
    assert nog_eens.code() == grpc.StatusCode.INVALID_ARGUMENT and "teruggegeven to aangevuld" in nog_eens.details()

    aangepast = gemeente.StelPopOp(
        pb.StelPopOpRequest(
            traject_id=traject.id,
            zrm=[pb.ZrmScore(domein="huisvesting", score=2), pb.ZrmScore(domein="financien", score=3)],
            profiel="Begeleiding thuis",
            pakket="Pakket midden",
            aanbieder=common_pb2.AgbCode(value="98100001"),
        )
    )
    assert aangepast.status == pb.POP_STATUS_TERUGGEGEVEN and aangepast.pakket == "Pakket midden" and aangepast.id == pop.id
    weer = gemeente.DraagPopOver(pb.DraagPopOverRequest(traject_id=traject.id))
    assert weer.status == pb.POP_STATUS_BIJ_AANBIEDER
    assert [s.soort for s in signalen(aanbieder)] == [pb.SIGNAAL_SOORT_AANBIEDER]
    assert [s for s in signalen(gemeente) if s.traject_id == traject.id] == []
    klaar = aanbieder.VulPopAan(pb.VulPopAanRequest(traject_id=traject.id, inzet="3 uur per week", activiteiten=["wekelijks gesprek"]))
    assert klaar.status == pb.POP_STATUS_AANGEVULD and aanbieder.GetPop(pb.GetPopRequest(traject_id=traject.id)).teruggave_reden
    (event,) = [r[0]["data"] for r in sql(url, "SELECT payload FROM indicatie.outbox WHERE subject = 'indicatie.pop.teruggegeven'")]
    assert (event["traject_id"], event["reden"]) == (traject.id, "Het pakket past niet bij de score op huisvesting")


def test_closing_the_traject_ends_its_planned_evaluaties_and_refuses_new_ones(indicatie):
    service, channel = indicatie
    url = service.env["ZK_DATABASE_URL"]
    gemeente, aanbieder = Caller(channel, NIEUWEGEIN), Caller(channel, DE_LEK)
    dag = vandaag()
    traject = overgedragen(gemeente)
    einde = common_pb2.Datum(value=(dag + timedelta(days=365)).isoformat())
    uiterlijk = common_pb2.Datum(value=(dag + timedelta(days=20)).isoformat())
    regulier = aanbieder.PlanEvaluatie(pb.PlanEvaluatieRequest(traject_id=traject.id, soort=pb.EVALUATIE_SOORT_REGULIER, beschikking_einddatum=einde))
    tussentijds = gemeente.PlanEvaluatie(pb.PlanEvaluatieRequest(traject_id=traject.id, soort=pb.EVALUATIE_SOORT_TUSSENTIJDS, reden="zorgen van de huisarts", uiterlijk=uiterlijk))
    realisatie = [pb.Doelrealisatie(doel="Zelfstandig wonen", mate=pb.MATE_BEHAALD)]
    # one evaluatie is held before the traject closes; it stays uitgevoerd
    eerder = gemeente.PlanEvaluatie(pb.PlanEvaluatieRequest(traject_id=traject.id, soort=pb.EVALUATIE_SOORT_TUSSENTIJDS, reden="eerste gesprek", uiterlijk=uiterlijk))
    aanbieder.LegEvaluatieVast(pb.LegEvaluatieVastRequest(traject_id=traject.id, evaluatie_id=eerder.id, doelrealisatie=realisatie, advies=pb.ADVIES_VOORTZETTEN))
    evaluatie_signalen = {s.bron_id for s in signalen(aanbieder, traject_id=traject.id) if s.soort == pb.SIGNAAL_SOORT_EVALUATIE}
    assert evaluatie_signalen == {regulier.id, tussentijds.id}

    gesloten = gemeente.SluitTraject(pb.SluitTrajectRequest(id=traject.id, status=pb.TRAJECT_STATUS_GESTOPT))
    assert gesloten.status == pb.TRAJECT_STATUS_GESTOPT

    # the planned ones vervallen, saying why and when; the held one is untouched
    na = {e.id: e for e in aanbieder.ListEvaluaties(pb.ListEvaluatiesRequest(traject_id=traject.id)).evaluaties}
    for e in (regulier, tussentijds):
        assert (na[e.id].status, na[e.id].vervallen_op.value, na[e.id].vervallen_reden) == (pb.EVALUATIE_STATUS_VERVALLEN, dag.isoformat(), "samenwerkingstraject gestopt")
    assert (na[eerder.id].status, na[eerder.id].vervallen_reden) == (pb.EVALUATIE_STATUS_UITGEVOERD, "")
    # their signalen (deadlines) went with them, for the aanbieder and the gemeente alike
    assert signalen(aanbieder, traject_id=traject.id) == [] and signalen(gemeente, traject_id=traject.id) == []
    open_rijen = sql(url, f"SELECT count(*) FROM indicatie.signaal WHERE traject_id = '{traject.id}' AND afgehandeld_op IS NULL")
    assert open_rijen == [(0,)]

    # recording or planning an evaluatie in the closed traject is refused, saying so
    vastleggen = refused(
        aanbieder.LegEvaluatieVast,
        pb.LegEvaluatieVastRequest(traject_id=traject.id, evaluatie_id=regulier.id, doelrealisatie=realisatie, advies=pb.ADVIES_VOORTZETTEN),
    )
    assert vastleggen.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert vastleggen.details() == f"samenwerkingstraject {traject.nummer} is gestopt: no evaluatie can be recorded in it any more"
    for wie, request in (
        (aanbieder, pb.PlanEvaluatieRequest(traject_id=traject.id, soort=pb.EVALUATIE_SOORT_REGULIER, beschikking_einddatum=einde)),
        (gemeente, pb.PlanEvaluatieRequest(traject_id=traject.id, soort=pb.EVALUATIE_SOORT_TUSSENTIJDS, reden="nog eens", uiterlijk=uiterlijk)),
    ):
        plannen = refused(wie.PlanEvaluatie, request)
        assert plannen.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert plannen.details() == f"samenwerkingstraject {traject.nummer} is gestopt: no evaluatie can be planned in it any more"
    assert len(aanbieder.ListEvaluaties(pb.ListEvaluatiesRequest(traject_id=traject.id)).evaluaties) == 3

    vervallen = sorted(r[0]["data"]["evaluatie_id"] for r in sql(url, "SELECT payload FROM indicatie.outbox WHERE subject = 'indicatie.traject.evaluatie_vervallen'"))
    assert vervallen == sorted([regulier.id, tussentijds.id])


def maak_taak(caller: Caller, traject: pb.Samenwerkingstraject, naam: str, voor: pb.Partij, dagen: int) -> pb.Taak:
    einddatum = common_pb2.Datum(value=(vandaag() + timedelta(days=dagen)).isoformat())
    return caller.MaakTaak(pb.MaakTaakRequest(traject_id=traject.id, naam=naam, soort="Overleg", bestemd_voor=voor, einddatum=einddatum))


def test_closing_the_traject_makes_its_open_taken_vervallen_and_refuses_taken_in_it(indicatie):
    service, channel = indicatie
    url = service.env["ZK_DATABASE_URL"]
    gemeente, aanbieder = Caller(channel, NIEUWEGEIN), Caller(channel, DE_LEK)
    dag = vandaag()
    traject = overgedragen(gemeente)
    voor_aanbieder = pb.Partij(soort=pb.PARTIJ_SOORT_AANBIEDER, code="98100001")
    voor_gemeente = pb.Partij(soort=pb.PARTIJ_SOORT_GEMEENTE, code="0356", medewerker="pa-nieuwegein")
    open_ = maak_taak(gemeente, traject, "Huisbezoek plannen", voor_aanbieder, 10)
    bezig = maak_taak(aanbieder, traject, "Gegevens huisarts opvragen", voor_gemeente, 12)
    aanbieder.WijzigTaak(pb.WijzigTaakRequest(traject_id=traject.id, taak_id=bezig.id, status=pb.TAAK_STATUS_IN_BEHANDELING))
    klaar = maak_taak(gemeente, traject, "Kennismaking", voor_aanbieder, 5)
    aanbieder.WijzigTaak(pb.WijzigTaakRequest(traject_id=traject.id, taak_id=klaar.id, status=pb.TAAK_STATUS_AFGEROND))
    assert {s.bron_id for s in signalen(aanbieder, traject_id=traject.id) + signalen(gemeente, traject_id=traject.id) if s.soort == pb.SIGNAAL_SOORT_TAAK} == {open_.id, bezig.id}

    gemeente.SluitTraject(pb.SluitTrajectRequest(id=traject.id, status=pb.TRAJECT_STATUS_AFGESLOTEN))

    # the open and the in behandeling taak vervallen, saying when and why, in their history by whoever closed it
    na = {t.id: t for t in aanbieder.ListTaken(pb.ListTakenRequest(traject_id=traject.id)).taken}
    for taak, was in ((open_, "open"), (bezig, "in_behandeling")):
        assert (na[taak.id].status, na[taak.id].vervallen_op.value, na[taak.id].vervallen_reden) == (pb.TAAK_STATUS_VERVALLEN, dag.isoformat(), "samenwerkingstraject afgesloten")
        laatste = na[taak.id].geschiedenis[-1]
        assert (laatste.door, laatste.veld, laatste.oud, laatste.nieuw) == ("pa-nieuwegein", "status", was, "vervallen")
    assert (na[klaar.id].status, na[klaar.id].vervallen_op.value, na[klaar.id].vervallen_reden) == (pb.TAAK_STATUS_AFGEROND, "", "")
    # no taak waits for anyone any more: their signalen are afgehandeld
    assert signalen(aanbieder, traject_id=traject.id) == [] and signalen(gemeente, traject_id=traject.id) == []
    vervallen = [r[0]["data"] for r in sql(url, "SELECT payload FROM indicatie.outbox WHERE subject = 'indicatie.traject.taak_vervallen'")]
    assert sorted((e["taak_id"], e["reden"]) for e in vervallen) == sorted((t.id, "samenwerkingstraject afgesloten") for t in (open_, bezig))

    # a new taak, or a change to one, in the closed traject is refused, saying so
    nieuw = refused(
        gemeente.MaakTaak,
        pb.MaakTaakRequest(traject_id=traject.id, naam="Nog een", soort="Overleg", bestemd_voor=voor_gemeente, einddatum=common_pb2.Datum(value=(dag + timedelta(days=3)).isoformat())),
    )
    assert nieuw.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert nieuw.details() == f"samenwerkingstraject {traject.nummer} is afgesloten: no taak can be made in it any more"
    for wie, taak_id in ((aanbieder, klaar.id), (gemeente, open_.id)):
        wijzigen = refused(wie.WijzigTaak, pb.WijzigTaakRequest(traject_id=traject.id, taak_id=taak_id, status=pb.TAAK_STATUS_OPEN))
        assert wijzigen.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert wijzigen.details() == f"samenwerkingstraject {traject.nummer} is afgesloten: no taak can be changed in it any more"
    assert {t.id: t.status for t in aanbieder.ListTaken(pb.ListTakenRequest(traject_id=traject.id)).taken} == {t: na[t].status for t in na}


def test_migration_0011_makes_taken_left_open_in_trajecten_closed_before_vervallen(indicatie):
    service, channel = indicatie
    url = service.env["ZK_DATABASE_URL"]
    gemeente, aanbieder = Caller(channel, NIEUWEGEIN), Caller(channel, DE_LEK)
    voor_aanbieder = pb.Partij(soort=pb.PARTIJ_SOORT_AANBIEDER, code="98100001")
    gesloten, lopend = overgedragen(gemeente), overgedragen(gemeente)
    achtergebleven = maak_taak(gemeente, gesloten, "Huisbezoek plannen", voor_aanbieder, 10)
    loopt = maak_taak(gemeente, lopend, "Huisbezoek plannen", voor_aanbieder, 10)
    # gestopt as before 0011: the traject and its signalen closed, its taak left open
    sql(url, f"UPDATE indicatie.samenwerkingstraject SET status = 'gestopt', meldingsdatum = '2025-12-01', startdatum = '2025-12-01', einddatum = '2026-01-05' WHERE id = '{gesloten.id}'")
    sql(url, f"UPDATE indicatie.signaal SET afgehandeld_op = '2026-01-05' WHERE traject_id = '{gesloten.id}' AND afgehandeld_op IS NULL")
    migrations = definition().migrations_dir
    command.downgrade(alembic_config(migrations, url), "0010")
    uitgaand = sql(url, "SELECT count(*) FROM indicatie.outbox")
    upgrade(migrations, url)

    [taak] = gemeente.ListTaken(pb.ListTakenRequest(traject_id=gesloten.id)).taken
    assert (taak.id, taak.status, taak.vervallen_op.value, taak.vervallen_reden) == (achtergebleven.id, pb.TAAK_STATUS_VERVALLEN, "2026-01-05", "samenwerkingstraject gestopt")
    assert [(w.door, w.veld, w.oud, w.nieuw) for w in taak.geschiedenis[-1:]] == [("migratie 0011", "status", "open", "vervallen")]
    # a taak of a lopend traject is left alone, and the backfill publishes nothing
    [andere] = aanbieder.ListTaken(pb.ListTakenRequest(traject_id=lopend.id)).taken
    assert (andere.id, andere.status, andere.vervallen_reden) == (loopt.id, pb.TAAK_STATUS_OPEN, "")
    assert sql(url, "SELECT count(*) FROM indicatie.outbox") == uitgaand


def test_list_signalen_of_one_traject_only_for_the_callers_party_in_keyset_pages(indicatie):
    service, channel = indicatie
    gemeente, aanbieder, houten, ander = Caller(channel, NIEUWEGEIN), Caller(channel, DE_LEK), Caller(channel, HOUTEN), Caller(channel, ANDER)
    dag = vandaag()
    traject, ander_traject = overgedragen(gemeente), melding(gemeente)
    for n in range(3):  # three taken for the gemeente in the handed-over traject, and one for the aanbieder
        aanbieder.MaakTaak(
            pb.MaakTaakRequest(
                traject_id=traject.id,
                naam=f"taak {n}",
                soort="Overleg",
                bestemd_voor=pb.Partij(soort=pb.PARTIJ_SOORT_GEMEENTE, code="0356"),
                einddatum=common_pb2.Datum(value=(dag + timedelta(days=10 + n)).isoformat()),
            )
        )
    gemeente.MaakTaak(
        pb.MaakTaakRequest(
            traject_id=traject.id, naam="intake", soort="Overleg", bestemd_voor=pb.Partij(soort=pb.PARTIJ_SOORT_AANBIEDER, code="98100001"),
            einddatum=common_pb2.Datum(value=(dag + timedelta(days=5)).isoformat()),
        )
    )
    # the gemeente has the other traject's participatieadviseur signal too: the filter leaves it out
    assert {s.traject_id for s in signalen(gemeente)} == {traject.id, ander_traject.id}
    van_traject = signalen(gemeente, traject_id=traject.id)
    assert [s.soort for s in van_traject] == [pb.SIGNAAL_SOORT_TAAK] * 3 and {s.traject_id for s in van_traject} == {traject.id}
    assert [s.traject_id for s in signalen(gemeente, traject_id=ander_traject.id)] == [ander_traject.id]
    # the aanbieder sees its own party's signalen of the traject (its taak and its POP phase), nothing of the other
    assert sorted(s.soort for s in signalen(aanbieder, traject_id=traject.id)) == [pb.SIGNAAL_SOORT_AANBIEDER, pb.SIGNAAL_SOORT_TAAK]
    assert signalen(aanbieder, traject_id=ander_traject.id) == []
    # outside the tenancy: nothing
    assert signalen(houten, traject_id=traject.id) == [] and signalen(ander, traject_id=traject.id) == []

    # keyset pages of one: the same three, in deadline order, and the token carries on within the filter
    gezien, token = [], ""
    while True:
        page = gemeente.ListSignalen(pb.ListSignalenRequest(traject_id=traject.id, page=common_pb2.PageRequest(page_size=1, page_token=token)))
        gezien += list(page.signalen)
        token = page.next_page_token
        if not token:
            break
    assert [s.id for s in gezien] == [s.id for s in van_traject] and [s.deadline.value for s in gezien] == sorted(s.deadline.value for s in gezien)

    onzin = refused(gemeente.ListSignalen, pb.ListSignalenRequest(traject_id="geen-id"))
    assert onzin.code() == grpc.StatusCode.INVALID_ARGUMENT and onzin.details() == "traject_id 'geen-id' is not the id of a samenwerkingstraject"
