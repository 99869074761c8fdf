"""Indicaties from the gemeente's own system: upload a CSV or JSON file, see how many became a
beschikking and which records were afgewezen with their gebreken per field, correct one in a form and
submit it again. Every check is the indicatie service's (IndicatieImport); this page only carries
the file and the fields."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_import_pb2 as pb
from zorgketen.indicatie.v1 import indicatie_import_pb2_grpc

from edge.portal.context import Portaal, PortaalPost, PortalContext, PortalFout
from edge.portal.sessions import PATH

router = APIRouter(prefix=PATH, include_in_schema=False)
PAGE_SIZE = 50
MAX_BYTES = 5 * 1024 * 1024  # as the indicatie service takes
FORMATEN = {".csv": pb.BESTAND_FORMAAT_CSV, ".json": pb.BESTAND_FORMAAT_JSON}
# the fields of a record in the order of the form, with their labels
VELDEN = (
    ("bsn", "BSN"),
    ("gemeentecode", "Gemeentecode"),
    ("beschikkingnummer", "Beschikkingnummer"),
    ("wet", "Wet (wmo of jeugdwet)"),
    ("beschikkingsdatum", "Beschikkingsdatum (JJJJ-MM-DD)"),
    ("productcategorie", "Productcategorie"),
    ("productcode", "Productcode"),
    ("ingangsdatum", "Ingangsdatum (JJJJ-MM-DD)"),
    ("einddatum", "Einddatum (JJJJ-MM-DD)"),
    ("uitvoeringsvariant", "Uitvoeringsvariant (zorgvorm)"),
    ("volume", "Volume"),
    ("eenheid", "Eenheid"),
    ("frequentie", "Frequentie"),
    ("budget", "Budget (eurocent)"),
    ("aanbieder", "Aanbieder (AGB-code)"),
)


def _stub(context: PortalContext) -> indicatie_import_pb2_grpc.IndicatieImportStub:
    return indicatie_import_pb2_grpc.IndicatieImportStub(context.channel("indicatie"))


async def _pagina(
    context: PortalContext, status_code: int = 200, uitslag: pb.ImporteerIndicatiesResponse | None = None, fout: str = "", na: str = "", **extra: object
) -> HTMLResponse:
    if context.tenant.is_aanbieder:
        raise PortalFout(403, "Geen toegang", "Indicaties importeert de gemeente.")
    lijst = await context.call(_stub(context).ListAfgewezenIndicaties, pb.ListAfgewezenIndicatiesRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na)))
    return context.render(
        "indicatie_import.html",
        status_code=status_code,
        uitslag=uitslag,
        fout=fout,
        afgewezen=lijst.indicaties,
        volgende=lijst.next_page_token,
        eerste=not na,
        gemeenten=context.user.gemeentecodes,
        **extra,
    )


@router.get("/indicaties/import", response_class=HTMLResponse)
async def import_pagina(context: Portaal, na: Annotated[str, Query(max_length=500)] = "", hersteld: Annotated[str, Query(max_length=9)] = "") -> HTMLResponse:
    return await _pagina(context, na=na, hersteld=hersteld if hersteld.isdigit() else "")


@router.post("/indicaties/import", response_class=HTMLResponse)
async def importeer(request: Request, context: PortaalPost) -> HTMLResponse:
    form = await request.form()
    bestand = form.get("bestand")
    gemeenten = context.user.gemeentecodes
    gemeente = str(form.get("gemeente", "")).strip() or (gemeenten[0] if len(gemeenten) == 1 else "")
    if not gemeente:
        return await _pagina(context, 400, fout="Kies de gemeente waarvoor u importeert.")
    if not isinstance(bestand, UploadFile) or not bestand.filename:
        return await _pagina(context, 400, fout="Kies een CSV- of JSON-bestand om te importeren.")
    formaat = next((f for ext, f in FORMATEN.items() if bestand.filename.lower().endswith(ext)), None)
    if formaat is None:
        return await _pagina(context, 415, fout="Een bestand met indicaties is een .csv- of .json-bestand.")
    if (bestand.size or 0) > MAX_BYTES:
        return await _pagina(context, 413, fout=f"Het bestand is groter dan 5 MB ({MAX_BYTES} bytes).")
    inhoud = await bestand.read()
    request_pb = pb.ImporteerIndicatiesRequest(
        gemeente=common_pb2.Gemeentecode(value=gemeente), bestand=pb.Bestand(naam=bestand.filename, formaat=formaat, inhoud=inhoud)
    )
    try:
        uitslag = await context.call(_stub(context).ImporteerIndicaties, request_pb, timeout=300)
    except PortalFout as fout:
        if fout.status != 400:
            raise
        return await _pagina(context, 422, fout=f"Het bestand is niet gelezen: {fout.uitleg}")
    return await _pagina(context, uitslag=uitslag, bestandsnaam=bestand.filename)


@router.get("/indicaties/afgewezen/{afgewezen_id}", response_class=HTMLResponse)
async def herstel_formulier(afgewezen_id: str, context: Portaal) -> HTMLResponse:
    gevonden = await context.call(_stub(context).GetAfgewezenIndicatie, pb.GetAfgewezenIndicatieRequest(id=afgewezen_id))
    return _formulier(context, gevonden.id, gevonden.regel, {v: getattr(gevonden.record, v) for v, _ in VELDEN}, list(gevonden.gebreken))


def _formulier(context: PortalContext, afgewezen_id: str, regel: int, waarden: dict[str, str], gebreken: list[pb.Gebrek], status_code: int = 200) -> HTMLResponse:
    per_veld: dict[str, list[str]] = {}
    for g in gebreken:
        per_veld.setdefault(g.veld if g.veld in dict(VELDEN) else "", []).append(g.reden)
    return context.render(
        "indicatie_herstel.html", status_code=status_code, afgewezen_id=afgewezen_id, regel=regel, velden=VELDEN, waarden=waarden, per_veld=per_veld, gebreken=gebreken
    )


@router.post("/indicaties/afgewezen/{afgewezen_id}", response_class=HTMLResponse)
async def herstel(afgewezen_id: str, request: Request, context: PortaalPost) -> Response:
    form = await request.form()
    waarden = {veld: str(form.get(veld, "")).strip()[:200] for veld, _ in VELDEN}
    uitkomst = await context.call(_stub(context).HerstelIndicatie, pb.HerstelIndicatieRequest(id=afgewezen_id, record=pb.IndicatieRecord(**waarden)), timeout=30)
    if uitkomst.uitkomst in (pb.UITKOMST_AANVAARD, pb.UITKOMST_AL_VERWERKT):
        return context.redirect(f"{PATH}/indicaties/import?hersteld={uitkomst.beschikkingnummer}")
    return _formulier(context, afgewezen_id, uitkomst.regel, waarden, list(uitkomst.gebreken), status_code=422)
