"""Persistence of the secure workspace. Every read of a traject goes through `Tenant.clause`: a
gemeente sees its gemeenten' trajecten, an aanbieder only those it has open (its AGB in the POP).
Taken, POPs, evaluaties and signalen are reached only through a traject the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from indicatie.adapters.traject_tables import (
    evaluatie as evaluatie_table,
    pop as pop_table,
    samenwerkingstraject as traject_table,
    signaal as signaal_table,
    taak as taak_table,
    taak_wijziging,
    traject_nummering,
)
from indicatie.adapters.repository import audit_log
from indicatie.domain.evaluatie import Advies, Doelrealisatie, Evaluatie, EvaluatieSoort, EvaluatieStatus, Mate
from indicatie.domain.pop import Pop, PopStatus, ZrmScore
from indicatie.domain.taak import Prioriteit, Taak, TaakStatus, TaakWijziging
from indicatie.domain.traject import Actie, BeschikkingProduct, Doel, Partij, PartijSoort, Samenwerkingstraject, Signaal, SignaalSoort, TrajectStatus
from runtime.tenancy import Tenant


def _traject(row: Any) -> Samenwerkingstraject:
    return Samenwerkingstraject(
        id=row.id,
        nummer=row.nummer,
        onderwerp=row.onderwerp,
        gemeentecode=row.gemeentecode,
        bsn=row.bsn,
        participatieadviseur=row.participatieadviseur,
        meldingsdatum=row.meldingsdatum,
        startdatum=row.startdatum,
        einddatum=row.einddatum,
        status=TrajectStatus(row.status),
        aanbieder_agb=row.aanbieder_agb,
        doelen=tuple(Doel(**d) for d in row.doelen),
        acties=tuple(Actie(**a) for a in row.acties),
    )


def _traject_values(t: Samenwerkingstraject) -> dict[str, Any]:
    return {
        "onderwerp": t.onderwerp,
        "einddatum": t.einddatum,
        "status": t.status.value,
        "aanbieder_agb": t.aanbieder_agb,
        "doelen": [{"omschrijving": d.omschrijving, "domein": d.domein} for d in t.doelen],
        "acties": [{"omschrijving": a.omschrijving, "door": a.door, "gereed": a.gereed} for a in t.acties],
    }


def _taak(row: Any, geschiedenis: Sequence[Any]) -> Taak:
    return Taak(
        id=row.id,
        traject_id=row.traject_id,
        naam=row.naam,
        soort=row.soort,
        aangemaakt_door=row.aangemaakt_door,
        bestemd_voor=Partij(PartijSoort(row.bestemd_partij), row.bestemd_code, row.bestemd_medewerker),
        einddatum=row.einddatum,
        prioriteit=Prioriteit(row.prioriteit),
        omschrijving=row.omschrijving,
        status=TaakStatus(row.status),
        geschiedenis=tuple(TaakWijziging(op=w.op, door=w.door, veld=w.veld, oud=w.oud, nieuw=w.nieuw) for w in geschiedenis),
        vervallen_op=row.vervallen_op,
        vervallen_reden=row.vervallen_reden,
    )


def _taak_values(t: Taak) -> dict[str, Any]:
    return {
        "bestemd_partij": t.bestemd_voor.soort.value,
        "bestemd_code": t.bestemd_voor.code,
        "bestemd_medewerker": t.bestemd_voor.medewerker,
        "einddatum": t.einddatum,
        "prioriteit": t.prioriteit.value,
        "status": t.status.value,
        "omschrijving": t.omschrijving,
        "vervallen_op": t.vervallen_op,
        "vervallen_reden": t.vervallen_reden,
    }


def _pop(row: Any) -> Pop:
    return Pop(
        id=row.id,
        traject_id=row.traject_id,
        status=PopStatus(row.status),
        opgesteld_door=row.opgesteld_door,
        termijn_start=row.termijn_start,
        zrm=tuple(ZrmScore(**s) for s in row.zrm),
        profiel=row.profiel,
        pakket=row.pakket,
        aanbieder_agb=row.aanbieder_agb,
        inzet=row.inzet,
        activiteiten=tuple(row.activiteiten),
        overgedragen_op=row.overgedragen_op,
        aangevuld_op=row.aangevuld_op,
        ondertekend_op=row.ondertekend_op,
        ondertekend_door=row.ondertekend_door,
        besloten_op=row.besloten_op,
        besluit_toelichting=row.besluit_toelichting,
        teruggegeven_op=row.teruggegeven_op,
        teruggave_reden=row.teruggave_reden,
    )


def _pop_values(p: Pop) -> dict[str, Any]:
    return {
        "status": p.status.value,
        "zrm": [{"domein": s.domein, "score": s.score, "toelichting": s.toelichting} for s in p.zrm],
        "profiel": p.profiel,
        "pakket": p.pakket,
        "aanbieder_agb": p.aanbieder_agb,
        "inzet": p.inzet,
        "activiteiten": list(p.activiteiten),
        "overgedragen_op": p.overgedragen_op,
        "aangevuld_op": p.aangevuld_op,
        "ondertekend_op": p.ondertekend_op,
        "ondertekend_door": p.ondertekend_door,
        "besloten_op": p.besloten_op,
        "besluit_toelichting": p.besluit_toelichting,
        "teruggegeven_op": p.teruggegeven_op,
        "teruggave_reden": p.teruggave_reden,
    }


def _evaluatie(row: Any) -> Evaluatie:
    return Evaluatie(
        id=row.id,
        traject_id=row.traject_id,
        soort=EvaluatieSoort(row.soort),
        status=EvaluatieStatus(row.status),
        uiterste_datum=row.uiterste_datum,
        beschikking_einddatum=row.beschikking_einddatum,
        gevraagd_door=row.gevraagd_door,
        reden=row.reden,
        uitgevoerd_op=row.uitgevoerd_op,
        doelrealisatie=tuple(Doelrealisatie(doel=r["doel"], mate=Mate(r["mate"]), toelichting=r["toelichting"]) for r in row.doelrealisatie),
        advies=Advies(row.advies) if row.advies else None,
        toelichting=row.toelichting,
        vervallen_op=row.vervallen_op,
        vervallen_reden=row.vervallen_reden,
    )


def _evaluatie_values(e: Evaluatie) -> dict[str, Any]:
    return {
        "status": e.status.value,
        "uitgevoerd_op": e.uitgevoerd_op,
        "doelrealisatie": [{"doel": r.doel, "mate": r.mate.value, "toelichting": r.toelichting} for r in e.doelrealisatie],
        "advies": e.advies.value if e.advies else None,
        "toelichting": e.toelichting,
        "vervallen_op": e.vervallen_op,
        "vervallen_reden": e.vervallen_reden,
    }


class TrajectRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    # trajecten

    async def volgend_nummer(self, gemeentecode: str, jaar: int) -> int:
        stmt = pg_insert(traject_nummering).values(gemeentecode=gemeentecode, jaar=jaar, laatste=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[traject_nummering.c.gemeentecode, traject_nummering.c.jaar],
            set_={"laatste": traject_nummering.c.laatste + 1},
        ).returning(traject_nummering.c.laatste)
        return int((await self.session.execute(stmt)).scalar_one())

    async def add_traject(self, t: Samenwerkingstraject) -> None:
        await self.session.execute(
            insert(traject_table).values(
                id=t.id,
                nummer=t.nummer,
                gemeentecode=t.gemeentecode,
                bsn=t.bsn,
                participatieadviseur=t.participatieadviseur,
                meldingsdatum=t.meldingsdatum,
                startdatum=t.startdatum,
                **_traject_values(t),
            )
        )

    async def update_traject(self, t: Samenwerkingstraject) -> None:
        await self.session.execute(
            update(traject_table).where(traject_table.c.id == t.id).values(**_traject_values(t), gewijzigd_op=func.now())
        )

    async def get_traject(self, tenant: Tenant, traject_id: str, for_update: bool = False) -> Samenwerkingstraject | None:
        """The traject when the caller may see it; locked for the rest of the transaction when asked."""
        if not _is_uuid(traject_id):
            return None
        query = select(traject_table).where(
            traject_table.c.id == traject_id, tenant.clause(traject_table.c.gemeentecode, traject_table.c.aanbieder_agb)
        )
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _traject(row) if row else None

    async def list_trajecten(
        self, tenant: Tenant, client: tuple[str, str] | None, after: str | None, limit: int
    ) -> list[Samenwerkingstraject]:
        query = select(traject_table).where(tenant.clause(traject_table.c.gemeentecode, traject_table.c.aanbieder_agb))
        if client is not None:
            query = query.where(traject_table.c.gemeentecode == client[0], traject_table.c.bsn == client[1])
        if after is not None:
            query = query.where(traject_table.c.id > after)
        query = query.order_by(traject_table.c.id).limit(limit)
        return [_traject(row) for row in (await self.session.execute(query)).all()]

    # taken

    async def add_taak(self, t: Taak) -> None:
        await self.session.execute(
            insert(taak_table).values(
                id=t.id, traject_id=t.traject_id, naam=t.naam, soort=t.soort, aangemaakt_door=t.aangemaakt_door, **_taak_values(t)
            )
        )
        await self._add_wijzigingen(t.id, t.geschiedenis)

    async def update_taak(self, oud: Taak, nieuw: Taak) -> None:
        await self.session.execute(update(taak_table).where(taak_table.c.id == nieuw.id).values(**_taak_values(nieuw)))
        await self._add_wijzigingen(nieuw.id, nieuw.geschiedenis[len(oud.geschiedenis) :])

    async def _add_wijzigingen(self, taak_id: str, wijzigingen: Iterable[TaakWijziging]) -> None:
        rows = [{"taak_id": taak_id, "op": w.op, "door": w.door, "veld": w.veld, "oud": w.oud, "nieuw": w.nieuw} for w in wijzigingen]
        if rows:
            await self.session.execute(insert(taak_wijziging), rows)

    async def list_taken(self, traject_id: str, taak_id: str | None = None, for_update: bool = False) -> list[Taak]:
        query = select(taak_table).where(taak_table.c.traject_id == traject_id)
        if taak_id is not None:
            if not _is_uuid(taak_id):
                return []
            query = query.where(taak_table.c.id == taak_id)
        if for_update:
            query = query.with_for_update()
        rows = (await self.session.execute(query.order_by(taak_table.c.einddatum, taak_table.c.id))).all()
        if not rows:
            return []
        history = (
            await self.session.execute(
                select(taak_wijziging).where(taak_wijziging.c.taak_id.in_([r.id for r in rows])).order_by(taak_wijziging.c.id)
            )
        ).all()
        per_taak: dict[str, list[Any]] = {}
        for w in history:
            per_taak.setdefault(w.taak_id, []).append(w)
        return [_taak(r, per_taak.get(r.id, [])) for r in rows]

    # POPs

    async def pops(self, traject_id: str) -> list[Pop]:
        """The traject's POPs, newest first."""
        rows = (
            await self.session.execute(
                select(pop_table).where(pop_table.c.traject_id == traject_id).order_by(pop_table.c.aangemaakt_op.desc(), pop_table.c.id)
            )
        ).all()
        return [_pop(r) for r in rows]

    async def add_pop(self, p: Pop) -> None:
        await self.session.execute(
            insert(pop_table).values(id=p.id, traject_id=p.traject_id, opgesteld_door=p.opgesteld_door, termijn_start=p.termijn_start, **_pop_values(p))
        )

    async def update_pop(self, p: Pop) -> None:
        await self.session.execute(update(pop_table).where(pop_table.c.id == p.id).values(**_pop_values(p)))

    # evaluaties

    async def add_evaluatie(self, e: Evaluatie) -> None:
        await self.session.execute(
            insert(evaluatie_table).values(
                id=e.id,
                traject_id=e.traject_id,
                soort=e.soort.value,
                uiterste_datum=e.uiterste_datum,
                beschikking_einddatum=e.beschikking_einddatum,
                gevraagd_door=e.gevraagd_door,
                reden=e.reden,
                **_evaluatie_values(e),
            )
        )

    async def update_evaluatie(self, e: Evaluatie) -> None:
        await self.session.execute(update(evaluatie_table).where(evaluatie_table.c.id == e.id).values(**_evaluatie_values(e)))

    async def evaluaties(self, traject_id: str, evaluatie_id: str | None = None) -> list[Evaluatie]:
        query = select(evaluatie_table).where(evaluatie_table.c.traject_id == traject_id)
        if evaluatie_id is not None:
            if not _is_uuid(evaluatie_id):
                return []
            query = query.where(evaluatie_table.c.id == evaluatie_id).with_for_update()
        rows = (await self.session.execute(query.order_by(evaluatie_table.c.uiterste_datum, evaluatie_table.c.id))).all()
        return [_evaluatie(r) for r in rows]

    # signalen

    async def add_signaal(self, s: Signaal) -> None:
        await self.session.execute(
            insert(signaal_table).values(
                id=s.id,
                traject_id=s.traject_id,
                soort=s.soort.value,
                partij=s.partij.soort.value,
                code=s.partij.code,
                medewerker=s.partij.medewerker,
                deadline=s.deadline,
                bron_id=s.bron_id,
                gemeentecode=s.beschikking.gemeentecode if s.beschikking else None,
                beschikkingnummer=s.beschikking.beschikkingnummer if s.beschikking else None,
                product=s.beschikking.product if s.beschikking else None,
            )
        )

    async def open_beschikking_signalen(self, gemeentecode: str, beschikkingnummer: str) -> list[Signaal]:
        """The open signalen about a beschikking (its caller has checked the right to the beschikking)."""
        rows = (
            await self.session.execute(
                select(signaal_table)
                .where(
                    signaal_table.c.gemeentecode == gemeentecode,
                    signaal_table.c.beschikkingnummer == beschikkingnummer,
                    signaal_table.c.afgehandeld_op.is_(None),
                )
                .order_by(signaal_table.c.deadline, signaal_table.c.id)
                .with_for_update()
            )
        ).all()
        return [_signaal(r) for r in rows]

    async def handel_af(self, signaal_ids: Sequence[str], op: date) -> list[Signaal]:
        """Closes these open signalen."""
        if not signaal_ids:
            return []
        stmt = (
            update(signaal_table)
            .where(signaal_table.c.id.in_(list(signaal_ids)), signaal_table.c.afgehandeld_op.is_(None))
            .values(afgehandeld_op=op)
            .returning(*signaal_table.c)
        )
        return [_signaal(r) for r in (await self.session.execute(stmt)).all()]

    async def meld_verlopen(self, vandaag: date, limit: int) -> list[tuple[Signaal, str]]:
        """Marks up to `limit` open signalen whose deadline lies before today and that were not
        reported yet as reported, and returns them with the gemeentecode they belong to. Rows another
        transaction is reporting are skipped (SKIP LOCKED), so two processes never report one twice."""
        kandidaten = (
            select(signaal_table.c.id)
            .where(
                signaal_table.c.afgehandeld_op.is_(None),
                signaal_table.c.verlopen_gemeld_op.is_(None),
                signaal_table.c.deadline < vandaag,
            )
            .order_by(signaal_table.c.deadline, signaal_table.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        gemeld = (
            update(signaal_table)
            .where(signaal_table.c.id.in_(kandidaten))
            .values(verlopen_gemeld_op=func.now())
            .returning(*signaal_table.c)
            .cte("gemeld")
        )
        query = select(gemeld, func.coalesce(gemeld.c.gemeentecode, traject_table.c.gemeentecode).label("gemeente")).outerjoin(
            traject_table, traject_table.c.id == gemeld.c.traject_id
        )
        rows = (await self.session.execute(query.order_by(gemeld.c.deadline, gemeld.c.id))).all()
        return [(_signaal(r), r.gemeente) for r in rows]

    async def handel_signalen_af(self, traject_id: str, soorten: Iterable[SignaalSoort], op: date, bron_id: str | None = None) -> list[Signaal]:
        """Closes the traject's open signalen of these soorten (of one taak or evaluatie when given)."""
        stmt = update(signaal_table).where(
            signaal_table.c.traject_id == traject_id,
            signaal_table.c.soort.in_([s.value for s in soorten]),
            signaal_table.c.afgehandeld_op.is_(None),
        )
        if bron_id is not None:
            stmt = stmt.where(signaal_table.c.bron_id == bron_id)
        rows = (await self.session.execute(stmt.values(afgehandeld_op=op).returning(*signaal_table.c))).all()
        return [_signaal(r) for r in rows]

    async def open_signalen(
        self,
        tenant: Tenant,
        medewerker: str | None,
        tot: date | None,
        after: tuple[str, str] | None,
        limit: int,
        traject_id: str | None = None,
    ) -> list[tuple[Signaal, str]]:
        """Open signalen for the caller's party (and, when given, only those for this medewerker or the
        whole party, or of this traject), with their traject's nummer, earliest deadline first."""
        if tenant.agb is not None:
            partij = and_(
                signaal_table.c.partij == PartijSoort.AANBIEDER.value,
                signaal_table.c.code == tenant.agb,
                # a traject's signal only while the aanbieder still has the traject open
                or_(signaal_table.c.traject_id.is_(None), traject_table.c.aanbieder_agb == tenant.agb),
            )
        else:
            partij = and_(
                signaal_table.c.partij == PartijSoort.GEMEENTE.value,
                signaal_table.c.code.in_(sorted(tenant.gemeentecodes)),
                tenant.clause(func.coalesce(traject_table.c.gemeentecode, signaal_table.c.gemeentecode)),
            )
        query = (
            select(signaal_table, traject_table.c.nummer)
            .outerjoin(traject_table, traject_table.c.id == signaal_table.c.traject_id)
            .where(signaal_table.c.afgehandeld_op.is_(None), partij)
        )
        if medewerker is not None:
            query = query.where(or_(signaal_table.c.medewerker == "", signaal_table.c.medewerker == medewerker))
        if tot is not None:
            query = query.where(signaal_table.c.deadline <= tot)
        if traject_id is not None:
            if not _is_uuid(traject_id):
                return []
            query = query.where(signaal_table.c.traject_id == traject_id)
        if after is not None:
            query = query.where(tuple_(signaal_table.c.deadline, signaal_table.c.id) > (date.fromisoformat(after[0]), after[1]))
        query = query.order_by(signaal_table.c.deadline, signaal_table.c.id).limit(limit)
        return [(_signaal(r), r.nummer or "") for r in (await self.session.execute(query)).all()]

    # audit

    async def audit(self, tenant: Tenant, trajecten: Iterable[Samenwerkingstraject], wat: str) -> None:
        """Records that the caller read these trajecten' cliënt data, in the service's one audit log
        of reads (`inzage`, shared with the cliënt and beschikking reads), naming call and traject."""
        log = audit_log(self.session)
        for t in trajecten:
            await log.record(tenant, f"Trajecten.{wat} {t.nummer} ({t.id})", [(t.gemeentecode, t.bsn)])


def _signaal(row: Any) -> Signaal:
    return Signaal(
        id=row.id,
        traject_id=row.traject_id,
        soort=SignaalSoort(row.soort),
        partij=Partij(PartijSoort(row.partij), row.code, row.medewerker),
        deadline=row.deadline,
        bron_id=row.bron_id,
        afgehandeld_op=row.afgehandeld_op,
        beschikking=BeschikkingProduct(row.gemeentecode, row.beschikkingnummer, row.product) if row.beschikkingnummer else None,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
