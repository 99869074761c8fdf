"""Indicaties imported from a gemeente's own system (domain/indicatie_import.py): commands and
queries over a unit of work.

An import is processed record by record, each in its own transaction (`verwerk_record`): a record
that passes every check becomes a beschikking through the code path of GeefBeschikkingAf
(`handlers.controleer_afgifte_van` and `handlers.leg_afgifte_vast`: the same checks, audit,
herindicatie signalen and event), and any open afgewezen copy of it is closed in that same
transaction; one that does not is kept with its gebreken per field. A record whose beschikking exists
already with the same content is `al verwerkt` (no second beschikking), and so is a record that was
afgewezen before and whose correction became a beschikking (HerstelIndicatie); the same number with
other content is afgewezen on its beschikkingnummer.

Only the gemeente's consulent, the regional back office or a system imports, each for its own
gemeenten; reading the afgewezen records is audited (they hold a BSN).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from indicatie import handlers
from indicatie.adapters.beschikking_repository import BeschikkingRepository
from indicatie.adapters.import_repository import AfgewezenIndicatie, ImportRepository
from indicatie.adapters.repository import ClientRepository, audit_log
from indicatie.domain.beschikking import Gebrek
from indicatie.domain.client import Codelijsten, is_geldig_bsn
from indicatie.domain.herindicatie import EigenVerantwoordelijkheid
from indicatie.domain.indicatie_import import MAX_RECORDS, IndicatieRecord, lees
from indicatie.trajecten import vandaag
from runtime.db import UnitOfWork
from runtime.errors import DomainError, NotFound
from runtime.pagination import Page, read_limit
from runtime.tenancy import Tenant


class Uitkomst(StrEnum):
    AANVAARD = "aanvaard"  # became a beschikking now
    AL_VERWERKT = "al_verwerkt"  # its beschikking exists already, with the same content
    AFGEWEZEN = "afgewezen"


@dataclass(frozen=True)
class RecordUitkomst:
    regel: int
    uitkomst: Uitkomst
    beschikkingnummer: str = ""
    afgewezen_id: str = ""
    gebreken: tuple[Gebrek, ...] = field(default=())


async def begin_import(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, bron: str, aantal: int) -> str:
    handlers.mag_beschikken(tenant, gemeentecode, "import indicaties")
    if aantal == 0:
        raise DomainError("the import holds no indicaties")
    if aantal > MAX_RECORDS:
        raise DomainError(f"an import holds at most {MAX_RECORDS} indicaties; this one {aantal}")
    import_id = await ImportRepository(uow.session).begin(gemeentecode, bron.strip()[:200] or "api", tenant.subject, aantal)
    await uow.commit()
    return import_id


async def verwerk_record(
    uow: UnitOfWork,
    tenant: Tenant,
    gemeentecode: str,
    import_id: str | None,
    record: IndicatieRecord,
    codelijsten: Codelijsten,
    markeringen: list[EigenVerantwoordelijkheid] | tuple[EigenVerantwoordelijkheid, ...],
    afgewezen_id: str | None = None,
    wat: str = "ImporteerIndicaties",
) -> RecordUitkomst:
    """One record: a beschikking, or kept afgewezen with its gebreken (see the module docstring)."""
    handlers.mag_beschikken(tenant, gemeentecode, "import indicaties")
    imports = ImportRepository(uow.session)
    if afgewezen_id is None:
        hersteld = await imports.hersteld_tot(gemeentecode, record)
        if hersteld is not None:  # this record was afgewezen before and its correction became a beschikking
            await uow.commit()
            return RecordUitkomst(record.regel, Uitkomst.AL_VERWERKT, hersteld)
    beschikking, gebreken = lees(record, gemeentecode, vandaag())
    if beschikking is not None:
        client = await ClientRepository(uow.session).get(tenant, gemeentecode, beschikking.bsn, for_update=True)
        bestaand = await BeschikkingRepository(uow.session).get(tenant, gemeentecode, beschikking.beschikkingnummer)
        if client is None:
            gebreken = [Gebrek("bsn", f"gemeente {gemeentecode} has no cliënt with this BSN; register the cliënt first")]
        elif bestaand is not None:
            if (bestaand.bsn, bestaand.wet, bestaand.beschikkingsdatum, bestaand.producten) == (
                beschikking.bsn,
                beschikking.wet,
                beschikking.beschikkingsdatum,
                beschikking.producten,
            ) or bestaand.versie > 1:
                # imported before (a changed one is the gemeente's own later work): nothing happens twice
                await imports.sluit(gemeentecode, record.sleutel(), beschikking.beschikkingnummer, afgewezen_id=afgewezen_id)
                await uow.commit()
                return RecordUitkomst(record.regel, Uitkomst.AL_VERWERKT, beschikking.beschikkingnummer)
            gebreken = [Gebrek("beschikkingnummer", f"gemeente {gemeentecode} already has beschikking {beschikking.beschikkingnummer}, with other content")]
        else:
            gebreken = await handlers.controleer_afgifte_van(uow, beschikking, client, codelijsten)
            if not gebreken:
                await handlers.leg_afgifte_vast(uow, tenant, beschikking, markeringen, wat)
                await imports.sluit(gemeentecode, record.sleutel(), beschikking.beschikkingnummer, afgewezen_id=afgewezen_id)
                await uow.commit()
                return RecordUitkomst(record.regel, Uitkomst.AANVAARD, beschikking.beschikkingnummer)
    bewaard = await imports.bewaar_afgewezen(gemeentecode, import_id, record, gebreken, afgewezen_id)
    await uow.commit()
    return RecordUitkomst(record.regel, Uitkomst.AFGEWEZEN, afgewezen_id=bewaard, gebreken=tuple(gebreken))


async def sluit_import(uow: UnitOfWork, import_id: str, uitkomsten: list[RecordUitkomst]) -> None:
    tel = {u: sum(1 for r in uitkomsten if r.uitkomst is u) for u in Uitkomst}
    await ImportRepository(uow.session).tel(import_id, tel[Uitkomst.AANVAARD], tel[Uitkomst.AL_VERWERKT], tel[Uitkomst.AFGEWEZEN])
    await uow.commit()


def _clienten(gevonden: list[AfgewezenIndicatie]) -> list[tuple[str, str]]:
    return [(a.gemeentecode, a.record["bsn"]) for a in gevonden if is_geldig_bsn(a.record["bsn"])]


async def list_afgewezen(uow: UnitOfWork, tenant: Tenant, after: tuple[str, str] | None, limit: int) -> Page[AfgewezenIndicatie]:
    """The caller's gemeenten's open afgewezen records, oldest first; reading them is audited."""
    if tenant.is_aanbieder:
        return Page([], False)
    page = Page.of(await ImportRepository(uow.session).open_afgewezen(tenant, after, read_limit(limit)), limit)
    await audit_log(uow.session).record(tenant, "ListAfgewezenIndicaties", _clienten(page.rows))
    await uow.commit()
    return page


async def get_afgewezen(uow: UnitOfWork, tenant: Tenant, afgewezen_id: str) -> AfgewezenIndicatie:
    gevonden = None if tenant.is_aanbieder else await ImportRepository(uow.session).get(tenant, afgewezen_id)
    if gevonden is None:
        raise NotFound("no such afgewezen indicatie")
    await audit_log(uow.session).record(tenant, "GetAfgewezenIndicatie", _clienten([gevonden]))
    await uow.commit()
    return gevonden


async def herstel(
    uow: UnitOfWork,
    tenant: Tenant,
    afgewezen_id: str,
    record: IndicatieRecord,
    codelijsten: Codelijsten,
    markeringen: list[EigenVerantwoordelijkheid] | tuple[EigenVerantwoordelijkheid, ...],
) -> RecordUitkomst:
    """The corrected record of an open afgewezen one, checked again: a beschikking (the afgewezen
    record is hersteld) or the afgewezen record with its new gebreken."""
    gevonden = None if tenant.is_aanbieder else await ImportRepository(uow.session).get(tenant, afgewezen_id, for_update=True)
    if gevonden is None:
        raise NotFound("no such afgewezen indicatie")
    if gevonden.status != "open":
        raise DomainError(f"this indicatie was hersteld already (beschikking {gevonden.beschikkingnummer or 'none'})")
    gecorrigeerd = IndicatieRecord(gevonden.record.regel, dict(record.velden))
    return await verwerk_record(
        uow, tenant, gevonden.gemeentecode, None, gecorrigeerd, codelijsten, markeringen, afgewezen_id=gevonden.id, wat="HerstelIndicatie"
    )
