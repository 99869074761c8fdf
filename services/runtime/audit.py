"""The audit log of cliënt data, the same in every service that holds it.

Each service keeps its own `inzage` table in its own schema (`inzage_table`, created by the service's
own Alembic migration with `create_inzage_table`): one row per cliënt (gemeentecode, bsn) whose data
a caller read (soort inzage) or changed (soort wijziging), and one per gemeente a beheerder's search
of the log covered (soort zoekopdracht). `AuditLog.record` writes in the caller's transaction, so
nothing is read or changed unlogged. `zoek_inzage` is the search: only a beheerder, only the rows of
its own gemeenten' cliënten, newest first in keyset pages on (op, id), and itself logged.
The gRPC side of the search is `runtime.audit_servicer` (zorgketen.common.v1.Audit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Identity,
    Index,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from runtime.db import UnitOfWork
from runtime.errors import DomainError, PermissionDenied
from runtime.pagination import Page, read_limit
from runtime.tenancy import Role, Tenant

INZAGE, WIJZIGING, ZOEKOPDRACHT = "inzage", "wijziging", "zoekopdracht"
AUDIT_ROLES = (Role.BEHEERDER,)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TABLE_NAME = "inzage"


def inzage_table(metadata: MetaData) -> Table:
    """The `inzage` table in the schema of `metadata` (a service's own). `gemeentecode` is the
    cliënt's gemeente — for a zoekopdracht one row per gemeente the search covered; `bsn` is NULL
    only for a zoekopdracht without a BSN."""
    return Table(
        TABLE_NAME,
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("op", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("subject", Text, nullable=False),
        Column("rol", Text, nullable=False),
        Column("namens", Text, nullable=False),  # the tenant: its gemeentecodes or AGB
        Column("gemeentecode", String(4), nullable=False),
        Column("bsn", String(9)),
        Column("wat", Text, nullable=False),
        Column("soort", Text, nullable=False, server_default=INZAGE),  # inzage, wijziging or zoekopdracht
        Column("zoekopdracht", JSONB),  # the filters of a zoekopdracht
        CheckConstraint("soort IN ('inzage', 'wijziging', 'zoekopdracht')", name="inzage_soort"),
        CheckConstraint("soort = 'zoekopdracht' OR bsn IS NOT NULL", name="inzage_client_genoemd"),
        Index("inzage_client", "gemeentecode", "bsn", "op"),
        Index("inzage_op", "op", "id"),
    )


def create_inzage_table(schema: str) -> None:
    """Creates a service's `inzage` table (for the service's migration that introduces it)."""
    from alembic import op

    inzage_table(MetaData(schema=schema)).create(bind=op.get_bind())


@dataclass(frozen=True)
class Inzagefilter:
    """What a beheerder searches the audit log for; empty fields do not filter. `wat` matches the
    start of the row's wat (so "Trajecten." finds every traject call); `van` inclusive, `tot` exclusive."""

    subject: str = ""
    bsn: str = ""
    wat: str = ""
    van: datetime | None = None
    tot: datetime | None = None

    def als_json(self) -> dict[str, str]:
        waarden = {"subject": self.subject, "bsn": self.bsn, "wat": self.wat}
        waarden |= {"van": self.van.isoformat() if self.van else "", "tot": self.tot.isoformat() if self.tot else ""}
        return {k: v for k, v in waarden.items() if v}


@dataclass(frozen=True)
class Inzage:
    id: int
    op: datetime
    subject: str
    rol: str
    namens: str
    gemeentecode: str
    bsn: str
    wat: str
    soort: str
    zoekopdracht: dict[str, str]


def tijdstip(value: str, veld: str) -> datetime | None:
    """'' → None; a date → the start of that day in Europe/Amsterdam; a timestamp needs its offset."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), AMSTERDAM)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise DomainError(f"{veld} {value!r} is not an ISO 8601 date or timestamp") from None
    if moment.tzinfo is None:
        raise DomainError(f"{veld} {value!r} needs its offset (e.g. +01:00)")
    return moment


def _namens(tenant: Tenant) -> str:
    return tenant.agb or ",".join(sorted(tenant.gemeentecodes))


class AuditLog:
    """A service's audit log (its `inzage` table), written in the caller's transaction."""

    def __init__(self, session: AsyncSession, table: Table):
        self.session = session
        self.table = table

    async def record(self, tenant: Tenant, wat: str, clienten: Iterable[tuple[str, str]], soort: str = INZAGE) -> None:
        """One row per distinct cliënt of `clienten`, (gemeentecode, bsn) pairs; nothing when none."""
        namens = _namens(tenant)
        rows = [
            {"subject": tenant.subject, "rol": tenant.role.value, "namens": namens, "gemeentecode": g, "bsn": b, "wat": wat, "soort": soort}
            for g, b in dict.fromkeys(clienten)
        ]
        if rows:
            await self.session.execute(insert(self.table), rows)

    async def record_zoekopdracht(self, tenant: Tenant, wat: str, criteria: Inzagefilter) -> None:
        """Who searched the log for what: one row per gemeente of the searcher's tenancy (the search
        covered the data of each), so each gemeente's beheerder sees the searches of its data."""
        rows = [
            {
                "subject": tenant.subject,
                "rol": tenant.role.value,
                "namens": _namens(tenant),
                "gemeentecode": g,
                "bsn": criteria.bsn or None,
                "wat": wat,
                "soort": ZOEKOPDRACHT,
                "zoekopdracht": criteria.als_json(),
            }
            for g in sorted(tenant.gemeentecodes)
        ]
        if rows:
            await self.session.execute(insert(self.table), rows)

    async def zoek(self, tenant: Tenant, criteria: Inzagefilter, after: tuple[datetime, int] | None, limit: int) -> list[Inzage]:
        """The rows of the caller's tenancy (by the cliënt's gemeentecode) that match, newest first."""
        c = self.table.c
        query = select(self.table).where(tenant.clause(c.gemeentecode))
        if criteria.subject:
            query = query.where(c.subject == criteria.subject)
        if criteria.bsn:
            query = query.where(c.bsn == criteria.bsn)
        if criteria.wat:
            query = query.where(c.wat.startswith(criteria.wat, autoescape=True))
        if criteria.van is not None:
            query = query.where(c.op >= criteria.van)
        if criteria.tot is not None:
            query = query.where(c.op < criteria.tot)
        if after is not None:
            query = query.where(tuple_(c.op, c.id) < after)
        query = query.order_by(c.op.desc(), c.id.desc()).limit(limit)
        return [
            Inzage(r.id, r.op, r.subject, r.rol, r.namens, r.gemeentecode, r.bsn or "", r.wat, r.soort, dict(r.zoekopdracht or {}))
            for r in (await self.session.execute(query)).all()
        ]


async def zoek_inzage(
    uow: UnitOfWork, table: Table, tenant: Tenant, criteria: Inzagefilter, after: tuple[datetime, int] | None, limit: int
) -> Page[Inzage]:
    """The audit rows of the caller's gemeenten' cliënten that match, newest first; only for a beheerder
    (the regional back office works with cliënt data every day and is one of the parties the log
    watches). The search is logged (who searched for what) in the same transaction, after it ran, so
    a search does not find itself."""
    if tenant.is_aanbieder or tenant.role not in AUDIT_ROLES:
        raise PermissionDenied("only a beheerder may search the audit log")
    if criteria.van is not None and criteria.tot is not None and criteria.tot <= criteria.van:
        raise DomainError("tot must be after van")
    log = AuditLog(uow.session, table)
    page = Page.of(await log.zoek(tenant, criteria, after, read_limit(limit)), limit)
    await log.record_zoekopdracht(tenant, "ZoekInzage", criteria)
    await uow.commit()
    return page
