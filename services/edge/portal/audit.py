"""Audit: the beheerder searches the log of who read or changed which cliënt's data, what and when.

Every service that holds cliënt data keeps its own log and answers the same search
(zorgketen.common.v1.Audit); this page asks each of them and merges their rows newest first, showing
which service recorded each row. The services decide: only a beheerder may search, and only the rows
of the cliënten of its own gemeenten; anyone else gets their refusal as a 403 page. The search is a
GET form (it changes nothing but the logs, where each service records the search), paged with a
token that holds each service's own keyset position (`samenvoegen`). The form takes dates; "tot en
met" a day becomes the services' exclusive `tot` of the next day.

A service that does not answer does not fail the page: the rows of the others are shown, with a
notice naming the service(s) that could not be reached (and a log line). The unreachable service
keeps its position in the next-page token, so none of its rows is skipped: it goes on from there as
soon as it answers again. The token also carries the first page's moment, and later pages ask every
service for rows before it only: a service that returns does not bring rows recorded after the
first page (among them the searches made while paging) into a list that is going back in time.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from zorgketen.common.v1 import audit_pb2, audit_pb2_grpc, common_pb2

from edge.portal.context import DIENST_NAMEN, Onbereikbaar, Portaal, PortalFout, of_onbereikbaar
from edge.portal.sessions import PATH
from edge.portal.users import ROL_NAMEN
from runtime.audit import tijdstip

router = APIRouter(prefix=PATH, include_in_schema=False)
PAGE_SIZE = 50
_BSN = re.compile(r"^\d{9}$")

# The services that keep an audit log of cliënt data, with their name on the page.
DIENSTEN = {d: DIENST_NAMEN[d] for d in ("indicatie", "toewijzing", "declaratie", "berichten")}
KLAAR = None  # a service's position once all its rows were shown
_ONGELDIG, _OPNIEUW = "Ongeldige pagina-verwijzing", "Deze pagina-verwijzing is ongeldig; begin opnieuw bij de eerste pagina."

SOORTEN = {
    audit_pb2.INZAGE_SOORT_INZAGE: "Inzage",
    audit_pb2.INZAGE_SOORT_WIJZIGING: "Wijziging",
    audit_pb2.INZAGE_SOORT_ZOEKOPDRACHT: "Zoekopdracht",
}
ROLLEN = {rol.value: naam for rol, naam in ROL_NAMEN.items()} | {"systeem": "Systeem"}
Veld = Annotated[str, Query(max_length=200)]


# ---- merging the services' pages -----------------------------------------------------------------


@dataclass(frozen=True)
class Bronpagina:
    """One service's answer: its rows newest first, and whether it has more after them."""

    inzages: Sequence[audit_pb2.Inzage]
    meer: bool


def lees_token(token: str, diensten: Sequence[str]) -> tuple[dict[str, str | None], datetime | None]:
    """Each service's position — "" (from the start), its own page token (go on after it), or KLAAR —
    and the first page's moment (None on the first page)."""
    if not token:
        return {d: "" for d in diensten}, None
    try:
        inhoud = json.loads(base64.urlsafe_b64decode(token.encode()))
        posities, tot = inhoud["posities"], datetime.fromisoformat(inhoud["tot"])
    except (ValueError, UnicodeDecodeError, TypeError, KeyError):
        raise PortalFout(400, _ONGELDIG, _OPNIEUW) from None
    if not isinstance(posities, dict) or set(posities) != set(diensten) or not all(p is None or isinstance(p, str) for p in posities.values()):
        raise PortalFout(400, _ONGELDIG, _OPNIEUW)
    if tot.tzinfo is None:
        raise PortalFout(400, _ONGELDIG, _OPNIEUW)
    return posities, tot


def maak_token(posities: Mapping[str, str | None], tot: datetime) -> str:
    """The next page's token: the positions to go on from, and the first page's moment `tot`."""
    return base64.urlsafe_b64encode(json.dumps({"posities": dict(sorted(posities.items())), "tot": tot.isoformat()}).encode()).decode()


def _volgorde(dienst: str, inzage: audit_pb2.Inzage) -> tuple[datetime, str, int]:
    return datetime.fromisoformat(inzage.op), dienst, inzage.id


def samenvoegen(
    posities: Mapping[str, str | None], paginas: Mapping[str, Bronpagina], grootte: int
) -> tuple[list[tuple[str, audit_pb2.Inzage]], dict[str, str | None] | None]:
    """The first `grootte` rows of all services newest first (ties: by service, then id, descending),
    and the positions to continue after them (None when nothing is left).

    Each service was asked for `grootte` rows after its own position, so the merged first `grootte`
    are the true first ones; what a service showed moves its position to its last shown row (the
    row's `na` token), a service that showed all it had and has no more is KLAAR. A service not in
    `paginas` (it did not answer) keeps its position."""
    alle = [(d, i) for d, pagina in paginas.items() for i in pagina.inzages]
    alle.sort(key=lambda rij: _volgorde(*rij), reverse=True)
    getoond = alle[:grootte]
    verder: dict[str, str | None] = dict(posities)
    for dienst, pagina in paginas.items():
        eigen = [i for d, i in getoond if d == dienst]
        if eigen:
            verder[dienst] = eigen[-1].na
        if len(eigen) == len(pagina.inzages) and not pagina.meer:
            verder[dienst] = KLAAR
    rest = any(p is not KLAAR for p in verder.values())
    return [(d, i) for d, i in getoond], (verder if rest else None)


# ---- the page ------------------------------------------------------------------------------------


def _datum(waarde: str, veld: str, fouten: list[str]) -> date | None:
    if not waarde:
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        fouten.append(f"{veld}: vul een datum in als jjjj-mm-dd.")
        return None


async def _zoek(context: Portaal, dienst: str, positie: str, request: audit_pb2.ZoekInzageRequest) -> Bronpagina | Onbereikbaar:
    vraag = audit_pb2.ZoekInzageRequest()
    vraag.CopyFrom(request)
    vraag.page.page_token = positie
    page = await of_onbereikbaar(dienst, context.call(audit_pb2_grpc.AuditStub(context.channel(dienst)).ZoekInzage, vraag))
    return page if isinstance(page, Onbereikbaar) else Bronpagina(page.inzages, bool(page.next_page_token))


@router.get("/audit", response_class=HTMLResponse)
async def audit(
    context: Portaal, wie: Veld = "", bsn: Veld = "", wat: Veld = "", van: Veld = "", tot: Veld = "", na: Annotated[str, Query(max_length=2000)] = ""
) -> HTMLResponse:
    zoek = {"wie": wie.strip(), "bsn": bsn.strip(), "wat": wat.strip(), "van": van.strip(), "tot": tot.strip()}
    fouten: list[str] = []
    if zoek["bsn"] and not _BSN.match(zoek["bsn"]):
        fouten.append("BSN: vul 9 cijfers in.")
    vanaf, tot_en_met = _datum(zoek["van"], "Van", fouten), _datum(zoek["tot"], "Tot en met", fouten)
    if vanaf and tot_en_met and tot_en_met < vanaf:
        fouten.append("Tot en met ligt voor Van.")
    waarden = {"zoek": zoek, "SOORTEN": SOORTEN, "ROLLEN": ROLLEN, "DIENSTEN": DIENSTEN}
    if fouten:
        return context.render("audit.html", status_code=400, fouten=fouten, inzages=[], volgende="", eerste=True, onbereikbaar=[], **waarden)
    posities, moment = lees_token(na, list(DIENSTEN))
    tot = (tot_en_met + timedelta(days=1)).isoformat() if tot_en_met else ""  # a day: the services take it from 00:00 Amsterdam
    if moment is not None and (not tot_en_met or moment < tijdstip(tot, "tot")):  # later pages: nothing after the first page's moment
        tot = moment.isoformat()
    request = audit_pb2.ZoekInzageRequest(
        page=common_pb2.PageRequest(page_size=PAGE_SIZE),
        subject=zoek["wie"],
        bsn=common_pb2.Bsn(value=zoek["bsn"]),
        wat=zoek["wat"],
        van=vanaf.isoformat() if vanaf else "",
        tot=tot,
    )
    moment = moment or datetime.now(timezone.utc)
    open_diensten = [d for d, p in posities.items() if p is not KLAAR]
    antwoorden = dict(zip(open_diensten, await asyncio.gather(*(_zoek(context, d, posities[d] or "", request) for d in open_diensten)), strict=True))
    paginas = {d: a for d, a in antwoorden.items() if isinstance(a, Bronpagina)}
    onbereikbaar = [a for a in antwoorden.values() if isinstance(a, Onbereikbaar)]
    rijen, verder = samenvoegen(posities, paginas, PAGE_SIZE)
    return context.render(
        "audit.html",
        status_code=503 if onbereikbaar and not paginas else 200,  # nothing answered: the page says so, as a 503
        fouten=[],
        inzages=rijen,
        volgende=maak_token(verder, moment) if verder and verder != posities else "",  # no link to this same page again
        eerste=not na,
        onbereikbaar=onbereikbaar,
        **waarden,
    )
