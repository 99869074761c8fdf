"""Persistence of the toewijzing service: rows in, domain objects out, every caller query filtered
by the caller's tenancy (`Tenant.clause`). Methods without a tenant serve the service's own event
handling, which acts for the gemeente named in the event or message."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from runtime.domein import Uitvoeringsvariant, Wet
from runtime.errors import NotFound
from runtime.tenancy import Tenant
from toewijzing.adapters.tables import (
    contract,
    identificatie_reeks,
    inschrijving,
    levering,
    nummer_reeks,
    prestatiestand,
    toewijzing_versie,
    uitgaand_bericht,
    uitgestelde_verwijdering,
    verzoek,
)
from toewijzing.domain.levering import Start, Stop
from toewijzing.domain.toewijslijst import Inschrijving, InschrijvingStatus
from toewijzing.domain.toewijzing import Omvang, Product, Toewijzing, ToewijzingStatus, UitgesteldeVerwijdering, huidige_versies
from toewijzing.domain.verzoek import GevraagdProduct, GevraagdProductSoort, Verzoek, VerzoekStatus


def _omvang_cols(omvang: Omvang | None) -> dict[str, Any]:
    return {"volume": omvang.volume if omvang else None, "eenheid": omvang.eenheid if omvang else None, "frequentie": omvang.frequentie if omvang else None}


def _omvang(row: Any) -> Omvang | None:
    return Omvang(row.volume, row.eenheid, row.frequentie) if row.volume is not None else None


def _product(row: Any) -> Product:
    return Product(row.categorie, row.code)


def _toewijzing(row: Any) -> Toewijzing:
    return Toewijzing(
        gemeentecode=row.gemeentecode,
        wet=Wet(row.wet),
        toewijzing_nummer=row.toewijzing_nummer,
        bsn=row.bsn,
        agb=row.agb,
        product=_product(row),
        ingangsdatum=row.ingangsdatum,
        einddatum=row.einddatum,
        uitvoeringsvariant=Uitvoeringsvariant(row.uitvoeringsvariant),
        toewijzingsmoment=row.toewijzingsmoment,
        omvang=_omvang(row),
        budget=row.budget,
        reden_wijziging=row.reden_wijziging,
        referentie_aanbieder=row.referentie_aanbieder,
        beschikkingnummer=row.beschikkingnummer,
        commentaar=row.commentaar,
        status=ToewijzingStatus(row.status),
        versie=row.versie,
    )


def _uitgesteld(row: Any) -> UitgesteldeVerwijdering:
    return UitgesteldeVerwijdering(
        gemeentecode=row.gemeentecode,
        wet=Wet(row.wet),
        toewijzing_nummer=row.toewijzing_nummer,
        bsn=row.bsn,
        agb=row.agb,
        sinds=row.sinds,
        regel=row.regel,
        retourcode=row.retourcode,
    )


def _toewijzing_row(t: Toewijzing) -> dict[str, Any]:
    return {
        "gemeentecode": t.gemeentecode,
        "wet": t.wet.value,
        "toewijzing_nummer": t.toewijzing_nummer,
        "versie": t.versie,
        "bsn": t.bsn,
        "agb": t.agb,
        "categorie": t.product.categorie,
        "code": t.product.code,
        "ingangsdatum": t.ingangsdatum,
        "einddatum": t.einddatum,
        **_omvang_cols(t.omvang),
        "budget": t.budget,
        "uitvoeringsvariant": t.uitvoeringsvariant.value,
        "toewijzingsmoment": t.toewijzingsmoment,
        "reden_wijziging": t.reden_wijziging,
        "referentie_aanbieder": t.referentie_aanbieder,
        "beschikkingnummer": t.beschikkingnummer,
        "commentaar": t.commentaar,
        "status": t.status.value,
    }


def _levering_row(soort: str, lev: Start | Stop) -> dict[str, Any]:
    row = {
        "soort": soort,
        "gemeentecode": lev.gemeentecode,
        "wet": lev.wet.value,
        "agb": lev.agb,
        "bsn": lev.bsn,
        "toewijzing_nummer": lev.toewijzing_nummer,
        "categorie": lev.product.categorie,
        "code": lev.product.code,
        "toewijzing_ingangsdatum": lev.toewijzing_ingangsdatum,
        "begindatum": lev.begindatum,
        "ontvangen_op": lev.ontvangen_op,
        "bericht_id": lev.bericht_id,
        "verwijderd": lev.verwijderd,
    }
    if isinstance(lev, Stop):
        row.update(reden_beeindiging=lev.reden_beeindiging, einddatum=lev.einddatum)
    return row


def _levering(row: Any) -> Start | Stop:
    common = dict(
        gemeentecode=row.gemeentecode,
        wet=Wet(row.wet),
        agb=row.agb,
        bsn=row.bsn,
        toewijzing_nummer=row.toewijzing_nummer,
        product=_product(row),
        toewijzing_ingangsdatum=row.toewijzing_ingangsdatum,
        begindatum=row.begindatum,
        ontvangen_op=row.ontvangen_op,
        bericht_id=row.bericht_id,
        verwijderd=row.verwijderd,
    )
    if row.soort == "stop":
        return Stop(**common, reden_beeindiging=row.reden_beeindiging, einddatum=row.einddatum)
    return Start(**common)


def _gevraagd_json(p: GevraagdProduct) -> dict[str, Any]:
    return {
        "soort": p.soort.value,
        "toewijzing_nummer": p.toewijzing_nummer,
        "product": dataclasses.asdict(p.product) if p.product else None,
        "ingangsdatum": p.ingangsdatum.isoformat() if p.ingangsdatum else None,
        "einddatum": p.einddatum.isoformat() if p.einddatum else None,
        "omvang": dataclasses.asdict(p.omvang) if p.omvang else None,
        "budget": p.budget,
        "beschikkingnummer": p.beschikkingnummer,
    }


def _gevraagd(raw: dict[str, Any]) -> GevraagdProduct:
    return GevraagdProduct(
        soort=GevraagdProductSoort(raw["soort"]),
        toewijzing_nummer=raw["toewijzing_nummer"],
        product=Product(**raw["product"]) if raw["product"] else None,
        ingangsdatum=date.fromisoformat(raw["ingangsdatum"]) if raw["ingangsdatum"] else None,
        einddatum=date.fromisoformat(raw["einddatum"]) if raw["einddatum"] else None,
        omvang=Omvang(**raw["omvang"]) if raw["omvang"] else None,
        budget=raw["budget"],
        beschikkingnummer=raw["beschikkingnummer"],
    )


def _verzoek_row(v: Verzoek) -> dict[str, Any]:
    return {
        "id": v.id,
        "soort": v.soort,
        "gemeentecode": v.gemeentecode,
        "wet": v.wet.value,
        "agb": v.agb,
        "bsn": v.bsn,
        "referentie_aanbieder": v.referentie_aanbieder,
        "reden_verzoek": v.reden_verzoek,
        "status": v.status.value,
        "ontvangen_op": v.ontvangen_op,
        "bericht_id": v.bericht_id,
        "producten": [_gevraagd_json(p) for p in v.producten],
        "in_onderzoek_sinds": v.in_onderzoek_sinds,
        "beantwoord_op": v.beantwoord_op,
        "reden_afwijzing": v.reden_afwijzing,
    }


def _verzoek(row: Any) -> Verzoek:
    return Verzoek(
        id=row.id,
        soort=row.soort,
        gemeentecode=row.gemeentecode,
        wet=Wet(row.wet),
        agb=row.agb,
        bsn=row.bsn,
        referentie_aanbieder=row.referentie_aanbieder,
        reden_verzoek=row.reden_verzoek,
        status=VerzoekStatus(row.status),
        ontvangen_op=row.ontvangen_op,
        bericht_id=row.bericht_id,
        producten=tuple(_gevraagd(p) for p in row.producten),
        in_onderzoek_sinds=row.in_onderzoek_sinds,
        beantwoord_op=row.beantwoord_op,
        reden_afwijzing=row.reden_afwijzing,
    )


def _inschrijving_row(i: Inschrijving) -> dict[str, Any]:
    return {
        "id": i.id,
        "gemeentecode": i.gemeentecode,
        "wet": i.wet.value,
        "bsn": i.bsn,
        "beschikkingnummer": i.beschikkingnummer,
        "categorie": i.product.categorie,
        "code": i.product.code,
        "ingangsdatum": i.ingangsdatum,
        "einddatum": i.einddatum,
        **_omvang_cols(i.omvang),
        "budget": i.budget,
        "uitvoeringsvariant": i.uitvoeringsvariant.value,
        "wijk": i.wijk,
        "sinds": i.sinds,
        "status": i.status.value,
        "geclaimd_door": i.geclaimd_door,
        "geclaimd_op": i.geclaimd_op,
        "bevestigd_op": i.bevestigd_op,
        "vervallen_op": i.vervallen_op,
        "versie": i.versie,
    }


def _inschrijving(row: Any) -> Inschrijving:
    return Inschrijving(
        id=row.id,
        gemeentecode=row.gemeentecode,
        wet=Wet(row.wet),
        bsn=row.bsn,
        beschikkingnummer=row.beschikkingnummer,
        product=_product(row),
        ingangsdatum=row.ingangsdatum,
        einddatum=row.einddatum,
        uitvoeringsvariant=Uitvoeringsvariant(row.uitvoeringsvariant),
        sinds=row.sinds,
        omvang=_omvang(row),
        budget=row.budget,
        wijk=row.wijk,
        status=InschrijvingStatus(row.status),
        geclaimd_door=row.geclaimd_door,
        geclaimd_op=row.geclaimd_op,
        bevestigd_op=row.bevestigd_op,
        vervallen_op=row.vervallen_op,
        versie=row.versie,
    )


def _huidig_per_wet(versies: Iterable[Toewijzing]) -> list[Toewijzing]:
    """The current version of each toewijzing (numbers are unique per gemeente per wet, TR332)."""
    per_wet: dict[Wet, list[Toewijzing]] = {}
    for t in versies:
        per_wet.setdefault(t.wet, []).append(t)
    return [t for groep in per_wet.values() for t in huidige_versies(groep).values()]


class ToewijzingRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    # ------------------------------------------------------------ numbering

    async def nummers(self, gemeentecode: str, wet: Wet, aantal: int) -> list[int]:
        """Reserves `aantal` new ToewijzingNummers of this gemeente and wet (TR332); unused ones stay gaps."""
        stmt = (
            pg_insert(nummer_reeks)
            .values(gemeentecode=gemeentecode, wet=wet.value, laatste=aantal)
            .on_conflict_do_update(index_elements=["gemeentecode", "wet"], set_={"laatste": nummer_reeks.c.laatste + aantal})
            .returning(nummer_reeks.c.laatste)
        )
        laatste = (await self.session.execute(stmt)).scalar_one()
        return list(range(laatste - aantal + 1, laatste + 1))

    async def identificatie(self, gemeentecode: str) -> str:
        """A new Identificatie for a message of this gemeente (unique per sender, TR056; 12 characters)."""
        stmt = (
            pg_insert(identificatie_reeks)
            .values(gemeentecode=gemeentecode, laatste=1)
            .on_conflict_do_update(index_elements=["gemeentecode"], set_={"laatste": identificatie_reeks.c.laatste + 1})
            .returning(identificatie_reeks.c.laatste)
        )
        return f"ZK{(await self.session.execute(stmt)).scalar_one():010d}"

    # ------------------------------------------------------------ toewijzingen

    async def bewaar(self, versies: Iterable[Toewijzing]) -> None:
        rows = [_toewijzing_row(t) for t in versies]
        if rows:
            await self.session.execute(insert(toewijzing_versie), rows)

    async def versies(self, gemeentecode: str, wet: Wet, bsn: str, agb: str | None = None, for_update: bool = False) -> list[Toewijzing]:
        """Every version of this cliënt's toewijzingen in this gemeente and wet (at one aanbieder if given)."""
        tv = toewijzing_versie
        query = select(tv).where(tv.c.gemeentecode == gemeentecode, tv.c.wet == wet.value, tv.c.bsn == bsn)
        if agb is not None:
            query = query.where(tv.c.agb == agb)
        if for_update:
            query = query.with_for_update()
        return [_toewijzing(r) for r in await self.session.execute(query.order_by(tv.c.toewijzing_nummer, tv.c.versie))]

    async def huidige(self, gemeentecode: str, wet: Wet, bsn: str, agb: str | None = None) -> list[Toewijzing]:
        return list(huidige_versies(await self.versies(gemeentecode, wet, bsn, agb)).values())

    async def bewaar_prestatiestand(self, gemeentecode: str, wet: Wet, nummer: int, heeft_toegekende_prestaties: bool, versie: int) -> None:
        """The declaratie service's latest word on this toewijzing (an older versie changes nothing)."""
        ps = prestatiestand
        statement = pg_insert(ps).values(gemeentecode=gemeentecode, wet=wet.value, toewijzing_nummer=nummer, heeft_toegekende_prestaties=heeft_toegekende_prestaties, versie=versie)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["gemeentecode", "wet", "toewijzing_nummer"],
                set_={"heeft_toegekende_prestaties": heeft_toegekende_prestaties, "versie": versie},
                where=ps.c.versie < versie,
            )
        )

    async def met_toegekende_prestaties(self, toewijzingen: Iterable[Toewijzing]) -> set[tuple[str, Wet, int]]:
        """The keys of those toewijzingen on which approved, non-credited prestaties exist (TR385). The rows
        found stay locked (FOR SHARE) until the transaction ends, so a prestatiestand that changes meanwhile
        waits for the decision taken on it — and then sees a deletion deferred on it."""
        sleutels = sorted({(t.gemeentecode, t.wet.value, t.toewijzing_nummer) for t in toewijzingen})
        if not sleutels:
            return set()
        ps = prestatiestand.c
        rows = await self.session.execute(
            select(ps.gemeentecode, ps.wet, ps.toewijzing_nummer)
            .where(tuple_(ps.gemeentecode, ps.wet, ps.toewijzing_nummer).in_(sleutels), ps.heeft_toegekende_prestaties.is_(True))
            .with_for_update(read=True)
        )
        return {(r.gemeentecode, Wet(r.wet), r.toewijzing_nummer) for r in rows}

    # ------------------------------------------------------------ deletions TR385 defers

    async def stel_verwijderingen_uit(self, uitgesteld: Iterable[UitgesteldeVerwijdering]) -> None:
        """Stores deferred deletions, one per toewijzing: one deferred already (the same event applied
        twice, or another change that would delete it too) stays as it was."""
        rows = [
            {
                "gemeentecode": u.gemeentecode,
                "wet": u.wet.value,
                "toewijzing_nummer": u.toewijzing_nummer,
                "bsn": u.bsn,
                "agb": u.agb,
                "regel": u.regel,
                "retourcode": u.retourcode,
                "sinds": u.sinds,
            }
            for u in uitgesteld
        ]
        if rows:
            await self.session.execute(pg_insert(uitgestelde_verwijdering).on_conflict_do_nothing(index_elements=["gemeentecode", "wet", "toewijzing_nummer"]), rows)

    async def uitgestelde_verwijdering(self, gemeentecode: str, wet: Wet, nummer: int) -> UitgesteldeVerwijdering | None:
        """The deletion still deferred on this toewijzing, locked until the transaction ends; None when there is none."""
        uv = uitgestelde_verwijdering.c
        row = (
            await self.session.execute(
                select(uitgestelde_verwijdering)
                .where(uv.gemeentecode == gemeentecode, uv.wet == wet.value, uv.toewijzing_nummer == nummer, uv.uitgevoerd_op.is_(None))
                .with_for_update()
            )
        ).first()
        return _uitgesteld(row) if row else None

    async def verwijdering_uitgevoerd(self, u: UitgesteldeVerwijdering, op: datetime) -> None:
        uv = uitgestelde_verwijdering.c
        await self.session.execute(
            update(uitgestelde_verwijdering)
            .where(uv.gemeentecode == u.gemeentecode, uv.wet == u.wet.value, uv.toewijzing_nummer == u.toewijzing_nummer)
            .values(uitgevoerd_op=op)
        )

    async def uitgestelde_verwijderingen(self, tenant: Tenant) -> list[UitgesteldeVerwijdering]:
        """The deletions still deferred that the caller may see."""
        uv = uitgestelde_verwijdering.c
        rows = await self.session.execute(select(uitgestelde_verwijdering).where(tenant.clause(uv.gemeentecode, uv.agb), uv.uitgevoerd_op.is_(None)))
        return [_uitgesteld(r) for r in rows]

    async def heeft_toegekende_prestaties(self, gemeentecode: str, wet: Wet, nummer: int) -> bool:
        """The copy's current word on this toewijzing (TR385); False when the declaratie service never said anything."""
        ps = prestatiestand.c
        found = await self.session.scalar(
            select(ps.heeft_toegekende_prestaties).where(ps.gemeentecode == gemeentecode, ps.wet == wet.value, ps.toewijzing_nummer == nummer)
        )
        return bool(found)

    async def huidige_van_client(self, gemeentecode: str, bsn: str) -> list[Toewijzing]:
        """The current versions of every toewijzing of this cliënt in this gemeente, both wetten."""
        tv = toewijzing_versie
        rows = await self.session.execute(select(tv).where(tv.c.gemeentecode == gemeentecode, tv.c.bsn == bsn))
        return _huidig_per_wet(_toewijzing(r) for r in rows)

    async def van_beschikking(self, gemeentecode: str, beschikkingnummer: str) -> list[Toewijzing]:
        tv = toewijzing_versie
        rows = await self.session.execute(select(tv).where(tv.c.gemeentecode == gemeentecode, tv.c.beschikkingnummer == beschikkingnummer))
        return _huidig_per_wet(_toewijzing(r) for r in rows)

    async def verzonden_momenten(self, gemeentecode: str, wet: Wet, bsn: str, agb: str) -> dict[int, datetime]:
        """Per ToewijzingNummer the toewijzingsmoment of the latest version that went out in a 301."""
        tv = toewijzing_versie
        rows = await self.session.execute(
            select(tv.c.toewijzing_nummer, func.max(tv.c.toewijzingsmoment))
            .where(tv.c.gemeentecode == gemeentecode, tv.c.wet == wet.value, tv.c.bsn == bsn, tv.c.agb == agb, tv.c.verzonden_in.is_not(None))
            .group_by(tv.c.toewijzing_nummer)
        )
        return {nummer: moment for nummer, moment in rows}

    async def markeer_verzonden(self, gemeentecode: str, wet: Wet, sleutels: Sequence[tuple[int, int]], uitgaand_id: str) -> None:
        """The versions (nummer, versie) went out in the 301 `uitgaand_id`."""
        tv = toewijzing_versie
        for nummer, versie in sleutels:
            await self.session.execute(
                update(tv)
                .where(tv.c.gemeentecode == gemeentecode, tv.c.wet == wet.value, tv.c.toewijzing_nummer == nummer, tv.c.versie == versie)
                .values(verzonden_in=uitgaand_id, status=ToewijzingStatus.VERZONDEN.value)
            )

    async def zet_status_van_301(self, uitgaand_id: str, status: ToewijzingStatus) -> None:
        tv = toewijzing_versie
        await self.session.execute(update(tv).where(tv.c.verzonden_in == uitgaand_id).values(status=status.value))

    async def list(
        self, tenant: Tenant, bsn: str | None, status: str | None, after: tuple[str, str, int] | None, limit: int, gemeentecode: str | None = None
    ) -> list[Toewijzing]:
        """Current versions visible to the caller (of one gemeente, when given), by gemeente, wet and number."""
        tv = toewijzing_versie
        latest = select(tv.c.gemeentecode, tv.c.wet, tv.c.toewijzing_nummer, func.max(tv.c.versie).label("versie")).where(tenant.clause(tv.c.gemeentecode, tv.c.agb))
        if gemeentecode:
            latest = latest.where(tv.c.gemeentecode == gemeentecode)
        latest = latest.group_by(tv.c.gemeentecode, tv.c.wet, tv.c.toewijzing_nummer).subquery()
        query = select(tv).join(
            latest,
            and_(tv.c.gemeentecode == latest.c.gemeentecode, tv.c.wet == latest.c.wet, tv.c.toewijzing_nummer == latest.c.toewijzing_nummer, tv.c.versie == latest.c.versie),
        )
        if bsn:
            query = query.where(tv.c.bsn == bsn)
        if status:
            query = query.where(tv.c.status == status)
        if after is not None:
            g, w, n = after
            query = query.where(or_(tv.c.gemeentecode > g, and_(tv.c.gemeentecode == g, or_(tv.c.wet > w, and_(tv.c.wet == w, tv.c.toewijzing_nummer > n)))))
        rows = await self.session.execute(query.order_by(tv.c.gemeentecode, tv.c.wet, tv.c.toewijzing_nummer).limit(limit))
        return [_toewijzing(r) for r in rows]

    async def historie(self, tenant: Tenant, gemeentecode: str, wet: Wet, nummer: int) -> list[Toewijzing]:
        tv = toewijzing_versie
        rows = await self.session.execute(
            select(tv)
            .where(tv.c.gemeentecode == gemeentecode, tv.c.wet == wet.value, tv.c.toewijzing_nummer == nummer, tenant.clause(tv.c.gemeentecode, tv.c.agb))
            .order_by(tv.c.versie)
        )
        versies = [_toewijzing(r) for r in rows]
        if not versies:
            raise NotFound("no such toewijzing")
        return versies

    # ------------------------------------------------------------ messages to the hub

    async def uitgaand_by_identificatie(self, gemeentecode: str, berichtsoort: str, identificatie: str) -> Any:
        u = uitgaand_bericht
        return (await self.session.execute(select(u).where(u.c.gemeentecode == gemeentecode, u.c.berichtsoort == berichtsoort, u.c.identificatie == identificatie).with_for_update())).first()

    async def retour_ontvangen(self, uitgaand_id: str, status: str, retour_codes: list[str]) -> None:
        await self.session.execute(update(uitgaand_bericht).where(uitgaand_bericht.c.id == uitgaand_id).values(status=status, retour_codes=retour_codes))

    async def list_uitgaand(self, tenant: Tenant, status: str | None, after: tuple[str, str] | None, limit: int, bsn: str | None = None) -> list[Any]:
        u = uitgaand_bericht
        query = select(u.c.id, u.c.bericht_id, u.c.gemeentecode, u.c.agb, u.c.bsn, u.c.berichtsoort, u.c.identificatie, u.c.status, u.c.retour_codes, u.c.aangemaakt_op).where(
            tenant.clause(u.c.gemeentecode, u.c.agb)
        )
        if status:
            query = query.where(u.c.status == status)
        if bsn:
            query = query.where(u.c.bsn == bsn)
        if after is not None:
            query = query.where(or_(u.c.aangemaakt_op < datetime.fromisoformat(after[0]), and_(u.c.aangemaakt_op == datetime.fromisoformat(after[0]), u.c.id < after[1])))
        return list(await self.session.execute(query.order_by(u.c.aangemaakt_op.desc(), u.c.id.desc()).limit(limit)))

    # ------------------------------------------------------------ starts and stops

    async def leveringen(self, gemeentecode: str, wet: Wet, agb: str, bsn: str) -> tuple[list[Start], list[Stop]]:
        lv = levering
        rows = await self.session.execute(
            select(lv).where(lv.c.gemeentecode == gemeentecode, lv.c.wet == wet.value, lv.c.agb == agb, lv.c.bsn == bsn).order_by(lv.c.id).with_for_update()
        )
        items = [_levering(r) for r in rows]
        return [i for i in items if isinstance(i, Start)], [i for i in items if isinstance(i, Stop)]

    async def bewaar_leveringen(self, nieuw: Iterable[Start | Stop], verwijderd: Iterable[Start | Stop]) -> None:
        lv = levering
        for item in verwijderd:
            soort = "stop" if isinstance(item, Stop) else "start"
            key = _levering_row(soort, item)
            conditions = [lv.c.soort == soort, lv.c.verwijderd.is_(False)]
            for name in ("gemeentecode", "wet", "agb", "bsn", "begindatum", "bericht_id", "reden_beeindiging", "einddatum", "toewijzing_nummer", "categorie", "code"):
                if name in key:
                    value = key[name]
                    conditions.append(lv.c[name].is_(None) if value is None else lv.c[name] == value)
            await self.session.execute(update(lv).where(*conditions).values(verwijderd=True))
        rows = [_levering_row("stop" if isinstance(i, Stop) else "start", i) for i in nieuw]
        if rows:
            await self.session.execute(insert(lv), rows)

    async def list_leveringen(self, tenant: Tenant, bsn: str) -> list[Start | Stop]:
        lv = levering
        rows = await self.session.execute(select(lv).where(lv.c.bsn == bsn, tenant.clause(lv.c.gemeentecode, lv.c.agb)).order_by(lv.c.id))
        return [_levering(r) for r in rows]

    async def alle_leveringen(self, tenant: Tenant) -> list[Start | Stop]:
        lv = levering
        return [_levering(r) for r in await self.session.execute(select(lv).where(tenant.clause(lv.c.gemeentecode, lv.c.agb)))]

    async def alle_toewijzingen(self, tenant: Tenant) -> list[Toewijzing]:
        tv = toewijzing_versie
        return [_toewijzing(r) for r in await self.session.execute(select(tv).where(tenant.clause(tv.c.gemeentecode, tv.c.agb)))]

    # ------------------------------------------------------------ verzoeken

    async def bewaar_verzoek(self, v: Verzoek) -> None:
        row = _verzoek_row(v)
        await self.session.execute(pg_insert(verzoek).values(**row).on_conflict_do_update(index_elements=["id"], set_={k: row[k] for k in row if k != "id"}))

    async def verzoeken(self, gemeentecode: str, wet: Wet, agb: str, bsn: str) -> list[Verzoek]:
        vz = verzoek
        rows = await self.session.execute(select(vz).where(vz.c.gemeentecode == gemeentecode, vz.c.wet == wet.value, vz.c.agb == agb, vz.c.bsn == bsn))
        return [_verzoek(r) for r in rows]

    async def referenties(self, agb: str, wet: Wet, kandidaten: Sequence[str]) -> frozenset[str]:
        """Which of these ReferentieAanbieder the aanbieder already used in this wet (TR347)."""
        vz = verzoek
        rows = await self.session.execute(select(vz.c.referentie_aanbieder).where(vz.c.agb == agb, vz.c.wet == wet.value, vz.c.referentie_aanbieder.in_(list(kandidaten))))
        return frozenset(r for (r,) in rows)

    async def get_verzoek(self, tenant: Tenant, verzoek_id: str, for_update: bool = False) -> Verzoek:
        vz = verzoek
        query = select(vz).where(vz.c.id == verzoek_id, tenant.clause(vz.c.gemeentecode, vz.c.agb))
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        if row is None:
            raise NotFound("no such verzoek")
        return _verzoek(row)

    async def list_verzoeken(self, tenant: Tenant, status: str | None, limit: int, after: tuple[str, str] | None = None) -> list[Verzoek]:
        vz = verzoek
        query = select(vz).where(tenant.clause(vz.c.gemeentecode, vz.c.agb))
        if status:
            query = query.where(vz.c.status == status)
        if after is not None:
            query = query.where(or_(vz.c.ontvangen_op > date.fromisoformat(after[0]), and_(vz.c.ontvangen_op == date.fromisoformat(after[0]), vz.c.id > after[1])))
        return [_verzoek(r) for r in await self.session.execute(query.order_by(vz.c.ontvangen_op, vz.c.id).limit(limit))]

    # ------------------------------------------------------------ toewijslijst

    async def bewaar_inschrijving(self, i: Inschrijving, vorige_versie: int | None = None, toewijzing_nummer: int | None = None) -> bool:
        """Inserts a new entry, or updates one if it is still at `vorige_versie` (so exactly one of two
        concurrent changes wins). Returns False when another change came first."""
        row = _inschrijving_row(i)
        if toewijzing_nummer is not None:
            row["toewijzing_nummer"] = toewijzing_nummer
        if vorige_versie is None:
            await self.session.execute(insert(inschrijving).values(**row))
            return True
        result = await self.session.execute(
            update(inschrijving).where(inschrijving.c.id == i.id, inschrijving.c.versie == vorige_versie).values(**{k: v for k, v in row.items() if k != "id"})
        )
        return result.rowcount == 1

    async def get_inschrijving(self, inschrijving_id: str) -> tuple[Inschrijving, int | None]:
        row = (await self.session.execute(select(inschrijving).where(inschrijving.c.id == inschrijving_id))).first()
        if row is None:
            raise NotFound("no such entry on the toewijslijst")
        return _inschrijving(row), row.toewijzing_nummer

    async def inschrijvingen_van(self, gemeentecode: str, beschikkingnummer: str) -> list[Inschrijving]:
        ins = inschrijving
        rows = await self.session.execute(select(ins).where(ins.c.gemeentecode == gemeentecode, ins.c.beschikkingnummer == beschikkingnummer))
        return [_inschrijving(r) for r in rows]

    async def list_inschrijvingen(
        self, gemeentecodes: Sequence[str] | None, status: str | None, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[tuple[Inschrijving, int | None]]:
        """Entries of these gemeenten (None: every gemeente — for an aanbieder, filtered by contract after),
        longest waiting first; keyset on (sinds, id) after `after`."""
        ins = inschrijving
        query = select(ins)
        if gemeentecodes is not None:
            query = query.where(ins.c.gemeentecode.in_(list(gemeentecodes)))
        if status:
            query = query.where(ins.c.status == status)
        if after is not None:
            query = query.where(tuple_(ins.c.sinds, ins.c.id) > after)
        rows = await self.session.execute(query.order_by(ins.c.sinds, ins.c.id).limit(limit))
        return [(_inschrijving(r), r.toewijzing_nummer) for r in rows]

    # ------------------------------------------------------------ contracts

    async def add_contract(self, data: dict[str, Any]) -> None:
        await self.session.execute(
            pg_insert(contract)
            .values(
                id=data["id"],
                gemeentecode=data["gemeentecode"],
                agb=data["agb"],
                wet=data["wet"],
                categorie=data["productcategorie"],
                code=data["productcode"] or "",
                uitvoeringsvariant=data["uitvoeringsvariant"],
                begindatum=date.fromisoformat(data["begindatum"]),
                einddatum=date.fromisoformat(data["einddatum"]) if data.get("einddatum") else None,
                toewijslijst_automatisch=bool(data.get("toewijslijst_automatisch", False)),
            )
            .on_conflict_do_nothing()
        )

    async def contracten(self, agb: str | None = None, gemeentecode: str | None = None) -> list[Any]:
        c = contract
        query = select(c)
        if agb is not None:
            query = query.where(c.c.agb == agb)
        if gemeentecode is not None:
            query = query.where(c.c.gemeentecode == gemeentecode)
        return list(await self.session.execute(query))


def is_gecontracteerd(contracten: Iterable[Any], gemeentecode: str, wet: Wet, product: Product, op: date) -> bool:
    """Whether one of these contract rows covers the product in this gemeente and wet on `op`."""
    return any(
        c.gemeentecode == gemeentecode
        and c.wet == wet.value
        and c.categorie == product.categorie
        and (not product.code or not c.code or c.code == product.code)
        and c.begindatum <= op
        and (c.einddatum is None or op <= c.einddatum)
        for c in contracten
    )


def uitvoeringsvariant(contracten: Iterable[Any], gemeentecode: str, wet: Wet, product: Product, op: date) -> Uitvoeringsvariant | None:
    for c in contracten:
        if is_gecontracteerd([c], gemeentecode, wet, product, op):
            return Uitvoeringsvariant(c.uitvoeringsvariant)
    return None

