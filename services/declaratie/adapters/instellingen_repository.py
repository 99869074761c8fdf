"""Persistence of the gemeente settings and of the accounts a gemeente pays its aanbieders on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from declaratie.adapters.tables import betaalgegevens, gemeente_instelling
from declaratie.domain.betaalbestand import Rekeninghouder
from declaratie.domain.instellingen import GemeenteInstellingen
from declaratie.domain.periode import PeriodeRitme, Ritme


class InstellingenRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def van(self, gemeentecode: str) -> GemeenteInstellingen:
        """The gemeente's settings, or the defaults when it has none."""
        return (await self.van_gemeenten([gemeentecode]))[gemeentecode]

    async def van_gemeenten(self, gemeentecodes: Iterable[str]) -> dict[str, GemeenteInstellingen]:
        codes = sorted(set(gemeentecodes))
        rows = await self.session.execute(select(gemeente_instelling).where(gemeente_instelling.c.gemeentecode.in_(codes)))
        gevonden = {r.gemeentecode: _instellingen(r) for r in rows}
        return {code: gevonden.get(code) or GemeenteInstellingen(code) for code in codes}

    async def bewaar(self, instellingen: GemeenteInstellingen, door: str) -> None:
        d = instellingen.debiteur
        values = {
            "ritme": instellingen.ritme.ritme.value,
            "eerste_maandag": instellingen.ritme.eerste_maandag,
            "onderbenutting_drempel_dagen": instellingen.onderbenutting_drempel_dagen,
            "debiteur_naam": d.naam if d else None,
            "debiteur_iban": d.iban if d else None,
            "debiteur_bic": d.bic if d else None,
            "gewijzigd_door": door,
        }
        statement = insert(gemeente_instelling).values(gemeentecode=instellingen.gemeentecode, **values)
        await self.session.execute(statement.on_conflict_do_update(index_elements=["gemeentecode"], set_={**values, "gewijzigd_op": statement.excluded.gewijzigd_op}))

    async def bewaar_betaalgegevens(self, gemeentecode: str, houder: Rekeninghouder, door: str) -> None:
        assert houder.agb is not None
        values = {"naam": houder.naam, "iban": houder.iban, "bic": houder.bic, "gewijzigd_door": door}
        statement = insert(betaalgegevens).values(gemeentecode=gemeentecode, agb=houder.agb, **values)
        await self.session.execute(statement.on_conflict_do_update(index_elements=["gemeentecode", "agb"], set_={**values, "gewijzigd_op": statement.excluded.gewijzigd_op}))

    async def betaalgegevens(self, gemeentecode: str, agbs: Iterable[str]) -> dict[str, Rekeninghouder]:
        b = betaalgegevens.c
        rows = await self.session.execute(select(betaalgegevens).where(b.gemeentecode == gemeentecode, b.agb.in_(sorted(set(agbs)))))
        return {r.agb: Rekeninghouder(r.naam, r.iban, r.bic, r.agb) for r in rows}


def _instellingen(row: Any) -> GemeenteInstellingen:
    ritme = Ritme(row.ritme)
    debiteur = Rekeninghouder(row.debiteur_naam, row.debiteur_iban, row.debiteur_bic) if row.debiteur_iban else None
    return GemeenteInstellingen(
        gemeentecode=row.gemeentecode,
        ritme=PeriodeRitme(ritme, row.eerste_maandag if ritme is Ritme.VIER_WEKEN else None),
        onderbenutting_drempel_dagen=row.onderbenutting_drempel_dagen,
        debiteur=debiteur,
    )
