"""The Trajecten gRPC servicer (the secure workspace): protobuf in, handler call, protobuf out."""

from __future__ import annotations

import uuid
from datetime import date

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import trajecten_pb2 as pb
from zorgketen.indicatie.v1 import trajecten_pb2_grpc

from indicatie import trajecten
from indicatie.domain import termijnen
from indicatie.domain.evaluatie import Advies, Doelrealisatie, Evaluatie, EvaluatieSoort, EvaluatieStatus, Mate
from indicatie.domain.pop import Pop, PopStatus, ZrmScore
from indicatie.domain.taak import Prioriteit, Taak, TaakStatus
from indicatie.domain.termijnen import Urgentie
from indicatie.domain.traject import Actie, Doel, Partij, PartijSoort, Samenwerkingstraject, SignaalSoort, TrajectStatus
from runtime.errors import DomainError
from runtime.pagination import PageTokenError, decode_token, page_size
from runtime.proto_types import datum, optional_date
from runtime.server import Runtime
from runtime.servicer import rpc
from runtime.tenancy import current_tenant

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["Trajecten"].full_name

_TRAJECT_STATUS = {
    TrajectStatus.LOPEND: pb.TRAJECT_STATUS_LOPEND,
    TrajectStatus.AFGESLOTEN: pb.TRAJECT_STATUS_AFGESLOTEN,
    TrajectStatus.GESTOPT: pb.TRAJECT_STATUS_GESTOPT,
}
_PARTIJ = {PartijSoort.GEMEENTE: pb.PARTIJ_SOORT_GEMEENTE, PartijSoort.AANBIEDER: pb.PARTIJ_SOORT_AANBIEDER}
_PRIORITEIT = {Prioriteit.LAAG: pb.PRIORITEIT_LAAG, Prioriteit.GEMIDDELD: pb.PRIORITEIT_GEMIDDELD, Prioriteit.HOOG: pb.PRIORITEIT_HOOG}
_TAAK_STATUS = {
    TaakStatus.OPEN: pb.TAAK_STATUS_OPEN,
    TaakStatus.IN_BEHANDELING: pb.TAAK_STATUS_IN_BEHANDELING,
    TaakStatus.AFGEROND: pb.TAAK_STATUS_AFGEROND,
    TaakStatus.VERVALLEN: pb.TAAK_STATUS_VERVALLEN,
}
_POP_STATUS = {s: pb.PopStatus.Value(f"POP_STATUS_{s.name}") for s in PopStatus}
_EVALUATIE_SOORT = {EvaluatieSoort.REGULIER: pb.EVALUATIE_SOORT_REGULIER, EvaluatieSoort.TUSSENTIJDS: pb.EVALUATIE_SOORT_TUSSENTIJDS}
_EVALUATIE_STATUS = {s: pb.EvaluatieStatus.Value(f"EVALUATIE_STATUS_{s.name}") for s in EvaluatieStatus}
_MATE = {m: pb.Mate.Value(f"MATE_{m.name}") for m in Mate}
_ADVIES = {a: pb.Advies.Value(f"ADVIES_{a.name}") for a in Advies}
_SIGNAAL_SOORT = {s: pb.SignaalSoort.Value(f"SIGNAAL_SOORT_{s.name}") for s in SignaalSoort}
_URGENTIE = {u: pb.Urgentie.Value(f"URGENTIE_{u.name}") for u in Urgentie}


def _from_pb(mapping: dict, value: int, field: str, required: bool = True):  # type: ignore[no-untyped-def]
    """The domain value of a protobuf enum; None for unspecified when not required."""
    for domain, number in mapping.items():
        if number == value:
            return domain
    if value == 0 and not required:
        return None
    raise DomainError(f"{field} is required" if value == 0 else f"{field} {value} is not a known value")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def traject_to_pb(traject: Samenwerkingstraject) -> pb.Samenwerkingstraject:
    return pb.Samenwerkingstraject(
        id=traject.id,
        nummer=traject.nummer,
        onderwerp=traject.onderwerp,
        bsn=common_pb2.Bsn(value=traject.bsn),
        gemeente=common_pb2.Gemeentecode(value=traject.gemeentecode),
        participatieadviseur=traject.participatieadviseur,
        meldingsdatum=datum(traject.meldingsdatum),
        startdatum=datum(traject.startdatum),
        einddatum=datum(traject.einddatum),
        status=_TRAJECT_STATUS[traject.status],
        aanbieder=common_pb2.AgbCode(value=traject.aanbieder_agb or ""),
        doelen=[pb.Doel(omschrijving=d.omschrijving, domein=d.domein) for d in traject.doelen],
        acties=[pb.Actie(omschrijving=a.omschrijving, door=a.door, gereed=a.gereed) for a in traject.acties],
        doorlooptijd_einde=datum(termijnen.doorlooptijd_einde(traject.meldingsdatum)),
    )


def partij_from_pb(partij: pb.Partij) -> Partij:
    return Partij(_from_pb(_PARTIJ, partij.soort, "bestemd_voor.soort"), partij.code, partij.medewerker)


def partij_to_pb(partij: Partij) -> pb.Partij:
    return pb.Partij(soort=_PARTIJ[partij.soort], code=partij.code, medewerker=partij.medewerker)


def taak_to_pb(taak: Taak) -> pb.Taak:
    return pb.Taak(
        id=taak.id,
        traject_id=taak.traject_id,
        naam=taak.naam,
        soort=taak.soort,
        aangemaakt_door=taak.aangemaakt_door,
        bestemd_voor=partij_to_pb(taak.bestemd_voor),
        einddatum=datum(taak.einddatum),
        prioriteit=_PRIORITEIT[taak.prioriteit],
        status=_TAAK_STATUS[taak.status],
        omschrijving=taak.omschrijving,
        geschiedenis=[pb.TaakWijziging(op=w.op.isoformat(), door=w.door, veld=w.veld, oud=w.oud, nieuw=w.nieuw) for w in taak.geschiedenis],
        vervallen_op=datum(taak.vervallen_op),
        vervallen_reden=taak.vervallen_reden,
    )


def pop_to_pb(pop: Pop) -> pb.Pop:
    return pb.Pop(
        id=pop.id,
        traject_id=pop.traject_id,
        status=_POP_STATUS[pop.status],
        opgesteld_door=pop.opgesteld_door,
        zrm=[pb.ZrmScore(domein=s.domein, score=s.score, toelichting=s.toelichting) for s in pop.zrm],
        profiel=pop.profiel,
        pakket=pop.pakket,
        aanbieder=common_pb2.AgbCode(value=pop.aanbieder_agb or ""),
        inzet=pop.inzet,
        activiteiten=list(pop.activiteiten),
        overgedragen_op=datum(pop.overgedragen_op),
        aangevuld_op=datum(pop.aangevuld_op),
        ondertekend_op=datum(pop.ondertekend_op),
        ondertekend_door=pop.ondertekend_door,
        besloten_op=datum(pop.besloten_op),
        besluit_toelichting=pop.besluit_toelichting,
        termijn_start=datum(pop.termijn_start),
        teruggegeven_op=datum(pop.teruggegeven_op),
        teruggave_reden=pop.teruggave_reden,
    )


def evaluatie_to_pb(evaluatie: Evaluatie) -> pb.Evaluatie:
    return pb.Evaluatie(
        id=evaluatie.id,
        traject_id=evaluatie.traject_id,
        soort=_EVALUATIE_SOORT[evaluatie.soort],
        status=_EVALUATIE_STATUS[evaluatie.status],
        uiterste_datum=datum(evaluatie.uiterste_datum),
        beschikking_einddatum=datum(evaluatie.beschikking_einddatum),
        gevraagd_door=evaluatie.gevraagd_door,
        reden=evaluatie.reden,
        uitgevoerd_op=datum(evaluatie.uitgevoerd_op),
        doelrealisatie=[pb.Doelrealisatie(doel=r.doel, mate=_MATE[r.mate], toelichting=r.toelichting) for r in evaluatie.doelrealisatie],
        advies=_ADVIES[evaluatie.advies] if evaluatie.advies else pb.ADVIES_UNSPECIFIED,
        toelichting=evaluatie.toelichting,
        vervallen_op=datum(evaluatie.vervallen_op),
        vervallen_reden=evaluatie.vervallen_reden,
    )


def _required_date(value: common_pb2.Datum, field: str) -> date:
    result = optional_date(value, field)
    if result is None:
        raise DomainError(f"{field} is required")
    return result


class TrajectenServicer(trajecten_pb2_grpc.TrajectenServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    @rpc
    async def RegistreerMelding(self, request: pb.RegistreerMeldingRequest, context: grpc.aio.ServicerContext) -> pb.Samenwerkingstraject:
        meldingsdatum = optional_date(request.meldingsdatum, "meldingsdatum")
        async with self.runtime.unit_of_work() as uow:
            traject = await trajecten.registreer_melding(
                uow, current_tenant(), request.gemeente.value, request.bsn.value, request.onderwerp, meldingsdatum, request.participatieadviseur
            )
        return traject_to_pb(traject)

    @rpc
    async def GetTraject(self, request: pb.GetTrajectRequest, context: grpc.aio.ServicerContext) -> pb.Samenwerkingstraject:
        async with self.runtime.unit_of_work() as uow:
            return traject_to_pb(await trajecten.get_traject(uow, current_tenant(), request.id))

    @rpc
    async def ListTrajecten(self, request: pb.ListTrajectenRequest, context: grpc.aio.ServicerContext) -> pb.ListTrajectenResponse:
        limit = page_size(request.page.page_size)
        after = decode_token(request.page.page_token, 1)
        if after and not _is_uuid(after[0]):
            raise PageTokenError("page_token is not a token this service issued")
        if bool(request.bsn.value) != bool(request.gemeente.value):
            raise DomainError("filter on a cliënt with both bsn and gemeente, or neither")
        client = (request.gemeente.value, request.bsn.value) if request.bsn.value else None
        async with self.runtime.unit_of_work() as uow:
            page = await trajecten.list_trajecten(uow, current_tenant(), client, after[0] if after else None, limit)
        return pb.ListTrajectenResponse(trajecten=[traject_to_pb(x) for x in page.rows], next_page_token=page.token(lambda x: [x.id]))

    @rpc
    async def WijzigTraject(self, request: pb.WijzigTrajectRequest, context: grpc.aio.ServicerContext) -> pb.Samenwerkingstraject:
        doelen = tuple(Doel(d.omschrijving, d.domein) for d in request.doelen) if request.vervang_doelen else None
        acties = tuple(Actie(a.omschrijving, a.door, a.gereed) for a in request.acties) if request.vervang_acties else None
        async with self.runtime.unit_of_work() as uow:
            traject = await trajecten.wijzig_traject(
                uow,
                current_tenant(),
                request.id,
                request.onderwerp if request.HasField("onderwerp") else None,
                optional_date(request.einddatum, "einddatum"),
                doelen,
                acties,
            )
        return traject_to_pb(traject)

    @rpc
    async def SluitTraject(self, request: pb.SluitTrajectRequest, context: grpc.aio.ServicerContext) -> pb.Samenwerkingstraject:
        status = _from_pb(_TRAJECT_STATUS, request.status, "status")
        if status is TrajectStatus.LOPEND:
            raise DomainError("a traject is closed as afgesloten or gestopt")
        async with self.runtime.unit_of_work() as uow:
            return traject_to_pb(await trajecten.sluit_traject(uow, current_tenant(), request.id, status))

    @rpc
    async def MaakTaak(self, request: pb.MaakTaakRequest, context: grpc.aio.ServicerContext) -> pb.Taak:
        prioriteit = _from_pb(_PRIORITEIT, request.prioriteit, "prioriteit", required=False) or Prioriteit.GEMIDDELD
        bestemd_voor = partij_from_pb(request.bestemd_voor)
        einddatum = _required_date(request.einddatum, "einddatum")
        async with self.runtime.unit_of_work() as uow:
            taak = await trajecten.maak_taak(
                uow, current_tenant(), request.traject_id, request.naam, request.soort, bestemd_voor, einddatum, prioriteit, request.omschrijving
            )
        return taak_to_pb(taak)

    @rpc
    async def WijzigTaak(self, request: pb.WijzigTaakRequest, context: grpc.aio.ServicerContext) -> pb.Taak:
        status = _from_pb(_TAAK_STATUS, request.status, "status", required=False)
        prioriteit = _from_pb(_PRIORITEIT, request.prioriteit, "prioriteit", required=False)
        bestemd_voor = partij_from_pb(request.bestemd_voor) if request.HasField("bestemd_voor") else None
        async with self.runtime.unit_of_work() as uow:
            taak = await trajecten.wijzig_taak(
                uow,
                current_tenant(),
                request.traject_id,
                request.taak_id,
                status,
                prioriteit,
                optional_date(request.einddatum, "einddatum"),
                bestemd_voor,
                request.omschrijving if request.HasField("omschrijving") else None,
            )
        return taak_to_pb(taak)

    @rpc
    async def ListTaken(self, request: pb.ListTakenRequest, context: grpc.aio.ServicerContext) -> pb.ListTakenResponse:
        async with self.runtime.unit_of_work() as uow:
            taken = await trajecten.list_taken(uow, current_tenant(), request.traject_id)
        return pb.ListTakenResponse(taken=[taak_to_pb(x) for x in taken])

    @rpc
    async def StelPopOp(self, request: pb.StelPopOpRequest, context: grpc.aio.ServicerContext) -> pb.Pop:
        zrm = tuple(ZrmScore(s.domein, s.score, s.toelichting) for s in request.zrm)
        async with self.runtime.unit_of_work() as uow:
            pop = await trajecten.stel_pop_op(
                uow, current_tenant(), request.traject_id, zrm, request.profiel, request.pakket, request.aanbieder.value or None
            )
        return pop_to_pb(pop)

    @rpc
    async def DraagPopOver(self, request: pb.DraagPopOverRequest, context: grpc.aio.ServicerContext) -> pb.Pop:
        async with self.runtime.unit_of_work() as uow:
            return pop_to_pb(await trajecten.draag_pop_over(uow, current_tenant(), request.traject_id))

    @rpc
    async def VulPopAan(self, request: pb.VulPopAanRequest, context: grpc.aio.ServicerContext) -> pb.Pop:
        async with self.runtime.unit_of_work() as uow:
            return pop_to_pb(await trajecten.vul_pop_aan(uow, current_tenant(), request.traject_id, request.inzet, tuple(request.activiteiten)))

    @rpc
    async def GeefPopTerug(self, request: pb.GeefPopTerugRequest, context: grpc.aio.ServicerContext) -> pb.Pop:
        async with self.runtime.unit_of_work() as uow:
            return pop_to_pb(await trajecten.geef_pop_terug(uow, current_tenant(), request.traject_id, request.reden))

    @rpc
    async def OndertekenPop(self, request: pb.OndertekenPopRequest, context: grpc.aio.ServicerContext) -> pb.Pop:
        op = optional_date(request.ondertekend_op, "ondertekend_op")
        async with self.runtime.unit_of_work() as uow:
            return pop_to_pb(await trajecten.onderteken_pop(uow, current_tenant(), request.traject_id, request.ondertekend_door, op))

    @rpc
    async def NeemBesluit(self, request: pb.NeemBesluitRequest, context: grpc.aio.ServicerContext) -> pb.Pop:
        async with self.runtime.unit_of_work() as uow:
            return pop_to_pb(await trajecten.neem_besluit(uow, current_tenant(), request.traject_id, request.toegekend, request.toelichting))

    @rpc
    async def BeeindigPop(self, request: pb.BeeindigPopRequest, context: grpc.aio.ServicerContext) -> pb.Pop:
        async with self.runtime.unit_of_work() as uow:
            return pop_to_pb(await trajecten.beeindig_pop(uow, current_tenant(), request.traject_id))

    @rpc
    async def GetPop(self, request: pb.GetPopRequest, context: grpc.aio.ServicerContext) -> pb.Pop:
        async with self.runtime.unit_of_work() as uow:
            return pop_to_pb(await trajecten.get_pop(uow, current_tenant(), request.traject_id))

    @rpc
    async def PlanEvaluatie(self, request: pb.PlanEvaluatieRequest, context: grpc.aio.ServicerContext) -> pb.Evaluatie:
        soort = _from_pb(_EVALUATIE_SOORT, request.soort, "soort")
        async with self.runtime.unit_of_work() as uow:
            evaluatie = await trajecten.plan_evaluatie(
                uow,
                current_tenant(),
                request.traject_id,
                soort,
                optional_date(request.beschikking_einddatum, "beschikking_einddatum"),
                request.eigen_verantwoordelijkheid,
                request.reden,
                optional_date(request.uiterlijk, "uiterlijk"),
            )
        return evaluatie_to_pb(evaluatie)

    @rpc
    async def LegEvaluatieVast(self, request: pb.LegEvaluatieVastRequest, context: grpc.aio.ServicerContext) -> pb.Evaluatie:
        realisatie = tuple(
            Doelrealisatie(r.doel, _from_pb(_MATE, r.mate, f"mate of doel {r.doel!r}"), r.toelichting) for r in request.doelrealisatie
        )
        advies = _from_pb(_ADVIES, request.advies, "advies")
        async with self.runtime.unit_of_work() as uow:
            evaluatie = await trajecten.leg_evaluatie_vast(
                uow,
                current_tenant(),
                request.traject_id,
                request.evaluatie_id,
                optional_date(request.uitgevoerd_op, "uitgevoerd_op"),
                realisatie,
                advies,
                request.toelichting,
            )
        return evaluatie_to_pb(evaluatie)

    @rpc
    async def ListEvaluaties(self, request: pb.ListEvaluatiesRequest, context: grpc.aio.ServicerContext) -> pb.ListEvaluatiesResponse:
        async with self.runtime.unit_of_work() as uow:
            evaluaties = await trajecten.list_evaluaties(uow, current_tenant(), request.traject_id)
        return pb.ListEvaluatiesResponse(evaluaties=[evaluatie_to_pb(e) for e in evaluaties])

    @rpc
    async def ListSignalen(self, request: pb.ListSignalenRequest, context: grpc.aio.ServicerContext) -> pb.ListSignalenResponse:
        limit = page_size(request.page.page_size)
        after = decode_token(request.page.page_token, 2)
        if after and not (_is_date(after[0]) and _is_uuid(after[1])):
            raise PageTokenError("page_token is not a token this service issued")
        if request.traject_id and not _is_uuid(request.traject_id):
            raise DomainError(f"traject_id {request.traject_id!r} is not the id of a samenwerkingstraject")
        async with self.runtime.unit_of_work() as uow:
            page = await trajecten.list_signalen(
                uow,
                current_tenant(),
                request.alleen_voor_mij,
                request.alleen_urgent,
                (after[0], after[1]) if after else None,
                limit,
                request.traject_id or None,
            )
        token = page.token(lambda o: [o.signaal.deadline.isoformat(), o.signaal.id])
        return pb.ListSignalenResponse(
            signalen=[
                pb.Signaal(
                    id=o.signaal.id,
                    traject_id=o.signaal.traject_id or "",
                    traject_nummer=o.traject_nummer,
                    soort=_SIGNAAL_SOORT[o.signaal.soort],
                    partij=partij_to_pb(o.signaal.partij),
                    deadline=datum(o.signaal.deadline),
                    werkdagen_resterend=o.werkdagen_resterend,
                    urgentie=_URGENTIE[o.urgentie],
                    bron_id=o.signaal.bron_id or "",
                    gemeente=common_pb2.Gemeentecode(value=o.signaal.beschikking.gemeentecode) if o.signaal.beschikking else None,
                    beschikkingnummer=o.signaal.beschikking.beschikkingnummer if o.signaal.beschikking else "",
                    product=o.signaal.beschikking.product if o.signaal.beschikking else "",
                )
                for o in page.rows
            ],
            next_page_token=token,
        )


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    trajecten_pb2_grpc.add_TrajectenServicer_to_server(TrajectenServicer(runtime), server)
