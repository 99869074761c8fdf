"""Logging in and out, and extending a session before it ends.

- GET/POST /portal/inloggen: the built-in login (development, or ZK_PORTAL_USERS_FILE configured);
  a double-submit token protects the form; afterwards the user returns to `terug`.
- POST /portal/uitloggen: ends the session's row (so a copy of the cookie is refused too) and
  removes the cookie; after an OIDC login the user goes on to the issuer's end_session_endpoint.
- POST /portal/sessie/verleng (header X-CSRF-Token): a fresh expiry, as JSON for the page's script.

OIDC login (authorization code flow with PKCE against ZK_OIDC_ISSUER) is in `edge.portal.oidc`.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from edge.oidc import CALLBACK_PATH, OidcFout
from edge.portal.context import PortaalPost
from edge.portal.sessions import COOKIE, LOGIN_COOKIE, PATH, csrf_matches
from edge.portal.state import PortalState
from edge.portal.users import authenticate

router = APIRouter(prefix=PATH, include_in_schema=False)


def veilig_terug(terug: str | None) -> str:
    """Only a path inside the portal: never another site (no open redirect)."""
    if terug and terug.startswith(PATH + "/") and not terug.startswith("//") and "\\" not in terug and "/inloggen" not in terug:
        return terug
    return PATH + "/"


def _login_page(request: Request, state: PortalState, terug: str, fout: str = "", gebruikersnaam: str = "", status_code: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = state.templates.TemplateResponse(
        request,
        "inloggen.html",
        {
            "user": None,
            "portal": state,
            "terug": terug,
            "fout": fout,
            "gebruikersnaam": gebruikersnaam,
            "login_csrf": token,
            "verlopen": request.query_params.get("verlopen") == "1",
            "uitgelogd": request.query_params.get("uitgelogd") == "1",
        },
        status_code=status_code,
    )
    response.set_cookie(LOGIN_COOKIE, token, path=PATH, httponly=True, samesite="strict", secure=not state.development, max_age=3600)
    return response


@router.get("/inloggen", response_class=HTMLResponse)
async def inloggen_pagina(request: Request, terug: str = "") -> HTMLResponse:
    state: PortalState = request.app.state.portal
    return _login_page(request, state, veilig_terug(terug))


@router.post("/inloggen")
async def inloggen(request: Request) -> Response:
    state: PortalState = request.app.state.portal
    form = await request.form()
    terug = veilig_terug(str(form.get("terug", "")))
    gebruikersnaam = str(form.get("gebruikersnaam", "")).strip()
    if not state.ingebouwde_login:
        return _login_page(request, state, terug, "Inloggen met gebruikersnaam en wachtwoord staat uit in deze omgeving.", status_code=403)
    if not csrf_matches(request.cookies.get(LOGIN_COOKIE, ""), str(form.get("csrf", ""))):
        return _login_page(request, state, terug, "Het inlogformulier was verlopen. Probeer het opnieuw.", gebruikersnaam, status_code=400)
    user = authenticate(state.users, gebruikersnaam, str(form.get("wachtwoord", "")))
    if user is None:
        return _login_page(request, state, terug, "Deze combinatie van gebruikersnaam en wachtwoord kennen wij niet.", gebruikersnaam, status_code=401)
    response = RedirectResponse(terug, status_code=303)
    state.set_cookie(response, await state.nieuwe_sessie(user))
    response.delete_cookie(LOGIN_COOKIE, path=PATH)
    return response


@router.post("/uitloggen")
async def uitloggen(context: PortaalPost) -> Response:
    state = context.state
    await state.store.beeindig(context.sessie.id, door=context.user.gebruikersnaam)
    uitgelogd = f"{PATH}/inloggen?uitgelogd=1"
    volgende = uitgelogd
    if context.user.bron == "oidc" and state.oidc:
        # also end the session at the issuer, which sends the user back to our login page
        base = state.oidc.config.redirect_uri.removesuffix(CALLBACK_PATH)
        try:
            volgende = await state.oidc.end_session_url(base + uitgelogd) or uitgelogd
        except OidcFout:
            pass  # the issuer does not answer: our own session has ended all the same
    response = RedirectResponse(volgende, status_code=303)
    state.clear_cookie(response)
    return response


@router.post("/sessie/verleng")
async def verleng(context: PortaalPost) -> JSONResponse:
    sessie = context.state.sessions.renewed(context.sessie)
    response = JSONResponse({"einde": sessie.einde}, headers={"Cache-Control": "no-store"})
    context.state.set_cookie(response, sessie)
    return response


__all__ = ["router", "COOKIE"]
