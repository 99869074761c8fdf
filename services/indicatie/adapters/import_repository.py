"""Persistence of imported indicaties: the imports and the afgewezen records. Every read is limited
to the caller's gemeenten (`Tenant.clause`); an aanbieder sees none."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from indicatie.adapters.import_tables import afgewezen_indicatie, indicatie_import
from indicatie.domain.beschikking import Gebrek
from indicatie.domain.indicatie_import import IndicatieRecord
from runtime.tenancy import Tenant


@dataclass(frozen=True)
class AfgewezenIndicatie:
    id: str
    gemeentecode: str
    import_id: str | None
    record: IndicatieRecord
    gebreken: tuple[Gebrek, ...]
    status: str
    beschikkingnummer: str
    aangemaakt_op: datetime
    bijgewerkt_op: datetime


def _afgewezen(row: Any) -> AfgewezenIndicatie:
    return AfgewezenIndicatie(
        id=row.id,
        gemeentecode=row.gemeentecode,
        import_id=row.import_id,
        record=IndicatieRecord(row.regel, dict(row.record)),
        gebreken=tuple(Gebrek(g["veld"], g["reden"]) for g in row.gebreken),
        status=row.status,
        beschikkingnummer=row.beschikkingnummer or "",
        aangemaakt_op=row.aangemaakt_op,
        bijgewerkt_op=row.bijgewerkt_op,
    )


class ImportRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def begin(self, gemeentecode: str, bron: str, door: str, aantal: int) -> str:
        import_id = str(uuid.uuid4())
        await self.session.execute(insert(indicatie_import).values(id=import_id, gemeentecode=gemeentecode, bron=bron, door=door, aantal=aantal))
        return import_id

    async def tel(self, import_id: str, aanvaard: int, al_verwerkt: int, afgewezen: int) -> None:
        await self.session.execute(
            update(indicatie_import).where(indicatie_import.c.id == import_id).values(aanvaard=aanvaard, al_verwerkt=al_verwerkt, afgewezen=afgewezen)
        )

    async def bewaar_afgewezen(self, gemeentecode: str, import_id: str | None, record: IndicatieRecord, gebreken: list[Gebrek], afgewezen_id: str | None) -> str:
        """Keeps the record with its gebreken: the open copy of the same record (or `afgewezen_id`) is
        brought up to date, else a new one is added. Returns its id."""
        values = {
            "sleutel": record.sleutel(),
            "regel": record.regel,
            "record": dict(record.velden),
            "gebreken": [{"veld": g.veld, "reden": g.reden} for g in gebreken],
            "bijgewerkt_op": func.now(),
        }
        if import_id is not None:
            values["import_id"] = import_id
        if afgewezen_id is None:
            values["ontvangen"] = dict(record.velden)
        if afgewezen_id is not None:
            await self.sluit(gemeentecode, record.sleutel(), "", behalve=afgewezen_id)  # a correction that now matches another open record
            await self.session.execute(update(afgewezen_indicatie).where(afgewezen_indicatie.c.id == afgewezen_id).values(**values))
            return afgewezen_id
        stmt = pg_insert(afgewezen_indicatie).values(id=str(uuid.uuid4()), gemeentecode=gemeentecode, **values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["gemeentecode", "sleutel"],
            index_where=afgewezen_indicatie.c.status == "open",
            set_={k: stmt.excluded[k] for k in values},
        ).returning(afgewezen_indicatie.c.id)
        return (await self.session.execute(stmt)).scalar_one()

    async def sluit(self, gemeentecode: str, sleutel: str, beschikkingnummer: str, behalve: str | None = None, afgewezen_id: str | None = None) -> None:
        """Marks the open copy of a record (by its sleutel, and/or its id) hersteld: it became `beschikkingnummer`."""
        stmt = update(afgewezen_indicatie).where(afgewezen_indicatie.c.gemeentecode == gemeentecode, afgewezen_indicatie.c.status == "open")
        if afgewezen_id is not None:
            stmt = stmt.where((afgewezen_indicatie.c.id == afgewezen_id) | (afgewezen_indicatie.c.sleutel == sleutel))
        else:
            stmt = stmt.where(afgewezen_indicatie.c.sleutel == sleutel)
        if behalve is not None:
            stmt = stmt.where(afgewezen_indicatie.c.id != behalve)
        await self.session.execute(stmt.values(status="hersteld", beschikkingnummer=beschikkingnummer or None, bijgewerkt_op=func.now()))

    async def hersteld_tot(self, gemeentecode: str, record: IndicatieRecord) -> str | None:
        """The beschikkingnummer this very record (as the gemeente's system sent it) was corrected into, when it was."""
        rows = await self.session.execute(
            select(afgewezen_indicatie.c.ontvangen, afgewezen_indicatie.c.beschikkingnummer).where(
                afgewezen_indicatie.c.gemeentecode == gemeentecode,
                afgewezen_indicatie.c.sleutel == record.sleutel(),
                afgewezen_indicatie.c.status == "hersteld",
                afgewezen_indicatie.c.beschikkingnummer.is_not(None),
            )
        )
        return next((r.beschikkingnummer for r in rows if dict(r.ontvangen) == dict(record.velden)), None)

    async def open_afgewezen(self, tenant: Tenant, after: tuple[str, str] | None, limit: int) -> list[AfgewezenIndicatie]:
        query = select(afgewezen_indicatie).where(afgewezen_indicatie.c.status == "open", tenant.clause(afgewezen_indicatie.c.gemeentecode))
        if after is not None:
            query = query.where(tuple_(afgewezen_indicatie.c.aangemaakt_op, afgewezen_indicatie.c.id) > (datetime.fromisoformat(after[0]), after[1]))
        query = query.order_by(afgewezen_indicatie.c.aangemaakt_op, afgewezen_indicatie.c.id).limit(limit)
        return [_afgewezen(r) for r in (await self.session.execute(query)).all()]

    async def get(self, tenant: Tenant, afgewezen_id: str, for_update: bool = False) -> AfgewezenIndicatie | None:
        try:
            uuid.UUID(afgewezen_id)
        except ValueError:
            return None
        query = select(afgewezen_indicatie).where(afgewezen_indicatie.c.id == afgewezen_id, tenant.clause(afgewezen_indicatie.c.gemeentecode))
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _afgewezen(row) if row else None
