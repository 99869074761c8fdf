"""The Indicatie gRPC servicer: protobuf in, handler call, protobuf out."""

from __future__ import annotations

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

from indicatie import handlers
from indicatie.domain.client import Client, ClientStatus, Geslacht
from runtime.errors import DomainError
from runtime.pagination import decode_token, encode_token, page_size
from runtime.proto_types import datum, to_date
from runtime.server import Runtime
from runtime.servicer import rpc
from runtime.tenancy import current_tenant

SERVICE_NAME = indicatie_pb2.DESCRIPTOR.services_by_name["Indicatie"].full_name

_STATUS = {
    ClientStatus.ACTIEF: indicatie_pb2.CLIENT_STATUS_ACTIEF,
    ClientStatus.VERHUISD: indicatie_pb2.CLIENT_STATUS_VERHUISD,
    ClientStatus.OVERLEDEN: indicatie_pb2.CLIENT_STATUS_OVERLEDEN,
}
_STATUS_FROM_PB = {v: k for k, v in _STATUS.items()}


def client_from_pb(pb: indicatie_pb2.Client) -> Client:
    try:
        geslacht = Geslacht(pb.geslacht or "0")
    except ValueError:
        raise DomainError(f"geslacht {pb.geslacht!r} is not a COD046 code (0, 1, 2)") from None
    return Client(
        bsn=pb.bsn.value,
        gemeentecode=pb.gemeente.value,
        geslachtsnaam=pb.geslachtsnaam,
        voorvoegsel=pb.voorvoegsel,
        voorletters=pb.voorletters,
        geboortedatum=to_date(pb.geboortedatum, "geboortedatum"),
        geslacht=geslacht,
        postcode=pb.postcode.replace(" ", "").upper(),
        huisnummer=pb.huisnummer,
        status=_STATUS_FROM_PB.get(pb.status, ClientStatus.ACTIEF),
    )


def client_to_pb(client: Client) -> indicatie_pb2.Client:
    return indicatie_pb2.Client(
        bsn=common_pb2.Bsn(value=client.bsn),
        gemeente=common_pb2.Gemeentecode(value=client.gemeentecode),
        geslachtsnaam=client.geslachtsnaam,
        voorvoegsel=client.voorvoegsel,
        voorletters=client.voorletters,
        geboortedatum=datum(client.geboortedatum),
        geslacht=client.geslacht.value,
        postcode=client.postcode,
        huisnummer=client.huisnummer,
        status=_STATUS[client.status],
    )


class IndicatieServicer(indicatie_pb2_grpc.IndicatieServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    @rpc
    async def RegistreerClient(self, request: indicatie_pb2.RegistreerClientRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.Client:
        client = client_from_pb(request.client)
        async with self.runtime.unit_of_work() as uow:
            return client_to_pb(await handlers.registreer_client(uow, current_tenant(), client))

    @rpc
    async def GetClient(self, request: indicatie_pb2.GetClientRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.Client:
        async with self.runtime.unit_of_work() as uow:
            return client_to_pb(await handlers.get_client(uow, current_tenant(), request.gemeente.value, request.bsn.value))

    @rpc
    async def ListClienten(self, request: indicatie_pb2.ListClientenRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.ListClientenResponse:
        limit = page_size(request.page.page_size)
        after = decode_token(request.page.page_token, 2)
        async with self.runtime.unit_of_work() as uow:
            clienten = await handlers.list_clienten(uow, current_tenant(), tuple(after) if after else None, limit)
        token = encode_token([clienten[-1].gemeentecode, clienten[-1].bsn]) if len(clienten) == limit else ""
        return indicatie_pb2.ListClientenResponse(clienten=[client_to_pb(c) for c in clienten], next_page_token=token)


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    indicatie_pb2_grpc.add_IndicatieServicer_to_server(IndicatieServicer(runtime), server)
