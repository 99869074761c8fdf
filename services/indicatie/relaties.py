"""Keeps which aanbieder has a toewijzing for which cliënt, from `toewijzing.toewijzing.gewijzigd`.

An aanbieder sees a cliënt's record only while it has a relation with that cliënt: a toewijzing
(any version that is not deleted; an ended one too, for the declarations that follow it) or an open
samenwerkingstraject. Each toewijzing version arrives once per event id (the consumer records it);
versions may arrive in any order, so the row keeps the facts of the toewijzing, not of one version.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert

from indicatie.adapters.tables import client_relatie
from runtime.consumer import Subscription
from runtime.db import UnitOfWork
from runtime.events import Event

TOEWIJZING_GEWIJZIGD = "toewijzing.toewijzing.gewijzigd"


async def toewijzing_gewijzigd(uow: UnitOfWork, event: Event) -> None:
    data = event.data
    key = {"gemeentecode": data["gemeentecode"], "wet": data["wet"], "toewijzing_nummer": data["toewijzing_nummer"]}
    if data.get("verwijderd"):
        r = client_relatie.c
        await uow.session.execute(
            delete(client_relatie).where(r.gemeentecode == key["gemeentecode"], r.wet == key["wet"], r.toewijzing_nummer == key["toewijzing_nummer"])
        )
        return
    einddatum = date.fromisoformat(data["einddatum"]) if data.get("einddatum") else None
    await uow.session.execute(
        insert(client_relatie)
        .values(**key, bsn=data["bsn"], agb=data["agb"], einddatum=einddatum)
        .on_conflict_do_update(index_elements=list(key), set_={"einddatum": einddatum})
    )


SUBSCRIPTIONS = (Subscription(subject=TOEWIJZING_GEWIJZIGD, durable="indicatie-relaties", handler=toewijzing_gewijzigd),)
