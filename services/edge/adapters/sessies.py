"""The portal's server-side sessions in the edge's schema (`edge.portal_sessie`).

Every portal page costs one primary-key lookup here; creating, ending and listing sessions are the
only writes. All edge processes share the rows, so a session ended in one is ended in all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from edge.adapters.tables import portal_sessie
from runtime.db import driver_url

BEWAAR_BEEINDIGD = timedelta(days=7)  # ended or expired rows are removed after this (on a later login)


@dataclass(frozen=True)
class SessieRij:
    id: str
    gebruikersnaam: str
    bron: str
    naam: str
    rol: str
    gemeentecodes: tuple[str, ...]
    agb: str | None
    aangemaakt_op: datetime
    verloopt_op: datetime


def _rij(row) -> SessieRij:  # type: ignore[no-untyped-def]
    return SessieRij(
        row.id, row.gebruikersnaam, row.bron, row.naam, row.rol, tuple(row.gemeentecodes or ()), row.agb, row.aangemaakt_op, row.verloopt_op
    )


class SessieStore:
    def __init__(self, database_url: str, max_seconds: int):
        self._url = driver_url(database_url)
        self.max_seconds = max_seconds
        self._engine: AsyncEngine | None = None

    def open(self) -> None:
        self._engine = create_async_engine(self._url, pool_size=5, max_overflow=5, pool_timeout=5, pool_pre_ping=True, connect_args={"connect_timeout": 3})

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError("SessieStore.open() was not called")
        return self._engine

    async def maak(self, gebruikersnaam: str, bron: str, naam: str, rol: str, gemeentecodes: tuple[str, ...], agb: str | None) -> str:
        """A new session row; returns its id. Also clears rows ended or expired long ago."""
        sessie_id = secrets.token_urlsafe(24)
        now = datetime.now(timezone.utc)
        async with self.engine.begin() as conn:
            await conn.execute(delete(portal_sessie).where(portal_sessie.c.verloopt_op < now - BEWAAR_BEEINDIGD))
            await conn.execute(
                portal_sessie.insert().values(
                    id=sessie_id,
                    gebruikersnaam=gebruikersnaam,
                    bron=bron,
                    naam=naam,
                    rol=rol,
                    gemeentecodes=list(gemeentecodes),
                    agb=agb,
                    verloopt_op=now + timedelta(seconds=self.max_seconds),
                )
            )
        return sessie_id

    async def actief(self, sessie_id: str) -> SessieRij | None:
        """The session if it is neither ended nor past its absolute end."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(portal_sessie).where(
                        portal_sessie.c.id == sessie_id, portal_sessie.c.beeindigd_op.is_(None), portal_sessie.c.verloopt_op > func.now()
                    )
                )
            ).first()
        return _rij(row) if row else None

    async def beeindig(self, sessie_id: str, door: str, zichtbaar_voor_gemeenten: tuple[str, ...] | None = None) -> bool:
        """Ends one session; with `zichtbaar_voor_gemeenten` only one that `beheerder_lijst` shows for them."""
        query = update(portal_sessie).where(portal_sessie.c.id == sessie_id, portal_sessie.c.beeindigd_op.is_(None))
        if zichtbaar_voor_gemeenten is not None:
            query = query.where(_zichtbaar(zichtbaar_voor_gemeenten))
        async with self.engine.begin() as conn:
            result = await conn.execute(query.values(beeindigd_op=func.now(), beeindigd_door=door))
        return result.rowcount == 1

    async def beheerder_lijst(self, gemeentecodes: tuple[str, ...], limit: int = 500) -> list[SessieRij]:
        """Active sessions a beheerder of these gemeenten may see and end, newest first."""
        query = (
            select(portal_sessie)
            .where(portal_sessie.c.beeindigd_op.is_(None), portal_sessie.c.verloopt_op > func.now(), _zichtbaar(gemeentecodes))
            .order_by(portal_sessie.c.aangemaakt_op.desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            return [_rij(row) for row in await conn.execute(query)]


def _zichtbaar(gemeentecodes: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """A beheerder sees sessions of users of their own gemeenten and of aanbieder medewerkers (who work
    for the whole region), never those of another region's gemeente users."""
    return or_(portal_sessie.c.gemeentecodes.overlap(list(gemeentecodes)), portal_sessie.c.agb.is_not(None))
