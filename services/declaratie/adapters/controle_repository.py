"""Persistence of the declaratiecontrole: the copies of toewijzingen and leveringen, and the judged
323s with their prestaties. The state one 323 is judged against is read set-based: a handful of
queries per 323, whatever its number of prestaties."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Text, and_, any_, bindparam, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.domain import model
from declaratie.adapters.repository import contract_uit
from declaratie.adapters.tables import contract, declaratie, levering_kopie, prestatie, prestatiestand, toewijzing_kopie
from declaratie.domain.controle import EerderePrestatie, Stand
from declaratie.domain.toewijzingstand import STOP, LeveringKopie, Omvang, ToewijzingKopie
from runtime.domein import Uitvoeringsvariant, Wet
from runtime.errors import NotFound
from runtime.tenancy import Tenant


def toewijzing_kopie_uit(row: Any) -> ToewijzingKopie:
    return ToewijzingKopie(
        gemeentecode=row.gemeentecode,
        wet=Wet(row.wet),
        toewijzing_nummer=row.toewijzing_nummer,
        bsn=row.bsn,
        agb=row.agb,
        categorie=row.categorie,
        code=row.code,
        ingangsdatum=row.ingangsdatum,
        einddatum=row.einddatum,
        uitvoeringsvariant=Uitvoeringsvariant(row.uitvoeringsvariant),
        omvang=Omvang(row.volume, row.eenheid, row.frequentie) if row.volume is not None else None,
        budget=row.budget,
        verwijderd=row.verwijderd,
        versie=row.versie,
    )


def levering_uit(row: Any) -> LeveringKopie:
    return LeveringKopie(
        soort=row.soort,
        gemeentecode=row.gemeentecode,
        wet=Wet(row.wet),
        agb=row.agb,
        bsn=row.bsn,
        toewijzing_nummer=row.toewijzing_nummer,
        categorie=row.categorie,
        code=row.code,
        begindatum=row.begindatum,
        einddatum=row.einddatum,
        reden_beeindiging=row.reden_beeindiging,
        bericht_id=row.bericht_id,
    )


def _eerdere(row: Any) -> EerderePrestatie:
    return EerderePrestatie(
        referentie_nummer=row.referentie_nummer,
        vorig_referentie_nummer=row.vorig_referentie_nummer,
        toewijzing_nummer=row.toewijzing_nummer,
        product_categorie=row.product_categorie,
        product_code=row.product_code,
        product_periode_begindatum=row.begindatum,
        product_periode_einddatum=row.einddatum,
        geleverd_volume=row.geleverd_volume,
        eenheid=row.eenheid,
        bedrag=row.bedrag,
        debet_credit=row.debet_credit,
        toegekend=row.toegekend,
        gecrediteerd=row.gecrediteerd,
    )


class ControleRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    # ------------------------------------------------------------ copies from the toewijzing service

    async def bewaar_toewijzing(self, t: ToewijzingKopie) -> None:
        """Keeps the latest version: an older or repeated one changes nothing."""
        values = {
            "gemeentecode": t.gemeentecode,
            "wet": t.wet.value,
            "toewijzing_nummer": t.toewijzing_nummer,
            "versie": t.versie,
            "bsn": t.bsn,
            "agb": t.agb,
            "categorie": t.categorie,
            "code": t.code,
            "ingangsdatum": t.ingangsdatum,
            "einddatum": t.einddatum,
            "uitvoeringsvariant": t.uitvoeringsvariant.value,
            "volume": t.omvang.volume if t.omvang else None,
            "eenheid": t.omvang.eenheid if t.omvang else None,
            "frequentie": t.omvang.frequentie if t.omvang else None,
            "budget": t.budget,
            "verwijderd": t.verwijderd,
        }
        stmt = pg_insert(toewijzing_kopie).values(**values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["gemeentecode", "wet", "toewijzing_nummer"],
                set_={k: stmt.excluded[k] for k in values if k not in ("gemeentecode", "wet", "toewijzing_nummer")},
                where=toewijzing_kopie.c.versie < stmt.excluded.versie,
            )
        )

    async def bewaar_levering(self, lev: LeveringKopie) -> None:
        await self.session.execute(
            insert(levering_kopie).values(
                soort=lev.soort,
                gemeentecode=lev.gemeentecode,
                wet=lev.wet.value,
                agb=lev.agb,
                bsn=lev.bsn,
                toewijzing_nummer=lev.toewijzing_nummer,
                categorie=lev.categorie,
                code=lev.code,
                begindatum=lev.begindatum,
                einddatum=lev.einddatum,
                reden_beeindiging=lev.reden_beeindiging,
                bericht_id=lev.bericht_id,
            )
        )

    async def verwijder_levering(self, lev: LeveringKopie) -> None:
        lk = levering_kopie.c
        conditions = [lk.soort == lev.soort, lk.gemeentecode == lev.gemeentecode, lk.wet == lev.wet.value, lk.agb == lev.agb, lk.bsn == lev.bsn, lk.begindatum == lev.begindatum]
        conditions.append(lk.toewijzing_nummer.is_(None) if lev.toewijzing_nummer is None else lk.toewijzing_nummer == lev.toewijzing_nummer)
        if lev.soort == STOP:
            conditions += [lk.einddatum == lev.einddatum, lk.reden_beeindiging == lev.reden_beeindiging]
        await self.session.execute(delete(levering_kopie).where(*conditions))

    # ------------------------------------------------------------ the state of one 323

    async def stand(self, bericht_id: str, gemeentecode: str, wet: Wet, agb: str, bericht: model.DeclaratieBericht) -> Stand:
        d = bericht.declaratie
        prestaties = [p for c in d.clienten for p in c.prestaties]
        nummers = sorted({p.toewijzing_nummer for p in prestaties})
        referenties = sorted({p.product_referentie.referentie_nummer for p in prestaties} | {p.product_referentie.vorig_referentie_nummer for p in prestaties if p.product_referentie.vorig_referentie_nummer})
        tk, lk, ct, pr, dc = toewijzing_kopie.c, levering_kopie.c, contract.c, prestatie.c, declaratie.c
        # one array parameter each (= ANY), not thousands of IN placeholders: converting those dominated the time
        nummers_p = any_(bindparam("nummers", nummers, type_=ARRAY(BigInteger)))
        referenties_p = any_(bindparam("referenties", referenties, type_=ARRAY(Text)))
        toewijzingen = [toewijzing_kopie_uit(r) for r in await self.session.execute(select(toewijzing_kopie).where(tk.gemeentecode == gemeentecode, tk.wet == wet.value, tk.toewijzing_nummer == nummers_p))]
        leveringen = [levering_uit(r) for r in await self.session.execute(select(levering_kopie).where(lk.gemeentecode == gemeentecode, lk.wet == wet.value, lk.toewijzing_nummer == nummers_p))]
        contracten = [contract_uit(r) for r in await self.session.execute(select(contract).where(ct.gemeentecode == gemeentecode, ct.agb == agb, ct.wet == wet.value))]
        eerdere = [
            _eerdere(r)
            for r in await self.session.execute(
                select(prestatie).where(
                    pr.bericht_id != bericht_id,
                    or_(
                        and_(pr.agb == agb, pr.wet == wet.value, pr.referentie_nummer == referenties_p),
                        and_(pr.gemeentecode == gemeentecode, pr.wet == wet.value, pr.toewijzing_nummer == nummers_p),
                    ),
                )
            )
        ]
        gebruikt = await self.session.execute(
            select(dc.declaratie_nummer).where(dc.agb == agb, dc.wet == wet.value, dc.declaratie_nummer == d.declaratie_nummer, dc.bericht_id != bericht_id)
        )
        laatste = (
            await self.session.execute(
                select(func.max(dc.periode_begindatum)).where(dc.agb == agb, dc.wet == wet.value, dc.gemeentecode == gemeentecode, dc.bericht_id != bericht_id, dc.geheel_afgewezen.is_(False))
            )
        ).scalar_one()
        return Stand(
            gemeentecode=gemeentecode,
            wet=wet,
            agb=agb,
            toewijzingen=tuple(toewijzingen),
            contracten=tuple(contracten),
            eerdere_prestaties=tuple(eerdere),
            declaratienummers=frozenset(n for (n,) in gebruikt),
            laatste_declaratieperiode=laatste,
            leveringen=tuple(leveringen),
        )

    # ------------------------------------------------------------ the outcome of one 323

    async def bewaar_declaratie(
        self,
        bericht_id: str,
        gemeentecode: str,
        wet: Wet,
        agb: str,
        bericht: model.DeclaratieBericht,
        toegekend: Sequence[model.Prestatie],
        afgewezen: dict[int, list[str]],
        toegekend_eurocent: int,
    ) -> None:
        """Stores the 323's totals and every prestatie with its outcome (`afgewezen`: id(prestatie) ->
        its retourcodes); an accepted credit marks the debet it credits as gecrediteerd."""
        d = bericht.declaratie
        ingediend = d.totaal_ingediend_bedrag.totaal_bedrag * (-1 if d.totaal_ingediend_bedrag.debet_credit == "C" else 1)
        alle = [(c.bsn, p) for c in d.clienten for p in c.prestaties]
        await self.session.execute(
            insert(declaratie).values(
                bericht_id=bericht_id,
                gemeentecode=gemeentecode,
                wet=wet.value,
                agb=agb,
                declaratie_nummer=d.declaratie_nummer,
                periode_begindatum=d.declaratie_periode.begindatum,
                periode_einddatum=d.declaratie_periode.einddatum,
                ingediend_eurocent=ingediend,
                toegekend_eurocent=toegekend_eurocent,
                aantal_prestaties=len(alle),
                aantal_afgewezen=len(alle) - len(toegekend),
                geheel_afgewezen=not toegekend and bool(alle),
            )
        )
        accepted = {id(p) for p in toegekend}
        rows = [
            {
                "bericht_id": bericht_id,
                "gemeentecode": gemeentecode,
                "wet": wet.value,
                "agb": agb,
                "bsn": bsn,
                "referentie_nummer": p.product_referentie.referentie_nummer,
                "vorig_referentie_nummer": p.product_referentie.vorig_referentie_nummer,
                "toewijzing_nummer": p.toewijzing_nummer,
                "product_categorie": p.product_categorie,
                "product_code": p.product_code,
                "begindatum": p.product_periode.begindatum,
                "einddatum": p.product_periode.einddatum,
                "geleverd_volume": p.geleverd_volume,
                "eenheid": p.eenheid,
                "product_tarief": p.product_tarief,
                "bedrag": p.ingediend_bedrag.bedrag,
                "debet_credit": p.ingediend_bedrag.debet_credit,
                "toegekend": id(p) in accepted,
                "retour_codes": afgewezen.get(id(p), []),
            }
            for bsn, p in alle
        ]
        for start in range(0, len(rows), 5000):
            await self.session.execute(insert(prestatie), rows[start : start + 5000])
        gecrediteerd = [p.product_referentie.vorig_referentie_nummer for p in toegekend if p.ingediend_bedrag.debet_credit == "C" and p.product_referentie.vorig_referentie_nummer]
        if gecrediteerd:
            pr = prestatie.c
            await self.session.execute(
                update(prestatie)
                .where(pr.agb == agb, pr.wet == wet.value, pr.referentie_nummer.in_(gecrediteerd), pr.debet_credit == "D", pr.toegekend.is_(True))
                .values(gecrediteerd=True)
            )

    async def werk_prestatiestand_bij(self, gemeentecode: str, wet: Wet, nummers: Sequence[int]) -> list[tuple[int, bool, int]]:
        """Recomputes, for these toewijzingen, whether approved non-credited debet prestaties exist (TR385);
        returns (nummer, toegekend_open, versie) of those whose state changed (a new one counts as changed when true)."""
        if not nummers:
            return []
        pr, ps = prestatie.c, prestatiestand.c
        open_ = func.bool_or(pr.toegekend & (pr.debet_credit == "D") & pr.gecrediteerd.is_(False))
        rows = await self.session.execute(
            select(pr.toewijzing_nummer, open_.label("open"))
            .where(pr.gemeentecode == gemeentecode, pr.wet == wet.value, pr.toewijzing_nummer == any_(bindparam("nummers", sorted(set(nummers)), type_=ARRAY(BigInteger))))
            .group_by(pr.toewijzing_nummer)
        )
        nu = {r.toewijzing_nummer: bool(r.open) for r in rows}
        oud = {
            r.toewijzing_nummer: r.toegekend_open
            for r in await self.session.execute(
                select(ps.toewijzing_nummer, ps.toegekend_open).where(ps.gemeentecode == gemeentecode, ps.wet == wet.value, ps.toewijzing_nummer.in_(sorted(nu)))
            )
        }
        gewijzigd = []
        for nummer, waarde in sorted(nu.items()):
            if oud.get(nummer, False) == waarde and (nummer in oud or not waarde):
                continue
            statement = pg_insert(prestatiestand).values(gemeentecode=gemeentecode, wet=wet.value, toewijzing_nummer=nummer, toegekend_open=waarde, versie=1)
            result = await self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["gemeentecode", "wet", "toewijzing_nummer"],
                    set_={"toegekend_open": waarde, "versie": prestatiestand.c.versie + 1},
                    where=prestatiestand.c.toegekend_open.is_distinct_from(waarde),
                ).returning(prestatiestand.c.versie)
            )
            versie = result.scalar_one_or_none()
            if versie is not None:
                gewijzigd.append((nummer, waarde, int(versie)))
        return gewijzigd

    async def is_beoordeeld(self, bericht_id: str) -> bool:
        return (await self.session.execute(select(declaratie.c.bericht_id).where(declaratie.c.bericht_id == bericht_id))).first() is not None

    # ------------------------------------------------------------ queries for callers

    async def list_declaraties(self, tenant: Tenant, limit: int, after: tuple[str, str] | None = None) -> list[Any]:
        dc = declaratie.c
        query = select(declaratie).where(tenant.clause(dc.gemeentecode, dc.agb))
        if after is not None:
            query = query.where(tuple_(dc.beoordeeld_op, dc.bericht_id) < (after[0], after[1]))
        return list(await self.session.execute(query.order_by(dc.beoordeeld_op.desc(), dc.bericht_id.desc()).limit(limit)))

    async def prestaties_van_client(self, tenant: Tenant, gemeentecode: str, bsn: str, limit: int, after: tuple[date, int] | None = None) -> list[Any]:
        """The cliënt's prestaties within the caller's tenancy (an aanbieder: its own), latest period first,
        each with the declaratienummer of its 323."""
        pr, dc = prestatie.c, declaratie.c
        query = (
            select(prestatie, dc.declaratie_nummer)
            .join(declaratie, dc.bericht_id == pr.bericht_id)
            .where(pr.gemeentecode == gemeentecode, pr.bsn == bsn, tenant.clause(pr.gemeentecode, pr.agb))
        )
        if after is not None:
            query = query.where(tuple_(pr.begindatum, pr.id) < (after[0], after[1]))
        return list(await self.session.execute(query.order_by(pr.begindatum.desc(), pr.id.desc()).limit(limit)))

    async def get_declaratie(self, tenant: Tenant, bericht_id: str) -> tuple[Any, list[Any]]:
        dc, pr = declaratie.c, prestatie.c
        row = (await self.session.execute(select(declaratie).where(dc.bericht_id == bericht_id, tenant.clause(dc.gemeentecode, dc.agb)))).first()
        if row is None:
            raise NotFound("no such declaratie")
        prestaties = list(await self.session.execute(select(prestatie).where(pr.bericht_id == bericht_id).order_by(pr.id)))
        return row, prestaties
