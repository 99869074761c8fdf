"""The FastAPI application of the edge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import grpc
from fastapi import Depends, FastAPI, Request, Response
from pydantic import BaseModel

from edge import partner, portal
from edge.auth import TokenIssuer, load_partner_clients
from edge.clients import ServiceClients
from edge.problems import Probleem, grpc_handler, probleem_handler
from runtime.settings import Settings


class HealthReport(BaseModel):
    status: str
    services: dict[str, str]


def clients(request: Request) -> ServiceClients:
    return request.app.state.clients


Clients = Annotated[ServiceClients, Depends(clients)]


def create_app(cfg: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.clients.open()
        yield
        await app.state.clients.close()

    app = FastAPI(
        title="Zorgketen",
        summary="Wmo 2015 and Jeugdwet chain: web portal (/portal/) and partner webservices (iWmo / iJw 3.2).",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = cfg
    app.state.clients = ServiceClients.from_settings(cfg)
    app.state.partners = load_partner_clients(cfg.partner_clients_file)
    app.state.tokens = TokenIssuer(cfg.edge_token_secret, cfg.token_ttl_seconds)
    app.add_exception_handler(Probleem, probleem_handler)
    app.add_exception_handler(grpc.aio.AioRpcError, grpc_handler)
    app.include_router(partner.router)
    portal.install(app, cfg)

    @app.get("/health/live", tags=["operations"])
    async def live() -> dict[str, str]:
        """The edge process answers (for the liveness and readiness probes; it says nothing about the services)."""
        return {"status": "live"}

    @app.get("/health", response_model=HealthReport, tags=["operations"], responses={503: {"model": HealthReport}})
    async def health(response: Response, services: Clients) -> HealthReport:
        """Each service's gRPC health status and the edge's own; 503 unless all are SERVING."""
        statuses = await services.health()
        statuses["edge"] = "SERVING"
        serving = all(status == "SERVING" for status in statuses.values())
        response.status_code = 200 if serving else 503
        return HealthReport(status="serving" if serving else "not_serving", services=statuses)

    return app
