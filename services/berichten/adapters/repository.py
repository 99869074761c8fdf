"""Persistence of messages. Every read is limited to the caller's tenancy: a message belongs to its
gemeente party and its aanbieder party, and to no one else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select, text, tuple_, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.adapters.tables import bericht, bericht_inhoud, bericht_status, identificatie_gebruik, postbus
from berichten.domain.status import Levering, Status, check_levering_change, check_status_change
from runtime.errors import NotFound
from runtime.tenancy import Tenant


@dataclass
class BerichtRecord:
    id: str
    richting: str
    afzender: str
    status: Status
    sha256: str
    grootte: int
    standaard: str | None = None
    berichtsoort: str | None = None
    berichtcode: int | None = None
    ontvanger: str | None = None
    gemeentecode: str | None = None
    agb: str | None = None
    identificatie: str | None = None
    dagtekening: date | None = None
    heen_id: str | None = None
    retour_id: str | None = None
    fout_reden: str | None = None
    fout_melding: str | None = None
    xsd_fouten: list[dict[str, Any]] = field(default_factory=list)
    bevindingen: list[dict[str, Any]] = field(default_factory=list)
    ontvangen_op: datetime | None = None
    correctie_van: str | None = None
    gecorrigeerd_door: str | None = None
    bsns: list[str] = field(default_factory=list)  # of the message's Clients (berichten.domain.clienten)

    @property
    def afgekeurd(self) -> bool:
        """Received and rejected: refused before its rules ran, or answered with findings."""
        return self.richting == "in" and (self.fout_reden is not None or bool(self.bevindingen))


# a rejected message (see BerichtRecord.afgekeurd) in SQL; matches the index bericht_wacht_op_correctie
_AFGEKEURD = (bericht.c.richting == "in") & (bericht.c.fout_reden.is_not(None) | (bericht.c.bevindingen != text("'[]'::jsonb")))

_COLUMNS = [c for c in bericht.c if c.name != "gewijzigd_op"]


def _record(row: Any) -> BerichtRecord:
    values = {c.name: getattr(row, c.name) for c in _COLUMNS}
    values["status"] = Status(values["status"])
    return BerichtRecord(**values)


class BerichtRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, record: BerichtRecord, xml: bytes, history: list[Status]) -> None:
        """Stores a new message with its raw XML and the statuses it went through."""
        values = {c.name: getattr(record, c.name) for c in _COLUMNS if c.name != "ontvangen_op"}
        values["status"] = history[-1].value
        await self.session.execute(insert(bericht).values(**values))
        await self.session.execute(insert(bericht_inhoud).values(bericht_id=record.id, xml=xml))
        await self.session.execute(insert(bericht_status), [{"bericht_id": record.id, "status": s.value} for s in history])
        record.status = history[-1]

    async def claim_identificatie(self, afzender: str, berichtsoort: str, identificatie: str, bericht_id: str) -> bool:
        """TR056: records the use of an Identificatie; False when this sender used it before for this soort."""
        result = await self.session.execute(
            pg_insert(identificatie_gebruik)
            .values(afzender=afzender, berichtsoort=berichtsoort, identificatie=identificatie, bericht_id=bericht_id)
            .on_conflict_do_nothing()
            .returning(identificatie_gebruik.c.bericht_id)
        )
        return result.first() is not None

    async def uitgaand(self, afzender: str, berichtsoort: str, identificatie: str) -> BerichtRecord | None:
        """A message the hub already sent for `afzender` with this Identificatie and soort (Verstuur retried)."""
        row = (
            await self.session.execute(
                select(*_COLUMNS).where(
                    bericht.c.richting == "uit",
                    bericht.c.afzender == afzender,
                    bericht.c.berichtsoort == berichtsoort,
                    bericht.c.identificatie == identificatie,
                )
            )
        ).first()
        return _record(row) if row is not None else None

    async def next_identificatie(self) -> str:
        """A new 12-digit Identificatie for a message the hub sends."""
        number = (await self.session.execute(text("SELECT nextval('berichten.retour_volgnummer')"))).scalar_one()
        return f"{number:012d}"

    async def change_status(self, bericht_id: str, van: Status, naar: Status) -> None:
        check_status_change(van, naar)
        result = await self.session.execute(
            update(bericht)
            .where(bericht.c.id == bericht_id, bericht.c.status == van.value)
            .values(status=naar.value, gewijzigd_op=func.now())
        )
        if result.rowcount != 1:
            raise NotFound(f"message {bericht_id} is not in status {van}")
        await self.session.execute(insert(bericht_status).values(bericht_id=bericht_id, status=naar.value))

    async def link_retour(self, heen_id: str, retour_id: str) -> None:
        await self.session.execute(update(bericht).where(bericht.c.id == heen_id).values(retour_id=retour_id, gewijzigd_op=func.now()))

    async def record_bevindingen(self, bericht_id: str, bevindingen: list[dict[str, Any]]) -> None:
        await self.session.execute(update(bericht).where(bericht.c.id == bericht_id).values(bevindingen=bevindingen, gewijzigd_op=func.now()))

    async def _get(self, bericht_id: str, tenant: Tenant | None, for_update: bool) -> BerichtRecord:
        query = select(*_COLUMNS).where(bericht.c.id == bericht_id)
        if tenant is not None:
            query = query.where(tenant.clause(bericht.c.gemeentecode, bericht.c.agb))
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        if row is None:
            raise NotFound("no such message")
        return _record(row)

    async def get(self, tenant: Tenant, bericht_id: str, for_update: bool = False) -> BerichtRecord:
        """A message of the caller's party (its gemeente or its aanbieder); NotFound otherwise."""
        return await self._get(bericht_id, tenant, for_update)

    async def get_internal(self, bericht_id: str, for_update: bool = False) -> BerichtRecord:
        """A message by id regardless of tenancy: for the hub's own processing only, never for a caller."""
        return await self._get(bericht_id, None, for_update)

    async def xml(self, bericht_id: str) -> bytes:
        return (await self.session.execute(select(bericht_inhoud.c.xml).where(bericht_inhoud.c.bericht_id == bericht_id))).scalar_one()

    async def klaarzetten(self, bericht_id: str, ontvanger: str) -> None:
        """Puts a message in the postbus of the party it is addressed to."""
        await self.session.execute(insert(postbus).values(bericht_id=bericht_id, ontvanger=ontvanger, levering=Levering.KLAARGEZET.value))

    async def levering(self, bericht_id: str, partijen: list[str]) -> Levering | None:
        """The delivery state of a message in one of `partijen`' postbus, if it was delivered there."""
        value = (
            await self.session.execute(
                select(postbus.c.levering).where(postbus.c.bericht_id == bericht_id, postbus.c.ontvanger.in_(partijen)).with_for_update()
            )
        ).scalar_one_or_none()
        return Levering(value) if value is not None else None

    async def change_levering(self, bericht_id: str, van: Levering, naar: Levering) -> None:
        check_levering_change(van, naar)
        moment = {Levering.OPGEHAALD: "opgehaald_op", Levering.BEVESTIGD: "bevestigd_op"}[naar]
        await self.session.execute(
            update(postbus).where(postbus.c.bericht_id == bericht_id, postbus.c.levering == van.value).values(levering=naar.value, **{moment: func.now()})
        )

    async def niet_opgehaald(self, klaargezet_voor: date) -> list[tuple[BerichtRecord, datetime]]:
        """Messages still klaargezet (never fetched) since before `klaargezet_voor`, not yet signalled."""
        rows = (
            await self.session.execute(
                select(*_COLUMNS, postbus.c.klaargezet_op)
                .join(postbus, postbus.c.bericht_id == bericht.c.id)
                .where(
                    postbus.c.levering == Levering.KLAARGEZET.value,
                    postbus.c.gesignaleerd_op.is_(None),
                    func.date(postbus.c.klaargezet_op) < klaargezet_voor,
                )
                .order_by(postbus.c.klaargezet_op)
                .limit(500)
                .with_for_update(of=postbus, skip_locked=True)
            )
        ).all()
        return [(_record(row), row.klaargezet_op) for row in rows]

    async def mark_gesignaleerd(self, bericht_id: str) -> None:
        await self.session.execute(update(postbus).where(postbus.c.bericht_id == bericht_id).values(gesignaleerd_op=func.now()))

    async def postbus(self, partijen: list[str], after: tuple[str, str] | None, limit: int) -> list[tuple[BerichtRecord, Levering, datetime]]:
        """Messages for `partijen` not yet acknowledged, oldest first (keyset on klaargezet_op, id).

        Each party's first `limit` come from the index postbus_open in its order, and only those are
        merged and joined to their messages: a page costs the same with 50 or 500,000 waiting (one
        IN over all parties would read and sort every waiting row)."""
        per_partij = []
        for partij in partijen:
            query = select(postbus.c.bericht_id, postbus.c.levering, postbus.c.klaargezet_op).where(
                postbus.c.ontvanger == partij, postbus.c.levering != Levering.BEVESTIGD.value
            )
            if after is not None:
                query = query.where(tuple_(postbus.c.klaargezet_op, postbus.c.bericht_id) > (datetime.fromisoformat(after[0]), after[1]))
            per_partij.append(select(query.order_by(postbus.c.klaargezet_op, postbus.c.bericht_id).limit(limit).subquery()))
        if not per_partij:
            return []
        open_ = (union_all(*per_partij) if len(per_partij) > 1 else per_partij[0]).subquery()
        query = (
            select(*_COLUMNS, open_.c.levering, open_.c.klaargezet_op)
            .join(open_, open_.c.bericht_id == bericht.c.id)
            .order_by(open_.c.klaargezet_op, open_.c.bericht_id)
            .limit(limit)
        )
        rows = (await self.session.execute(query)).all()
        return [(_record(row), Levering(row.levering), row.klaargezet_op) for row in rows]

    async def koppel_correctie(self, origineel_id: str, correctie_id: str) -> bool:
        """Links a rejected message to the message that corrects it; False when it was corrected already."""
        result = await self.session.execute(
            update(bericht)
            .where(bericht.c.id == origineel_id, bericht.c.gecorrigeerd_door.is_(None))
            .values(gecorrigeerd_door=correctie_id, gewijzigd_op=func.now())
        )
        return result.rowcount == 1

    async def wacht_op_correctie(self, tenant: Tenant, partijen: list[str], after: tuple[str, str] | None, limit: int) -> list[BerichtRecord]:
        """Rejected messages sent by `partijen` not yet corrected, newest first (keyset on ontvangen_op, id)."""
        query = select(*_COLUMNS).where(
            _AFGEKEURD, bericht.c.gecorrigeerd_door.is_(None), bericht.c.afzender.in_(partijen), tenant.clause(bericht.c.gemeentecode, bericht.c.agb)
        )
        if after is not None:
            query = query.where(tuple_(bericht.c.ontvangen_op, bericht.c.id) < (datetime.fromisoformat(after[0]), after[1]))
        rows = (await self.session.execute(query.order_by(bericht.c.ontvangen_op.desc(), bericht.c.id.desc()).limit(limit))).all()
        return [_record(row) for row in rows]
