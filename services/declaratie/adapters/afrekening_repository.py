"""Persistence of voorschotten and afrekeningen, and the reads they are computed from."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy import insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from declaratie.adapters.controle_repository import toewijzing_kopie_uit
from declaratie.adapters.repository import contract_uit
from declaratie.adapters.tables import afrekening, contract, prestatie, toewijzing_kopie, voorschot
from declaratie.domain.afrekening import Afrekening, AfrekeningSoort, Voorschot, VoorschotRegel
from declaratie.domain.benutting import IngediendePrestatie
from declaratie.domain.contract import Contract
from declaratie.domain.periode import Periode
from declaratie.domain.toewijzingstand import ToewijzingKopie
from runtime.domein import Wet
from runtime.tenancy import Tenant


class AfrekeningRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def toewijzingen(self, gemeentecode: str, agb: str, periode: Periode) -> list[ToewijzingKopie]:
        tk = toewijzing_kopie.c
        rows = await self.session.execute(
            select(toewijzing_kopie).where(
                tk.gemeentecode == gemeentecode, tk.agb == agb, tk.verwijderd.is_(False), tk.ingangsdatum <= periode.einddatum,
                (tk.einddatum.is_(None)) | (tk.einddatum >= periode.begindatum),
            )
        )
        return [toewijzing_kopie_uit(r) for r in rows]

    async def contracten(self, gemeentecode: str, agb: str) -> list[Contract]:
        return [contract_uit(r) for r in await self.session.execute(select(contract).where(contract.c.gemeentecode == gemeentecode, contract.c.agb == agb))]

    async def prestaties(self, gemeentecode: str, agb: str, periode: Periode) -> list[IngediendePrestatie]:
        """Every ingediende prestatie of this aanbieder in this gemeente whose ProductPeriode touches the period."""
        pr = prestatie.c
        rows = await self.session.execute(
            select(prestatie).where(pr.gemeentecode == gemeentecode, pr.agb == agb, pr.begindatum <= periode.einddatum, pr.einddatum >= periode.begindatum)
        )
        return [ingediende_prestatie_uit(r) for r in rows]

    async def voorschot(self, gemeentecode: str, agb: str, periode: Periode) -> Voorschot | None:
        v = voorschot.c
        row = (await self.session.execute(select(voorschot).where(v.gemeentecode == gemeentecode, v.agb == agb, v.periode_begindatum == periode.begindatum))).first()
        if row is None:
            return None
        return Voorschot(gemeentecode, agb, Periode(row.periode_begindatum, row.periode_einddatum), tuple(VoorschotRegel(**r) for r in row.regels), row.verrekend)

    async def bewaar_voorschot(self, v: Voorschot) -> None:
        await self.session.execute(
            pg_insert(voorschot)
            .values(
                gemeentecode=v.gemeentecode,
                agb=v.agb,
                periode_begindatum=v.periode.begindatum,
                periode_einddatum=v.periode.einddatum,
                bedrag=v.bedrag,
                verrekend=v.verrekend,
                regels=[dataclasses.asdict(r) for r in v.regels],
            )
            .on_conflict_do_nothing()
        )

    async def bewaar_afrekening(self, a: Afrekening) -> int:
        """Stores an afrekening; returns its id."""
        result = await self.session.execute(
            insert(afrekening).values(
                gemeentecode=a.gemeentecode,
                agb=a.agb,
                periode_begindatum=a.periode.begindatum,
                periode_einddatum=a.periode.einddatum,
                soort=a.soort.value,
                voorschot=a.voorschot,
                gedeclareerd=a.gedeclareerd,
                toegekend=a.toegekend,
                saldo=a.saldo,
                verschil_met_voorlopig=a.verschil_met_voorlopig,
            )
            .returning(afrekening.c.id)
        )
        return int(result.scalar_one())

    async def laatste(self, gemeentecode: str, agb: str, periode: Periode, soort: AfrekeningSoort) -> Afrekening | None:
        a = afrekening.c
        row = (
            await self.session.execute(
                select(afrekening)
                .where(a.gemeentecode == gemeentecode, a.agb == agb, a.periode_begindatum == periode.begindatum, a.soort == soort.value)
                .order_by(a.id.desc())
                .limit(1)
            )
        ).first()
        return _afrekening(row) if row is not None else None

    async def list(self, tenant: Tenant, limit: int, voor_id: int | None = None) -> list[tuple[int, Afrekening, Any]]:
        """The caller's afrekeningen, newest first; keyset: those with an id below `voor_id`."""
        a = afrekening.c
        query = select(afrekening).where(tenant.clause(a.gemeentecode, a.agb))
        if voor_id is not None:
            query = query.where(a.id < voor_id)
        rows = await self.session.execute(query.order_by(a.id.desc()).limit(limit))
        return [(r.id, _afrekening(r), r.gemaakt_op) for r in rows]

    async def definitieve(self, gemeentecode: str, periode: Periode) -> list[Afrekening]:
        """The definitieve afrekeningen of a gemeente's period (one per aanbieder), by AGB."""
        a = afrekening.c
        rows = await self.session.execute(
            select(afrekening)
            .where(a.gemeentecode == gemeentecode, a.periode_begindatum == periode.begindatum, a.periode_einddatum == periode.einddatum, a.soort == AfrekeningSoort.DEFINITIEF.value)
            .order_by(a.agb)
        )
        return [_afrekening(r) for r in rows]

    async def list_voorschotten(
        self, tenant: Tenant, limit: int, gemeentecode: str | None, agb: str | None, na: tuple[date, str, str] | None
    ) -> list[tuple[Voorschot, Any]]:
        """The caller's fixed voorschotten, newest period first; keyset on (begindatum, gemeente, AGB)."""
        v = voorschot.c
        query = select(voorschot).where(tenant.clause(v.gemeentecode, v.agb))
        if gemeentecode:
            query = query.where(v.gemeentecode == gemeentecode)
        if agb:
            query = query.where(v.agb == agb)
        if na is not None:
            query = query.where(tuple_(v.periode_begindatum, v.gemeentecode, v.agb) < na)
        rows = await self.session.execute(query.order_by(v.periode_begindatum.desc(), v.gemeentecode.desc(), v.agb.desc()).limit(limit))
        return [
            (Voorschot(r.gemeentecode, r.agb, Periode(r.periode_begindatum, r.periode_einddatum), tuple(VoorschotRegel(**x) for x in r.regels), r.verrekend), r.vastgesteld_op)
            for r in rows
        ]


def ingediende_prestatie_uit(row: Any) -> IngediendePrestatie:
    return IngediendePrestatie(
        gemeentecode=row.gemeentecode,
        wet=Wet(row.wet),
        agb=row.agb,
        bsn=row.bsn,
        toewijzing_nummer=row.toewijzing_nummer,
        begindatum=row.begindatum,
        einddatum=row.einddatum,
        volume=row.geleverd_volume,
        eenheid=row.eenheid,
        bedrag=row.bedrag,
        debet_credit=row.debet_credit,
        toegekend=row.toegekend,
    )


def _afrekening(row: Any) -> Afrekening:
    return Afrekening(
        soort=AfrekeningSoort(row.soort),
        gemeentecode=row.gemeentecode,
        agb=row.agb,
        periode=Periode(row.periode_begindatum, row.periode_einddatum),
        voorschot=row.voorschot,
        gedeclareerd=row.gedeclareerd,
        toegekend=row.toegekend,
        verschil_met_voorlopig=row.verschil_met_voorlopig,
    )


