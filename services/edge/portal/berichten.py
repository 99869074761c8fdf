"""Berichten: the postbus, one message with its findings explained, its XML, acknowledging it, and
uploading an XML file. Everything goes to the berichten service as the user's party."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.datastructures import UploadFile
from fastapi.responses import HTMLResponse, Response
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2

from edge.partner import MAX_BYTES
from edge.portal.context import Portaal, PortaalPost, PortalContext, PortalFout
from edge.portal.sessions import PATH

router = APIRouter(prefix=PATH, include_in_schema=False)
PAGE_SIZE = 50


def _stub(context: PortalContext) -> berichten_pb2_grpc.BerichtenStub:
    return berichten_pb2_grpc.BerichtenStub(context.channel("berichten"))


@router.get("/berichten", response_class=HTMLResponse)
async def postbus(context: Portaal, na: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    page = await context.call(
        _stub(context).ListPostbus, berichten_pb2.ListPostbusRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na))
    )
    return context.render("berichten.html", berichten=page.berichten, volgende=page.next_page_token, eerste=not na)


@router.get("/berichten/uploaden", response_class=HTMLResponse)
async def upload_formulier(context: Portaal) -> HTMLResponse:
    return context.render("upload.html", bericht=None, fout="")


@router.post("/berichten/uploaden", response_class=HTMLResponse)
async def upload(request: Request, context: PortaalPost) -> HTMLResponse:
    form = await request.form()
    bestand = form.get("bestand")
    if not isinstance(bestand, UploadFile) or not bestand.filename:
        return context.render("upload.html", status_code=400, bericht=None, fout="Kies een XML-bestand om te uploaden.")
    if (bestand.size or 0) > MAX_BYTES:
        return context.render("upload.html", status_code=413, bericht=None, fout=f"Het bestand is groter dan 25 MB ({MAX_BYTES} bytes, OP179).")
    data = await bestand.read()
    bericht = await context.call(_stub(context).Ontvang, berichten_pb2.OntvangRequest(xml=data), timeout=60)
    status_code = 200 if not bericht.fout_reden else 422
    return context.render("upload.html", status_code=status_code, bericht=bericht, bestandsnaam=bestand.filename, fout="")


@router.get("/berichten/{bericht_id}", response_class=HTMLResponse)
async def bericht(bericht_id: str, context: Portaal) -> HTMLResponse:
    stub = _stub(context)
    gevonden = await context.call(stub.GetBericht, berichten_pb2.GetBerichtRequest(id=bericht_id))
    query = context.request.query_params
    return context.render("bericht.html", bericht=gevonden, bevestigd=query.get("bevestigd") == "1", verzonden=_concept(query.get("verzonden", "")))


def _concept(waarde: str) -> str:
    """A message just sent by a form: the key of that form's draft, to clear it ('' otherwise)."""
    return waarde if re.fullmatch(r"(start|stop)-\d{4}-\d{1,12}", waarde) else ""


@router.get("/berichten/{bericht_id}/xml")
async def bericht_xml(bericht_id: str, context: Portaal) -> Response:
    xml = await context.call(_stub(context).GetBerichtXml, berichten_pb2.GetBerichtRequest(id=bericht_id), timeout=30)
    return Response(
        xml.xml, media_type="application/xml", headers={"Content-Disposition": f'attachment; filename="bericht-{xml.id or bericht_id}.xml"'}
    )


@router.post("/berichten/{bericht_id}/ontvangen")
async def bevestig(bericht_id: str, context: PortaalPost) -> Response:
    try:
        await context.call(_stub(context).BevestigOntvangst, berichten_pb2.GetBerichtRequest(id=bericht_id))
    except PortalFout as fout:
        if fout.status in (403, 404):
            raise
        raise PortalFout(fout.status, "Ontvangst niet bevestigd", fout.uitleg) from None
    return context.redirect(f"{PATH}/berichten/{bericht_id}?bevestigd=1")
