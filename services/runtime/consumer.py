"""Durable JetStream pull consumers that apply each event exactly once.

For each message: in one transaction, record (consumer, event id) in `processed_event` and run the
handler; commit; only then ack. A redelivery of an event already recorded is acked without running
the handler again, so a crash between commit and ack causes no double effect, and a crash before
commit leaves nothing behind and the event comes again after `ack_wait`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry import propagate, trace
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from runtime.db import Database, UnitOfWork
from runtime.events import Event, stream_for
from runtime.messaging import Messaging

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)

Handler = Callable[[UnitOfWork, Event], Awaitable[None]]

# errors of the infrastructure, not of the event: retried for ever, never dead-lettered
_TRANSIENT = (OperationalError, InterfaceError, ConnectionError, OSError, asyncio.TimeoutError)


@dataclass(frozen=True)
class Subscription:
    """A handler for the events on `subject`, under a durable consumer named `durable`."""

    subject: str
    durable: str
    handler: Handler
    max_failures: int = 5  # deliveries that raised a non-transient error before the event is dead-lettered


class EventConsumer:
    def __init__(self, db: Database, messaging: Messaging, subscription: Subscription, source: str, ack_wait: float, batch: int = 50):
        self.db = db
        self.ack_wait = ack_wait
        self.messaging = messaging
        self.sub = subscription
        self.source = source
        self.batch = batch

    async def run(self) -> None:
        js = await self.messaging.wait_ready()
        psub = None
        while psub is None:
            try:
                psub = await js.pull_subscribe(
                    self.sub.subject,
                    durable=self.sub.durable,
                    stream=stream_for(self.sub.subject),
                    config=ConsumerConfig(
                        durable_name=self.sub.durable,
                        ack_policy=AckPolicy.EXPLICIT,
                        deliver_policy=DeliverPolicy.ALL,
                        ack_wait=self.ack_wait,
                        max_ack_pending=1000,
                        filter_subject=self.sub.subject,
                    ),
                )
            except Exception as exc:
                log.warning("consumer %s: cannot subscribe yet (%s); retrying", self.sub.durable, exc)
                await asyncio.sleep(1)
        while True:
            try:
                messages = await psub.fetch(self.batch, timeout=1)
            except (NatsTimeoutError, asyncio.TimeoutError):
                continue
            except Exception as exc:
                log.warning("consumer %s: fetch failed (%s)", self.sub.durable, exc)
                await asyncio.sleep(0.5)
                continue
            for msg in messages:
                await self.handle(msg)

    async def handle(self, msg: Msg) -> None:
        try:
            event = Event.from_bytes(msg.data)
        except Exception as exc:
            log.error("consumer %s: undecodable message on %s: %s", self.sub.durable, msg.subject, exc)
            await self._dead_letter(msg, "?", f"undecodable: {exc}")
            return
        ctx = propagate.extract(msg.headers or {})
        with tracer.start_as_current_span(f"handle {msg.subject}", context=ctx, kind=trace.SpanKind.CONSUMER) as span:
            span.set_attribute("messaging.message.id", event.id)
            try:
                await self._apply(event)
            except _TRANSIENT as exc:
                log.warning("consumer %s: event %s not applied, will retry (%s)", self.sub.durable, event.id, exc)
                await self._nak(msg)
                return
            except DBAPIError as exc:
                if exc.connection_invalidated:
                    await self._nak(msg)
                    return
                await self._failed(msg, event, exc)
                return
            except Exception as exc:
                await self._failed(msg, event, exc)
                return
        await msg.ack()

    async def _apply(self, event: Event) -> None:
        processed = self.db.table("processed_event")
        async with self.db.unit_of_work(self.source) as uow:
            first_time = (
                await uow.session.execute(
                    pg_insert(processed)
                    .values(consumer=self.sub.durable, event_id=event.id)
                    .on_conflict_do_nothing()
                    .returning(processed.c.event_id)
                )
            ).first()
            if first_time is None:
                log.info("consumer %s: event %s already applied; acknowledging again", self.sub.durable, event.id)
                return
            await self.sub.handler(uow, event)
            await uow.commit()

    async def _nak(self, msg: Msg) -> None:
        deliveries = msg.metadata.num_delivered or 1
        try:
            await msg.nak(delay=min(0.5 * 2 ** min(deliveries, 6), 30.0))
        except Exception:
            pass  # the message comes back after ack_wait anyway

    async def _failed(self, msg: Msg, event: Event, exc: Exception) -> None:
        deliveries = msg.metadata.num_delivered or 1
        log.exception("consumer %s: handler failed for event %s (delivery %d)", self.sub.durable, event.id, deliveries, exc_info=exc)
        if deliveries >= self.sub.max_failures:
            await self._dead_letter(msg, event.id, repr(exc))
        else:
            await self._nak(msg)

    async def _dead_letter(self, msg: Msg, event_id: str, error: str) -> None:
        """Parks an event that cannot be applied, where an operator finds it, and stops redelivery."""
        dead = self.db.table("dead_event")
        try:
            async with self.db.unit_of_work(self.source) as uow:
                await uow.session.execute(
                    insert(dead).values(
                        consumer=self.sub.durable,
                        event_id=event_id,
                        subject=msg.subject,
                        payload=msg.data.decode(errors="replace"),
                        error=error,
                        deliveries=msg.metadata.num_delivered or 1,
                    )
                )
                await uow.commit()
        except Exception:
            await self._nak(msg)
            return
        log.error("consumer %s: event %s dead-lettered after %s deliveries", self.sub.durable, event_id, msg.metadata.num_delivered)
        await msg.term()
