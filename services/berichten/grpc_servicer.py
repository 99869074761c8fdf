"""The Berichten gRPC servicer: protobuf in, handler call, protobuf out."""

from __future__ import annotations

import grpc
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc

from berichten import handlers
from berichten.adapters.repository import BerichtRecord, BerichtRepository
from berichten.domain.regels.catalogus import Bevinding, Controleniveau
from runtime.errors import DomainError
from runtime.pagination import decode_token, page_size
from runtime.proto_types import datum
from runtime.server import Runtime
from runtime.servicer import rpc
from runtime.tenancy import current_tenant

_RICHTING = {"in": berichten_pb2.RICHTING_IN, "uit": berichten_pb2.RICHTING_UIT}


def bericht_to_pb(record: BerichtRecord, levering: str = "") -> berichten_pb2.Bericht:
    return berichten_pb2.Bericht(
        id=record.id,
        richting=_RICHTING[record.richting],
        standaard=record.standaard or "",
        berichtsoort=record.berichtsoort or "",
        berichtcode=record.berichtcode or 0,
        afzender=record.afzender,
        ontvanger=record.ontvanger or "",
        identificatie=record.identificatie or "",
        dagtekening=datum(record.dagtekening),
        status=record.status.value,
        sha256=record.sha256,
        grootte=record.grootte,
        ontvangen_op=record.ontvangen_op.isoformat() if record.ontvangen_op else "",
        heen_id=record.heen_id or "",
        retour_id=record.retour_id or "",
        fout_reden=record.fout_reden or "",
        fout_melding=record.fout_melding or "",
        xsd_fouten=[berichten_pb2.XsdFout(**f) for f in record.xsd_fouten],
        bevindingen=[berichten_pb2.Bevinding(**b) for b in record.bevindingen],
        levering=levering,
        correctie_van=record.correctie_van or "",
        gecorrigeerd_door=record.gecorrigeerd_door or "",
        afgekeurd=record.afgekeurd,
    )


def bevinding_from_pb(pb: berichten_pb2.Bevinding) -> Bevinding:
    try:
        niveau = Controleniveau(pb.niveau)
    except ValueError:
        raise DomainError(f"controleniveau {pb.niveau} does not exist") from None
    return Bevinding(pb.regel, pb.retourcode, niveau, pb.locatie, pb.klasse, pb.melding)


class BerichtenServicer(berichten_pb2_grpc.BerichtenServicer):
    def __init__(self, runtime: Runtime, hub: handlers.Hub):
        self.runtime = runtime
        self.hub = hub

    async def _reread(self, record: BerichtRecord) -> berichten_pb2.Bericht:
        """The stored state (with its server-side timestamps) of a message just written."""
        async with self.runtime.unit_of_work() as uow:
            return bericht_to_pb(await BerichtRepository(uow.session).get_internal(record.id))

    @rpc
    async def Ontvang(self, request: berichten_pb2.OntvangRequest, context: grpc.aio.ServicerContext) -> berichten_pb2.Bericht:
        async with self.runtime.unit_of_work() as uow:
            record = await handlers.ontvang(uow, current_tenant(), self.hub, request.xml, request.correctie_van)
        return await self._reread(record)

    @rpc
    async def GetBericht(self, request: berichten_pb2.GetBerichtRequest, context: grpc.aio.ServicerContext) -> berichten_pb2.Bericht:
        async with self.runtime.unit_of_work() as uow:
            return bericht_to_pb(await handlers.get(uow, current_tenant(), request.id))

    @rpc
    async def GetBerichtXml(self, request: berichten_pb2.GetBerichtRequest, context: grpc.aio.ServicerContext) -> berichten_pb2.BerichtXml:
        async with self.runtime.unit_of_work() as uow:
            return berichten_pb2.BerichtXml(id=request.id, xml=await handlers.xml(uow, current_tenant(), request.id))

    @rpc
    async def ListPostbus(self, request: berichten_pb2.ListPostbusRequest, context: grpc.aio.ServicerContext) -> berichten_pb2.ListPostbusResponse:
        limit = page_size(request.page.page_size)
        after = decode_token(request.page.page_token, 2)
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.postbus(uow, current_tenant(), tuple(after) if after else None, limit)
        token = page.token(lambda item: [item[2].isoformat(), item[0].id])
        return berichten_pb2.ListPostbusResponse(berichten=[bericht_to_pb(r, levering.value) for r, levering, _ in page.rows], next_page_token=token)

    @rpc
    async def BevestigOntvangst(self, request: berichten_pb2.GetBerichtRequest, context: grpc.aio.ServicerContext) -> berichten_pb2.Bericht:
        async with self.runtime.unit_of_work() as uow:
            return bericht_to_pb(await handlers.bevestig(uow, current_tenant(), request.id))

    @rpc
    async def Verstuur(self, request: berichten_pb2.VerstuurRequest, context: grpc.aio.ServicerContext) -> berichten_pb2.Bericht:
        async with self.runtime.unit_of_work() as uow:
            record = await handlers.verstuur(uow, current_tenant(), self.hub, request.xml)
        return await self._reread(record)

    @rpc
    async def Beoordeel(self, request: berichten_pb2.BeoordeelRequest, context: grpc.aio.ServicerContext) -> berichten_pb2.Bericht:
        bevindingen = [bevinding_from_pb(b) for b in request.bevindingen]
        async with self.runtime.unit_of_work() as uow:
            record = await handlers.beoordeel(uow, current_tenant(), self.hub, request.id, bevindingen)
        return await self._reread(record)

    @rpc
    async def ListWachtOpCorrectie(
        self, request: berichten_pb2.ListWachtOpCorrectieRequest, context: grpc.aio.ServicerContext
    ) -> berichten_pb2.ListWachtOpCorrectieResponse:
        limit = page_size(request.page.page_size)
        after = decode_token(request.page.page_token, 2)
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.wacht_op_correctie(uow, current_tenant(), tuple(after) if after else None, limit)
        token = page.token(lambda r: [r.ontvangen_op.isoformat(), r.id])  # type: ignore[union-attr]  # a stored message has its moment
        return berichten_pb2.ListWachtOpCorrectieResponse(berichten=[bericht_to_pb(r) for r in page.rows], next_page_token=token)

    @rpc
    async def ConceptCorrectie(self, request: berichten_pb2.GetBerichtRequest, context: grpc.aio.ServicerContext) -> berichten_pb2.BerichtXml:
        async with self.runtime.unit_of_work() as uow:
            return berichten_pb2.BerichtXml(id=request.id, xml=await handlers.concept_correctie(uow, current_tenant(), request.id))


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    berichten_pb2_grpc.add_BerichtenServicer_to_server(BerichtenServicer(runtime, handlers.Hub()), server)
