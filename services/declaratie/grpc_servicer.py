"""The Declaratie gRPC servicer: protobuf in, handler call, protobuf out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc

from declaratie import handlers
from declaratie.domain.afrekening import Afrekening
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
        start_stop_verplicht=pb.start_stop_verplicht,
        toewijslijst_automatisch=pb.toewijslijst_automatisch,
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
        start_stop_verplicht=contract.start_stop_verplicht,
        toewijslijst_automatisch=contract.toewijslijst_automatisch,
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


    @rpc
    async def ListDeclaraties(self, request: declaratie_pb2.ListDeclaratiesRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.ListDeclaratiesResponse:
        limit = page_size(request.page.page_size)
        raw = decode_token(request.page.page_token, 2)
        after = (datetime.fromisoformat(raw[0]), raw[1]) if raw else None
        async with self.runtime.unit_of_work() as uow:
            rows = await handlers.list_declaraties(uow, current_tenant(), after, limit)  # type: ignore[arg-type]
        token = encode_token([rows[-1].beoordeeld_op.isoformat(), rows[-1].bericht_id]) if len(rows) == limit else ""
        return declaratie_pb2.ListDeclaratiesResponse(declaraties=[_overzicht(r) for r in rows], next_page_token=token)

    @rpc
    async def GetDeclaratie(self, request: declaratie_pb2.GetDeclaratieRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.DeclaratieDetail:
        async with self.runtime.unit_of_work() as uow:
            row, prestaties = await handlers.get_declaratie(uow, current_tenant(), request.bericht_id)
        return declaratie_pb2.DeclaratieDetail(
            declaratie=_overzicht(row),
            prestaties=[
                declaratie_pb2.Prestatie(
                    bsn=common_pb2.Bsn(value=p.bsn),
                    referentie_nummer=p.referentie_nummer,
                    vorig_referentie_nummer=p.vorig_referentie_nummer or "",
                    toewijzing_nummer=p.toewijzing_nummer,
                    product=common_pb2.Product(categorie=p.product_categorie, code=p.product_code),
                    periode=common_pb2.Periode(begindatum=datum(p.begindatum), einddatum=datum(p.einddatum)),
                    geleverd_volume=p.geleverd_volume,
                    eenheid=p.eenheid,
                    product_tarief=p.product_tarief or 0,
                    bedrag=p.bedrag,
                    debet_credit=p.debet_credit,
                    toegekend=p.toegekend,
                    gecrediteerd=p.gecrediteerd,
                    retour_codes=list(p.retour_codes),
                )
                for p in prestaties
            ],
        )


    @rpc
    async def MaakAfrekening(self, request: declaratie_pb2.MaakAfrekeningRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.Afrekening:
        async with self.runtime.unit_of_work() as uow:
            afrekening_id, gemaakt = await handlers.maak_afrekening(
                uow, current_tenant(), request.gemeente.value, request.aanbieder.value, request.jaar, request.maand, request.definitief
            )
        return _afrekening(afrekening_id, gemaakt, None)

    @rpc
    async def ListAfrekeningen(self, request: declaratie_pb2.ListAfrekeningenRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.ListAfrekeningenResponse:
        async with self.runtime.unit_of_work() as uow:
            found = await handlers.list_afrekeningen(uow, current_tenant(), page_size(request.page.page_size))
        return declaratie_pb2.ListAfrekeningenResponse(afrekeningen=[_afrekening(i, a, op) for i, a, op in found])


def _afrekening(afrekening_id: int, a: Afrekening, gemaakt_op: Any) -> declaratie_pb2.Afrekening:
    return declaratie_pb2.Afrekening(
        id=afrekening_id,
        soort=a.soort.value,
        gemeente=common_pb2.Gemeentecode(value=a.gemeentecode),
        aanbieder=common_pb2.AgbCode(value=a.agb),
        periode=common_pb2.Periode(begindatum=datum(a.periode.begindatum), einddatum=datum(a.periode.einddatum)),
        voorschot_eurocent=a.voorschot,
        gedeclareerd_eurocent=a.gedeclareerd,
        toegekend_eurocent=a.toegekend,
        saldo_eurocent=a.saldo,
        verschil_met_voorlopig_eurocent=a.verschil_met_voorlopig or 0,
        gemaakt_op=gemaakt_op.isoformat() if gemaakt_op else "",
    )


def _overzicht(row: Any) -> declaratie_pb2.DeclaratieOverzicht:
    return declaratie_pb2.DeclaratieOverzicht(
        bericht_id=row.bericht_id,
        gemeente=common_pb2.Gemeentecode(value=row.gemeentecode),
        wet=_WET[Wet(row.wet)],
        aanbieder=common_pb2.AgbCode(value=row.agb),
        declaratie_nummer=row.declaratie_nummer,
        periode=common_pb2.Periode(begindatum=datum(row.periode_begindatum), einddatum=datum(row.periode_einddatum)),
        ingediend_eurocent=row.ingediend_eurocent,
        toegekend_eurocent=row.toegekend_eurocent,
        aantal_prestaties=row.aantal_prestaties,
        aantal_afgewezen=row.aantal_afgewezen,
        geheel_afgewezen=row.geheel_afgewezen,
        beoordeeld_op=row.beoordeeld_op.isoformat(),
    )


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    declaratie_pb2_grpc.add_DeclaratieServicer_to_server(DeclaratieServicer(runtime), server)
