"""zorgketen.common.v1.Audit: the search of a service's audit log, the same in every service.

`ServiceDefinition.audit` names the service's `inzage` table; the runtime then registers this
servicer next to the service's own (protobuf <-> `runtime.audit` only)."""

from __future__ import annotations

from datetime import datetime

import grpc
from sqlalchemy import Table
from zorgketen.common.v1 import audit_pb2, audit_pb2_grpc, common_pb2

from runtime.audit import INZAGE, WIJZIGING, ZOEKOPDRACHT, Inzage, Inzagefilter, tijdstip, zoek_inzage
from runtime.pagination import PageTokenError, decode_token, encode_token, page_size
from runtime.servicer import rpc
from runtime.tenancy import current_tenant

SERVICE_NAME = audit_pb2.DESCRIPTOR.services_by_name["Audit"].full_name

_SOORT = {
    INZAGE: audit_pb2.INZAGE_SOORT_INZAGE,
    WIJZIGING: audit_pb2.INZAGE_SOORT_WIJZIGING,
    ZOEKOPDRACHT: audit_pb2.INZAGE_SOORT_ZOEKOPDRACHT,
}


def _token(i: Inzage) -> str:
    return encode_token([i.op.isoformat(), str(i.id)])


def _after(token: str) -> tuple[datetime, int] | None:
    after = decode_token(token, 2)
    if after is None:
        return None
    try:
        return datetime.fromisoformat(after[0]), int(after[1])
    except ValueError:
        raise PageTokenError("page_token is not a token this service issued") from None


def inzage_to_pb(i: Inzage, dienst: str) -> audit_pb2.Inzage:
    return audit_pb2.Inzage(
        id=i.id,
        op=i.op.isoformat(),
        subject=i.subject,
        rol=i.rol,
        namens=i.namens,
        gemeente=common_pb2.Gemeentecode(value=i.gemeentecode),
        bsn=common_pb2.Bsn(value=i.bsn),
        wat=i.wat,
        soort=_SOORT.get(i.soort, audit_pb2.INZAGE_SOORT_UNSPECIFIED),
        zoekopdracht=i.zoekopdracht,
        dienst=dienst,
        na=_token(i),
    )


class AuditServicer(audit_pb2_grpc.AuditServicer):
    def __init__(self, runtime, table: Table):  # type: ignore[no-untyped-def]
        self.runtime = runtime
        self.table = table

    @rpc
    async def ZoekInzage(self, request: audit_pb2.ZoekInzageRequest, context: grpc.aio.ServicerContext) -> audit_pb2.ZoekInzageResponse:
        criteria = Inzagefilter(
            subject=request.subject.strip(),
            bsn=request.bsn.value.strip(),
            wat=request.wat.strip(),
            van=tijdstip(request.van.strip(), "van"),
            tot=tijdstip(request.tot.strip(), "tot"),
        )
        limit = page_size(request.page.page_size)
        after = _after(request.page.page_token)
        async with self.runtime.unit_of_work() as uow:
            page = await zoek_inzage(uow, self.table, current_tenant(), criteria, after, limit)
        token = _token(page.rows[-1]) if page.more else ""  # the same key as each row's own `na`
        return audit_pb2.ZoekInzageResponse(inzages=[inzage_to_pb(i, self.runtime.name) for i in page.rows], next_page_token=token)


def add_servicer(server: grpc.aio.Server, runtime, table: Table) -> None:  # type: ignore[no-untyped-def]
    audit_pb2_grpc.add_AuditServicer_to_server(AuditServicer(runtime, table), server)
