"""Audit: the beheerder searches the log of who read or changed which cliënt's data, what and when.

The indicatie service decides: only a beheerder may search, and only the rows of the cliënten of
its own gemeenten; anyone else gets its refusal as a 403 page. The search is a GET form (it changes
nothing but the log, where the service records each search), paged with the service's keyset token.
The form takes dates; "tot en met" a day becomes the service's exclusive `tot` of the next day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

from edge.portal.context import Portaal
from edge.portal.sessions import PATH
from edge.portal.users import ROL_NAMEN

router = APIRouter(prefix=PATH, include_in_schema=False)
PAGE_SIZE = 50
_BSN = re.compile(r"^\d{9}$")

SOORTEN = {
    indicatie_pb2.INZAGE_SOORT_INZAGE: "Inzage",
    indicatie_pb2.INZAGE_SOORT_WIJZIGING: "Wijziging",
    indicatie_pb2.INZAGE_SOORT_ZOEKOPDRACHT: "Zoekopdracht",
}
ROLLEN = {rol.value: naam for rol, naam in ROL_NAMEN.items()} | {"systeem": "Systeem"}
Veld = Annotated[str, Query(max_length=200)]


def _datum(waarde: str, veld: str, fouten: list[str]) -> date | None:
    if not waarde:
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        fouten.append(f"{veld}: vul een datum in als jjjj-mm-dd.")
        return None


@router.get("/audit", response_class=HTMLResponse)
async def audit(
    context: Portaal, wie: Veld = "", bsn: Veld = "", wat: Veld = "", van: Veld = "", tot: Veld = "", na: Annotated[str, Query(max_length=500)] = ""
) -> HTMLResponse:
    zoek = {"wie": wie.strip(), "bsn": bsn.strip(), "wat": wat.strip(), "van": van.strip(), "tot": tot.strip()}
    fouten: list[str] = []
    if zoek["bsn"] and not _BSN.match(zoek["bsn"]):
        fouten.append("BSN: vul 9 cijfers in.")
    vanaf, tot_en_met = _datum(zoek["van"], "Van", fouten), _datum(zoek["tot"], "Tot en met", fouten)
    if vanaf and tot_en_met and tot_en_met < vanaf:
        fouten.append("Tot en met ligt voor Van.")
    if fouten:
        return context.render("audit.html", status_code=400, zoek=zoek, fouten=fouten, inzages=[], volgende="", eerste=True, SOORTEN=SOORTEN, ROLLEN=ROLLEN)
    request = indicatie_pb2.ZoekInzageRequest(
        page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na),
        subject=zoek["wie"],
        bsn=common_pb2.Bsn(value=zoek["bsn"]),
        wat=zoek["wat"],
        van=vanaf.isoformat() if vanaf else "",
        tot=(tot_en_met + timedelta(days=1)).isoformat() if tot_en_met else "",
    )
    page = await context.call(indicatie_pb2_grpc.IndicatieStub(context.channel("indicatie")).ZoekInzage, request)
    return context.render(
        "audit.html", zoek=zoek, fouten=[], inzages=page.inzages, volgende=page.next_page_token, eerste=not na, SOORTEN=SOORTEN, ROLLEN=ROLLEN
    )
