"""The hub's commands: receive a message, judge it, answer it, deliver it, and let parties fetch it.

Receiving (`ontvang`): the raw XML is kept whatever it is; the message is checked at levels 1 and 2
and on the hub's own level-3/4 rules; a message that fails gets its retourbericht at once; one that
passes is delivered to its receiving party's postbus and published as `bericht.ontvangen.<soort>`.
It is then answered at once, or — for the berichtsoorten a domain service judges (BEOORDEELD_DOOR)
— when that service reports its findings (`beoordeel`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from berichten.adapters.repository import BerichtRecord, BerichtRepository
from berichten.adapters.tables import inzage
from berichten.codec.codec import Decoded, header_velden, met_nieuwe_identificatie
from berichten.codec.schemas import BerichtType, OnbekendBericht
from berichten.codec.xml import XmlError
from berichten.controle import Controleur, Uitslag
from berichten.domain.berichtsoorten import BEOORDEELD_DOOR, Partijen, partijen
from berichten.domain.clienten import bsns
from berichten.domain.regels.catalogus import Bevinding, Controleniveau
from berichten.domain.status import Levering, Status, path
from berichten.koppeling import bevinding_json
from runtime.audit import AuditLog
from runtime.db import UnitOfWork
from runtime.errors import AlreadyExists, DomainError, NotFound, PermissionDenied
from runtime.pagination import Page, read_limit
from runtime.tenancy import Role, Tenant
from runtime.werkdagen import plus_werkdagen

log = logging.getLogger(__name__)


@dataclass
class Hub:
    controleur: Controleur = field(default_factory=Controleur)
    vandaag: Callable[[], date] = date.today


def tenant_partijen(tenant: Tenant) -> list[str]:
    return [tenant.agb] if tenant.agb else sorted(tenant.gemeentecodes)


def _is_zender(tenant: Tenant, p: Partijen) -> bool:
    if tenant.is_aanbieder:
        return p.afzender == tenant.agb
    return p.afzender == p.gemeentecode and tenant.mag_gemeente(p.gemeentecode)


def _event(record: BerichtRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "standaard": record.standaard,
        "berichtsoort": record.berichtsoort,
        "berichtcode": record.berichtcode,
        "afzender": record.afzender,
        "ontvanger": record.ontvanger,
        "gemeentecode": record.gemeentecode,
        "agb": record.agb,
        "status": record.status.value,
    }


def bevinding_from_json(raw: dict[str, Any]) -> Bevinding:
    return Bevinding(raw["regel"], raw["retourcode"], Controleniveau(raw["niveau"]), raw["locatie"], raw["klasse"], raw["melding"])


def _client_bsns(decoded: Decoded) -> list[str]:
    """The BSNs of the message's Clients: from the typed message, or (XSD-invalid) from its Bsn elements."""
    if decoded.bericht is not None:
        return bsns(decoded.bericht)
    return list(dict.fromkeys(e.text.strip() for e in decoded.tree.iter("{*}Bsn") if e.text and len(e.text.strip()) <= 9))


async def _audit_inhoud(uow: UnitOfWork, tenant: Tenant, wat: str, record: BerichtRecord) -> None:
    """Who read the content of a message about which cliënten (its gemeente's), in this transaction."""
    if record.gemeentecode:
        await AuditLog(uow.session, inzage).record(tenant, wat, ((record.gemeentecode, b) for b in record.bsns))


def _uitgaand(
    bericht_type: BerichtType, data: bytes, p: Partijen, identificatie: str, dagtekening: date, heen_id: str | None = None
) -> BerichtRecord:
    """The record of a message the hub sends out."""
    return BerichtRecord(
        id=str(uuid.uuid4()),
        richting="uit",
        afzender=p.afzender,
        ontvanger=p.ontvanger,
        status=Status.VERZONDEN,
        sha256=hashlib.sha256(data).hexdigest(),
        grootte=len(data),
        standaard=str(bericht_type.standaard),
        berichtsoort=bericht_type.soort.soort,
        berichtcode=bericht_type.berichtcode,
        gemeentecode=p.gemeentecode,
        agb=p.agb,
        identificatie=identificatie,
        dagtekening=dagtekening,
        heen_id=heen_id,
    )


async def _store(uow: UnitOfWork, record: BerichtRecord, data: bytes, history: list[Status]) -> None:
    repo = BerichtRepository(uow.session)
    await repo.add(record, data, history)
    if record.correctie_van and not await repo.koppel_correctie(record.correctie_van, record.id):
        raise AlreadyExists(f"message {record.correctie_van} has been corrected already")


async def _te_corrigeren(repo: BerichtRepository, tenant: Tenant, bericht_id: str) -> BerichtRecord:
    """A rejected message the caller's party sent and has not corrected yet (locked until commit)."""
    origineel = await repo.get(tenant, bericht_id, for_update=True)
    if origineel.richting != "in" or origineel.afzender not in tenant_partijen(tenant):
        raise PermissionDenied("only the party that sent a message corrects it")
    if not origineel.afgekeurd:
        raise DomainError(f"message {bericht_id} was not rejected; there is nothing to correct")
    if origineel.gecorrigeerd_door:
        raise AlreadyExists(f"message {bericht_id} has been corrected already, by message {origineel.gecorrigeerd_door}")
    return origineel


async def _answer(uow: UnitOfWork, hub: Hub, heen: BerichtRecord, uitslag: Uitslag, extra: list[Bevinding]) -> BerichtRecord:
    """Builds, stores and delivers the answer to `heen` (its retourbericht, or the 325 on a 323)."""
    repo = BerichtRepository(uow.session)
    vandaag = hub.vandaag()
    antwoord = hub.controleur.antwoord(uitslag, await repo.next_identificatie(), vandaag, extra)
    data = hub.controleur.codec.encode(antwoord)
    antwoord_type = hub.controleur.codec.schemas.type_for_code(antwoord.header.bericht_code)
    p = Partijen(afzender=heen.ontvanger or "", ontvanger=heen.afzender, gemeentecode=heen.gemeentecode or "", agb=heen.agb or "")
    identificatie = antwoord.header.identificatie_retour or antwoord.header.bericht_identificatie.identificatie
    retour = _uitgaand(antwoord_type, data, p, identificatie, vandaag, heen_id=heen.id)
    retour.bsns = bsns(antwoord)
    await repo.add(retour, data, [Status.VERZONDEN])
    await repo.klaarzetten(retour.id, p.ontvanger)
    await repo.link_retour(heen.id, retour.id)
    heen.retour_id = retour.id
    uow.publish("bericht.verzonden." + (retour.berichtsoort or ""), _event(retour), gemeentecode=retour.gemeentecode)
    return retour


async def ontvang(uow: UnitOfWork, tenant: Tenant, hub: Hub, data: bytes, correctie_van: str = "") -> BerichtRecord:
    """Receives one message from the caller's party. Refusals are recorded on the message, not raised;
    only a message the caller may not send (another party's) raises PermissionDenied.

    With `correctie_van` the message corrects that rejected message of the caller's party: both are
    linked (the original stays as it was); it must be the same berichtsoort with a new Identificatie,
    and a message is corrected once (AlreadyExists, also for two corrections at the same time)."""
    repo = BerichtRepository(uow.session)
    vandaag = hub.vandaag()
    origineel = await _te_corrigeren(repo, tenant, correctie_van) if correctie_van else None
    record = BerichtRecord(
        id=str(uuid.uuid4()),
        richting="in",
        afzender=tenant_partijen(tenant)[0],
        status=Status.ONTVANGEN,
        sha256=hashlib.sha256(data).hexdigest(),
        grootte=len(data),
        agb=tenant.agb,
        gemeentecode=next(iter(tenant.gemeentecodes)) if len(tenant.gemeentecodes) == 1 else None,
        correctie_van=origineel.id if origineel else None,
    )
    try:
        uitslag = await asyncio.to_thread(hub.controleur.controleer, data, vandaag)
    except (XmlError, OnbekendBericht) as exc:
        record.fout_reden, record.fout_melding = str(exc.reden), str(exc)
        await _store(uow, record, data, path(Status.ONTVANGEN, Status.AFGEKEURD))
        uow.publish("bericht.afgekeurd.onbekend", _event(record), gemeentecode=record.gemeentecode)
        await uow.commit()
        return record

    bericht_type = uitslag.bericht_type
    velden = header_velden(uitslag.decoded.tree)
    record.bsns = _client_bsns(uitslag.decoded)
    p = partijen(bericht_type.soort, velden.get("Afzender", ""), velden.get("Ontvanger", ""))
    if not _is_zender(tenant, p):
        raise PermissionDenied(f"this {bericht_type.naam} is sent by {p.afzender}, not by the caller's party")
    record.standaard, record.berichtsoort, record.berichtcode = str(bericht_type.standaard), bericht_type.soort.soort, bericht_type.berichtcode
    record.afzender, record.ontvanger, record.gemeentecode, record.agb = p.afzender, p.ontvanger, p.gemeentecode, p.agb
    record.identificatie = velden.get("Identificatie")
    if origineel is not None and origineel.berichtsoort and origineel.berichtsoort != record.berichtsoort:
        raise DomainError(f"a correction of a {origineel.berichtsoort} is a {origineel.berichtsoort} too, not a {record.berichtsoort}")
    if origineel is not None and origineel.identificatie and origineel.identificatie == record.identificatie:
        raise DomainError(f"the correction has the Identificatie of the rejected message ({record.identificatie}); give it a new one (TR056)")
    try:
        record.dagtekening = date.fromisoformat(velden.get("Dagtekening", ""))
    except ValueError:
        record.dagtekening = None
    soort = bericht_type.soort.soort

    if not uitslag.decoded.xsd_valid:
        record.fout_reden = "xsd"
        record.fout_melding = f"het bericht voldoet niet aan de XSD van {bericht_type.naam} (controleniveau 1)"
        record.xsd_fouten = [dataclasses.asdict(f) for f in uitslag.decoded.xsd_fouten]
        await _store(uow, record, data, path(Status.ONTVANGEN, Status.AFGEKEURD))
        uow.publish(f"bericht.afgekeurd.{soort}", _event(record), gemeentecode=record.gemeentecode)
        await uow.commit()
        return record

    if not uitslag.technisch_afgekeurd:
        identificatie = velden.get("IdentificatieRetour") if bericht_type.soort.is_retour else record.identificatie
        first_use = await repo.claim_identificatie(p.afzender, soort, identificatie or "", record.id)
        uitslag = hub.controleur.hogere_niveaus(uitslag, vandaag, identificatie_eerder_ontvangen=not first_use)
    record.bevindingen = [bevinding_json(b) for b in uitslag.bevindingen]
    answerable = hub.controleur.beantwoordbaar(bericht_type)

    if uitslag.bevindingen:
        await _store(uow, record, data, path(Status.ONTVANGEN, Status.AFGEKEURD))
        uow.publish(f"bericht.afgekeurd.{soort}", _event(record), gemeentecode=record.gemeentecode)
        if answerable:
            await _answer(uow, hub, record, uitslag, [])
            await repo.change_status(record.id, Status.AFGEKEURD, Status.RETOUR_VERZONDEN)
            record.status = Status.RETOUR_VERZONDEN
        await uow.commit()
        return record

    await _store(uow, record, data, path(Status.ONTVANGEN, Status.GEACCEPTEERD))
    await repo.klaarzetten(record.id, p.ontvanger)
    uow.publish(f"bericht.ontvangen.{soort}", _event(record), gemeentecode=record.gemeentecode)
    if soort not in BEOORDEELD_DOOR:
        await repo.change_status(record.id, Status.GEACCEPTEERD, Status.VERWERKT)
        record.status = Status.VERWERKT
        if answerable:
            await _answer(uow, hub, record, uitslag, [])
            await repo.change_status(record.id, Status.VERWERKT, Status.RETOUR_VERZONDEN)
            record.status = Status.RETOUR_VERZONDEN
    await uow.commit()
    return record


async def beoordeel(uow: UnitOfWork, tenant: Tenant, hub: Hub, bericht_id: str, bevindingen: list[Bevinding]) -> BerichtRecord:
    """A domain service's verdict on a message it judges: the hub answers it with these findings.
    The same verdict reported again is answered with the message as it is (so a service may retry)."""
    if tenant.role is not Role.SYSTEEM:
        raise PermissionDenied("only a Zorgketen service reports findings on a message")
    repo = BerichtRepository(uow.session)
    record = await repo.get(tenant, bericht_id, for_update=True)
    if record.status in (Status.VERWERKT, Status.RETOUR_VERZONDEN) and record.bevindingen == [bevinding_json(b) for b in bevindingen]:
        return record  # the same verdict again (a retry after a lost answer): already done
    if record.status is not Status.GEACCEPTEERD:
        raise DomainError(f"message {bericht_id} is {record.status}, not awaiting a verdict")
    if any(b.niveau not in (Controleniveau.BERICHTOVERSTIJGEND, Controleniveau.EXTERNE_BRON) for b in bevindingen):
        raise DomainError("a domain service reports findings of controleniveau 3 or 4 only")
    decoded = await asyncio.to_thread(hub.controleur.codec.decode, await repo.xml(bericht_id))
    await repo.change_status(record.id, Status.GEACCEPTEERD, Status.VERWERKT)
    record.status = Status.VERWERKT
    record.bevindingen = [bevinding_json(b) for b in bevindingen]
    await repo.record_bevindingen(record.id, record.bevindingen)
    if hub.controleur.beantwoordbaar(decoded.bericht_type):
        await _answer(uow, hub, record, Uitslag(decoded), bevindingen)
        await repo.change_status(record.id, Status.VERWERKT, Status.RETOUR_VERZONDEN)
        record.status = Status.RETOUR_VERZONDEN
    await uow.commit()
    return record


async def verstuur(uow: UnitOfWork, tenant: Tenant, hub: Hub, data: bytes) -> BerichtRecord:
    """A domain service sends a message (301, 319 …): checked like any message, then delivered.
    Sending the same bytes again returns the message sent before; other bytes under a used
    Identificatie are refused (TR056)."""
    if tenant.role is not Role.SYSTEEM:
        raise PermissionDenied("only a Zorgketen service sends messages through the hub")
    try:
        uitslag = await asyncio.to_thread(hub.controleur.controleer, data, hub.vandaag())
    except (XmlError, OnbekendBericht) as exc:
        raise DomainError(f"not a message: {exc}") from None
    if not uitslag.geaccepteerd:
        problems = [str(f) for f in uitslag.decoded.xsd_fouten] + [f"{b.regel} {b.locatie}: {b.melding}" for b in uitslag.bevindingen]
        raise DomainError("the message breaks the standard: " + "; ".join(problems[:10]))
    bericht = uitslag.decoded.bericht
    bericht_type = uitslag.bericht_type
    p = partijen(bericht_type.soort, bericht.header.afzender, bericht.header.ontvanger)
    if not _is_zender(tenant, p):
        raise PermissionDenied(f"this {bericht_type.naam} is sent by {p.afzender}, not by the caller's gemeente")
    header = bericht.header.bericht_identificatie
    repo = BerichtRepository(uow.session)
    eerder = await repo.uitgaand(p.afzender, bericht_type.soort.soort, header.identificatie)
    if eerder is not None:
        if eerder.sha256 != hashlib.sha256(data).hexdigest():
            raise AlreadyExists(f"{p.afzender} already sent a {bericht_type.naam} with Identificatie {header.identificatie} (TR056)")
        return eerder  # the same message again (a retry after a lost answer): sent once
    record = _uitgaand(bericht_type, data, p, header.identificatie, header.dagtekening)
    record.bsns = bsns(bericht)
    await repo.add(record, data, [Status.VERZONDEN])
    await repo.klaarzetten(record.id, p.ontvanger)
    uow.publish(f"bericht.verzonden.{record.berichtsoort}", _event(record), gemeentecode=record.gemeentecode)
    await uow.commit()
    return record


OPHAALTERMIJN_WERKDAGEN = 3  # OP090: a retourbericht within three werkdagen; a message unfetched longer is signalled


async def signaleer_niet_opgehaald(uow: UnitOfWork, vandaag: date) -> int:
    """Publishes `bericht.niet_opgehaald` for every message that has waited in a postbus, unfetched,
    for more than OPHAALTERMIJN_WERKDAGEN werkdagen — once per message. Returns how many."""
    repo = BerichtRepository(uow.session)
    waiting = await repo.niet_opgehaald(plus_werkdagen(vandaag, -OPHAALTERMIJN_WERKDAGEN))
    for record, klaargezet_op in waiting:
        await repo.mark_gesignaleerd(record.id)
        uow.publish(
            "bericht.niet_opgehaald",
            {**_event(record), "klaargezet_op": klaargezet_op.isoformat(), "termijn_werkdagen": OPHAALTERMIJN_WERKDAGEN},
            gemeentecode=record.gemeentecode,
        )
        log.warning("message %s (%s) waits unfetched in the postbus of %s since %s", record.id, record.berichtsoort, record.ontvanger, klaargezet_op)
    await uow.commit()
    return len(waiting)


async def get(uow: UnitOfWork, tenant: Tenant, bericht_id: str) -> BerichtRecord:
    return await BerichtRepository(uow.session).get(tenant, bericht_id)


async def xml(uow: UnitOfWork, tenant: Tenant, bericht_id: str) -> bytes:
    """The raw XML of a message of the caller's party; fetching it from the postbus marks it opgehaald."""
    repo = BerichtRepository(uow.session)
    record = await repo.get(tenant, bericht_id)  # tenancy
    levering = await repo.levering(bericht_id, tenant_partijen(tenant))
    if levering is Levering.KLAARGEZET:
        await repo.change_levering(bericht_id, Levering.KLAARGEZET, Levering.OPGEHAALD)
    data = await repo.xml(bericht_id)
    await _audit_inhoud(uow, tenant, "GetBerichtXml", record)
    await uow.commit()
    return data


async def bevestig(uow: UnitOfWork, tenant: Tenant, bericht_id: str) -> BerichtRecord:
    repo = BerichtRepository(uow.session)
    record = await repo.get(tenant, bericht_id)
    levering = await repo.levering(bericht_id, tenant_partijen(tenant))
    if levering is None:
        raise NotFound("this message is not in the caller's postbus")
    if levering is not Levering.BEVESTIGD:
        await repo.change_levering(bericht_id, levering, Levering.BEVESTIGD)
        uow.publish("bericht.bevestigd", {"id": bericht_id, "ontvanger": tenant_partijen(tenant)}, gemeentecode=record.gemeentecode)
    await uow.commit()
    return record


async def postbus(uow: UnitOfWork, tenant: Tenant, after: tuple[str, str] | None, limit: int):  # type: ignore[no-untyped-def]
    return Page.of(await BerichtRepository(uow.session).postbus(tenant_partijen(tenant), after, read_limit(limit)), limit)


async def wacht_op_correctie(uow: UnitOfWork, tenant: Tenant, after: tuple[str, str] | None, limit: int) -> Page[BerichtRecord]:
    return Page.of(await BerichtRepository(uow.session).wacht_op_correctie(tenant, tenant_partijen(tenant), after, read_limit(limit)), limit)


async def concept_correctie(uow: UnitOfWork, tenant: Tenant, bericht_id: str) -> bytes:
    """The XML of a rejected message of the caller's party with a fresh Identificatie in its header,
    to be corrected and sent again; XML that cannot be read comes back as it was."""
    origineel = await _te_corrigeren(BerichtRepository(uow.session), tenant, bericht_id)
    data = await BerichtRepository(uow.session).xml(origineel.id)
    await _audit_inhoud(uow, tenant, "ConceptCorrectie", origineel)
    await uow.commit()
    return await asyncio.to_thread(met_nieuwe_identificatie, data, uuid.uuid4().hex[:12].upper())

