"""Database access for a service: the engine, the runtime's own tables, and the unit of work.

Each service keeps its tables in a PostgreSQL schema named after itself. Nothing is built at
import time: `Database.connect()` makes the engine when the process starts.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

from opentelemetry import propagate
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    func,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from runtime.events import Event


def driver_url(url: str) -> str:
    """The SQLAlchemy URL for psycopg 3 (used for both the async engine and migrations)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def service_metadata(schema: str) -> MetaData:
    """A MetaData for one service's schema, holding the runtime's tables next to the domain's."""
    metadata = MetaData(schema=schema)
    Table(
        "outbox",
        metadata,
        Column("seq", BigInteger, Identity(), primary_key=True),
        Column("event_id", UUID(as_uuid=False), nullable=False, unique=True),
        Column("subject", Text, nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Index("outbox_unpublished", "seq", postgresql_where=text("published_at IS NULL")),
    )
    Table(
        "processed_event",
        metadata,
        Column("consumer", Text, primary_key=True),
        Column("event_id", UUID(as_uuid=False), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    Table(
        "dead_event",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("consumer", Text, nullable=False),
        Column("event_id", Text, nullable=False),
        Column("subject", Text, nullable=False),
        Column("payload", Text, nullable=False),
        Column("error", Text, nullable=False),
        Column("deliveries", Integer, nullable=False),
        Column("failed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return metadata


class Database:
    """The engine and session factory of one service; `connect()` builds them, `dispose()` ends them."""

    def __init__(self, url: str, metadata: MetaData):
        self.url = driver_url(url)
        self.metadata = metadata
        self.engine: AsyncEngine | None = None
        self.sessions: async_sessionmaker[AsyncSession] | None = None
        # set after a commit that wrote outbox rows, so the relay publishes at once instead of polling
        self.outbox_written = asyncio.Event()

    def connect(self) -> AsyncEngine:
        self.engine = create_async_engine(
            self.url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=5,
            pool_timeout=5,
            connect_args={"connect_timeout": 3},
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        return self.engine

    def table(self, name: str) -> Table:
        return self.metadata.tables[f"{self.metadata.schema}.{name}"]

    async def ping(self, timeout: float = 2.0) -> bool:
        if self.engine is None:
            return False
        try:
            async with asyncio.timeout(timeout):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def unit_of_work(self, source: str) -> UnitOfWork:
        if self.sessions is None:
            raise RuntimeError("Database.connect() was not called")
        return UnitOfWork(self.sessions, self.table("outbox"), source, self.outbox_written)

    async def dispose(self) -> None:
        if self.engine is not None:
            await self.engine.dispose()


class UnitOfWork:
    """One transaction: the domain change and the events it raised commit together, or neither does.

    Usage::

        async with db.unit_of_work("indicatie") as uow:
            await uow.session.execute(...)
            uow.publish("indicatie.client.geregistreerd", {...}, gemeentecode="0356")
            await uow.commit()

    Leaving the block without `commit()` rolls everything back, outbox rows included.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], outbox: Table, source: str, written: asyncio.Event):
        self._sessions = sessions
        self._outbox = outbox
        self._written = written
        self.source = source
        self.session: AsyncSession
        self._pending: list[dict[str, Any]] = []
        self.committed = False

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        await self.session.begin()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if not self.committed:
                await self.session.rollback()
        finally:
            await self.session.close()

    def publish(self, subject: str, data: dict[str, Any], gemeentecode: str | None = None) -> Event:
        """Records an event to be published once (and only if) this unit of work commits."""
        event = Event(subject=subject, data=data, source=self.source, gemeentecode=gemeentecode)
        headers: dict[str, str] = {}
        propagate.inject(headers)  # the trace context of the change travels with its event
        self._pending.append(
            {"event_id": event.id, "subject": subject, "payload": event.to_json(), "headers": headers}
        )
        return event

    async def commit(self) -> None:
        if self._pending:
            await self.session.execute(insert(self._outbox), self._pending)
        await self.session.commit()
        self.committed = True
        if self._pending:
            self._written.set()
        self._pending = []

