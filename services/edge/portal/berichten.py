"""Berichten: the postbus, one message with its findings explained, its XML, acknowledging it,
uploading an XML file, and correcting a rejected message: its findings beside its XML (with a fresh
Identificatie from the berichten service), edited in the page or replaced by a corrected file, sent
again as a new message linked to the rejected one. Everything goes to the berichten service as the
user's party; it decides what may be corrected."""

from __future__ import annotations

import asyncio
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
async def postbus(
    context: Portaal, na: Annotated[str, Query(max_length=500)] = "", correctie_na: Annotated[str, Query(max_length=500)] = ""
) -> HTMLResponse:
    stub = _stub(context)
    page, afgekeurd = await asyncio.gather(
        context.call(stub.ListPostbus, berichten_pb2.ListPostbusRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na))),
        context.call(
            stub.ListWachtOpCorrectie, berichten_pb2.ListWachtOpCorrectieRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=correctie_na))
        ),
    )
    return context.render(
        "berichten.html",
        berichten=page.berichten,
        volgende=page.next_page_token,
        eerste=not na,
        afgekeurd=afgekeurd.berichten,
        afgekeurd_volgende=afgekeurd.next_page_token,
        afgekeurd_eerste=not correctie_na,
    )


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
    return context.render(
        "bericht.html",
        bericht=gevonden,
        bevestigd=query.get("bevestigd") == "1",
        verzonden=_concept(query.get("verzonden", "")),
        gecorrigeerd=query.get("gecorrigeerd") == "1",
        corrigeerbaar=_mag_corrigeren(context, gevonden),
    )


def _concept(waarde: str) -> str:
    """A message just sent by a form: the key of that form's draft, to clear it ('' otherwise)."""
    return waarde if re.fullmatch(r"(start|stop)-\d{4}-\d{1,12}", waarde) else ""


def _mag_corrigeren(context: PortalContext, bericht: berichten_pb2.Bericht) -> bool:
    """Whether the page offers to correct: the berichten service decides again when it is done."""
    partijen = (context.user.agb,) if context.user.agb else context.user.gemeentecodes
    return bericht.afgekeurd and not bericht.gecorrigeerd_door and bericht.afzender in partijen


def _correctie_pagina(context: PortalContext, bericht: berichten_pb2.Bericht, xml: str, fout: str = "", status_code: int = 200) -> HTMLResponse:
    return context.render("corrigeren.html", status_code=status_code, bericht=bericht, xml=xml, fout=fout)


@router.get("/berichten/{bericht_id}/corrigeren", response_class=HTMLResponse)
async def correctie_formulier(bericht_id: str, context: Portaal) -> HTMLResponse:
    stub = _stub(context)
    gevonden = await context.call(stub.GetBericht, berichten_pb2.GetBerichtRequest(id=bericht_id))
    if not _mag_corrigeren(context, gevonden):
        raise PortalFout(409 if gevonden.gecorrigeerd_door else 403, "Niet te corrigeren", "Alleen een afgekeurd bericht dat uw organisatie verstuurde en nog niet corrigeerde, kunt u corrigeren.")
    concept = await context.call(stub.ConceptCorrectie, berichten_pb2.GetBerichtRequest(id=bericht_id), timeout=30)
    return _correctie_pagina(context, gevonden, concept.xml.decode("utf-8", errors="replace"))


@router.post("/berichten/{bericht_id}/corrigeren", response_class=HTMLResponse)
async def corrigeer(bericht_id: str, request: Request, context: PortaalPost) -> Response:
    stub = _stub(context)
    gevonden = await context.call(stub.GetBericht, berichten_pb2.GetBerichtRequest(id=bericht_id))
    form = await request.form()
    bestand = form.get("bestand")
    tekst = str(form.get("xml", ""))
    if isinstance(bestand, UploadFile) and bestand.filename:
        if (bestand.size or 0) > MAX_BYTES:
            return _correctie_pagina(context, gevonden, tekst, f"Het bestand is groter dan 25 MB ({MAX_BYTES} bytes, OP179).", 413)
        data = await bestand.read()
    else:
        data = tekst.encode("utf-8")
    if not data.strip():
        return _correctie_pagina(context, gevonden, tekst, "Pas de XML hieronder aan of kies een gecorrigeerd bestand.", 400)
    try:
        nieuw = await context.call(stub.Ontvang, berichten_pb2.OntvangRequest(xml=data, correctie_van=bericht_id), timeout=60)
    except PortalFout as fout:
        if fout.status in (400, 409):  # e.g. the same Identificatie again, another berichtsoort, corrected already
            return _correctie_pagina(context, gevonden, tekst or data.decode("utf-8", errors="replace"), fout.uitleg, fout.status)
        raise
    return context.redirect(f"{PATH}/berichten/{nieuw.id}?gecorrigeerd=1")


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
