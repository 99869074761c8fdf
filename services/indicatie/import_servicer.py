"""The IndicatieImport gRPC servicer: protobuf in, the import's handlers (importeren.py), protobuf out."""

from __future__ import annotations

import uuid
from datetime import datetime

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_import_pb2 as pb
from zorgketen.indicatie.v1 import indicatie_import_pb2_grpc

from berichten.adapters.codelijsten import load_codelijsten
from indicatie import importeren
from indicatie.adapters.herindicatie import load_eigen_verantwoordelijkheid
from indicatie.adapters.import_repository import AfgewezenIndicatie
from indicatie.adapters.indicatie_bestand import Formaat, lees_bestand
from indicatie.domain.indicatie_import import VELDEN, IndicatieRecord
from indicatie.importeren import RecordUitkomst, Uitkomst
from runtime.errors import DomainError
from runtime.pagination import PageTokenError, decode_token, page_size
from runtime.server import Runtime
from runtime.servicer import rpc
from runtime.tenancy import current_tenant

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["IndicatieImport"].full_name
_FORMAAT = {pb.BESTAND_FORMAAT_CSV: Formaat.CSV, pb.BESTAND_FORMAAT_JSON: Formaat.JSON}
_UITKOMST = {Uitkomst.AANVAARD: pb.UITKOMST_AANVAARD, Uitkomst.AL_VERWERKT: pb.UITKOMST_AL_VERWERKT, Uitkomst.AFGEWEZEN: pb.UITKOMST_AFGEWEZEN}


def record_from_pb(regel: int, record: pb.IndicatieRecord) -> IndicatieRecord:
    return IndicatieRecord.van(regel, {veld: getattr(record, veld) for veld in VELDEN})


def record_to_pb(record: IndicatieRecord) -> pb.IndicatieRecord:
    return pb.IndicatieRecord(**{veld: record[veld] for veld in VELDEN})


def uitkomst_to_pb(u: RecordUitkomst) -> pb.RecordUitkomst:
    return pb.RecordUitkomst(
        regel=u.regel,
        uitkomst=_UITKOMST[u.uitkomst],
        beschikkingnummer=u.beschikkingnummer,
        afgewezen_id=u.afgewezen_id,
        gebreken=[pb.Gebrek(veld=g.veld, reden=g.reden) for g in u.gebreken],
    )


def afgewezen_to_pb(a: AfgewezenIndicatie) -> pb.AfgewezenIndicatie:
    return pb.AfgewezenIndicatie(
        id=a.id,
        gemeente=common_pb2.Gemeentecode(value=a.gemeentecode),
        import_id=a.import_id or "",
        regel=a.record.regel,
        record=record_to_pb(a.record),
        gebreken=[pb.Gebrek(veld=g.veld, reden=g.reden) for g in a.gebreken],
        bijgewerkt_op=a.bijgewerkt_op.isoformat(),
    )


class IndicatieImportServicer(indicatie_import_pb2_grpc.IndicatieImportServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.codelijsten = load_codelijsten()
        self.eigen_verantwoordelijkheid = load_eigen_verantwoordelijkheid()

    @rpc
    async def ImporteerIndicaties(self, request: pb.ImporteerIndicatiesRequest, context: grpc.aio.ServicerContext) -> pb.ImporteerIndicatiesResponse:
        tenant = current_tenant()
        gemeentecode = request.gemeente.value
        bron = request.WhichOneof("bron")
        if bron == "bestand":
            if request.bestand.formaat not in _FORMAAT:
                raise DomainError("bestand.formaat must be csv or json")
            records = lees_bestand(request.bestand.inhoud, _FORMAAT[request.bestand.formaat])
            naam = request.bestand.naam or f"bestand.{_FORMAAT[request.bestand.formaat].value}"
        elif bron == "records":
            records = [record_from_pb(plaats, r) for plaats, r in enumerate(request.records.records, start=1)]
            naam = "api"
        else:
            raise DomainError("an import needs a bestand or records")
        async with self.runtime.unit_of_work() as uow:
            import_id = await importeren.begin_import(uow, tenant, gemeentecode, naam, len(records))
        uitkomsten = []
        for record in records:  # each record in its own transaction: one bad record never undoes the others
            async with self.runtime.unit_of_work() as uow:
                uitkomsten.append(
                    await importeren.verwerk_record(uow, tenant, gemeentecode, import_id, record, self.codelijsten, self.eigen_verantwoordelijkheid)
                )
        async with self.runtime.unit_of_work() as uow:
            await importeren.sluit_import(uow, import_id, uitkomsten)
        return pb.ImporteerIndicatiesResponse(
            import_id=import_id,
            aantal=len(uitkomsten),
            aanvaard=sum(1 for u in uitkomsten if u.uitkomst is Uitkomst.AANVAARD),
            al_verwerkt=sum(1 for u in uitkomsten if u.uitkomst is Uitkomst.AL_VERWERKT),
            afgewezen=sum(1 for u in uitkomsten if u.uitkomst is Uitkomst.AFGEWEZEN),
            uitkomsten=[uitkomst_to_pb(u) for u in uitkomsten],
        )

    @rpc
    async def ListAfgewezenIndicaties(
        self, request: pb.ListAfgewezenIndicatiesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListAfgewezenIndicatiesResponse:
        limit = page_size(request.page.page_size)
        after = decode_token(request.page.page_token, 2)
        if after:
            try:
                datetime.fromisoformat(after[0]), uuid.UUID(after[1])
            except ValueError as error:
                raise PageTokenError("page_token is not a token this service issued") from error
        async with self.runtime.unit_of_work() as uow:
            page = await importeren.list_afgewezen(uow, current_tenant(), (after[0], after[1]) if after else None, limit)
        token = page.token(lambda a: [a.aangemaakt_op.isoformat(), a.id])
        return pb.ListAfgewezenIndicatiesResponse(indicaties=[afgewezen_to_pb(a) for a in page.rows], next_page_token=token)

    @rpc
    async def GetAfgewezenIndicatie(self, request: pb.GetAfgewezenIndicatieRequest, context: grpc.aio.ServicerContext) -> pb.AfgewezenIndicatie:
        async with self.runtime.unit_of_work() as uow:
            return afgewezen_to_pb(await importeren.get_afgewezen(uow, current_tenant(), request.id))

    @rpc
    async def HerstelIndicatie(self, request: pb.HerstelIndicatieRequest, context: grpc.aio.ServicerContext) -> pb.RecordUitkomst:
        record = record_from_pb(0, request.record)
        async with self.runtime.unit_of_work() as uow:
            uitkomst = await importeren.herstel(uow, current_tenant(), request.id, record, self.codelijsten, self.eigen_verantwoordelijkheid)
        return uitkomst_to_pb(uitkomst)


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    indicatie_import_pb2_grpc.add_IndicatieImportServicer_to_server(IndicatieImportServicer(runtime), server)
