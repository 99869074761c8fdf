"""The declaratie service's commands, queries and event handlers: contracten, the copies of the
toewijzing service's facts, and the declaratiecontrole of every 323 the hub accepted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from berichten import koppeling
from berichten.codec.codec import Codec
from berichten.domain import model
from berichten.domain.berichtsoorten import WET_VAN_STANDAARD, Standaard
from berichten.domain.regels.catalogus import Bevinding
from berichten.domain.retour import klasse_paden
from declaratie.adapters.afrekening_repository import AfrekeningRepository
from declaratie.adapters.controle_repository import ControleRepository
from declaratie.adapters.repository import ContractRepository
from declaratie.adapters.tables import oordeel
from declaratie.domain import afrekening, controle, events
from declaratie.domain.afrekening import Afrekening
from declaratie.domain.contract import Contract, Wet
from declaratie.domain.periode import kalendermaand
from declaratie.domain.toewijzingstand import LeveringKopie, ToewijzingKopie
from runtime.db import UnitOfWork
from runtime.errors import AlreadyExists, DomainError, PermissionDenied
from runtime.events import Event
from runtime.tenancy import Role, Tenant

CONTRACT_ROLES = (Role.CONTRACTMANAGER, Role.REGIONAAL_BACKOFFICE, Role.SYSTEEM)


async def registreer_contract(uow: UnitOfWork, tenant: Tenant, contract: Contract) -> Contract:
    if tenant.role not in CONTRACT_ROLES or not tenant.mag_gemeente(contract.gemeentecode):
        raise PermissionDenied(f"no right to register contracten for gemeente {contract.gemeentecode}")
    if not await ContractRepository(uow.session).add(contract):
        raise AlreadyExists("a contract version with this key and begindatum exists; register a new dated version")
    uow.publish(events.CONTRACT_GEREGISTREERD, events.contract_geregistreerd(contract), gemeentecode=contract.gemeentecode)
    await uow.commit()
    return contract


async def list_contracten(uow: UnitOfWork, tenant: Tenant, after: str | None, limit: int) -> list[Contract]:
    return await ContractRepository(uow.session).list(tenant, after, limit)


# ---------------------------------------------------------------- the declaratiecontrole


@dataclass
class Dienst:
    """What the declaratiecontrole needs besides the database: the codec and the hub."""

    codec: Codec
    hub: koppeling.Hubkoppeling




async def toewijzing_gewijzigd(uow: UnitOfWork, event: Event) -> None:
    """toewijzing.toewijzing.gewijzigd: the copy keeps the latest version of each toewijzing."""
    await ControleRepository(uow.session).bewaar_toewijzing(ToewijzingKopie.uit_event(event.data))


async def levering_gewijzigd(uow: UnitOfWork, event: Event) -> None:
    """toewijzing.start/stop.ontvangen / .verwijderd: the copy of the starts and stops."""
    levering = LeveringKopie.uit_event(event.data)
    repo = ControleRepository(uow.session)
    if event.subject.endswith(".verwijderd"):
        await repo.verwijder_levering(levering)
    else:
        await repo.bewaar_levering(levering)


def _retourcodes_per_prestatie(bericht: model.DeclaratieBericht, bevindingen: Sequence[Bevinding]) -> dict[int, list[str]]:
    """id(prestatie) -> the codes on it or on its Client (class paths as berichten.domain.retour has them)."""
    per_klasse: dict[str, list[str]] = {}
    for b in bevindingen:
        codes = per_klasse.setdefault(b.klasse, [])
        if b.retourcode not in codes:
            codes.append(b.retourcode)
    result: dict[int, list[str]] = {}
    for client_pad, _, paden in klasse_paden(bericht.declaratie):
        for pad, p in paden:
            codes = per_klasse.get(pad, []) + per_klasse.get(client_pad, [])
            if codes:
                result[id(p)] = codes
    return result


async def declaratie_ontvangen(uow: UnitOfWork, dienst: Dienst, event: Event) -> None:
    """bericht.ontvangen.323: every prestatie is judged against toewijzing and contract (controleniveau
    3 and 4), the outcome stored, and the verdict queued for the hub, which answers with the 325."""
    data = event.data
    bericht_id, gemeentecode, agb = data["id"], data["gemeentecode"], data["agb"]
    repo = ControleRepository(uow.session)
    if await repo.is_beoordeeld(bericht_id):
        return  # judged before under another event id (the hub re-published it): the verdict is queued
    decoded = dienst.codec.decode(await dienst.hub.xml(bericht_id, gemeentecode))
    bericht = decoded.bericht
    if not isinstance(bericht, model.DeclaratieBericht):
        raise DomainError(f"message {bericht_id} is not a 323 although the hub published it as one")
    wet = WET_VAN_STANDAARD[Standaard(data["standaard"])]
    stand = await repo.stand(bericht_id, gemeentecode, wet, agb, bericht)
    bevindingen = controle.beoordeel(bericht, stand)
    toegekend, afgewezen, totaal = controle.toegekend(bericht, bevindingen)
    await repo.bewaar_declaratie(bericht_id, gemeentecode, wet, agb, bericht, toegekend, _retourcodes_per_prestatie(bericht, bevindingen), totaal)
    await koppeling.meld_oordeel(uow.session, oordeel, bericht_id, "323", gemeentecode, bevindingen)
    uow.publish(
        events.DECLARATIE_BEOORDEELD,
        events.declaratie_beoordeeld(bericht_id, gemeentecode, wet, agb, bericht.declaratie.declaratie_nummer, len(toegekend), len(afgewezen), totaal),
        gemeentecode=gemeentecode,
    )


async def aflever_een(uow: UnitOfWork, dienst: Dienst) -> bool:
    """Delivers one queued verdict to the hub. Returns whether there was one."""
    delivered = await koppeling.aflever_een(uow.session, dienst.hub, oordeel)
    if delivered:
        await uow.commit()
    return delivered


async def list_declaraties(uow: UnitOfWork, tenant: Tenant, after: tuple[str, str] | None, limit: int) -> list[Any]:
    return await ControleRepository(uow.session).list_declaraties(tenant, limit, after)


async def get_declaratie(uow: UnitOfWork, tenant: Tenant, bericht_id: str) -> tuple[Any, list[Any]]:
    return await ControleRepository(uow.session).get_declaratie(tenant, bericht_id)


# ---------------------------------------------------------------- voorschotten and afrekeningen

FINANCIELE_ROLLEN = (Role.FINANCIEEL_MEDEWERKER, Role.REGIONAAL_BACKOFFICE, Role.SYSTEEM)


async def maak_afrekening(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, agb: str, jaar: int, maand: int, definitief: bool) -> tuple[int, Afrekening]:
    """The voorlopige or definitieve afrekening of one aanbieder for one calendar month; the voorschot
    for that month is fixed (from the toewijzingen and contracts) when it is not yet."""
    if tenant.is_aanbieder or tenant.role not in FINANCIELE_ROLLEN or not tenant.mag_gemeente(gemeentecode):
        raise PermissionDenied(f"only a financieel medewerker or the back office of gemeente {gemeentecode} makes afrekeningen")
    if not 1 <= maand <= 12 or jaar < 2015:
        raise DomainError(f"{jaar}-{maand} is not a month of the Wmo 2015 / Jeugdwet era")
    periode = kalendermaand(jaar, maand)
    repo = AfrekeningRepository(uow.session)
    vastgesteld = await repo.voorschot(gemeentecode, agb, periode)
    if vastgesteld is None:
        vastgesteld = afrekening.voorschot(periode, agb, await repo.toewijzingen(gemeentecode, agb, periode), await repo.contracten(gemeentecode, agb), gemeentecode=gemeentecode)
        await repo.bewaar_voorschot(vastgesteld)
    prestaties = await repo.prestaties(gemeentecode, agb, periode)
    if definitief:
        if await repo.laatste(gemeentecode, agb, periode, afrekening.AfrekeningSoort.DEFINITIEF) is not None:
            raise AlreadyExists(f"the definitieve afrekening of {agb} for {periode.kenmerk} was made already")
        gemaakt = afrekening.definitieve_afrekening(periode, vastgesteld, prestaties, await repo.laatste(gemeentecode, agb, periode, afrekening.AfrekeningSoort.VOORLOPIG))
    else:
        gemaakt = afrekening.voorlopige_afrekening(periode, vastgesteld, prestaties)
    afrekening_id = await repo.bewaar_afrekening(gemaakt)
    uow.publish(events.AFREKENING_GEMAAKT, events.afrekening_gemaakt(gemaakt), gemeentecode=gemeentecode)
    await uow.commit()
    return afrekening_id, gemaakt


async def list_afrekeningen(uow: UnitOfWork, tenant: Tenant, limit: int) -> list[tuple[int, Afrekening, Any]]:
    return await AfrekeningRepository(uow.session).list(tenant, limit)
