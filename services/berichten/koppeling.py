"""How a domain service works with the hub: it reads a message the hub accepted, sends a message
through it (Verstuur), and reports its verdict on a message it judges (Beoordeel).

Sending and judging are decisions of the domain service, so they are stored in the service's own
transaction — in two tables of its own schema made by `uitgaand_tabel` and `oordeel_tabel` — and
delivered afterwards by `aflever_een`, which marks a row done only after the hub answered. The hub's
Verstuur and Beoordeel are idempotent, so a delivery repeated after a crash changes nothing: what
was decided is neither lost nor applied twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, DateTime, Index, LargeBinary, MetaData, String, Table, Text, UniqueConstraint, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc

from berichten.domain.regels.catalogus import Bevinding
from runtime.interceptors import call_metadata
from runtime.tenancy import Role, Tenant

def uitgaand_tabel(metadata: MetaData) -> Table:
    """Messages a service sends through the hub (301, 319, …), kept until the hub has them."""
    return Table(
        "uitgaand_bericht",
        metadata,
        Column("id", UUID(as_uuid=False), primary_key=True),
        Column("berichtsoort", String(3), nullable=False),
        Column("gemeentecode", String(4), nullable=False),
        Column("wet", Text, nullable=False),
        Column("agb", String(8), nullable=False),
        Column("bsn", String(9), nullable=False),
        Column("identificatie", Text, nullable=False),
        Column("xml", LargeBinary, nullable=False),
        Column("status", Text, nullable=False),  # te_versturen, verzonden, geaccepteerd, afgewezen
        Column("bericht_id", UUID(as_uuid=False)),  # the hub's id once sent
        Column("retour_codes", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
        Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("verzonden_op", DateTime(timezone=True)),
        UniqueConstraint("gemeentecode", "berichtsoort", "identificatie", name="uitgaand_identificatie_uniek"),
        Index("uitgaand_te_versturen", "status"),
    )


def oordeel_tabel(metadata: MetaData) -> Table:
    """A service's verdicts on messages it judges, kept until the hub has them."""
    return Table(
        "oordeel",
        metadata,
        Column("bericht_id", UUID(as_uuid=False), primary_key=True),
        Column("berichtsoort", String(3), nullable=False),
        Column("gemeentecode", String(4), nullable=False),
        Column("bevindingen", JSONB, nullable=False),
        Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("gemeld_op", DateTime(timezone=True)),
    )


def bevinding_json(b: Bevinding) -> dict[str, Any]:
    return {"regel": b.regel, "retourcode": b.retourcode, "niveau": int(b.niveau), "locatie": b.locatie, "klasse": b.klasse, "melding": b.melding}


@dataclass
class Hubkoppeling:
    """A service's client of the hub, acting as that service for one gemeente at a time."""

    berichten: berichten_pb2_grpc.BerichtenStub
    internal_token: str
    dienst: str  # the calling service's name, recorded by the hub as the subject

    def namens(self, gemeentecode: str) -> list[tuple[str, str]]:
        return call_metadata(self.internal_token, Tenant.gemeente(Role.SYSTEEM, f"{self.dienst}-service", [gemeentecode]))

    async def xml(self, bericht_id: str, gemeentecode: str) -> bytes:
        """The raw XML of a message of this gemeente."""
        found = await self.berichten.GetBerichtXml(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=self.namens(gemeentecode), timeout=15)
        return found.xml


async def meld_oordeel(session: AsyncSession, tabel: Table, bericht_id: str, berichtsoort: str, gemeentecode: str, bevindingen: Sequence[Bevinding]) -> None:
    """Queues the verdict on a message (in the caller's transaction); a second verdict on it is ignored."""
    await session.execute(
        pg_insert(tabel)
        .values(bericht_id=bericht_id, berichtsoort=berichtsoort, gemeentecode=gemeentecode, bevindingen=[bevinding_json(b) for b in bevindingen])
        .on_conflict_do_nothing()
    )


async def stuur(session: AsyncSession, tabel: Table, uitgaand_id: str, berichtsoort: str, gemeentecode: str, wet: str, agb: str, bsn: str, identificatie: str, xml: bytes) -> None:
    """Queues a message to send through the hub (in the caller's transaction)."""
    await session.execute(
        insert(tabel).values(
            id=uitgaand_id, berichtsoort=berichtsoort, gemeentecode=gemeentecode, wet=wet, agb=agb, bsn=bsn, identificatie=identificatie, xml=xml, status="te_versturen"
        )
    )


async def aflever_een(session: AsyncSession, koppeling: Hubkoppeling, oordelen: Table, uitgaand: Table | None = None) -> bool:
    """Delivers one queued message or verdict to the hub, oldest first, locked so concurrent
    deliverers skip it. The caller commits. Returns whether there was one."""
    if uitgaand is not None:
        row = (
            await session.execute(select(uitgaand).where(uitgaand.c.status == "te_versturen").order_by(uitgaand.c.aangemaakt_op).limit(1).with_for_update(skip_locked=True))
        ).first()
        if row is not None:
            sent = await koppeling.berichten.Verstuur(berichten_pb2.VerstuurRequest(xml=row.xml), metadata=koppeling.namens(row.gemeentecode), timeout=15)
            await session.execute(update(uitgaand).where(uitgaand.c.id == row.id).values(status="verzonden", bericht_id=sent.id, verzonden_op=func.now()))
            return True
    row = (await session.execute(select(oordelen).where(oordelen.c.gemeld_op.is_(None)).order_by(oordelen.c.aangemaakt_op).limit(1).with_for_update(skip_locked=True))).first()
    if row is None:
        return False
    request = berichten_pb2.BeoordeelRequest(id=row.bericht_id, bevindingen=[berichten_pb2.Bevinding(**b) for b in row.bevindingen])
    await koppeling.berichten.Beoordeel(request, metadata=koppeling.namens(row.gemeentecode), timeout=30)
    await session.execute(update(oordelen).where(oordelen.c.bericht_id == row.bericht_id).values(gemeld_op=func.now()))
    return True
