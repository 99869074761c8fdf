"""The web portal: server-rendered pages in Dutch for gemeenten, back office and aanbieders.

Every page calls the services over gRPC as the logged-in user's tenant; the services decide what the
user may see and do. `install()` adds the portal to the edge's FastAPI application.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from edge.portal import audit, berichten, clienten, declaratie, indicatie_import, login, oidc, sessiebeheer, start, toewijzing, trajecten
from edge.portal.context import InloggenNodig, PortalFout, login_redirect
from edge.portal.sessions import PATH
from edge.portal.state import HERE, PortalState
from runtime.settings import Settings, SettingsError

log = logging.getLogger(__name__)

ROUTERS = tuple(module.router for module in (login, oidc, sessiebeheer, start, berichten, clienten, trajecten, toewijzing, declaratie, audit, indicatie_import))


async def _inloggen_nodig(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InloggenNodig)
    if "x-csrf-token" in request.headers:  # the page's script: it sends the user to the login page itself
        return JSONResponse({"fout": "sessie verlopen"}, status_code=401)
    return login_redirect(exc.terug)


async def _portal_fout(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PortalFout)
    state: PortalState = request.app.state.portal
    return state.templates.TemplateResponse(request, "fout.html", {"user": None, "portal": state, "fout": exc}, status_code=exc.status)


def install(app: FastAPI, cfg: Settings) -> PortalState | None:
    """Adds the portal; without ZK_DATABASE_URL (no place for sessions) the edge has no portal."""
    if not cfg.database_url:
        if cfg.oidc_issuer:
            raise SettingsError("Configuration problems:\n  - ZK_DATABASE_URL is needed for the portal's sessions (ZK_OIDC_ISSUER is set)")
        log.warning("ZK_DATABASE_URL is empty: the edge serves the partner API only, no portal")
        return None
    state = PortalState(cfg)
    app.state.portal = state
    app.add_exception_handler(InloggenNodig, _inloggen_nodig)
    app.add_exception_handler(PortalFout, _portal_fout)
    for router in ROUTERS:
        app.include_router(router)
    app.mount(f"{PATH}/static", StaticFiles(directory=HERE / "static"), name="portal-static")

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse(f"{PATH}/", status_code=307)

    return state
