"""What every portal page needs: the logged-in user, their tenant, gRPC calls on their behalf, and
rendering with a renewed session cookie.

`Portaal` (an `Annotated` dependency) sends a visitor without a valid session to the login page;
`PortaalPost` also checks the session's CSRF token. A service's refusal becomes an HTML error page:
NOT_FOUND 404, PERMISSION_DENIED 403 — with a fixed text, so nothing of another tenant is shown.

A page that gathers from several services can show what the reachable ones answered:
`of_onbereikbaar` turns a call whose service did not answer (UNAVAILABLE, DEADLINE_EXCEEDED) into
`Onbereikbaar`, logged, and the page names the service(s) in its notice (`_onbereikbaar.html`);
every other refusal stays an error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import grpc
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from edge.portal.sessions import COOKIE, PATH, Sessie, csrf_matches
from edge.portal.state import PortalState
from edge.portal.users import PortalUser
from runtime.interceptors import call_metadata
from runtime.tenancy import Tenant

T = TypeVar("T")
log = logging.getLogger(__name__)

# the services as a notice names them
DIENST_NAMEN = {"indicatie": "Indicatie", "toewijzing": "Toewijzing", "declaratie": "Declaratie", "berichten": "Berichten", "rapportage": "Rapportage"}


class InloggenNodig(Exception):
    """No valid session: the visitor goes to the login page and comes back to `terug` afterwards."""

    def __init__(self, terug: str):
        super().__init__(terug)
        self.terug = terug


class PortalFout(Exception):
    """A page that cannot be shown, with the HTTP status and a text for the user; `onbereikbaar`:
    the gRPC status and details when it is because a service did not answer (for the log)."""

    def __init__(self, status: int, titel: str, uitleg: str, onbereikbaar: str = ""):
        super().__init__(uitleg)
        self.status = status
        self.titel = titel
        self.uitleg = uitleg
        self.onbereikbaar = onbereikbaar


# Refusals of the services as the user reads them. The service's own details are not shown for
# 403/404: they must not tell whether something of another party exists.
_FOUTEN = {
    grpc.StatusCode.NOT_FOUND: (404, "Niet gevonden", "Dit bestaat niet, of u heeft er geen toegang toe."),
    grpc.StatusCode.PERMISSION_DENIED: (403, "Geen toegang", "Uw rol of organisatie geeft geen toegang tot deze handeling."),
    grpc.StatusCode.UNAVAILABLE: (503, "Tijdelijk niet beschikbaar", "Een onderdeel van Zorgketen antwoordt nu niet. Probeer het over een minuut opnieuw."),
    grpc.StatusCode.DEADLINE_EXCEEDED: (503, "Tijdelijk niet beschikbaar", "Een onderdeel van Zorgketen antwoordde niet op tijd. Probeer het opnieuw."),
    # a concurrent change (e.g. two claims at once): the page says what it means where it matters
    grpc.StatusCode.ABORTED: (409, "Niet uitgevoerd", "Dit is intussen door iemand anders gewijzigd. Open de pagina opnieuw en kijk wat er nu staat."),
}


_ONBEREIKBAAR = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}


@dataclass(frozen=True)
class Onbereikbaar:
    """A service that did not answer one of a page's calls; the page shows the rest and names it."""

    dienst: str

    @property
    def naam(self) -> str:
        return DIENST_NAMEN.get(self.dienst, self.dienst)


async def of_onbereikbaar(dienst: str, aanroep: Awaitable[T]) -> T | Onbereikbaar:
    """The result of `aanroep` (made of PortalContext.call's), or Onbereikbaar when `dienst` did not
    answer (down, or too slow) — logged; every other refusal is still raised."""
    try:
        return await aanroep
    except PortalFout as fout:
        if not fout.onbereikbaar:
            raise
        log.warning("portal: service %s not reachable (%s); the page shows the rest without it", dienst, fout.onbereikbaar)
        return Onbereikbaar(dienst)


def als_fout(error: grpc.aio.AioRpcError) -> PortalFout:
    if error.code() in _FOUTEN:
        onbereikbaar = f"{error.code().name}: {error.details()}" if error.code() in _ONBEREIKBAAR else ""
        return PortalFout(*_FOUTEN[error.code()], onbereikbaar=onbereikbaar)
    if error.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.ALREADY_EXISTS):
        return PortalFout(400 if error.code() == grpc.StatusCode.INVALID_ARGUMENT else 409, "Niet uitgevoerd", error.details() or "")
    return PortalFout(500, "Er ging iets mis", "Er ging iets mis; probeer het later opnieuw.")


def terug_pad(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query and request.method == "GET" else "")


def login_redirect(terug: str) -> RedirectResponse:
    return RedirectResponse(f"{PATH}/inloggen?terug={quote(terug, safe='/')}", status_code=303)


@dataclass
class PortalContext:
    request: Request
    state: PortalState
    user: PortalUser
    sessie: Sessie

    @property
    def tenant(self) -> Tenant:
        return self.user.tenant()

    def metadata(self) -> list[tuple[str, str]]:
        return call_metadata(self.request.app.state.settings.internal_token, self.tenant)

    def channel(self, service: str) -> grpc.aio.Channel:
        return self.request.app.state.clients.channels[service]

    async def call(self, method: Callable[..., Awaitable[T]], request: Any, timeout: float = 10) -> T:
        """One gRPC call as the user's tenant; a refusal becomes a PortalFout."""
        try:
            return await method(request, metadata=self.metadata(), timeout=timeout)
        except grpc.aio.AioRpcError as exc:
            raise als_fout(exc) from None

    def render(self, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
        sessie = self.state.sessions.renewed(self.sessie)
        response = self.state.templates.TemplateResponse(
            self.request, template, {"user": self.user, "sessie": sessie, "nu": int(time.time()), "portal": self.state, **values}, status_code=status_code
        )
        self.state.set_cookie(response, sessie)
        return response

    def redirect(self, url: str) -> Response:
        response = RedirectResponse(url, status_code=303)
        self.state.set_cookie(response, self.state.sessions.renewed(self.sessie))
        return response


def _state(request: Request) -> PortalState:
    return request.app.state.portal


async def portaal(request: Request) -> PortalContext:
    state = _state(request)
    sessie = state.sessions.load(request.cookies.get(COOKIE, ""))
    rij = await state.store.actief(sessie.id) if sessie else None
    user = state.user_van(rij) if rij else None
    if sessie is None or user is None:  # no session, idle or ended (logout, beheerder, maximum), or the user no longer exists
        raise InloggenNodig(terug_pad(request))
    return PortalContext(request, state, user, sessie)


async def portaal_post(request: Request) -> PortalContext:
    context = await portaal(request)
    presented = request.headers.get("x-csrf-token")
    if presented is None:
        presented = str((await request.form()).get("csrf", ""))
    if not csrf_matches(context.sessie.csrf, presented):
        raise PortalFout(403, "Formulier verlopen", "Dit formulier hoort niet bij uw sessie. Open de pagina opnieuw en probeer het nog eens.")
    return context


Portaal = Annotated[PortalContext, Depends(portaal)]
PortaalPost = Annotated[PortalContext, Depends(portaal_post)]
