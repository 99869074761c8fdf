"""The toewijzing service's commands, queries and event handlers.

Events in: beschikkingen and BRP-mutaties from the indicatie service, contracts from the declaratie
service, and the messages the hub accepted (`bericht.ontvangen.302/305/307/315/317`). Messages out:
every change of a cliënt's toewijzingen at an aanbieder becomes one 301 with all current ones
(OP087); an answer to a verzoek is a 301 or a 319. What goes to the hub (a 301 or 319 to send, a
verdict on a 305/307/315/317) is first stored in this service's transaction and then delivered by
`aflever_een` — so nothing decided is lost, and the hub's Verstuur and Beoordeel are safe to repeat.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

from berichten import koppeling
from berichten.codec.codec import Codec
from berichten.domain import model
from berichten.domain.regels.regel import walk
from berichten.domain.berichtsoorten import WET_VAN_STANDAARD, Standaard
from runtime.audit import INZAGE, WIJZIGING, AuditLog
from runtime.db import UnitOfWork
from runtime.domein import Uitvoeringsvariant, Wet
from runtime.errors import Conflict, DomainError, NotFound, PermissionDenied
from runtime.events import Event
from runtime.pagination import Page, read_limit
from runtime.tenancy import Role, Tenant
from toewijzing.adapters.repository import ToewijzingRepository, is_gecontracteerd, uitvoeringsvariant
from toewijzing.adapters.tables import inzage, oordeel, uitgaand_bericht
from toewijzing.domain import events, termijnen
from toewijzing.domain import toewijslijst as lijst
from toewijzing.domain.bericht301 import Adres, ClientGegevens, Kop, bouw_301, toewijzingen_voor_301
from toewijzing.domain.beschikking import Besluiten, bij_afgifte, bij_intrekking, bij_wijziging, lees_beschikking
from toewijzing.domain.brp import bij_brp_gebeurtenis, lees_brp_gebeurtenis
from toewijzing.domain.levering import Start, Stop, verwerk_start, verwerk_stop
from toewijzing.domain.regels import Stand, beoordeel
from toewijzing.domain.toewijzing import Product, Toewijzing, ToewijzingStatus, controleer_stapeling, huidige_versies, voer_uitgestelde_verwijdering_uit
from toewijzing.domain.verzoek import (
    Verzoek,
    antwoordbericht,
    gehonoreerd,
    honoreer,
    verzoek_uit_vow,
    verzoeken_uit_vot,
    wijs_af,
    zet_in_onderzoek,
)

log = logging.getLogger(__name__)

GEMEENTE_ROLLEN = (Role.GEMEENTE_CONSULENT, Role.REGIONAAL_BACKOFFICE, Role.SYSTEEM)


async def _audit(uow: UnitOfWork, tenant: Tenant, wat: str, over: Iterable[Any], soort: str = INZAGE) -> None:
    """Records who read (or changed) the data of the cliënten of `over` (anything with gemeentecode
    and bsn), in this unit of work's transaction (runtime.audit)."""
    await AuditLog(uow.session, inzage).record(tenant, wat, ((x.gemeentecode, x.bsn) for x in over), soort)


@dataclass
class Dienst:
    """What the handlers need besides the database: the codec, the hub and the indicatie service."""

    codec: Codec
    hub: koppeling.Hubkoppeling
    indicatie: indicatie_pb2_grpc.IndicatieStub
    nu: Callable[[], datetime] = datetime.now

    def vandaag(self) -> date:
        return self.nu().date()


def _moment(dienst: Dienst) -> datetime:
    return dienst.nu().replace(microsecond=0)


def _gemeente_caller(tenant: Tenant, gemeentecode: str) -> None:
    if tenant.is_aanbieder or tenant.role not in GEMEENTE_ROLLEN or not tenant.mag_gemeente(gemeentecode):
        raise PermissionDenied(f"only a consulent or the back office of gemeente {gemeentecode} decides this")


# ---------------------------------------------------------------- the cliënt and the 301


def client_gegevens(pb: indicatie_pb2.Client) -> ClientGegevens:
    return ClientGegevens(
        bsn=pb.bsn.value,
        geboortedatum=date.fromisoformat(pb.geboortedatum.value),
        geslacht=pb.geslacht or "0",
        geslachtsnaam=pb.geslachtsnaam,
        voorletters=pb.voorletters,
        voorvoegsel=pb.voorvoegsel,
        datum_gebruik=pb.datum_gebruik,
        adressen=tuple(
            Adres(
                soort=a.soort,
                straatnaam=a.straatnaam,
                huisnummer=a.huisnummer or None,
                huisletter=a.huisletter,
                huisnummertoevoeging=a.huisnummertoevoeging,
                postcode=a.postcode,
                plaatsnaam=a.plaatsnaam,
                **({"land": a.land} if a.land else {}),
            )
            for a in pb.adressen
        ),
        telefoon=pb.contact.telefoon,
        emailadres=pb.contact.emailadres,
        wettelijke_vertegenwoordiging=pb.wettelijke_vertegenwoordiging.soort,
    )


async def _client(dienst: Dienst, gemeentecode: str, bsn: str) -> indicatie_pb2.Client:
    """The cliënt from the indicatie service (an audited read there)."""
    request = indicatie_pb2.GetClientRequest(bsn=common_pb2.Bsn(value=bsn), gemeente=common_pb2.Gemeentecode(value=gemeentecode))
    return await dienst.indicatie.GetClient(request, metadata=dienst.hub.namens(gemeentecode), timeout=10)


def _wijk(client: indicatie_pb2.Client) -> str | None:
    postcode = (client.postcode or next((a.postcode for a in client.adressen if a.postcode), "")).replace(" ", "")
    return postcode[:4] if len(postcode) >= 4 and postcode[:4].isdigit() else None


async def stuur_301(uow: UnitOfWork, dienst: Dienst, gemeentecode: str, wet: Wet, bsn: str, agb: str) -> str | None:
    """Queues the 301 with every current toewijzing of this cliënt at this aanbieder plus those changed
    since the previous 301 (OP087). Returns its id, or None when there is nothing to send."""
    repo = ToewijzingRepository(uow.session)
    versies = await repo.versies(gemeentecode, wet, bsn, agb)
    inhoud = toewijzingen_voor_301(versies, await repo.verzonden_momenten(gemeentecode, wet, bsn, agb), dienst.vandaag())
    if not inhoud:
        return None
    client = client_gegevens(await _client(dienst, gemeentecode, bsn))
    identificatie = await repo.identificatie(gemeentecode)
    bericht = bouw_301(Kop(gemeentecode, agb, wet, identificatie, dienst.vandaag()), client, inhoud, dienst.codec.schemas)
    data = dienst.codec.encode(bericht)
    uitgaand_id = str(uuid.uuid4())
    await koppeling.stuur(uow.session, uitgaand_bericht, uitgaand_id, "301", gemeentecode, wet.value, agb, bsn, identificatie, data)
    huidig = huidige_versies(versies)
    await repo.markeer_verzonden(gemeentecode, wet, [(t.toewijzing_nummer, huidig[t.toewijzing_nummer].versie) for t in inhoud], uitgaand_id)
    uow.publish(events.TOEWIJZINGBERICHT_KLAARGEZET, events.toewijzingbericht(uitgaand_id, "301", gemeentecode, wet, agb, bsn, [t.toewijzing_nummer for t in inhoud]), gemeentecode=gemeentecode)
    return uitgaand_id


async def _bewaar_en_stuur(uow: UnitOfWork, dienst: Dienst, nieuwe_versies: Sequence[Toewijzing]) -> None:
    """Stores new versions, publishes them, and queues one 301 per cliënt per aanbieder."""
    if not nieuwe_versies:
        return
    await ToewijzingRepository(uow.session).bewaar(nieuwe_versies)
    for t in nieuwe_versies:
        uow.publish(events.TOEWIJZING_GEWIJZIGD, events.toewijzing(t), gemeentecode=t.gemeentecode)
    for gemeentecode, wet, bsn, agb in sorted({(t.gemeentecode, t.wet, t.bsn, t.agb) for t in nieuwe_versies}):
        await stuur_301(uow, dienst, gemeentecode, wet, bsn, agb)


# ---------------------------------------------------------------- events in


async def beschikking_ontvangen(uow: UnitOfWork, dienst: Dienst, event: Event) -> None:
    """indicatie.beschikking.afgegeven / gewijzigd / ingetrokken -> toewijzingen (301) or the toewijslijst."""
    besluit = lees_beschikking(event.data)
    repo = ToewijzingRepository(uow.session)
    moment = _moment(dienst)
    overige = [t for t in await repo.huidige_van_client(besluit.gemeentecode, besluit.bsn) if t.wet is besluit.wet]
    nummers = iter(await repo.nummers(besluit.gemeentecode, besluit.wet, 2 * len(besluit.producten) + 2))
    client = await _client(dienst, besluit.gemeentecode, besluit.bsn)
    nieuw_id = lambda: str(uuid.uuid4())  # noqa: E731
    inschrijvingen = await repo.inschrijvingen_van(besluit.gemeentecode, besluit.beschikkingnummer)
    toegekend = await repo.met_toegekende_prestaties(overige)  # TR385: not to be deleted
    if event.subject == events.BESCHIKKING_AFGEGEVEN:
        uitkomst: Besluiten = bij_afgifte(besluit, overige, nieuw_nummer=nummers.__next__, nieuw_id=nieuw_id, moment=moment, wijk=_wijk(client))
    elif event.subject == events.BESCHIKKING_GEWIJZIGD:
        van = [t for t in overige if t.beschikkingnummer == besluit.beschikkingnummer]
        uitkomst = bij_wijziging(
            besluit, van, [t for t in overige if t not in van], nieuw_nummer=nummers.__next__, nieuw_id=nieuw_id, moment=moment, inschrijvingen=inschrijvingen, wijk=_wijk(client), toegekend=toegekend
        )
    else:
        van = [t for t in overige if t.beschikkingnummer == besluit.beschikkingnummer]
        uitkomst = bij_intrekking(besluit, van, moment=moment, inschrijvingen=inschrijvingen, toegekend=toegekend)
    for inschrijving in uitkomst.inschrijvingen:
        await repo.bewaar_inschrijving(inschrijving)
        uow.publish(events.INSCHRIJVING_GEWIJZIGD, events.inschrijving(inschrijving), gemeentecode=inschrijving.gemeentecode)
    for inschrijving in uitkomst.gewijzigde_inschrijvingen:
        if not await repo.bewaar_inschrijving(inschrijving, vorige_versie=inschrijving.versie - 1):
            raise Conflict(f"inschrijving {inschrijving.id} changed meanwhile")  # retried by the consumer
        uow.publish(events.INSCHRIJVING_GEWIJZIGD, events.inschrijving(inschrijving), gemeentecode=inschrijving.gemeentecode)
    await repo.stel_verwijderingen_uit(uitkomst.uitgesteld)  # TR385: signalled, carried out after the credit
    await _bewaar_en_stuur(uow, dienst, [*uitkomst.wijziging.gewijzigd, *uitkomst.wijziging.nieuw])


async def brp_mutatie(uow: UnitOfWork, dienst: Dienst, event: Event) -> None:
    """indicatie.client.overleden / verhuisd -> the cliënt's toewijzingen end with RedenWijziging 02 / 07."""
    gebeurtenis = lees_brp_gebeurtenis(event.subject, event.data)
    repo = ToewijzingRepository(uow.session)
    toewijzingen = await repo.huidige_van_client(gebeurtenis.gemeentecode, gebeurtenis.bsn)
    besluit = bij_brp_gebeurtenis(gebeurtenis, toewijzingen, _moment(dienst), await repo.met_toegekende_prestaties(toewijzingen))
    await repo.stel_verwijderingen_uit(besluit.uitgesteld)  # TR385: signalled, carried out after the credit
    await _bewaar_en_stuur(uow, dienst, besluit.versies)


async def prestatiestand_gewijzigd(uow: UnitOfWork, dienst: Dienst, event: Event) -> None:
    """declaratie.toewijzing.prestatiestand: whether approved, non-credited prestaties exist on a toewijzing
    (TR385); the copy keeps the latest versie (events may arrive twice or out of order). When the copy then
    says none remain, a deletion deferred on that toewijzing is carried out now."""
    d = event.data
    gemeentecode, wet, nummer = d["gemeentecode"], Wet(d["wet"]), int(d["toewijzing_nummer"])
    repo = ToewijzingRepository(uow.session)
    await repo.bewaar_prestatiestand(gemeentecode, wet, nummer, bool(d["heeft_toegekende_prestaties"]), int(d["versie"]))
    await _voer_uitgestelde_verwijdering_uit(uow, dienst, gemeentecode, wet, nummer)


async def _voer_uitgestelde_verwijdering_uit(uow: UnitOfWork, dienst: Dienst, gemeentecode: str, wet: Wet, nummer: int) -> None:
    """The deletion TR385 deferred on this toewijzing, once the copy says no approved, non-credited
    prestaties remain: the new version (RedenWijziging 13) and its 301, and the deferral marked done — in
    one transaction, with the deferral row locked, so it happens once."""
    repo = ToewijzingRepository(uow.session)
    uitgesteld = await repo.uitgestelde_verwijdering(gemeentecode, wet, nummer)
    if uitgesteld is None or await repo.heeft_toegekende_prestaties(gemeentecode, wet, nummer):
        return
    huidig = huidige_versies(await repo.versies(gemeentecode, wet, uitgesteld.bsn, uitgesteld.agb, for_update=True)).get(nummer)
    moment = _moment(dienst)
    verwijderd = voer_uitgestelde_verwijdering_uit(uitgesteld, huidig, moment, heeft_toegekende_prestaties=False) if huidig else None
    await repo.verwijdering_uitgevoerd(uitgesteld, moment)
    await _bewaar_en_stuur(uow, dienst, [verwijderd] if verwijderd else [])


async def contract_geregistreerd(uow: UnitOfWork, dienst: Dienst, event: Event) -> None:
    await ToewijzingRepository(uow.session).add_contract(event.data)


async def bericht_ontvangen(uow: UnitOfWork, dienst: Dienst, event: Event) -> None:
    """A message the hub accepted at levels 1 and 2: the 302 settles a 301; a 305/307/315/317 is judged
    against the state here, applied when it passes, and the verdict goes back to the hub."""
    data = event.data
    gemeentecode, agb, soort = data["gemeentecode"], data["agb"], data["berichtsoort"]
    decoded = dienst.codec.decode(await dienst.hub.xml(data["id"], gemeentecode))
    bericht = decoded.bericht
    if bericht is None:
        raise DomainError(f"message {data['id']} does not decode although the hub accepted it")
    wet = WET_VAN_STANDAARD[Standaard(data["standaard"])]
    if soort == "302":
        await _retour_toewijzing(uow, gemeentecode, bericht)
        return
    repo = ToewijzingRepository(uow.session)
    bsn = bericht.client.bsn  # type: ignore[union-attr]
    starts, stops = await repo.leveringen(gemeentecode, wet, agb, bsn)
    verzoeken = await repo.verzoeken(gemeentecode, wet, agb, bsn)
    kandidaten = _referenties(bericht)
    contracten = await repo.contracten(agb=agb, gemeentecode=gemeentecode)
    stand = Stand(
        gemeentecode=gemeentecode,
        wet=wet,
        agb=agb,
        bsn=bsn,
        vandaag=dienst.vandaag(),
        dagtekening=bericht.header.bericht_identificatie.dagtekening,
        toewijzingen=tuple(await repo.huidige(gemeentecode, wet, bsn, agb)),
        starts=tuple(starts),
        stops=tuple(stops),
        verzoeken=tuple(verzoeken),
        referenties=await repo.referenties(agb, wet, kandidaten) if kandidaten else frozenset(),
        taakgerichte_producten=frozenset(Product(c.categorie, c.code or None) for c in contracten if c.uitvoeringsvariant == Uitvoeringsvariant.TAAKGERICHT.value),
    )
    bevindingen = beoordeel(bericht, stand)
    if not bevindingen:
        ontvangen_op = dienst.vandaag()
        if isinstance(bericht, model.StartBericht):
            verwerking = verwerk_start(bericht, wet, ontvangen_op, data["id"], starts)
            await repo.bewaar_leveringen(verwerking.nieuw, verwerking.verwijderd)
            _publiceer_leveringen(uow, verwerking.nieuw, verwerking.verwijderd)
        elif isinstance(bericht, model.StopBericht):
            verwerking_stop = verwerk_stop(bericht, wet, ontvangen_op, data["id"], stops)
            await repo.bewaar_leveringen(verwerking_stop.nieuw, verwerking_stop.verwijderd)
            _publiceer_leveringen(uow, verwerking_stop.nieuw, verwerking_stop.verwijderd)
        elif isinstance(bericht, model.VerzoekOmToewijzingBericht):
            for v in verzoeken_uit_vot(bericht, wet, ontvangen_op, data["id"]):
                await _nieuw_verzoek(uow, v)
        elif isinstance(bericht, model.VerzoekOmWijzigingBericht):
            await _nieuw_verzoek(uow, verzoek_uit_vow(bericht, wet, ontvangen_op, data["id"]))
    await koppeling.meld_oordeel(uow.session, oordeel, data["id"], soort, gemeentecode, bevindingen)


def _referenties(bericht: model.Bericht) -> list[str]:
    if isinstance(bericht, model.VerzoekOmToewijzingBericht) and bericht.client is not None:
        return [p.referentie_aanbieder for p in bericht.client.aangevraagde_producten]
    if isinstance(bericht, model.VerzoekOmWijzigingBericht) and bericht.client is not None:
        return [bericht.client.verzoek.referentie_aanbieder]
    return []


def _publiceer_leveringen(uow: UnitOfWork, nieuw: Iterable[Start | Stop], verwijderd: Iterable[Start | Stop]) -> None:
    for item in nieuw:
        uow.publish(events.levering_subject(item, verwijderd=False), events.levering(item), gemeentecode=item.gemeentecode)
    for item in verwijderd:
        uow.publish(events.levering_subject(item, verwijderd=True), events.levering(item), gemeentecode=item.gemeentecode)


async def _nieuw_verzoek(uow: UnitOfWork, v: Verzoek) -> None:
    await ToewijzingRepository(uow.session).bewaar_verzoek(v)
    uow.publish(events.VERZOEK_ONTVANGEN, events.verzoek(v), gemeentecode=v.gemeentecode)


def _alle_retourcodes(bericht: model.Bericht) -> list[str]:
    """Every RetourCode in the message (header and classes), each once, in document order."""
    return list(dict.fromkeys(code for knoop in walk(bericht) for code in getattr(knoop.obj, "retour_codes", ())))


async def _retour_toewijzing(uow: UnitOfWork, gemeentecode: str, bericht: model.Bericht) -> None:
    """A 302: without RetourCodes its 301's toewijzingen become actief; otherwise the 301 is afgewezen
    and its toewijzingen wait for the gemeente's correction."""
    repo = ToewijzingRepository(uow.session)
    heen = await repo.uitgaand_by_identificatie(gemeentecode, "301", bericht.header.bericht_identificatie.identificatie)
    if heen is None:
        log.warning("302 on an unknown 301 %s of gemeente %s", bericht.header.bericht_identificatie.identificatie, gemeentecode)
        return
    codes = _alle_retourcodes(bericht)
    afgewezen = any(c not in ("0200", "0233") for c in codes)
    await repo.retour_ontvangen(heen.id, "afgewezen" if afgewezen else "geaccepteerd", codes)
    await repo.zet_status_van_301(heen.id, ToewijzingStatus.AFGEWEZEN if afgewezen else ToewijzingStatus.ACTIEF)
    uow.publish(
        events.TOEWIJZINGBERICHT_AFGEWEZEN if afgewezen else events.TOEWIJZINGBERICHT_GEACCEPTEERD,
        events.toewijzingbericht(heen.id, "301", gemeentecode, Wet(heen.wet), heen.agb, heen.bsn, [], codes),
        gemeentecode=gemeentecode,
    )


# ---------------------------------------------------------------- delivery to the hub


async def aflever_een(uow: UnitOfWork, dienst: Dienst) -> bool:
    """Delivers one queued 301 / 319 or verdict to the hub. Returns whether there was one."""
    delivered = await koppeling.aflever_een(uow.session, dienst.hub, oordeel, uitgaand_bericht)
    if delivered:
        await uow.commit()
    return delivered


# ---------------------------------------------------------------- queries


async def list_toewijzingen(
    uow: UnitOfWork, tenant: Tenant, bsn: str | None, status: str | None, after: tuple[str, str, int] | None, limit: int, gemeentecode: str | None = None
) -> Page[Toewijzing]:
    page = Page.of(await ToewijzingRepository(uow.session).list(tenant, bsn, status, after, read_limit(limit), gemeentecode), limit)
    await _audit(uow, tenant, "ListToewijzingen", page.rows)
    await uow.commit()
    return page


async def historie(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, wet: Wet, nummer: int) -> list[Toewijzing]:
    versies = await ToewijzingRepository(uow.session).historie(tenant, gemeentecode, wet, nummer)
    await _audit(uow, tenant, "GetToewijzing", versies)
    await uow.commit()
    return versies


async def list_toewijzingberichten(uow: UnitOfWork, tenant: Tenant, status: str | None, after: tuple[str, str] | None, limit: int, bsn: str | None = None) -> Page[Any]:
    page = Page.of(await ToewijzingRepository(uow.session).list_uitgaand(tenant, status, after, read_limit(limit), bsn), limit)
    await _audit(uow, tenant, "ListToewijzingberichten", page.rows)
    await uow.commit()
    return page


async def list_leveringen(uow: UnitOfWork, tenant: Tenant, bsn: str) -> list[Start | Stop]:
    found = await ToewijzingRepository(uow.session).list_leveringen(tenant, bsn)
    await _audit(uow, tenant, "ListLeveringen", found)
    await uow.commit()
    return found


async def list_verzoeken(uow: UnitOfWork, tenant: Tenant, status: str | None, after: tuple[str, str] | None, limit: int) -> Page[Verzoek]:
    page = Page.of(await ToewijzingRepository(uow.session).list_verzoeken(tenant, status, read_limit(limit), after), limit)
    await _audit(uow, tenant, "ListVerzoeken", page.rows)
    await uow.commit()
    return page


async def signalen(uow: UnitOfWork, tenant: Tenant, dienst: Dienst) -> list[termijnen.Signaal]:
    repo = ToewijzingRepository(uow.session)
    leveringen = await repo.alle_leveringen(tenant)
    verzoeken = await repo.list_verzoeken(tenant, None, 10_000)
    found = termijnen.signalen(
        await repo.alle_toewijzingen(tenant),
        [x for x in leveringen if isinstance(x, Start)],
        [x for x in leveringen if isinstance(x, Stop)],
        verzoeken,
        dienst.vandaag(),
        await repo.uitgestelde_verwijderingen(tenant),
    )
    await _audit(uow, tenant, "ListSignalen", found)
    await uow.commit()
    return found


# ---------------------------------------------------------------- the toewijslijst


MAX_BATCHES_AANBIEDER = 20  # an aanbieder's page reads at most this many pages of entries before it answers


async def list_toewijslijst(
    uow: UnitOfWork, tenant: Tenant, dienst: Dienst, status: str | None, limit: int, after: tuple[datetime, str] | None = None
) -> tuple[list[tuple[lijst.Inschrijving, int | None]] | list[lijst.Aanbiederweergave], tuple[datetime, str] | None]:
    """A gemeente sees its entries in full; an aanbieder the open ones it is contracted for, without BSN or name.
    Keyset-paged on (sinds, id): returns one page and the key to continue after (None at the end)."""
    repo = ToewijzingRepository(uow.session)
    if not tenant.is_aanbieder:
        page = Page.of(await repo.list_inschrijvingen(sorted(tenant.gemeentecodes), status, read_limit(limit), after), limit)
        await _audit(uow, tenant, "ListToewijslijst", (i for i, _ in page.rows))
        await uow.commit()
        return page.rows, ((page.rows[-1][0].sinds, page.rows[-1][0].id) if page.more else None)
    contracten = await repo.contracten(agb=tenant.agb)
    gemeenten = sorted({c.gemeentecode for c in contracten})
    if not gemeenten:
        return [], None

    def gecontracteerd(i: lijst.Inschrijving) -> bool:
        return is_gecontracteerd(contracten, i.gemeentecode, i.wet, i.product, max(i.ingangsdatum, dienst.vandaag()))

    # the contract filter runs after the query: read on until the page is full and one more entry shows
    # that a next page exists, the list ends, or enough was read (then the next page goes on after what was read)
    zichtbaar: list[lijst.Inschrijving] = []
    cursor = after
    for _ in range(MAX_BATCHES_AANBIEDER):
        batch = [i for i, _ in await repo.list_inschrijvingen(gemeenten, lijst.InschrijvingStatus.OPEN.value, limit, cursor)]
        for entry in batch:
            if gecontracteerd(entry):
                if len(zichtbaar) == limit:
                    return lijst.toewijslijst_voor_aanbieder(zichtbaar, gecontracteerd, dienst.nu()), (zichtbaar[-1].sinds, zichtbaar[-1].id)
                zichtbaar.append(entry)
            cursor = (entry.sinds, entry.id)
        if len(batch) < limit:
            return lijst.toewijslijst_voor_aanbieder(zichtbaar, gecontracteerd, dienst.nu()), None
    return lijst.toewijslijst_voor_aanbieder(zichtbaar, gecontracteerd, dienst.nu()), cursor


async def claim(uow: UnitOfWork, tenant: Tenant, dienst: Dienst, inschrijving_id: str) -> lijst.Inschrijving:
    if not tenant.is_aanbieder or tenant.agb is None:
        raise PermissionDenied("only an aanbieder claims an entry on the toewijslijst")
    repo = ToewijzingRepository(uow.session)
    inschrijving, _ = await repo.get_inschrijving(inschrijving_id)
    contracten = await repo.contracten(agb=tenant.agb, gemeentecode=inschrijving.gemeentecode)
    gecontracteerd = is_gecontracteerd(contracten, inschrijving.gemeentecode, inschrijving.wet, inschrijving.product, max(inschrijving.ingangsdatum, dienst.vandaag()))
    if not gecontracteerd:
        raise NotFound("no such entry on the toewijslijst")  # an aanbieder without contract does not see it
    if inschrijving.status is not lijst.InschrijvingStatus.OPEN:
        raise Conflict(f"entry {inschrijving_id} is {inschrijving.status.value}: another aanbieder was first")
    geclaimd = lijst.claim(inschrijving, tenant.agb, gecontracteerd, _moment(dienst))
    if not await repo.bewaar_inschrijving(geclaimd, vorige_versie=inschrijving.versie):
        raise Conflict(f"entry {inschrijving_id} was claimed by another aanbieder first")
    uow.publish(events.INSCHRIJVING_GEWIJZIGD, events.inschrijving(geclaimd), gemeentecode=geclaimd.gemeentecode)
    automatisch = [c for c in contracten if c.toewijslijst_automatisch]
    if is_gecontracteerd(automatisch, inschrijving.gemeentecode, inschrijving.wet, inschrijving.product, max(inschrijving.ingangsdatum, dienst.vandaag())):
        geclaimd, _ = await _bevestig(uow, dienst, geclaimd)  # the contract says: no need to wait for the gemeente
    await _audit(uow, tenant, "ClaimInschrijving", [geclaimd], WIJZIGING)
    await uow.commit()
    return geclaimd


async def _gemeente_inschrijving(uow: UnitOfWork, tenant: Tenant, inschrijving_id: str) -> lijst.Inschrijving:
    inschrijving, _ = await ToewijzingRepository(uow.session).get_inschrijving(inschrijving_id)
    if tenant.is_aanbieder or not tenant.mag_gemeente(inschrijving.gemeentecode):
        raise NotFound("no such entry on the toewijslijst")
    _gemeente_caller(tenant, inschrijving.gemeentecode)
    return inschrijving


async def bevestig_claim(uow: UnitOfWork, tenant: Tenant, dienst: Dienst, inschrijving_id: str) -> tuple[lijst.Inschrijving, int]:
    """The gemeente confirms the claim: the toewijzing for the claiming aanbieder and its 301."""
    inschrijving = await _gemeente_inschrijving(uow, tenant, inschrijving_id)
    result = await _bevestig(uow, dienst, inschrijving)
    await _audit(uow, tenant, "BevestigClaim", [inschrijving], WIJZIGING)
    await uow.commit()
    return result


async def _bevestig(uow: UnitOfWork, dienst: Dienst, inschrijving: lijst.Inschrijving) -> tuple[lijst.Inschrijving, int]:
    repo = ToewijzingRepository(uow.session)
    nummers = iter(await repo.nummers(inschrijving.gemeentecode, inschrijving.wet, 1))
    bevestigd, toewijzing = lijst.bevestig(inschrijving, _moment(dienst), nummers.__next__)
    controleer_stapeling([toewijzing], await repo.huidige(toewijzing.gemeentecode, toewijzing.wet, toewijzing.bsn, toewijzing.agb))
    if not await repo.bewaar_inschrijving(bevestigd, vorige_versie=inschrijving.versie, toewijzing_nummer=toewijzing.toewijzing_nummer):
        raise Conflict(f"entry {inschrijving.id} changed meanwhile")
    uow.publish(events.INSCHRIJVING_GEWIJZIGD, events.inschrijving(bevestigd), gemeentecode=bevestigd.gemeentecode)
    await _bewaar_en_stuur(uow, dienst, [toewijzing])
    return bevestigd, toewijzing.toewijzing_nummer


async def wijs_claim_af(uow: UnitOfWork, tenant: Tenant, dienst: Dienst, inschrijving_id: str) -> lijst.Inschrijving:
    repo = ToewijzingRepository(uow.session)
    inschrijving = await _gemeente_inschrijving(uow, tenant, inschrijving_id)
    open_weer = lijst.wijs_claim_af(inschrijving, _moment(dienst))
    if not await repo.bewaar_inschrijving(open_weer, vorige_versie=inschrijving.versie):
        raise Conflict(f"entry {inschrijving_id} changed meanwhile")
    uow.publish(events.INSCHRIJVING_GEWIJZIGD, events.inschrijving(open_weer), gemeentecode=open_weer.gemeentecode)
    await _audit(uow, tenant, "WijsClaimAf", [open_weer], WIJZIGING)
    await uow.commit()
    return open_weer


# ---------------------------------------------------------------- answering verzoeken


async def _gemeente_verzoek(uow: UnitOfWork, tenant: Tenant, verzoek_id: str) -> Verzoek:
    v = await ToewijzingRepository(uow.session).get_verzoek(tenant, verzoek_id, for_update=True)
    _gemeente_caller(tenant, v.gemeentecode)
    return v


async def honoreer_verzoek(uow: UnitOfWork, tenant: Tenant, dienst: Dienst, verzoek_id: str) -> Verzoek:
    """The toewijzingen as asked, in a 301 with the cliënt's other current toewijzingen at that aanbieder."""
    repo = ToewijzingRepository(uow.session)
    v = await _gemeente_verzoek(uow, tenant, verzoek_id)
    contracten = await repo.contracten(agb=v.agb, gemeentecode=v.gemeentecode)

    def variant(product: Product) -> Uitvoeringsvariant:
        gevonden = uitvoeringsvariant(contracten, v.gemeentecode, v.wet, product, dienst.vandaag())
        if gevonden is None:
            raise DomainError(f"aanbieder {v.agb} has no contract for product {product.categorie}/{product.code or '-'} in gemeente {v.gemeentecode} (OP296)")
        return gevonden

    nummers = iter(await repo.nummers(v.gemeentecode, v.wet, 2 * len(v.producten) + 1))
    huidige = await repo.huidige(v.gemeentecode, v.wet, v.bsn, v.agb)
    wijziging = honoreer(v, huidige, _moment(dienst), nummers.__next__, uitvoeringsvariant=variant)
    beantwoord = gehonoreerd(v, dienst.vandaag())
    await repo.bewaar_verzoek(beantwoord)
    uow.publish(events.VERZOEK_BEANTWOORD, events.verzoek(beantwoord), gemeentecode=v.gemeentecode)
    await _bewaar_en_stuur(uow, dienst, [*wijziging.gewijzigd, *wijziging.nieuw])
    await _audit(uow, tenant, "HonoreerVerzoek", [v], WIJZIGING)
    await uow.commit()
    return beantwoord


async def _stuur_319(uow: UnitOfWork, dienst: Dienst, v: Verzoek, woonplaatsbeginsel: str | None) -> None:
    repo = ToewijzingRepository(uow.session)
    identificatie = await repo.identificatie(v.gemeentecode)
    data = dienst.codec.encode(antwoordbericht(v, identificatie, dienst.vandaag(), woonplaatsbeginsel=woonplaatsbeginsel, schemas=dienst.codec.schemas))
    uitgaand_id = str(uuid.uuid4())
    await koppeling.stuur(uow.session, uitgaand_bericht, uitgaand_id, "319", v.gemeentecode, v.wet.value, v.agb, v.bsn, identificatie, data)
    uow.publish(events.TOEWIJZINGBERICHT_KLAARGEZET, events.toewijzingbericht(uitgaand_id, "319", v.gemeentecode, v.wet, v.agb, v.bsn, []), gemeentecode=v.gemeentecode)


async def wijs_verzoek_af(uow: UnitOfWork, tenant: Tenant, dienst: Dienst, verzoek_id: str, reden: str, woonplaatsbeginsel: str | None) -> Verzoek:
    v = wijs_af(await _gemeente_verzoek(uow, tenant, verzoek_id), reden, dienst.vandaag())
    await ToewijzingRepository(uow.session).bewaar_verzoek(v)
    await _stuur_319(uow, dienst, v, woonplaatsbeginsel)
    uow.publish(events.VERZOEK_BEANTWOORD, events.verzoek(v), gemeentecode=v.gemeentecode)
    await _audit(uow, tenant, "WijsVerzoekAf", [v], WIJZIGING)
    await uow.commit()
    return v


async def zet_verzoek_in_onderzoek(uow: UnitOfWork, tenant: Tenant, dienst: Dienst, verzoek_id: str) -> Verzoek:
    v = zet_in_onderzoek(await _gemeente_verzoek(uow, tenant, verzoek_id), dienst.vandaag())
    await ToewijzingRepository(uow.session).bewaar_verzoek(v)
    await _stuur_319(uow, dienst, v, None)
    uow.publish(events.VERZOEK_BEANTWOORD, events.verzoek(v), gemeentecode=v.gemeentecode)
    await _audit(uow, tenant, "ZetVerzoekInOnderzoek", [v], WIJZIGING)
    await uow.commit()
    return v
