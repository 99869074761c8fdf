"""The relay that publishes a service's outbox to JetStream.

Rows are taken in order with FOR UPDATE SKIP LOCKED (several replicas never publish the same row
at once), published with `Nats-Msg-Id` = event id and marked published in the same transaction.
If the process dies between publish and commit, the row is published again later and JetStream's
duplicate window (and the consumers' processed-event table) drop the repeat.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import func, select, update

from runtime.db import Database
from runtime.events import Event
from runtime.messaging import Messaging

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(self, db: Database, messaging: Messaging, batch_size: int = 200, poll_interval: float = 0.5):
        self.db = db
        self.messaging = messaging
        self.batch_size = batch_size
        self.poll_interval = poll_interval

    async def run(self) -> None:
        await self.messaging.wait_ready()
        failures = 0
        while True:
            try:
                published = await self.publish_batch()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                delay = min(0.2 * 2**failures, 5.0)
                log.warning("outbox relay: publishing failed (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                continue
            if published >= self.batch_size:
                continue
            self.db.outbox_written.clear()
            try:
                await asyncio.wait_for(self.db.outbox_written.wait(), timeout=self.poll_interval)
            except TimeoutError:
                pass

    async def publish_batch(self) -> int:
        """Publishes up to batch_size unpublished rows; returns how many."""
        outbox = self.db.table("outbox")
        js = self.messaging.js
        if js is None or not self.messaging.connected:
            raise ConnectionError("NATS is not connected")
        assert self.db.sessions is not None
        async with self.db.sessions() as session, session.begin():
            rows = (
                await session.execute(
                    select(outbox.c.seq, outbox.c.event_id, outbox.c.subject, outbox.c.payload, outbox.c.headers)
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.seq)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            for row in rows:
                headers = dict(row.headers or {})
                headers["Nats-Msg-Id"] = str(row.event_id)
                await js.publish(row.subject, Event.from_json(row.payload).to_bytes(), headers=headers)
            await session.execute(
                update(outbox).where(outbox.c.seq.in_([r.seq for r in rows])).values(published_at=func.now())
            )
        return len(rows)
