"""The declaratie service's commands and queries."""

from __future__ import annotations

from declaratie.adapters.repository import ContractRepository
from declaratie.domain import events
from declaratie.domain.contract import Contract
from runtime.db import UnitOfWork
from runtime.errors import AlreadyExists, PermissionDenied
from runtime.tenancy import Role, Tenant

CONTRACT_ROLES = (Role.CONTRACTMANAGER, Role.REGIONAAL_BACKOFFICE, Role.SYSTEEM)


async def registreer_contract(uow: UnitOfWork, tenant: Tenant, contract: Contract) -> Contract:
    if tenant.role not in CONTRACT_ROLES or not tenant.mag_gemeente(contract.gemeentecode):
        raise PermissionDenied(f"no right to register contracten for gemeente {contract.gemeentecode}")
    if not await ContractRepository(uow.session).add(contract):
        raise AlreadyExists("a contract version with this key and begindatum exists; register a new dated version")
    uow.publish(events.CONTRACT_GEREGISTREERD, events.contract_geregistreerd(contract), gemeentecode=contract.gemeentecode)
    await uow.commit()
    return contract


async def list_contracten(uow: UnitOfWork, tenant: Tenant, after: str | None, limit: int) -> list[Contract]:
    return await ContractRepository(uow.session).list(tenant, after, limit)
