"""The reads behind benutting and the onderbenutting signalen: a page of toewijzingen (keyset on the
toewijzing key, limited to the caller's tenancy) and, set-based for that page, their contracts,
prestaties and starts/stops."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from declaratie.adapters.afrekening_repository import ingediende_prestatie_uit
from declaratie.adapters.controle_repository import levering_uit, toewijzing_kopie_uit
from declaratie.adapters.repository import contract_uit
from declaratie.adapters.tables import contract, levering_kopie, prestatie, toewijzing_kopie
from declaratie.domain.benutting import DEBET, IngediendePrestatie
from declaratie.domain.contract import Contract
from declaratie.domain.toewijzingstand import LeveringKopie, ToewijzingKopie
from runtime.tenancy import Tenant

Sleutel = tuple[str, str, int]  # gemeentecode, wet, ToewijzingNummer (as stored)


class BenuttingRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def toewijzingen(
        self,
        tenant: Tenant,
        limit: int,
        na: Sleutel | None,
        van: date,
        tot: date,
        gemeentecode: str | None = None,
        agb: str | None = None,
        bsn: str | None = None,
    ) -> list[ToewijzingKopie]:
        """Not deleted toewijzingen valid on a day of van..tot, ordered by their key, after `na`."""
        tk = toewijzing_kopie.c
        query = select(toewijzing_kopie).where(
            tenant.clause(tk.gemeentecode, tk.agb), tk.verwijderd.is_(False), tk.ingangsdatum <= tot, tk.einddatum.is_(None) | (tk.einddatum >= van)
        )
        if gemeentecode:
            query = query.where(tk.gemeentecode == gemeentecode)
        if agb:
            query = query.where(tk.agb == agb)
        if bsn:
            query = query.where(tk.bsn == bsn)
        if na is not None:
            query = query.where(tuple_(tk.gemeentecode, tk.wet, tk.toewijzing_nummer) > na)
        rows = await self.session.execute(query.order_by(tk.gemeentecode, tk.wet, tk.toewijzing_nummer).limit(limit))
        return [toewijzing_kopie_uit(r) for r in rows]

    async def contracten(self, toewijzingen: Sequence[ToewijzingKopie]) -> list[Contract]:
        paren = sorted({(t.gemeentecode, t.agb) for t in toewijzingen})
        if not paren:
            return []
        c = contract.c
        return [contract_uit(r) for r in await self.session.execute(select(contract).where(tuple_(c.gemeentecode, c.agb).in_(paren)))]

    async def prestaties(self, toewijzingen: Sequence[ToewijzingKopie], van: date | None = None, tot: date | None = None, alleen_debet: bool = False) -> list[IngediendePrestatie]:
        sleutels = sorted({(t.gemeentecode, t.wet.value, t.toewijzing_nummer) for t in toewijzingen})
        if not sleutels:
            return []
        pr = prestatie.c
        query = select(prestatie).where(tuple_(pr.gemeentecode, pr.wet, pr.toewijzing_nummer).in_(sleutels))
        if van is not None and tot is not None:
            query = query.where(pr.begindatum <= tot, pr.einddatum >= van)
        if alleen_debet:
            query = query.where(pr.debet_credit == DEBET)
        return [ingediende_prestatie_uit(r) for r in await self.session.execute(query)]

    async def leveringen(self, toewijzingen: Sequence[ToewijzingKopie]) -> list[LeveringKopie]:
        sleutels = sorted({(t.gemeentecode, t.wet.value, t.toewijzing_nummer) for t in toewijzingen})
        if not sleutels:
            return []
        lk = levering_kopie.c
        rows = await self.session.execute(select(levering_kopie).where(tuple_(lk.gemeentecode, lk.wet, lk.toewijzing_nummer).in_(sleutels)))
        return [levering_uit(r) for r in rows]


def sleutel(t: ToewijzingKopie) -> Sleutel:
    return (t.gemeentecode, t.wet.value, t.toewijzing_nummer)

