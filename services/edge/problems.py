"""Errors as RFC 9457 problem details (application/problem+json), each with a type of its own."""

from __future__ import annotations

from typing import Any

import grpc
from fastapi import Request
from fastapi.responses import JSONResponse

PROBLEM_JSON = "application/problem+json"


class Probleem(Exception):
    def __init__(self, status: int, slug: str, title: str, detail: str, **extra: Any):
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extra = extra

    def body(self, instance: str) -> dict[str, Any]:
        return {"type": f"urn:zorgketen:probleem:{self.slug}", "title": self.title, "status": self.status, "detail": self.detail, "instance": instance, **self.extra}


_GRPC = {
    grpc.StatusCode.UNAUTHENTICATED: (401, "niet-geauthenticeerd", "Niet geauthenticeerd"),
    grpc.StatusCode.PERMISSION_DENIED: (403, "geen-toegang", "Geen toegang"),
    grpc.StatusCode.NOT_FOUND: (404, "niet-gevonden", "Niet gevonden"),
    grpc.StatusCode.INVALID_ARGUMENT: (400, "ongeldig-verzoek", "Ongeldig verzoek"),
    grpc.StatusCode.ALREADY_EXISTS: (409, "bestaat-al", "Bestaat al"),
    grpc.StatusCode.UNAVAILABLE: (503, "niet-beschikbaar", "Tijdelijk niet beschikbaar"),
    grpc.StatusCode.DEADLINE_EXCEEDED: (503, "niet-beschikbaar", "Tijdelijk niet beschikbaar"),
}


def from_grpc(error: grpc.aio.AioRpcError) -> Probleem:
    status, slug, title = _GRPC.get(error.code(), (500, "interne-fout", "Interne fout"))
    detail = error.details() or title if status < 500 else "er ging iets mis; probeer het later opnieuw"
    return Probleem(status, slug, title, detail)


async def probleem_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Probleem)
    headers = {"WWW-Authenticate": 'Bearer realm="zorgketen"'} if exc.status == 401 else None
    return JSONResponse(exc.body(request.url.path), status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)


async def grpc_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, grpc.aio.AioRpcError)
    return await probleem_handler(request, from_grpc(exc))
