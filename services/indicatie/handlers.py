"""The indicatie service's commands and queries on cliënten and beschikkingen: small functions over a
unit of work.

Each command checks the caller's right, changes state, writes who changed which cliënt's data to the
audit log (`inzage`, soort wijziging, wat = the RPC), publishes its event and commits, in one
transaction. Each query filters by the caller's tenancy and writes who read which cliënt's data to
the audit log (soort inzage) in the same transaction as the read. A command that changes nothing but
answers with the cliënt's data (an unchanged WijzigClient, a repeated BRP-mutatie) is an inzage.

Only a beheerder searches the audit log (`runtime.audit.zoek_inzage`, served as
zorgketen.common.v1.Audit), and only the rows of the cliënten of its own gemeenten. Cliënt data is visible to the
cliënt's gemeente (and a back office bound to it) and, read-only, to an aanbieder with a toewijzing
for the cliënt or an open samenwerkingstraject with them (`adapters.repository.zichtbaar`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from indicatie.adapters.beschikking_repository import BeschikkingRepository, ContractRepository
from indicatie.adapters.repository import ClientRepository, audit_log
from indicatie.adapters.traject_repository import TrajectRepository
from indicatie.domain import events
from indicatie.domain.beschikking import (
    Beschikking,
    BeschikkingMutatie,
    BeschiktProduct,
    Gebrek,
    Reden,
    afgifte_gebreken,
    controleer_producten,
    controleer_reden,
    gewijzigde_producten,
    weiger,
)
from indicatie.domain.brp import BrpMutatie, pas_toe
from indicatie.domain.herindicatie import EigenVerantwoordelijkheid, herindicatie_signalen, leverende_aanbieders, wat_verandert
from indicatie.domain.client import Client, Codelijsten, controleer_codes
from indicatie.domain.traject import SIGNAAL_AANGEMAAKT, SIGNAAL_AFGEHANDELD, signaal_feit
from indicatie.trajecten import vandaag
from runtime.audit import WIJZIGING
from runtime.db import UnitOfWork
from runtime.errors import AlreadyExists, DomainError, NotFound, PermissionDenied
from runtime.pagination import Page, read_limit
from runtime.tenancy import Role, Tenant

BESCHIKKING_ROLES = (Role.GEMEENTE_CONSULENT, Role.REGIONAAL_BACKOFFICE, Role.SYSTEEM)
BRP_ROLES = (Role.SYSTEEM, Role.REGIONAAL_BACKOFFICE, Role.GEMEENTE_CONSULENT, Role.BEHEERDER)


def _mag(tenant: Tenant, gemeentecode: str, wat: str, roles: Sequence[Role] | None = None) -> None:
    if tenant.is_aanbieder or not tenant.mag_gemeente(gemeentecode) or (roles is not None and tenant.role not in roles):
        raise PermissionDenied(f"no right to {wat} for gemeente {gemeentecode}")


# ---- cliënten ---------------------------------------------------------------------------------


async def registreer_client(uow: UnitOfWork, tenant: Tenant, client: Client, codelijsten: Codelijsten) -> Client:
    _mag(tenant, client.gemeentecode, "register cliënten")
    controleer_codes(client, codelijsten, date.today())
    if not await ClientRepository(uow.session).add(client):
        raise AlreadyExists(f"gemeente {client.gemeentecode} already has a cliënt with this BSN")
    await audit_log(uow.session).record(tenant, "RegistreerClient", [(client.gemeentecode, client.bsn)], WIJZIGING)
    uow.publish(events.CLIENT_GEREGISTREERD, events.client_geregistreerd(client), gemeentecode=client.gemeentecode)
    await uow.commit()
    return client


async def wijzig_client(uow: UnitOfWork, tenant: Tenant, client: Client, codelijsten: Codelijsten) -> Client:
    """Replaces the cliënt's naam, geboortedatum, geslacht, adressen, contact and vertegenwoordiging.

    The status is not changed here: it follows the BRP (`verwerk_brp_mutatie`).
    """
    _mag(tenant, client.gemeentecode, "change cliënten")
    controleer_codes(client, codelijsten, date.today())
    repository = ClientRepository(uow.session)
    oud = await repository.get(tenant, client.gemeentecode, client.bsn, for_update=True)
    if oud is None:
        raise NotFound("no such cliënt")
    nieuw = replace(client, status=oud.status)
    log = audit_log(uow.session)
    if nieuw == oud:  # nothing changes: no event, but the answer shows the cliënt's data
        await log.record(tenant, "WijzigClient", [(oud.gemeentecode, oud.bsn)])
        await uow.commit()
        return oud
    await repository.update(nieuw)
    await log.record(tenant, "WijzigClient", [(nieuw.gemeentecode, nieuw.bsn)], WIJZIGING)
    uow.publish(events.CLIENT_GEWIJZIGD, events.client_gewijzigd(nieuw), gemeentecode=nieuw.gemeentecode)
    await uow.commit()
    return nieuw


async def verwerk_brp_mutatie(uow: UnitOfWork, tenant: Tenant, mutatie: BrpMutatie, wat: str = "VerwerkBrpMutatie") -> tuple[Client, bool]:
    """Applies a BRP-mutatie; (cliënt, False) when its kenmerk was processed before (nothing happens twice).

    `wat` is the RPC, for the audit log (VerwerkBrpMutatie or VerwerkBrpMutaties)."""
    _mag(tenant, mutatie.gemeentecode, "process BRP-mutaties", BRP_ROLES)
    repository = ClientRepository(uow.session)
    client = await repository.get(tenant, mutatie.gemeentecode, mutatie.bsn, for_update=True)
    if client is None:
        raise NotFound(f"gemeente {mutatie.gemeentecode} has no cliënt with this BSN")
    log = audit_log(uow.session)
    if not await repository.record_brp_mutatie(mutatie, tenant.subject):
        await log.record(tenant, wat, [(client.gemeentecode, client.bsn)])  # the answer shows the cliënt
        await uow.commit()
        return client, False
    nieuw = pas_toe(client, mutatie)
    await repository.update(nieuw)
    await log.record(tenant, wat, [(nieuw.gemeentecode, nieuw.bsn)], WIJZIGING)
    event = events.brp_mutatie_verwerkt(mutatie)
    if event is not None:
        uow.publish(event[0], event[1], gemeentecode=mutatie.gemeentecode)
    else:
        uow.publish(events.CLIENT_GEWIJZIGD, events.client_gewijzigd(nieuw), gemeentecode=nieuw.gemeentecode)
    await uow.commit()
    return nieuw, True


async def get_client(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, bsn: str) -> Client:
    client = await ClientRepository(uow.session).get(tenant, gemeentecode, bsn)
    if client is None:
        raise NotFound("no such cliënt")
    await audit_log(uow.session).record(tenant, "GetClient", [(client.gemeentecode, client.bsn)])
    await uow.commit()
    return client


async def list_clienten(uow: UnitOfWork, tenant: Tenant, after: tuple[str, str] | None, limit: int) -> Page[Client]:
    page = Page.of(await ClientRepository(uow.session).list(tenant, after, read_limit(limit)), limit)
    await audit_log(uow.session).record(tenant, "ListClienten", [(c.gemeentecode, c.bsn) for c in page.rows])
    await uow.commit()
    return page


# ---- beschikkingen ----------------------------------------------------------------------------


async def _andere_producten(repository: BeschikkingRepository, gemeentecode: str, bsn: str, behalve: str = "") -> list[BeschiktProduct]:
    return [p for b in await repository.van_client(gemeentecode, bsn, behalve) for p in b.geldende_producten()]


async def herindicatie_bijwerken(uow: UnitOfWork, beschikking: Beschikking, markeringen: Sequence[EigenVerantwoordelijkheid]) -> None:
    """Brings the beschikking's herindicatie signalen in line with it as it now stands and with the
    aanbieders the toewijslijst gave its producten that still deliver them (domain/herindicatie.py),
    in the caller's transaction."""
    repository = TrajectRepository(uow.session)
    open_signalen = await repository.open_beschikking_signalen(beschikking.gemeentecode, beschikking.beschikkingnummer)
    beschikkingen = BeschikkingRepository(uow.session)
    toegewezen = leverende_aanbieders(
        await beschikkingen.toewijslijst_aanbieders(beschikking.gemeentecode, beschikking.beschikkingnummer),
        await beschikkingen.toewijslijst_toewijzingen(beschikking.gemeentecode, beschikking.beschikkingnummer),
    )
    sluiten, openen = wat_verandert(open_signalen, herindicatie_signalen(beschikking, markeringen, toegewezen))
    for signaal in await repository.handel_af([s.id for s in sluiten], vandaag()):
        uow.publish(SIGNAAL_AFGEHANDELD, signaal_feit(signaal), gemeentecode=beschikking.gemeentecode)
    for signaal in openen:
        await repository.add_signaal(signaal)
        uow.publish(SIGNAAL_AANGEMAAKT, signaal_feit(signaal), gemeentecode=beschikking.gemeentecode)


async def controleer_afgifte_van(uow: UnitOfWork, beschikking: Beschikking, client: Client, codelijsten: Codelijsten) -> list[Gebrek]:
    """The gebreken that keep `beschikking` from being afgegeven (NAW, codes, zorgvorm, contract,
    overlap: `afgifte_gebreken`), with the contracts and the cliënt's other beschikkingen read here;
    for GeefBeschikkingAf and an imported indicatie alike."""
    contracten = await ContractRepository(uow.session).voor(beschikking.gemeentecode, [p.categorie for p in beschikking.producten])
    andere = await _andere_producten(BeschikkingRepository(uow.session), beschikking.gemeentecode, beschikking.bsn, beschikking.beschikkingnummer)
    return afgifte_gebreken(beschikking, client, codelijsten, contracten, andere)


async def leg_afgifte_vast(uow: UnitOfWork, tenant: Tenant, beschikking: Beschikking, markeringen: Sequence[EigenVerantwoordelijkheid], wat: str) -> None:
    """Records a checked beschikking, audits it as a change by `wat`, opens its herindicatie signalen
    and publishes indicatie.beschikking.afgegeven — in the caller's transaction."""
    if not await BeschikkingRepository(uow.session).add(beschikking, tenant.subject):
        raise AlreadyExists(f"gemeente {beschikking.gemeentecode} already has beschikking {beschikking.beschikkingnummer}")
    await audit_log(uow.session).record(tenant, wat, [(beschikking.gemeentecode, beschikking.bsn)], WIJZIGING)
    await herindicatie_bijwerken(uow, beschikking, markeringen)
    uow.publish(events.BESCHIKKING_AFGEGEVEN, events.beschikking(beschikking), gemeentecode=beschikking.gemeentecode)


async def geef_beschikking_af(
    uow: UnitOfWork, tenant: Tenant, beschikking: Beschikking, codelijsten: Codelijsten, markeringen: Sequence[EigenVerantwoordelijkheid]
) -> Beschikking:
    """Checks and records a new beschikking, opens its herindicatie signalen and publishes
    indicatie.beschikking.afgegeven.

    ALREADY_EXISTS when the gemeente has a beschikking with this number (a repeated request).
    """
    mag_beschikken(tenant, beschikking.gemeentecode, "issue beschikkingen")
    client = await ClientRepository(uow.session).get(tenant, beschikking.gemeentecode, beschikking.bsn, for_update=True)
    if client is None:
        raise NotFound(f"gemeente {beschikking.gemeentecode} has no cliënt with this BSN")
    if await BeschikkingRepository(uow.session).get(tenant, beschikking.gemeentecode, beschikking.beschikkingnummer) is not None:
        raise AlreadyExists(f"gemeente {beschikking.gemeentecode} already has beschikking {beschikking.beschikkingnummer}")
    weiger(await controleer_afgifte_van(uow, beschikking, client, codelijsten))
    await leg_afgifte_vast(uow, tenant, beschikking, markeringen, "GeefBeschikkingAf")
    await uow.commit()
    return beschikking


def mag_beschikken(tenant: Tenant, gemeentecode: str, wat: str) -> None:
    _mag(tenant, gemeentecode, wat, BESCHIKKING_ROLES)


async def nieuw_beschikkingnummer(uow: UnitOfWork) -> str:
    return await BeschikkingRepository(uow.session).nieuw_nummer()


async def _voor_wijziging(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, beschikkingnummer: str) -> tuple[BeschikkingRepository, Beschikking]:
    _mag(tenant, gemeentecode, "change beschikkingen", BESCHIKKING_ROLES)
    repository = BeschikkingRepository(uow.session)
    huidig = await repository.get(tenant, gemeentecode, beschikkingnummer)
    if huidig is None:
        raise NotFound("no such beschikking")
    # lock the cliënt first (as the afgifte does), then read the beschikking again under that lock
    await ClientRepository(uow.session).get(tenant, gemeentecode, huidig.bsn, for_update=True)
    huidig = await repository.get(tenant, gemeentecode, beschikkingnummer, for_update=True)
    assert huidig is not None
    return repository, huidig


async def wijzig_beschikking(
    uow: UnitOfWork,
    tenant: Tenant,
    gemeentecode: str,
    beschikkingnummer: str,
    producten: Sequence[BeschiktProduct],
    reden: Reden,
    versie: int,
    codelijsten: Codelijsten,
    markeringen: Sequence[EigenVerantwoordelijkheid],
) -> Beschikking:
    """A new set of producten with its reden; new or changed producten get the checks of an afgifte
    (codes, contract, overlap), the cliënt's NAW is not checked again (it may have died since)."""
    controleer_reden(reden, codelijsten, date.today())
    repository, huidig = await _voor_wijziging(uow, tenant, gemeentecode, beschikkingnummer)
    nieuw = huidig.wijzig(producten, reden, versie)
    gewijzigd = gewijzigde_producten(huidig.producten, nieuw.producten)
    contracten = await ContractRepository(uow.session).voor(gemeentecode, [p.categorie for p in gewijzigd])
    andere = await _andere_producten(repository, gemeentecode, huidig.bsn, beschikkingnummer)
    controleer_producten(gewijzigd, nieuw.wet, gemeentecode, codelijsten, contracten, andere)
    await repository.update(nieuw, tenant.subject)
    await audit_log(uow.session).record(tenant, "WijzigBeschikking", [(gemeentecode, nieuw.bsn)], WIJZIGING)
    await herindicatie_bijwerken(uow, nieuw, markeringen)
    uow.publish(events.BESCHIKKING_GEWIJZIGD, events.beschikking(nieuw), gemeentecode=gemeentecode)
    await uow.commit()
    return nieuw


async def trek_beschikking_in(
    uow: UnitOfWork,
    tenant: Tenant,
    gemeentecode: str,
    beschikkingnummer: str,
    reden: Reden,
    per: date | None,
    versie: int,
    codelijsten: Codelijsten,
) -> Beschikking:
    """Withdraws the beschikking per `per` (default today), recorded with its reden; its herindicatie
    signalen are afgehandeld (no right left to renew)."""
    controleer_reden(reden, codelijsten, date.today())
    repository, huidig = await _voor_wijziging(uow, tenant, gemeentecode, beschikkingnummer)
    nieuw = huidig.trek_in(reden, per or date.today(), versie)
    await repository.update(nieuw, tenant.subject)
    await audit_log(uow.session).record(tenant, "TrekBeschikkingIn", [(gemeentecode, nieuw.bsn)], WIJZIGING)
    await herindicatie_bijwerken(uow, nieuw, ())
    uow.publish(events.BESCHIKKING_INGETROKKEN, events.beschikking(nieuw), gemeentecode=gemeentecode)
    await uow.commit()
    return nieuw


async def get_beschikking(
    uow: UnitOfWork, tenant: Tenant, gemeentecode: str, beschikkingnummer: str, wat: str = "GetBeschikking"
) -> tuple[Beschikking, list[BeschikkingMutatie]]:
    repository = BeschikkingRepository(uow.session)
    beschikking = await repository.get(tenant, gemeentecode, beschikkingnummer)
    if beschikking is None:
        raise NotFound("no such beschikking")
    history = await repository.history(tenant, gemeentecode, beschikkingnummer)
    await audit_log(uow.session).record(tenant, wat, [(beschikking.gemeentecode, beschikking.bsn)])
    await uow.commit()
    return beschikking, history


async def list_beschikkingen(
    uow: UnitOfWork, tenant: Tenant, after: tuple[str, str] | None, limit: int, gemeentecode: str = "", bsn: str = ""
) -> Page[Beschikking]:
    page = Page.of(await BeschikkingRepository(uow.session).list(tenant, after, read_limit(limit), gemeentecode, bsn), limit)
    await audit_log(uow.session).record(tenant, "ListBeschikkingen", [(b.gemeentecode, b.bsn) for b in page.rows])
    await uow.commit()
    return page


async def beschikking_brief(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, beschikkingnummer: str) -> tuple[Beschikking, Client]:
    """What the letter needs: the beschikking and its cliënt (both reads audited as one)."""
    repository = BeschikkingRepository(uow.session)
    beschikking = await repository.get(tenant, gemeentecode, beschikkingnummer)
    if beschikking is None:
        raise NotFound("no such beschikking")
    client = await ClientRepository(uow.session).get(tenant, gemeentecode, beschikking.bsn)
    if client is None:
        raise DomainError("the beschikking's cliënt is not registered")  # prevented by the foreign key
    await audit_log(uow.session).record(tenant, "GetBeschikkingBrief", [(client.gemeentecode, client.bsn)])
    await uow.commit()
    return beschikking, client
