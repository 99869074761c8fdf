"""The indicatie service's commands and queries: small functions over a unit of work."""

from __future__ import annotations

from indicatie.adapters.repository import ClientRepository
from indicatie.domain import events
from indicatie.domain.client import Client
from runtime.db import UnitOfWork
from runtime.errors import AlreadyExists, NotFound, PermissionDenied
from runtime.tenancy import Tenant


async def registreer_client(uow: UnitOfWork, tenant: Tenant, client: Client) -> Client:
    if tenant.is_aanbieder or not tenant.mag_gemeente(client.gemeentecode):
        raise PermissionDenied(f"no right to register cliënten for gemeente {client.gemeentecode}")
    if not await ClientRepository(uow.session).add(client):
        raise AlreadyExists(f"gemeente {client.gemeentecode} already has a cliënt with this BSN")
    uow.publish(events.CLIENT_GEREGISTREERD, events.client_geregistreerd(client), gemeentecode=client.gemeentecode)
    await uow.commit()
    return client


async def get_client(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, bsn: str) -> Client:
    client = await ClientRepository(uow.session).get(tenant, gemeentecode, bsn)
    if client is None:
        raise NotFound("no such cliënt")
    return client


async def list_clienten(uow: UnitOfWork, tenant: Tenant, after: tuple[str, str] | None, limit: int) -> list[Client]:
    return await ClientRepository(uow.session).list(tenant, after, limit)
