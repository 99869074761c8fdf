"""The Declaratie gRPC servicer: protobuf in, handler call, protobuf out."""

from __future__ import annotations

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc

from declaratie import handlers
from declaratie.domain.contract import Contract, Uitvoeringsvariant, Wet
from runtime.errors import DomainError
from runtime.pagination import decode_token, encode_token, page_size
from runtime.proto_types import datum, optional_date, to_date
from runtime.server import Runtime
from runtime.servicer import rpc
from runtime.tenancy import current_tenant

_WET = {Wet.WMO: common_pb2.WET_WMO, Wet.JEUGDWET: common_pb2.WET_JEUGDWET}
_VARIANT = {
    Uitvoeringsvariant.INSPANNINGSGERICHT: declaratie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
    Uitvoeringsvariant.OUTPUTGERICHT: declaratie_pb2.UITVOERINGSVARIANT_OUTPUTGERICHT,
    Uitvoeringsvariant.TAAKGERICHT: declaratie_pb2.UITVOERINGSVARIANT_TAAKGERICHT,
}


def _lookup(table: dict, value: int, what: str):  # type: ignore[no-untyped-def]
    for domain_value, pb_value in table.items():
        if pb_value == value:
            return domain_value
    raise DomainError(f"{what} is required")


def contract_from_pb(pb: declaratie_pb2.Contract) -> Contract:
    return Contract(
        gemeentecode=pb.gemeente.value,
        agb=pb.aanbieder.value,
        wet=_lookup(_WET, pb.wet, "wet"),
        productcategorie=pb.product.categorie,
        productcode=pb.product.code,
        uitvoeringsvariant=_lookup(_VARIANT, pb.uitvoeringsvariant, "uitvoeringsvariant"),
        tarief_eurocent=pb.tarief.eurocent,
        eenheid=pb.eenheid,
        begindatum=to_date(pb.geldigheid.begindatum, "begindatum"),
        einddatum=optional_date(pb.geldigheid.einddatum, "einddatum"),
    )


def contract_to_pb(contract: Contract) -> declaratie_pb2.Contract:
    return declaratie_pb2.Contract(
        id=contract.id,
        gemeente=common_pb2.Gemeentecode(value=contract.gemeentecode),
        aanbieder=common_pb2.AgbCode(value=contract.agb),
        wet=_WET[contract.wet],
        product=common_pb2.Product(categorie=contract.productcategorie, code=contract.productcode),
        uitvoeringsvariant=_VARIANT[contract.uitvoeringsvariant],
        tarief=common_pb2.Bedrag(eurocent=contract.tarief_eurocent),
        eenheid=contract.eenheid,
        geldigheid=common_pb2.Periode(begindatum=datum(contract.begindatum), einddatum=datum(contract.einddatum)),
    )


class DeclaratieServicer(declaratie_pb2_grpc.DeclaratieServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    @rpc
    async def RegistreerContract(self, request: declaratie_pb2.RegistreerContractRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.Contract:
        contract = contract_from_pb(request.contract)
        async with self.runtime.unit_of_work() as uow:
            return contract_to_pb(await handlers.registreer_contract(uow, current_tenant(), contract))

    @rpc
    async def ListContracten(self, request: declaratie_pb2.ListContractenRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.ListContractenResponse:
        limit = page_size(request.page.page_size)
        after = decode_token(request.page.page_token, 1)
        async with self.runtime.unit_of_work() as uow:
            contracten = await handlers.list_contracten(uow, current_tenant(), after[0] if after else None, limit)
        token = encode_token([contracten[-1].id]) if len(contracten) == limit else ""
        return declaratie_pb2.ListContractenResponse(contracten=[contract_to_pb(c) for c in contracten], next_page_token=token)


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    declaratie_pb2_grpc.add_DeclaratieServicer_to_server(DeclaratieServicer(runtime), server)
