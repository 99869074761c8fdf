"""A rapportage event consumer that crashes at a chosen moment, for the exactly-once tests.

    python tests/helpers/crashing_consumer.py before-commit|after-commit

It runs the real EventConsumer with the real rapportage handler; the process dies (os._exit, as a
kill would) either after the handler ran but before its transaction commits, or after the commit
but before the message is acknowledged.
"""

import asyncio
import os
import sys
from dataclasses import replace

from nats.aio.msg import Msg

from rapportage.adapters.tables import metadata
from rapportage.handlers import SUBSCRIPTIONS
from runtime import settings
from runtime.consumer import EventConsumer
from runtime.db import Database
from runtime.messaging import Messaging

CRASH_EXIT_CODE = 9


async def main(mode: str) -> None:
    cfg = settings.load(settings.SERVICE_SETTINGS)
    db = Database(cfg.database_url, metadata)
    db.connect()
    messaging = Messaging(cfg.nats_url, "crashing-consumer")
    connect = asyncio.create_task(messaging.run_connect())
    subscription = SUBSCRIPTIONS[0]

    async def handler(uow, event):  # type: ignore[no-untyped-def]
        await subscription.handler(uow, event)
        if mode == "before-commit":
            os._exit(CRASH_EXIT_CODE)

    if mode == "after-commit":

        async def ack(self: Msg) -> None:
            os._exit(CRASH_EXIT_CODE)

        Msg.ack = ack  # type: ignore[method-assign]

    consumer = EventConsumer(db, messaging, replace(subscription, handler=handler), "rapportage", cfg.event_ack_wait_seconds)
    await asyncio.gather(connect, consumer.run())


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
