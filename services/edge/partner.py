"""The partner webservices (machine-to-machine). This contract is public: keep it stable.

- POST /oauth/token (client credentials) -> a Bearer token bound to the client's gemeente or AGB
- POST /partner/v1/berichten (an i-Standaard XML body) -> 202 {"id", "status", …}
- GET  /partner/v1/berichten/{id} -> status, findings and the link to the retourbericht or 325
- GET  /partner/v1/berichten/{id}/retour -> the retourbericht XML
- GET  /partner/v1/postbus -> messages waiting for the caller (keyset-paginated)
- GET  /partner/v1/postbus/{id} -> the XML;  POST /partner/v1/postbus/{id}/ontvangen -> acknowledged
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2

from edge.auth import AuthError, PartnerClient, verify_secret
from edge.clients import ServiceClients
from edge.problems import Probleem
from runtime.interceptors import call_metadata
from runtime.tenancy import Tenant

MAX_BYTES = 25 * 1024 * 1024  # OP179
XML = "application/xml"
_XML_TYPES = ("application/xml", "text/xml", "application/octet-stream", "")

# how the hub's refusals reach a partner: HTTP status, problem type, title
_REFUSALS = {
    "te_groot": (413, "te-groot", "Bericht te groot"),
    "leeg": (400, "geen-xml", "Geen XML"),
    "geen_xml": (400, "geen-xml", "Geen XML"),
    "onvolledig": (400, "onvolledige-xml", "Onvolledige XML"),
    "dtd_niet_toegestaan": (400, "dtd-niet-toegestaan", "DTD of entiteiten niet toegestaan"),
    "te_diep": (400, "te-diep-genest", "Te diep genest"),
    "te_veel_elementen": (400, "te-veel-elementen", "Te veel elementen"),
    "geen_bericht": (422, "geen-bericht", "Geen i-Standaard-bericht"),
    "onbekende_namespace": (422, "onbekende-namespace", "Onbekende namespace"),
    "release_niet_ondersteund": (422, "release-niet-ondersteund", "Release niet ondersteund"),
    "onbekende_berichtsoort": (422, "onbekende-berichtsoort", "Onbekende berichtsoort"),
    "xsd": (422, "xsd-ongeldig", "Bericht voldoet niet aan de XSD"),
}

router = APIRouter(tags=["partner webservices"])


def _clients(request: Request) -> ServiceClients:
    return request.app.state.clients


def partner_tenant(request: Request) -> Tenant:
    """The party a partner's Bearer token acts for."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Probleem(401, "niet-geauthenticeerd", "Niet geauthenticeerd", "een Bearer-token van /oauth/token is nodig")
    try:
        client_id = request.app.state.tokens.verify(token)
    except AuthError as exc:
        raise Probleem(401, "niet-geauthenticeerd", "Niet geauthenticeerd", str(exc)) from None
    client: PartnerClient | None = request.app.state.partners.get(client_id)
    if client is None:
        raise Probleem(401, "niet-geauthenticeerd", "Niet geauthenticeerd", "deze client bestaat niet meer")
    return client.tenant()


PartnerTenant = Annotated[Tenant, Depends(partner_tenant)]
Clients = Annotated[ServiceClients, Depends(_clients)]


def _berichten(clients: ServiceClients) -> berichten_pb2_grpc.BerichtenStub:
    return berichten_pb2_grpc.BerichtenStub(clients.channels["berichten"])


def _md(request: Request, tenant: Tenant) -> list[tuple[str, str]]:
    return call_metadata(request.app.state.settings.internal_token, tenant)


def _token_error(error: str, description: str, status: int = 400) -> JSONResponse:
    """OAuth2 errors have their own format (RFC 6749 §5.2)."""
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers={"Cache-Control": "no-store"})


@router.post("/oauth/token", summary="Access token for a partner system (OAuth2 client credentials)")
async def token(request: Request) -> JSONResponse:
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode(errors="replace")).items()}
    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(credentials).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return _token_error("invalid_client", "malformed Basic credentials", 401)
    if form.get("grant_type") != "client_credentials":
        return _token_error("unsupported_grant_type", "only grant_type=client_credentials is supported")
    client = request.app.state.partners.get(client_id)
    if client is None or not verify_secret(secret, client.secret_hash):
        return _token_error("invalid_client", "unknown client or wrong secret", 401)
    tokens = request.app.state.tokens
    return JSONResponse(
        {"access_token": tokens.issue(client), "token_type": "Bearer", "expires_in": tokens.ttl},
        headers={"Cache-Control": "no-store"},
    )


def _status(bericht: berichten_pb2.Bericht) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": bericht.id,
        "status": bericht.status,
        "berichtsoort": bericht.berichtsoort or None,
        "standaard": bericht.standaard or None,
        "afzender": bericht.afzender,
        "ontvanger": bericht.ontvanger or None,
        "identificatie": bericht.identificatie or None,
        "ontvangen_op": bericht.ontvangen_op or None,
        "sha256": bericht.sha256,
        "bevindingen": [{"regel": b.regel, "retourcode": b.retourcode, "locatie": b.locatie, "melding": b.melding} for b in bericht.bevindingen],
    }
    if bericht.retour_id:
        body["retour"] = f"/partner/v1/berichten/{bericht.id}/retour"
    if bericht.heen_id:
        body["heenbericht"] = f"/partner/v1/berichten/{bericht.heen_id}"
    return body


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise Probleem(413, "te-groot", "Bericht te groot", f"het bericht is {declared} bytes; het maximum is {MAX_BYTES} (25 MB, OP179)")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BYTES:
            raise Probleem(413, "te-groot", "Bericht te groot", f"het bericht is groter dan {MAX_BYTES} bytes (25 MB, OP179)")
    return bytes(data)


@router.post("/partner/v1/berichten", status_code=202, summary="Send an iWmo / iJw 3.2 message")
async def ontvang(request: Request, tenant: PartnerTenant, clients: Clients) -> JSONResponse:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in _XML_TYPES:
        raise Probleem(415, "geen-xml-mediatype", "Geen XML", f"Content-Type {content_type!r}: stuur het bericht als application/xml")
    data = await _read_body(request)
    bericht = await _berichten(clients).Ontvang(berichten_pb2.OntvangRequest(xml=data), metadata=_md(request, tenant), timeout=60)
    if bericht.fout_reden:
        status, slug, title = _REFUSALS.get(bericht.fout_reden, (400, "ongeldig-bericht", "Ongeldig bericht"))
        extra: dict[str, Any] = {"id": bericht.id, "reden": bericht.fout_reden}
        if bericht.xsd_fouten:
            extra["xsd_fouten"] = [{"regel": f.regel, "element": f.element, "melding": f.melding} for f in bericht.xsd_fouten]
        raise Probleem(status, slug, title, bericht.fout_melding, **extra)
    return JSONResponse(_status(bericht), status_code=202, headers={"Location": f"/partner/v1/berichten/{bericht.id}"})


@router.get("/partner/v1/berichten/{bericht_id}", summary="Status of a message, with the link to its answer")
async def status(bericht_id: str, request: Request, tenant: PartnerTenant, clients: Clients) -> dict[str, Any]:
    bericht = await _berichten(clients).GetBericht(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=_md(request, tenant), timeout=10)
    return _status(bericht)


@router.get("/partner/v1/berichten/{bericht_id}/retour", summary="The retourbericht (or 325) of a message", response_class=Response)
async def retour(bericht_id: str, request: Request, tenant: PartnerTenant, clients: Clients) -> Response:
    stub = _berichten(clients)
    bericht = await stub.GetBericht(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=_md(request, tenant), timeout=10)
    if not bericht.retour_id:
        raise Probleem(404, "nog-geen-retour", "Nog geen retourbericht", f"bericht {bericht_id} heeft (nog) geen retourbericht; status {bericht.status}")
    xml = await stub.GetBerichtXml(berichten_pb2.GetBerichtRequest(id=bericht.retour_id), metadata=_md(request, tenant), timeout=30)
    return Response(xml.xml, media_type=XML)


@router.get("/partner/v1/postbus", summary="Messages waiting for the caller, oldest first")
async def postbus(
    request: Request, tenant: PartnerTenant, clients: Clients, limit: Annotated[int, Query(ge=1, le=500)] = 100, after: str = ""
) -> dict[str, Any]:
    page = await _berichten(clients).ListPostbus(
        berichten_pb2.ListPostbusRequest(page=common_pb2.PageRequest(page_size=limit, page_token=after)), metadata=_md(request, tenant), timeout=10
    )
    return {
        "berichten": [
            {**_status(b), "levering": b.levering, "xml": f"/partner/v1/postbus/{b.id}", "ontvangen": f"/partner/v1/postbus/{b.id}/ontvangen"}
            for b in page.berichten
        ],
        "volgende": f"/partner/v1/postbus?limit={limit}&after={page.next_page_token}" if page.next_page_token else None,
    }


@router.get("/partner/v1/postbus/{bericht_id}", summary="The XML of a message in the postbus", response_class=Response)
async def postbus_xml(bericht_id: str, request: Request, tenant: PartnerTenant, clients: Clients) -> Response:
    xml = await _berichten(clients).GetBerichtXml(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=_md(request, tenant), timeout=30)
    return Response(xml.xml, media_type=XML)


@router.post("/partner/v1/postbus/{bericht_id}/ontvangen", summary="Acknowledge a message: it leaves the postbus")
async def ontvangen(bericht_id: str, request: Request, tenant: PartnerTenant, clients: Clients) -> dict[str, Any]:
    await _berichten(clients).BevestigOntvangst(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=_md(request, tenant), timeout=10)
    return {"id": bericht_id, "levering": "bevestigd"}
