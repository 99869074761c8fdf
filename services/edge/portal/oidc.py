"""The portal's OIDC login (authorization code flow with PKCE; `edge.oidc` checks the tokens).

- GET /portal/oidc/inloggen?terug=…: a fresh state, nonce and PKCE verifier go into a short-lived
  signed cookie (HttpOnly, SameSite=Lax so it comes back with the issuer's redirect), and the user to
  the issuer's authorization endpoint.
- GET /portal/oidc/terug?code=…&state=…: the state must match the cookie; the code is exchanged
  (with the verifier) for an id_token, which is checked; its claims make the user, whose session
  starts. Every refusal is a page that says why, and no session.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from edge.oidc import OidcFout, pkce_pair
from edge.portal.context import PortalFout
from edge.portal.login import veilig_terug
from edge.portal.sessions import OIDC_COOKIE, PATH
from edge.portal.state import PortalState

router = APIRouter(prefix=f"{PATH}/oidc", include_in_schema=False)
log = logging.getLogger(__name__)

FLOW_SECONDS = 600  # time to log in at the issuer
Param = Annotated[str, Query(max_length=4000)]


def _state(request: Request) -> PortalState:
    state: PortalState = request.app.state.portal
    if state.oidc is None:
        raise PortalFout(404, "Niet gevonden", "Inloggen via OpenID Connect is in deze omgeving niet ingesteld.")
    return state


def _mislukt(fout: OidcFout) -> PortalFout:
    log.warning("OIDC login refused: %s", fout.reden)
    titel = "Geen toegang" if fout.status == 403 else "Tijdelijk niet beschikbaar" if fout.status == 503 else "Inloggen mislukt"
    return PortalFout(fout.status, titel, fout.uitleg)


@router.get("/inloggen")
async def begin(request: Request, terug: Param = "") -> Response:
    state = _state(request)
    assert state.oidc is not None
    flow_state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    verifier, challenge = pkce_pair()
    try:
        url = await state.oidc.authorization_url(flow_state, nonce, challenge)
    except OidcFout as fout:
        raise _mislukt(fout) from None
    response = RedirectResponse(url, status_code=303)
    flow = {"state": flow_state, "nonce": nonce, "verifier": verifier, "terug": veilig_terug(terug), "exp": int(time.time()) + FLOW_SECONDS}
    response.set_cookie(
        OIDC_COOKIE, state.oidc_flow.dump(flow), max_age=FLOW_SECONDS, path=PATH, httponly=True, samesite="lax", secure=not state.development
    )
    return response


@router.get("/terug")
async def terug(request: Request, code: Param = "", state: Param = "", error: Param = "", error_description: Param = "") -> Response:
    portal = _state(request)
    assert portal.oidc is not None
    flow = portal.oidc_flow.load(request.cookies.get(OIDC_COOKIE, ""))
    if flow is None or not state or not secrets.compare_digest(str(flow.get("state", "")).encode(), state.encode()):
        raise _mislukt(OidcFout(400, "Inloggen is niet gelukt: deze inlogpoging is verlopen of hoort niet bij deze browser. Probeer opnieuw in te loggen.", "state missing or mismatched"))
    if error:
        uitleg = "U heeft het inloggen afgebroken." if error == "access_denied" else "De inlogdienst meldde een fout."
        raise _mislukt(OidcFout(401, f"Inloggen is niet gelukt: {uitleg} Probeer het opnieuw.", f"issuer error {error}: {error_description[:200]}"))
    if not code:
        raise _mislukt(OidcFout(400, "Inloggen is niet gelukt: de inlogdienst stuurde geen inlogcode.", "callback without code"))
    try:
        id_token = await portal.oidc.exchange(code, str(flow["verifier"]))
        claims = await portal.oidc.verify_id_token(id_token, str(flow["nonce"]))
        user = portal.oidc.user(claims)
    except OidcFout as fout:
        raise _mislukt(fout) from None
    response = RedirectResponse(veilig_terug(str(flow.get("terug", ""))), status_code=303)
    portal.set_cookie(response, await portal.nieuwe_sessie(user))
    response.delete_cookie(OIDC_COOKIE, path=PATH)
    log.info("portal login via OIDC: %s as %s", user.gebruikersnaam, user.rol.value)
    return response
