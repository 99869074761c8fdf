"""Sessions the beheerder can see and end (the edge's own login state, not cliënt data).

- GET /portal/sessies: the active sessions of users of the beheerder's gemeenten and of aanbieder
  medewerkers, newest first.
- POST /portal/sessies/{sessie_id}/beeindigen: ends one of those at once, in every edge process; the
  user's next page goes to the login page, even with a copy of the old cookie.
Anyone but a beheerder gets 403; a session the beheerder may not see is 404.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from edge.portal.context import Portaal, PortaalPost, PortalContext, PortalFout
from edge.portal.sessions import PATH
from edge.portal.users import ROL_NAMEN
from runtime.tenancy import Role

router = APIRouter(prefix=PATH, include_in_schema=False)


def _alleen_beheerder(context: PortalContext) -> tuple[str, ...]:
    if context.user.rol is not Role.BEHEERDER or not context.user.gemeentecodes:
        raise PortalFout(403, "Geen toegang", "Alleen een beheerder kan sessies bekijken en beëindigen.")
    return context.user.gemeentecodes


@router.get("/sessies", response_class=HTMLResponse)
async def sessies(context: Portaal) -> HTMLResponse:
    gemeenten = _alleen_beheerder(context)
    rijen = await context.state.store.beheerder_lijst(gemeenten)
    query = context.request.query_params
    return context.render(
        "sessies.html", sessies=rijen, eigen=context.sessie.id, rollen={r.value: n for r, n in ROL_NAMEN.items()}, beeindigd=query.get("beeindigd") == "1"
    )


@router.post("/sessies/{sessie_id}/beeindigen")
async def beeindig(sessie_id: str, context: PortaalPost) -> Response:
    gemeenten = _alleen_beheerder(context)
    if not await context.state.store.beeindig(sessie_id, door=context.user.gebruikersnaam, zichtbaar_voor_gemeenten=gemeenten):
        raise PortalFout(404, "Niet gevonden", "Deze sessie bestaat niet, is al beëindigd, of u heeft er geen toegang toe.")
    return context.redirect(f"{PATH}/sessies?beeindigd=1")
