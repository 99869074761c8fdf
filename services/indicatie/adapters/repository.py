"""Persistence of cliënten; every read is limited to the caller's tenancy."""

from __future__ import annotations

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from indicatie.adapters.tables import client as client_table
from indicatie.domain.client import Client, ClientStatus, Geslacht
from runtime.tenancy import Tenant


def _to_domain(row) -> Client:  # type: ignore[no-untyped-def]
    return Client(
        bsn=row.bsn,
        gemeentecode=row.gemeentecode,
        geslachtsnaam=row.geslachtsnaam,
        voorvoegsel=row.voorvoegsel,
        voorletters=row.voorletters,
        geboortedatum=row.geboortedatum,
        geslacht=Geslacht(row.geslacht),
        postcode=row.postcode,
        huisnummer=row.huisnummer,
        status=ClientStatus(row.status),
    )


class ClientRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, client: Client) -> bool:
        """Stores a new cliënt; False when the gemeente already has one with this BSN."""
        result = await self.session.execute(
            insert(client_table)
            .values(
                gemeentecode=client.gemeentecode,
                bsn=client.bsn,
                geslachtsnaam=client.geslachtsnaam,
                voorvoegsel=client.voorvoegsel,
                voorletters=client.voorletters,
                geboortedatum=client.geboortedatum,
                geslacht=client.geslacht.value,
                postcode=client.postcode,
                huisnummer=client.huisnummer,
                status=client.status.value,
            )
            .on_conflict_do_nothing()
            .returning(client_table.c.bsn)
        )
        return result.first() is not None

    async def get(self, tenant: Tenant, gemeentecode: str, bsn: str) -> Client | None:
        row = (
            await self.session.execute(
                select(client_table).where(
                    client_table.c.gemeentecode == gemeentecode,
                    client_table.c.bsn == bsn,
                    tenant.clause(client_table.c.gemeentecode),
                )
            )
        ).first()
        return _to_domain(row) if row else None

    async def list(self, tenant: Tenant, after: tuple[str, str] | None, limit: int) -> list[Client]:
        query = select(client_table).where(tenant.clause(client_table.c.gemeentecode))
        if after is not None:
            query = query.where(tuple_(client_table.c.gemeentecode, client_table.c.bsn) > after)
        query = query.order_by(client_table.c.gemeentecode, client_table.c.bsn).limit(limit)
        return [_to_domain(row) for row in (await self.session.execute(query)).all()]
