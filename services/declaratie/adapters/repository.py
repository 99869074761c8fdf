"""Persistence of contracten; reads are limited to the caller's tenancy."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from declaratie.adapters.tables import contract as contract_table
from declaratie.domain.contract import Contract, Uitvoeringsvariant, Wet
from runtime.tenancy import Tenant


class ContractRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, contract: Contract) -> bool:
        """Stores a new contract version; False when that version (same key and begindatum) exists."""
        result = await self.session.execute(
            insert(contract_table)
            .values(
                id=contract.id,
                gemeentecode=contract.gemeentecode,
                agb=contract.agb,
                wet=contract.wet.value,
                productcategorie=contract.productcategorie,
                productcode=contract.productcode,
                uitvoeringsvariant=contract.uitvoeringsvariant.value,
                tarief_eurocent=contract.tarief_eurocent,
                eenheid=contract.eenheid,
                begindatum=contract.begindatum,
                einddatum=contract.einddatum,
                start_stop_verplicht=contract.start_stop_verplicht,
                toewijslijst_automatisch=contract.toewijslijst_automatisch,
                voorschot_per_periode_eurocent=contract.voorschot_per_periode_eurocent,
            )
            .on_conflict_do_nothing()
            .returning(contract_table.c.id)
        )
        return result.first() is not None

    async def list(self, tenant: Tenant, after: str | None, limit: int) -> list[Contract]:
        query = select(contract_table).where(tenant.clause(contract_table.c.gemeentecode, contract_table.c.agb))
        if after is not None:
            query = query.where(contract_table.c.id > after)
        rows = (await self.session.execute(query.order_by(contract_table.c.id).limit(limit))).all()
        return [contract_uit(row) for row in rows]


def contract_uit(row: Any) -> Contract:
    """A contract version from its row."""
    return Contract(
        id=row.id,
        gemeentecode=row.gemeentecode,
        agb=row.agb,
        wet=Wet(row.wet),
        productcategorie=row.productcategorie,
        productcode=row.productcode,
        uitvoeringsvariant=Uitvoeringsvariant(row.uitvoeringsvariant),
        tarief_eurocent=row.tarief_eurocent,
        eenheid=row.eenheid,
        begindatum=row.begindatum,
        einddatum=row.einddatum,
        start_stop_verplicht=row.start_stop_verplicht,
        toewijslijst_automatisch=row.toewijslijst_automatisch,
        voorschot_per_periode_eurocent=row.voorschot_per_periode_eurocent,
    )
