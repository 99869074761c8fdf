"""Persistence of beschikkingen, their producten and history, and of the copy of the contracts.

Every read is limited to the caller's tenancy (a gemeente's own beschikkingen; an aanbieder none).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert as sa_insert, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from indicatie.adapters.tables import (
    beschikking as beschikking_table,
    beschikking_mutatie,
    beschikkingnummer_seq,
    beschikt_product,
    contract as contract_table,
    toewijslijst_aanbieder,
    toewijslijst_toewijzing,
)
from indicatie.domain import events
from indicatie.domain.herindicatie import ToewijslijstToewijzing
from indicatie.domain.beschikking import (
    Beschikking,
    BeschikkingMutatie,
    BeschikkingStatus,
    BeschiktProduct,
    ContractRegel,
    Omvang,
    Reden,
    Uitvoeringsvariant,
    Wet,
)
from runtime.tenancy import Tenant


def _product_rows(b: Beschikking) -> list[dict[str, Any]]:
    return [
        {
            "gemeentecode": b.gemeentecode,
            "beschikkingnummer": b.beschikkingnummer,
            "volgnummer": i,
            "categorie": p.categorie,
            "code": p.code,
            "volume": p.omvang.volume if p.omvang else None,
            "eenheid": p.omvang.eenheid if p.omvang else None,
            "frequentie": p.omvang.frequentie if p.omvang else None,
            "budget_eurocent": p.budget_eurocent,
            "ingangsdatum": p.ingangsdatum,
            "einddatum": p.einddatum,
            "uitvoeringsvariant": p.uitvoeringsvariant.value,
            "agb": p.agb,
        }
        for i, p in enumerate(b.producten, start=1)
    ]


def _product(row) -> BeschiktProduct:  # type: ignore[no-untyped-def]
    return BeschiktProduct(
        categorie=row.categorie,
        code=row.code,
        ingangsdatum=row.ingangsdatum,
        einddatum=row.einddatum,
        uitvoeringsvariant=Uitvoeringsvariant(row.uitvoeringsvariant),
        omvang=Omvang(row.volume, row.eenheid, row.frequentie) if row.volume is not None else None,
        budget_eurocent=row.budget_eurocent,
        agb=row.agb,
    )


def _beschikking(row, producten: Sequence[BeschiktProduct]) -> Beschikking:  # type: ignore[no-untyped-def]
    return Beschikking(
        beschikkingnummer=row.beschikkingnummer,
        bsn=row.bsn,
        gemeentecode=row.gemeentecode,
        wet=Wet(row.wet),
        beschikkingsdatum=row.beschikkingsdatum,
        producten=tuple(producten),
        status=BeschikkingStatus(row.status),
        versie=row.versie,
        reden=Reden(row.reden_code, row.reden_toelichting or "") if row.reden_code else None,
        ingetrokken_per=row.ingetrokken_per,
    )


class BeschikkingRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def nieuw_nummer(self) -> str:
        return str(await self.session.scalar(select(beschikkingnummer_seq.next_value())))

    async def add(self, b: Beschikking, door: str) -> bool:
        """Stores a new beschikking; False when the gemeente has one with this beschikkingnummer."""
        result = await self.session.execute(
            insert(beschikking_table)
            .values(
                gemeentecode=b.gemeentecode,
                beschikkingnummer=b.beschikkingnummer,
                bsn=b.bsn,
                wet=b.wet.value,
                beschikkingsdatum=b.beschikkingsdatum,
                status=b.status.value,
                versie=b.versie,
                afgegeven_door=door,
            )
            .on_conflict_do_nothing()
            .returning(beschikking_table.c.beschikkingnummer)
        )
        if result.first() is None:
            return False
        await self.session.execute(sa_insert(beschikt_product), _product_rows(b))
        await self._history(b, door)
        return True

    async def update(self, b: Beschikking, door: str) -> None:
        """Stores a new versie; the caller read the old one FOR UPDATE, so versions cannot interleave."""
        await self.session.execute(
            update(beschikking_table)
            .where(beschikking_table.c.gemeentecode == b.gemeentecode, beschikking_table.c.beschikkingnummer == b.beschikkingnummer)
            .values(
                status=b.status.value,
                versie=b.versie,
                reden_code=b.reden.code if b.reden else None,
                reden_toelichting=b.reden.toelichting if b.reden else None,
                ingetrokken_per=b.ingetrokken_per,
                gewijzigd_op=func.now(),
            )
        )
        await self.session.execute(
            delete(beschikt_product).where(
                beschikt_product.c.gemeentecode == b.gemeentecode, beschikt_product.c.beschikkingnummer == b.beschikkingnummer
            )
        )
        await self.session.execute(sa_insert(beschikt_product), _product_rows(b))
        await self._history(b, door)

    async def _history(self, b: Beschikking, door: str) -> None:
        await self.session.execute(
            sa_insert(beschikking_mutatie).values(
                gemeentecode=b.gemeentecode,
                beschikkingnummer=b.beschikkingnummer,
                versie=b.versie,
                status=b.status.value,
                reden_code=b.reden.code if b.reden else None,
                reden_toelichting=b.reden.toelichting if b.reden else None,
                ingetrokken_per=b.ingetrokken_per,
                producten=[events.product(p) for p in b.producten],
                door=door,
            )
        )

    async def get(self, tenant: Tenant, gemeentecode: str, beschikkingnummer: str, for_update: bool = False) -> Beschikking | None:
        query = select(beschikking_table).where(
            beschikking_table.c.gemeentecode == gemeentecode,
            beschikking_table.c.beschikkingnummer == beschikkingnummer,
            tenant.clause(beschikking_table.c.gemeentecode),
        )
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        if row is None:
            return None
        producten = await self._producten([(row.gemeentecode, row.beschikkingnummer)])
        return _beschikking(row, producten.get((row.gemeentecode, row.beschikkingnummer), []))

    async def list(
        self, tenant: Tenant, after: tuple[str, str] | None, limit: int, gemeentecode: str = "", bsn: str = ""
    ) -> list[Beschikking]:
        t = beschikking_table
        query = select(t).where(tenant.clause(t.c.gemeentecode))
        if gemeentecode:
            query = query.where(t.c.gemeentecode == gemeentecode)
        if bsn:
            query = query.where(t.c.bsn == bsn)
        if after is not None:
            query = query.where(tuple_(t.c.gemeentecode, t.c.beschikkingnummer) > after)
        rows = (await self.session.execute(query.order_by(t.c.gemeentecode, t.c.beschikkingnummer).limit(limit))).all()
        producten = await self._producten([(r.gemeentecode, r.beschikkingnummer) for r in rows])
        return [_beschikking(r, producten.get((r.gemeentecode, r.beschikkingnummer), [])) for r in rows]

    async def toewijslijst_aanbieders(self, gemeentecode: str, beschikkingnummer: str) -> dict[str, str]:
        """The aanbieders the toewijslijst gave producten of this beschikking: product key -> AGB (the
        caller has checked the right to the beschikking)."""
        t = toewijslijst_aanbieder.c
        rows = await self.session.execute(
            select(t.product, t.agb).where(t.gemeentecode == gemeentecode, t.beschikkingnummer == beschikkingnummer)
        )
        return {r.product: r.agb for r in rows}

    async def leg_toewijslijst_aanbieder_vast(self, gemeentecode: str, beschikkingnummer: str, product: str, agb: str, inschrijving_id: str) -> None:
        """Records that the toewijslijst gave this product to `agb` (a later confirmation replaces an earlier one)."""
        await self.session.execute(
            insert(toewijslijst_aanbieder)
            .values(gemeentecode=gemeentecode, beschikkingnummer=beschikkingnummer, product=product, agb=agb, inschrijving_id=inschrijving_id)
            .on_conflict_do_update(
                index_elements=["gemeentecode", "beschikkingnummer", "product"],
                set_={"agb": agb, "inschrijving_id": inschrijving_id, "bevestigd_op": func.now()},
            )
        )

    async def toewijslijst_toewijzingen(self, gemeentecode: str, beschikkingnummer: str) -> list[ToewijslijstToewijzing]:
        """The toewijzingen made for producten of this beschikking without a chosen aanbieder (the caller
        has checked the right to the beschikking)."""
        t = toewijslijst_toewijzing.c
        rows = await self.session.execute(
            select(t.product, t.agb, t.einddatum, t.verwijderd, t.eindigt_voor_product).where(
                t.gemeentecode == gemeentecode, t.beschikkingnummer == beschikkingnummer
            )
        )
        return [ToewijslijstToewijzing(r.product, r.agb, r.einddatum, r.verwijderd, r.eindigt_voor_product) for r in rows]

    async def leg_toewijslijst_toewijzing_vast(
        self, gemeentecode: str, wet: str, toewijzing_nummer: int, versie: int, beschikkingnummer: str, toewijzing: ToewijslijstToewijzing
    ) -> None:
        """Records a version of a toewijzing for a product without a chosen aanbieder; an older version
        than the one recorded (events may arrive out of order) changes nothing."""
        waarden = {
            "versie": versie,
            "product": toewijzing.product,
            "agb": toewijzing.agb,
            "einddatum": toewijzing.einddatum,
            "verwijderd": toewijzing.verwijderd,
            "eindigt_voor_product": toewijzing.eindigt_voor_product,
        }
        stmt = insert(toewijslijst_toewijzing).values(
            gemeentecode=gemeentecode, wet=wet, toewijzing_nummer=toewijzing_nummer, beschikkingnummer=beschikkingnummer, **waarden
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["gemeentecode", "wet", "toewijzing_nummer"],
                set_=waarden,
                where=toewijslijst_toewijzing.c.versie < stmt.excluded.versie,
            )
        )

    async def van_client(self, gemeentecode: str, bsn: str, behalve: str = "") -> list[Beschikking]:
        """The cliënt's other beschikkingen (for the overlap check; the caller holds the cliënt's lock)."""
        t = beschikking_table
        query = select(t).where(t.c.gemeentecode == gemeentecode, t.c.bsn == bsn, t.c.beschikkingnummer != behalve)
        rows = (await self.session.execute(query)).all()
        producten = await self._producten([(r.gemeentecode, r.beschikkingnummer) for r in rows])
        return [_beschikking(r, producten.get((r.gemeentecode, r.beschikkingnummer), [])) for r in rows]

    async def _producten(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[BeschiktProduct]]:
        if not keys:
            return {}
        p = beschikt_product
        rows = await self.session.execute(
            select(p).where(tuple_(p.c.gemeentecode, p.c.beschikkingnummer).in_(keys)).order_by(p.c.volgnummer)
        )
        result: dict[tuple[str, str], list[BeschiktProduct]] = {}
        for row in rows:
            result.setdefault((row.gemeentecode, row.beschikkingnummer), []).append(_product(row))
        return result

    async def history(self, tenant: Tenant, gemeentecode: str, beschikkingnummer: str) -> list[BeschikkingMutatie]:
        m = beschikking_mutatie
        rows = await self.session.execute(
            select(m)
            .where(m.c.gemeentecode == gemeentecode, m.c.beschikkingnummer == beschikkingnummer, tenant.clause(m.c.gemeentecode))
            .order_by(m.c.versie)
        )
        return [
            BeschikkingMutatie(
                beschikkingnummer=r.beschikkingnummer,
                gemeentecode=r.gemeentecode,
                versie=r.versie,
                status=BeschikkingStatus(r.status),
                door=r.door,
                reden=Reden(r.reden_code, r.reden_toelichting or "") if r.reden_code else None,
            )
            for r in rows
        ]


class ContractRepository:
    """The indicatie service's copy of the declaratie contracts."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, contract_id: str, regel: ContractRegel, agb: str, eenheid: str) -> None:
        await self.session.execute(
            insert(contract_table)
            .values(
                id=contract_id,
                gemeentecode=regel.gemeentecode,
                agb=agb,
                wet=regel.wet,
                productcategorie=regel.productcategorie,
                productcode=regel.productcode,
                uitvoeringsvariant=regel.uitvoeringsvariant,
                eenheid=eenheid,
                begindatum=regel.begindatum,
                einddatum=regel.einddatum,
            )
            .on_conflict_do_nothing()
        )

    async def voor(self, gemeentecode: str, categorieen: Sequence[str]) -> list[ContractRegel]:
        """The contract versions of the gemeente in these productcategorieën."""
        c = contract_table
        rows = await self.session.execute(
            select(c).where(c.c.gemeentecode == gemeentecode, c.c.productcategorie.in_(sorted(set(categorieen))))
        )
        return [
            ContractRegel(
                gemeentecode=r.gemeentecode,
                wet=r.wet,
                productcategorie=r.productcategorie,
                productcode=r.productcode,
                uitvoeringsvariant=r.uitvoeringsvariant,
                begindatum=r.begindatum,
                einddatum=r.einddatum,
                agb=r.agb,
            )
            for r in rows
        ]
