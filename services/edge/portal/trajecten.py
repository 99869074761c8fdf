"""Samenwerkingstrajecten (with taken, POP and evaluaties) and signalen with their deadlines.

The indicatie service decides who sees a traject: the cliënt's gemeente, and the aanbieder chosen in
the POP once it was handed over; anything else is NOT_FOUND (shown as 404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import trajecten_pb2, trajecten_pb2_grpc

from edge.portal.context import Portaal, PortalContext, PortalFout
from edge.portal.sessions import PATH

router = APIRouter(prefix=PATH, include_in_schema=False)
PAGE_SIZE = 50
TrajectId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


def _stub(context: PortalContext) -> trajecten_pb2_grpc.TrajectenStub:
    return trajecten_pb2_grpc.TrajectenStub(context.channel("indicatie"))


@router.get("/signalen", response_class=HTMLResponse)
async def signalen(context: Portaal, urgent: bool = False, voor_mij: bool = False, na: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    page = await context.call(
        _stub(context).ListSignalen,
        trajecten_pb2.ListSignalenRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na), alleen_urgent=urgent, alleen_voor_mij=voor_mij),
    )
    return context.render("signalen.html", signalen=page.signalen, volgende=page.next_page_token, urgent=urgent, voor_mij=voor_mij, eerste=not na)


@router.get("/trajecten", response_class=HTMLResponse)
async def trajecten(context: Portaal, na: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    page = await context.call(_stub(context).ListTrajecten, trajecten_pb2.ListTrajectenRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na)))
    return context.render("trajecten.html", trajecten=page.trajecten, volgende=page.next_page_token, eerste=not na)


@router.get("/trajecten/{traject_id}", response_class=HTMLResponse)
async def traject(traject_id: TrajectId, context: Portaal) -> HTMLResponse:
    stub = _stub(context)
    gevonden = await context.call(stub.GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    taken = await context.call(stub.ListTaken, trajecten_pb2.ListTakenRequest(traject_id=traject_id))
    evaluaties = await context.call(stub.ListEvaluaties, trajecten_pb2.ListEvaluatiesRequest(traject_id=traject_id))
    try:
        pop = await context.call(stub.GetPop, trajecten_pb2.GetPopRequest(traject_id=traject_id))
    except PortalFout as fout:
        if fout.status != 404:
            raise
        pop = None  # the traject exists (read above): it has no POP yet
    return context.render("traject.html", traject=gevonden, taken=taken.taken, evaluaties=evaluaties.evaluaties, pop=pop)
