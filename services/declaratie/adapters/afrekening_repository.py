"""Persistence of voorschotten and afrekeningen, and the reads they are computed from."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import insert, select
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
        return [
            IngediendePrestatie(
                gemeentecode=r.gemeentecode,
                wet=Wet(r.wet),
                agb=r.agb,
                bsn=r.bsn,
                toewijzing_nummer=r.toewijzing_nummer,
                begindatum=r.begindatum,
                einddatum=r.einddatum,
                volume=r.geleverd_volume,
                eenheid=r.eenheid,
                bedrag=r.bedrag,
                debet_credit=r.debet_credit,
                toegekend=r.toegekend,
            )
            for r in rows
        ]

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

    async def list(self, tenant: Tenant, limit: int) -> list[tuple[int, Afrekening, Any]]:
        a = afrekening.c
        rows = await self.session.execute(select(afrekening).where(tenant.clause(a.gemeentecode, a.agb)).order_by(a.id.desc()).limit(limit))
        return [(r.id, _afrekening(r), r.gemaakt_op) for r in rows]


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


