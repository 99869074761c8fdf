"""The declaratie service's commands, queries and event handlers: contracten, the copies of the
toewijzing service's facts, and the declaratiecontrole of every 323 the hub accepted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from berichten import koppeling
from berichten.codec.codec import Codec
from berichten.domain import model
from berichten.domain.berichtsoorten import WET_VAN_STANDAARD, Standaard
from berichten.domain.regels.catalogus import Bevinding
from berichten.domain.retour import klasse_paden
from declaratie.adapters.afrekening_repository import AfrekeningRepository
from declaratie.adapters.benutting_repository import BenuttingRepository, Sleutel, sleutel
from declaratie.adapters.controle_repository import ControleRepository
from declaratie.adapters.instellingen_repository import InstellingenRepository
from declaratie.adapters.repository import ContractRepository
from declaratie.adapters.tables import inzage, oordeel
from declaratie.domain import afrekening, betaalbestand, controle, events
from declaratie.domain.afrekening import Afrekening
from declaratie.domain.benutting import Benutting, Contracten, IngediendePrestatie, OnderbenuttingSignaal, benutting_per_periode, onderbenutting_signalen
from declaratie.domain.betaalbestand import Rekeninghouder
from declaratie.domain.contract import Contract
from declaratie.domain.instellingen import GemeenteInstellingen
from declaratie.domain.periode import Periode, Ritme, kalendermaand
from declaratie.domain.toewijzingstand import LeveringKopie, ToewijzingKopie
from runtime.audit import AuditLog
from runtime.db import UnitOfWork
from runtime.errors import AlreadyExists, DomainError, PermissionDenied
from runtime.events import Event
from runtime.pagination import Page, read_limit
from runtime.tenancy import Role, Tenant
from runtime.werkdagen import plus_werkdagen

CONTRACT_ROLES = (Role.CONTRACTMANAGER, Role.REGIONAAL_BACKOFFICE, Role.SYSTEEM)


async def registreer_contract(uow: UnitOfWork, tenant: Tenant, contract: Contract) -> Contract:
    if tenant.role not in CONTRACT_ROLES or not tenant.mag_gemeente(contract.gemeentecode):
        raise PermissionDenied(f"no right to register contracten for gemeente {contract.gemeentecode}")
    if not await ContractRepository(uow.session).add(contract):
        raise AlreadyExists("a contract version with this key and begindatum exists; register a new dated version")
    uow.publish(events.CONTRACT_GEREGISTREERD, events.contract_geregistreerd(contract), gemeentecode=contract.gemeentecode)
    await uow.commit()
    return contract


async def list_contracten(uow: UnitOfWork, tenant: Tenant, after: str | None, limit: int) -> Page[Contract]:
    return Page.of(await ContractRepository(uow.session).list(tenant, after, read_limit(limit)), limit)


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
    nummers = [p.toewijzing_nummer for c in bericht.declaratie.clienten for p in c.prestaties]
    for nummer, open_, versie in await repo.werk_prestatiestand_bij(gemeentecode, wet, nummers):
        uow.publish(events.PRESTATIESTAND_GEWIJZIGD, events.prestatiestand_gewijzigd(gemeentecode, wet, nummer, open_, versie), gemeentecode=gemeentecode)
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


async def list_declaraties(uow: UnitOfWork, tenant: Tenant, after: tuple[str, str] | None, limit: int) -> Page[Any]:
    return Page.of(await ControleRepository(uow.session).list_declaraties(tenant, read_limit(limit), after), limit)


async def get_declaratie(uow: UnitOfWork, tenant: Tenant, bericht_id: str) -> tuple[Any, list[Any]]:
    """The declaratie with its prestaties; the read is audited per cliënt (the BSN of each prestatie)."""
    row, prestaties = await ControleRepository(uow.session).get_declaratie(tenant, bericht_id)
    await AuditLog(uow.session, inzage).record(tenant, "GetDeclaratie", ((row.gemeentecode, p.bsn) for p in prestaties))
    await uow.commit()
    return row, prestaties


async def prestaties_van_client(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, bsn: str, after: tuple[date, int] | None, limit: int) -> Page[Any]:
    """The declaraties in a cliënt's dossier: its prestaties within the caller's tenancy; the read is audited."""
    page = Page.of(await ControleRepository(uow.session).prestaties_van_client(tenant, gemeentecode, bsn, read_limit(limit), after), limit)
    if page.rows:
        await AuditLog(uow.session, inzage).record(tenant, "ListPrestatiesVanClient", [(gemeentecode, bsn)])
    await uow.commit()
    return page


# ---------------------------------------------------------------- voorschotten and afrekeningen

FINANCIELE_ROLLEN = (Role.FINANCIEEL_MEDEWERKER, Role.REGIONAAL_BACKOFFICE, Role.SYSTEEM)


def _periode(instellingen: GemeenteInstellingen, jaar: int, maand: int, datum: date | None) -> Periode:
    """The period of the gemeente's rhythm that holds `datum`, or the calendar month jaar-maand (calendar-month rhythm only)."""
    if datum is not None:
        if datum.year < 2015:
            raise DomainError(f"{datum} lies before the Wmo 2015 / Jeugdwet era")
        return instellingen.ritme.periode_van(datum)
    if not 1 <= maand <= 12 or jaar < 2015:
        raise DomainError(f"{jaar}-{maand} is not a month of the Wmo 2015 / Jeugdwet era")
    if instellingen.ritme.ritme is not Ritme.KALENDERMAAND:
        raise DomainError(f"gemeente {instellingen.gemeentecode} settles in periods of four weeks: give a day of the period (datum), not a month")
    return kalendermaand(jaar, maand)


async def _vastgesteld_voorschot(repo: AfrekeningRepository, gemeentecode: str, agb: str, periode: Periode) -> afrekening.Voorschot:
    """The voorschot of the period, fixed now (toewijzingen × tarief, or the agreed estimates of the contracts) when it is not yet."""
    vastgesteld = await repo.voorschot(gemeentecode, agb, periode)
    if vastgesteld is None:
        contracten = await repo.contracten(gemeentecode, agb)
        vastgesteld = afrekening.voorschot(
            periode, agb, await repo.toewijzingen(gemeentecode, agb, periode), contracten, afrekening.afspraken_uit_contracten(contracten, periode), gemeentecode=gemeentecode
        )
        await repo.bewaar_voorschot(vastgesteld)
    return vastgesteld


async def maak_afrekening(
    uow: UnitOfWork, tenant: Tenant, gemeentecode: str, agb: str, jaar: int, maand: int, definitief: bool, datum: date | None = None
) -> tuple[int, Afrekening, str]:
    """The voorlopige or definitieve afrekening of one aanbieder for one period of the gemeente's rhythm
    (with its kenmerk); the voorschot for that period is fixed (from the toewijzingen and contracts) when it is not yet."""
    if tenant.is_aanbieder or tenant.role not in FINANCIELE_ROLLEN or not tenant.mag_gemeente(gemeentecode):
        raise PermissionDenied(f"only a financieel medewerker or the back office of gemeente {gemeentecode} makes afrekeningen")
    instellingen = await InstellingenRepository(uow.session).van(gemeentecode)
    periode = _periode(instellingen, jaar, maand, datum)
    kenmerk = instellingen.ritme.kenmerk(periode)
    repo = AfrekeningRepository(uow.session)
    vastgesteld = await _vastgesteld_voorschot(repo, gemeentecode, agb, periode)
    prestaties = await repo.prestaties(gemeentecode, agb, periode)
    if definitief:
        if await repo.laatste(gemeentecode, agb, periode, afrekening.AfrekeningSoort.DEFINITIEF) is not None:
            raise AlreadyExists(f"the definitieve afrekening of {agb} for {kenmerk} was made already")
        gemaakt = afrekening.definitieve_afrekening(periode, vastgesteld, prestaties, await repo.laatste(gemeentecode, agb, periode, afrekening.AfrekeningSoort.VOORLOPIG))
    else:
        gemaakt = afrekening.voorlopige_afrekening(periode, vastgesteld, prestaties)
    afrekening_id = await repo.bewaar_afrekening(gemaakt)
    uow.publish(events.AFREKENING_GEMAAKT, events.afrekening_gemaakt(gemaakt), gemeentecode=gemeentecode)
    await uow.commit()
    return afrekening_id, gemaakt, kenmerk


async def list_afrekeningen(uow: UnitOfWork, tenant: Tenant, limit: int, voor_id: int | None = None) -> Page[tuple[int, Afrekening, Any, str]]:
    """The caller's afrekeningen, newest first, each with the kenmerk of its period in its gemeente's rhythm."""
    page = Page.of(await AfrekeningRepository(uow.session).list(tenant, read_limit(limit), voor_id), limit)
    instellingen = await InstellingenRepository(uow.session).van_gemeenten(a.gemeentecode for _, a, _ in page.rows)
    return Page([(i, a, op, _kenmerk(instellingen[a.gemeentecode], a.periode)) for i, a, op in page.rows], page.more)


def _kenmerk(instellingen: GemeenteInstellingen, periode: Periode) -> str:
    """The period's kenmerk in the gemeente's rhythm; its dates when the rhythm has changed since."""
    try:
        return instellingen.ritme.kenmerk(periode)
    except DomainError:
        return periode.kenmerk


# ---------------------------------------------------------------- gemeente settings

INSTELLING_ROLLEN = (Role.CONTRACTMANAGER, Role.BEHEERDER, Role.SYSTEEM)


async def get_instellingen(uow: UnitOfWork, tenant: Tenant, gemeentecode: str) -> GemeenteInstellingen:
    if tenant.is_aanbieder or not tenant.mag_gemeente(gemeentecode):
        raise PermissionDenied(f"the settings of gemeente {gemeentecode} are for that gemeente only")
    return await InstellingenRepository(uow.session).van(gemeentecode)


async def zet_instellingen(uow: UnitOfWork, tenant: Tenant, instellingen: GemeenteInstellingen) -> GemeenteInstellingen:
    if tenant.is_aanbieder or tenant.role not in INSTELLING_ROLLEN or not tenant.mag_gemeente(instellingen.gemeentecode):
        raise PermissionDenied(f"only a contractmanager or beheerder of gemeente {instellingen.gemeentecode} sets its settings")
    await InstellingenRepository(uow.session).bewaar(instellingen, tenant.subject)
    await uow.commit()
    return instellingen


# ---------------------------------------------------------------- benutting and onderbenutting

BENUTTING_ROLLEN = (Role.CONTRACTMANAGER, Role.FINANCIEEL_MEDEWERKER, Role.REGIONAAL_BACKOFFICE, Role.SYSTEEM, Role.AANBIEDER_MEDEWERKER)
SIGNAAL_ROLLEN = (Role.CONTRACTMANAGER, Role.FINANCIEEL_MEDEWERKER, Role.REGIONAAL_BACKOFFICE, Role.GEMEENTE_CONSULENT, Role.SYSTEEM)
MAX_BENUTTING_DAGEN = 400


@dataclass(frozen=True)
class BenuttingRegel:
    benutting: Benutting
    toewijzing: ToewijzingKopie
    periode_kenmerk: str


async def list_benutting(
    uow: UnitOfWork, tenant: Tenant, van: date, tot: date, limit: int, na: Sleutel | None, gemeentecode: str | None, agb: str | None, bsn: str | None
) -> tuple[list[BenuttingRegel], Sleutel | None]:
    """Benutting per toewijzing and per period of its gemeente's rhythm for the periods with a day in
    van..tot; a page holds `limit` toewijzingen. Returns the rows and the key to continue after (None: last page)."""
    if tenant.role not in BENUTTING_ROLLEN:
        raise PermissionDenied("benutting is for the contractmanager, the financieel medewerker, the back office and the aanbieder")
    if tot < van:
        raise DomainError(f"periode: einddatum {tot} lies before begindatum {van}")
    if (tot - van).days + 1 > MAX_BENUTTING_DAGEN:
        raise DomainError(f"periode: at most {MAX_BENUTTING_DAGEN} days at once")
    repo = BenuttingRepository(uow.session)
    page = Page.of(await repo.toewijzingen(tenant, read_limit(limit), na, van, tot, gemeentecode, agb, bsn), limit)
    toewijzingen = page.rows
    instellingen = await InstellingenRepository(uow.session).van_gemeenten(t.gemeentecode for t in toewijzingen)
    perioden = {g: list(i.ritme.perioden(van, tot)) for g, i in instellingen.items()}
    eerste = min((p[0].begindatum for p in perioden.values()), default=van)
    laatste = max((p[-1].einddatum for p in perioden.values()), default=tot)
    contracten = Contracten(await repo.contracten(toewijzingen))
    per_toewijzing: dict[Sleutel, list[IngediendePrestatie]] = {}
    for p in await repo.prestaties(toewijzingen, eerste, laatste):
        per_toewijzing.setdefault((p.gemeentecode, p.wet.value, p.toewijzing_nummer), []).append(p)
    regels = []
    for t in toewijzingen:
        ritme = instellingen[t.gemeentecode].ritme
        for b in benutting_per_periode([t], perioden[t.gemeentecode], contracten, per_toewijzing.get(sleutel(t), [])):
            regels.append(BenuttingRegel(b, t, ritme.kenmerk(b.periode)))
    await AuditLog(uow.session, inzage).record(tenant, "ListBenutting", ((r.toewijzing.gemeentecode, r.toewijzing.bsn) for r in regels))
    await uow.commit()
    return regels, (sleutel(toewijzingen[-1]) if page.more else None)


@dataclass(frozen=True)
class SignaalRegel:
    signaal: OnderbenuttingSignaal
    toewijzing: ToewijzingKopie
    drempel_dagen: int


async def list_onderbenutting_signalen(
    uow: UnitOfWork, tenant: Tenant, vandaag: date, limit: int, na: Sleutel | None, gemeentecode: str | None
) -> tuple[list[SignaalRegel], Sleutel | None]:
    """The onderbenutting signalen of the caller's gemeenten, each with its own threshold, over the
    toewijzingen valid on a day of the last threshold's days (a page looks at `limit` of them)."""
    if tenant.is_aanbieder or tenant.role not in SIGNAAL_ROLLEN:
        raise PermissionDenied("the onderbenutting signalen are for the gemeente")
    if gemeentecode and not tenant.mag_gemeente(gemeentecode):
        raise PermissionDenied(f"no access to gemeente {gemeentecode}")
    gemeenten = [gemeentecode] if gemeentecode else sorted(tenant.gemeentecodes)
    instellingen = await InstellingenRepository(uow.session).van_gemeenten(gemeenten)
    langste = max(i.onderbenutting_drempel_dagen for i in instellingen.values())
    repo = BenuttingRepository(uow.session)
    page = Page.of(await repo.toewijzingen(tenant, read_limit(limit), na, vandaag - timedelta(days=langste - 1), vandaag, gemeentecode), limit)
    toewijzingen = page.rows
    leveringen = await repo.leveringen(toewijzingen)
    prestaties = await repo.prestaties(toewijzingen, alleen_debet=True)
    per_sleutel = {t.sleutel: t for t in toewijzingen}
    regels = []
    for g, inst in instellingen.items():
        eigen = [t for t in toewijzingen if t.gemeentecode == g]
        for s in onderbenutting_signalen(eigen, leveringen, prestaties, vandaag, inst.onderbenutting_drempel_dagen):
            regels.append(SignaalRegel(s, per_sleutel[(s.gemeentecode, s.wet, s.toewijzing_nummer)], inst.onderbenutting_drempel_dagen))
    regels.sort(key=lambda r: sleutel(r.toewijzing))
    await AuditLog(uow.session, inzage).record(tenant, "ListOnderbenuttingSignalen", ((r.toewijzing.gemeentecode, r.toewijzing.bsn) for r in regels))
    await uow.commit()
    return regels, (sleutel(toewijzingen[-1]) if page.more else None)


# ---------------------------------------------------------------- voorschotten

VOORSCHOT_ROLLEN = (Role.FINANCIEEL_MEDEWERKER, Role.REGIONAAL_BACKOFFICE, Role.CONTRACTMANAGER, Role.SYSTEEM, Role.AANBIEDER_MEDEWERKER)


async def list_voorschotten(
    uow: UnitOfWork, tenant: Tenant, limit: int, gemeentecode: str | None, agb: str | None, na: tuple[date, str, str] | None
) -> Page[tuple[afrekening.Voorschot, Any, str]]:
    """The fixed voorschotten the caller may see, newest period first, with the kenmerk of their period."""
    if tenant.role not in VOORSCHOT_ROLLEN:
        raise PermissionDenied("voorschotten are for the financieel medewerker, the contractmanager, the back office and the aanbieder")
    page = Page.of(await AfrekeningRepository(uow.session).list_voorschotten(tenant, read_limit(limit), gemeentecode, agb, na), limit)
    instellingen = await InstellingenRepository(uow.session).van_gemeenten(v.gemeentecode for v, _ in page.rows)
    return Page([(v, op, _kenmerk(instellingen[v.gemeentecode], v.periode)) for v, op in page.rows], page.more)


# ---------------------------------------------------------------- betaalgegevens and the payment file

BETAALGEGEVENS_ROLLEN = (Role.CONTRACTMANAGER, Role.SYSTEEM)


async def registreer_betaalgegevens(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, houder: Rekeninghouder) -> Rekeninghouder:
    if tenant.is_aanbieder or tenant.role not in BETAALGEGEVENS_ROLLEN or not tenant.mag_gemeente(gemeentecode):
        raise PermissionDenied(f"only a contractmanager of gemeente {gemeentecode} registers the accounts it pays on")
    if houder.agb is None or not (len(houder.agb) == 8 and houder.agb.isdigit()):
        raise DomainError(f"AGB code {houder.agb!r} is not 8 digits")
    await InstellingenRepository(uow.session).bewaar_betaalgegevens(gemeentecode, houder, tenant.subject)
    await uow.commit()
    return houder


@dataclass(frozen=True)
class Bestand:
    bestandsnaam: str
    media_type: str
    inhoud: bytes
    opdrachten: betaalbestand.Betaalopdrachten
    aantal_afrekeningen: int
    periode_kenmerk: str


async def maak_betaalbestand(uow: UnitOfWork, tenant: Tenant, gemeentecode: str, datum: date, formaat: str, uitvoerdatum: date | None, nu: datetime) -> Bestand:
    """The payment file of the definitieve afrekeningen of the gemeente's period that holds `datum`:
    a transfer per positive saldo, reclaims listed apart. Refused, naming them, when an aanbieder to pay
    or to reclaim from has no account registered, or when the gemeente has no debtor account (pain.001)."""
    if tenant.is_aanbieder or tenant.role not in FINANCIELE_ROLLEN or not tenant.mag_gemeente(gemeentecode):
        raise PermissionDenied(f"only a financieel medewerker or the back office of gemeente {gemeentecode} makes its payment files")
    if formaat not in (betaalbestand.CSV, betaalbestand.PAIN001):
        raise DomainError("formaat is CSV or PAIN001")
    instellingen_repo = InstellingenRepository(uow.session)
    instellingen = await instellingen_repo.van(gemeentecode)
    periode = instellingen.ritme.periode_van(datum)
    kenmerk = instellingen.ritme.kenmerk(periode)
    afrekeningen = await AfrekeningRepository(uow.session).definitieve(gemeentecode, periode)
    if not afrekeningen:
        raise DomainError(f"gemeente {gemeentecode} has no definitieve afrekeningen for {kenmerk}: make them first")
    nodig = sorted({a.agb for a in afrekeningen if a.saldo != 0})
    rekeningen = await instellingen_repo.betaalgegevens(gemeentecode, nodig)
    zonder = [agb for agb in nodig if agb not in rekeningen]
    if zonder:
        raise DomainError(f"no payment file for {kenmerk}: no IBAN registered for aanbieder {', '.join(zonder)} (RegistreerBetaalgegevens)")
    opdrachten = betaalbestand.betaalopdrachten(rekeningen, afrekeningen, periode_kenmerk={periode: kenmerk})
    naam = f"betaalbestand-{gemeentecode}-{kenmerk}"
    if formaat == betaalbestand.CSV:
        return Bestand(f"{naam}.csv", "text/csv; charset=utf-8", betaalbestand.csv_bestand(opdrachten).encode(), opdrachten, len(afrekeningen), kenmerk)
    if instellingen.debiteur is None:
        raise DomainError(f"gemeente {gemeentecode} has no debtor account (naam, IBAN) in its settings: no pain.001")
    if not opdrachten.opdrachten:
        raise DomainError(f"nothing to pay for {kenmerk}: every saldo is zero or a reclaim")
    bericht_id = f"ZK-{gemeentecode}-{kenmerk}-{nu:%Y%m%d%H%M%S}"
    inhoud = betaalbestand.pain001(opdrachten, instellingen.debiteur, bericht_id, nu, uitvoerdatum or plus_werkdagen(nu.date(), 1))
    return Bestand(f"{naam}.xml", "application/xml", inhoud, opdrachten, len(afrekeningen), kenmerk)
