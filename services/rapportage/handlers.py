"""Event handlers that keep the rapportage read models, and the queries on them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from rapportage.adapters.tables import client_telling
from runtime.consumer import Subscription
from runtime.db import UnitOfWork
from runtime.events import Event
from runtime.tenancy import Tenant


async def client_geregistreerd(uow: UnitOfWork, event: Event) -> None:
    """indicatie.client.geregistreerd: one more cliënt for the gemeente."""
    statement = insert(client_telling).values(gemeentecode=event.data["gemeentecode"], aantal_clienten=1)
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=[client_telling.c.gemeentecode],
            set_={"aantal_clienten": client_telling.c.aantal_clienten + 1},
        )
    )


SUBSCRIPTIONS = (Subscription(subject="indicatie.client.geregistreerd", durable="rapportage-client-telling", handler=client_geregistreerd),)


async def client_tellingen(uow: UnitOfWork, tenant: Tenant) -> list[tuple[str, int]]:
    rows = await uow.session.execute(
        select(client_telling.c.gemeentecode, client_telling.c.aantal_clienten)
        .where(tenant.clause(client_telling.c.gemeentecode))
        .order_by(client_telling.c.gemeentecode)
    )
    return [(row.gemeentecode, row.aantal_clienten) for row in rows]
