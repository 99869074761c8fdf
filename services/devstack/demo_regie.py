"""The demo region's regie: what the demo aanbieders' systems do with the toewijzingen of the demo
beschikkingen, so that the chain shows every state (toewijslijst, open verzoeken, started,
temporarily stopped, stopped).

Acting as each demo aanbieder (a partner system: Role.SYSTEEM, bound to its AGB code) through the
berichten hub, exactly as a partner system does: it waits (bounded) until the 301s of the demo
beschikkingen are in the aanbieders' postbussen, answers each 301 with a 302 without RetourCodes, and
then, chosen deterministically by the seed in the "regie" section of demo_region.json, starts a share
of the toewijzingen (305, Begindatum = the toewijzing's Ingangsdatum), stops some of those
temporarily (307, RedenBeeindiging 20) and some for good (307, volgens plan: 19 in iWmo, 31 in iJw),
and lets a few aanbieders send a 315 verzoek om toewijzing for a cliënt on the toewijslijst (a
beschikking without a chosen aanbieder), which stays open for the gemeente. Every retourbericht it
gets is acknowledged; a 301 is acknowledged once everything planned for it is done, so the postbus
holds no 301s after a complete run and a partial run is picked up where it stopped.

Then each demo aanbieder declares LAST calendar month: one 323 per gemeente and wet (a 323 is iWmo or
iJw) with one prestatie per toewijzing whose care runs in that month (started, not stopped before the
month), ProductPeriode = the month clipped to the toewijzing's period, GeleverdVolume within the Omvang
(per week: weken_per_maand × the weekvolume, at most the calendar weeks the period touches; per dag: the
days; per maand and totaal binnen geldigheidsduur: the volume, the latter once per toewijzing) and
IngediendBedrag = GeleverdVolume × the contract tarief of the region's "producten", in the product's own
eenheid. A seeded share (aandeel_foutieve_prestaties) of the prestaties is made wrong on purpose, by
turns an IngediendBedrag that is not GeleverdVolume × ProductTarief (TR346, 9346) and a ToewijzingNummer
that does not exist (TR338, 9338), preferably in a 323 with other prestaties, so that some declaraties
are partly rejected. It waits (bounded) for each 325, checks that exactly the planned prestaties were
rejected, and acknowledges the 325. Then, as each gemeente's financieel medewerker, it makes the
voorlopige afrekening of that month for every aanbieder that declared in the gemeente, and in the
gemeenten of regie.definitief the definitieve one too (so their payment file of that month exists).

Idempotent: what exists (an actieve toewijzing, a start or stop in Toewijzing.ListLeveringen, a
verzoek with the ReferentieAanbieder in ListVerzoeken, a declaratie with its DeclaratieNummer in
ListDeclaraties, a voorlopige or definitieve afrekening of the month in ListAfrekeningen) is not sent or made again;
the DeclaratieNummer and ReferentieNummers are derived from the aanbieder, gemeente, wet, month and
toewijzing, and the Identificatie of
each message is derived from what it is about, so a message repeated after a crash is refused by the
hub (TR056) instead of being applied twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import grpc
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_pb2
from zorgketen.toewijzing.v1 import toewijzing_pb2, toewijzing_pb2_grpc

from berichten.domain import model
from berichten.domain.berichtsoorten import Standaard
from devstack import aanbieder, demo
from runtime.interceptors import call_metadata
from runtime.tenancy import Role, Tenant

log = logging.getLogger(__name__)

WACHT_OP_301_SECONDS = 60.0  # how long the 301s of the demo beschikkingen may take to arrive
WACHT_OP_OORDEEL_SECONDS = 30.0  # how long the toewijzing service may take to judge a 305/307/315
WACHT_OP_325_SECONDS = 60.0  # how long the declaratie service may take to judge the 323s (the 325s)
POLL_SECONDS = 0.3
TIJDELIJK = "tijdelijk"
DEFINITIEF = "definitief"
_STANDAARD = {common_pb2.WET_WMO: Standaard.IWMO, common_pb2.WET_JEUGDWET: Standaard.IJW}


# ---------------------------------------------------------------- the plan (pure, from the region)


@dataclass(frozen=True)
class Opdracht:
    """What the regie does with the toewijzing of one beschikking with a chosen aanbieder."""

    beschikking: indicatie_pb2.Beschikking
    agb: str
    start: bool
    stop: str | None = None  # TIJDELIJK, DEFINITIEF or None
    stop_na_dagen: int = 0  # the stop's Einddatum: this many days after the Begindatum (at most yesterday)

    @property
    def bsn(self) -> str:
        return self.beschikking.bsn.value

    @property
    def product(self) -> str:
        return self.beschikking.producten[0].product.code


@dataclass(frozen=True)
class VerzoekOpdracht:
    """A 315 of aanbieder `agb` for the beschikt product of a cliënt on the toewijslijst."""

    beschikking: indicatie_pb2.Beschikking
    agb: str

    @property
    def referentie(self) -> str:
        return f"DEMO-{self.beschikking.beschikkingnummer}"  # unique per aanbieder per wet (TR347): one per beschikking


@dataclass(frozen=True)
class Plan:
    opdrachten: tuple[Opdracht, ...]
    verzoeken: tuple[VerzoekOpdracht, ...]


def _aantal(aandeel: float, van: int) -> int:
    """round(aandeel × van), at least 1 when there is something to choose from and the share is not 0."""
    if van <= 0 or aandeel <= 0:
        return 0
    return min(van, max(1, round(aandeel * van)))


def maak_plan(region: dict[str, Any], beschikkingen: list[indicatie_pb2.Beschikking] | None = None) -> Plan:
    """Deterministic for the region (its seed and shares): the same plan on every run."""
    spec = region["regie"]
    rng = random.Random(spec["seed"])
    beschikkingen = beschikkingen if beschikkingen is not None else demo.demo_beschikkingen(region)
    toegewezen = [b for b in beschikkingen if b.producten[0].aanbieder.value]
    op_lijst = [b for b in beschikkingen if not b.producten[0].aanbieder.value]

    gestart = sorted(rng.sample(range(len(toegewezen)), _aantal(spec["aandeel_start"], len(toegewezen))))
    volgorde = rng.sample(gestart, len(gestart))
    n_tijdelijk = _aantal(spec["aandeel_tijdelijk_gestopt"], len(gestart))
    n_definitief = min(_aantal(spec["aandeel_gestopt"], len(gestart)), len(gestart) - n_tijdelijk)
    stops = {i: TIJDELIJK for i in volgorde[:n_tijdelijk]} | {i: DEFINITIEF for i in volgorde[n_tijdelijk : n_tijdelijk + n_definitief]}
    laag, hoog = spec["stop_na_dagen"]
    opdrachten = []
    for i, b in enumerate(toegewezen):
        dagen = rng.randint(laag, hoog)  # drawn for every toewijzing: a change of shares keeps the others' dates
        opdrachten.append(Opdracht(b, b.producten[0].aanbieder.value, i in gestart, stops.get(i), dagen))

    aanbieders_van: dict[str, list[str]] = {}
    for contract in region["contracten"]:
        for code in contract["producten"]:
            aanbieders_van.setdefault(code, []).append(contract["agb"])
    verzoeken: list[VerzoekOpdracht] = []
    gebruikt: set[str] = set()
    for b in rng.sample(op_lijst, len(op_lijst)):
        if len(verzoeken) >= spec["verzoeken"]:
            break
        gecontracteerd = sorted(set(aanbieders_van.get(b.producten[0].product.code, ())))
        kandidaten = [agb for agb in gecontracteerd if agb not in gebruikt] or gecontracteerd  # preferably another aanbieder each time
        if kandidaten:
            agb = rng.choice(kandidaten)
            gebruikt.add(agb)
            verzoeken.append(VerzoekOpdracht(b, agb))
    return Plan(tuple(opdrachten), tuple(verzoeken))


# ---------------------------------------------------------------- what the run found and did


@dataclass
class RegieReport:
    """The state after the regie (counted through the services' APIs) and what this run sent."""

    toewijzingen_actief: int = 0  # toewijzingen of the demo aanbieders accepted with a 302
    gestart: int = 0  # toewijzingen with a start whose care runs
    tijdelijk_gestopt: int = 0  # … whose latest stop is temporary (RedenBeeindiging 20)
    gestopt: int = 0  # … whose latest stop is definitive
    verzoeken_open: int = 0
    toewijslijst: int = 0  # open entries on the toewijslijst
    verstuurd: dict[str, int] = field(default_factory=dict)  # berichtsoort -> messages sent by this run
    afgewezen: int = 0  # messages of this run that were refused (findings)
    ontbrekend: int = 0  # planned toewijzingen whose 301 did not arrive in time
    declaraties: int = 0  # the demo's declaraties (323) of last month, judged
    deels_afgewezen: int = 0  # … with rejected prestaties
    voorlopige_afrekeningen: int = 0  # voorlopige afrekeningen of last month of the aanbieders that declared
    afrekeningen_gemaakt: int = 0  # … made by this run
    definitieve_afrekeningen: int = 0  # definitieve afrekeningen of last month in the gemeenten of regie.definitief
    definitief_gemaakt: int = 0  # … made by this run
    zonder_325: int = 0  # 323s of this run that were not answered in time

    @property
    def starts(self) -> int:
        return self.gestart + self.tijdelijk_gestopt + self.gestopt

    def samenvatting(self) -> str:
        text = (
            f"{self.toewijzingen_actief} toewijzingen (302), {self.starts} starts, {self.tijdelijk_gestopt} tijdelijk gestopt,"
            f" {self.gestopt} gestopt, {self.verzoeken_open} verzoeken open, {self.toewijslijst} op de toewijslijst"
        )
        verstuurd = sum(self.verstuurd.values())
        text += f" ({verstuurd} berichten verstuurd" + (f": {', '.join(f'{n}× {s}' for s, n in sorted(self.verstuurd.items()))}" if verstuurd else "") + ")"
        text += f"; {self.declaraties} declaraties ({self.deels_afgewezen} deels afgewezen), {self.voorlopige_afrekeningen} voorlopige afrekeningen"
        if self.afrekeningen_gemaakt:
            text += f" ({self.afrekeningen_gemaakt} gemaakt)"
        if self.definitieve_afrekeningen:
            text += f", {self.definitieve_afrekeningen} definitieve (betaalbestand)"
        if self.afgewezen:
            text += f"; {self.afgewezen} afgewezen (see the postbus)"
        if self.zonder_325:
            text += f"; {self.zonder_325} declaraties zonder 325"
        if self.ontbrekend:
            text += f"; {self.ontbrekend} toewijzingen zonder 301"
        return text


# ---------------------------------------------------------------- one demo aanbieder's system


@dataclass
class _Ontvangen301:
    bericht_id: str
    bericht: model.ToewijzingBericht


class _Systeem:
    """A demo aanbieder's partner system: its postbus, its messages, and what the toewijzing service shows it."""

    def __init__(
        self,
        agb: str,
        berichten: berichten_pb2_grpc.BerichtenStub,
        toewijzing: toewijzing_pb2_grpc.ToewijzingStub,
        declaratie: declaratie_pb2_grpc.DeclaratieStub,
        token: str,
    ):
        self.agb = agb
        self.berichten = berichten
        self.toewijzing = toewijzing
        self.declaratie = declaratie
        self.metadata = call_metadata(token, Tenant.aanbieder(Role.SYSTEEM, f"demo-aanbieder-{agb}", agb))
        self._xml: dict[str, model.ToewijzingBericht] = {}

    async def postbus(self) -> list[berichten_pb2.Bericht]:
        result: list[berichten_pb2.Bericht] = []
        token = ""
        while True:
            page = await self.berichten.ListPostbus(
                berichten_pb2.ListPostbusRequest(page=common_pb2.PageRequest(page_size=100, page_token=token)), metadata=self.metadata, timeout=10
            )
            result.extend(page.berichten)
            token = page.next_page_token
            if not token:
                return result

    async def toewijzingen_301(self) -> list[_Ontvangen301]:
        """The 301s waiting in the postbus, oldest first."""
        found = []
        for b in await self.postbus():
            if b.berichtsoort != "301":
                continue
            if b.id not in self._xml:
                data = (await self.berichten.GetBerichtXml(berichten_pb2.GetBerichtRequest(id=b.id), metadata=self.metadata, timeout=10)).xml
                decoded = aanbieder.codec().decode(data).bericht
                if not isinstance(decoded, model.ToewijzingBericht) or decoded.client is None:
                    continue
                self._xml[b.id] = decoded
            found.append(_Ontvangen301(b.id, self._xml[b.id]))
        return found

    async def toewijzingen(self) -> list[toewijzing_pb2.ToewijzingVersie]:
        result: list[toewijzing_pb2.ToewijzingVersie] = []
        token = ""
        while True:
            page = await self.toewijzing.ListToewijzingen(
                toewijzing_pb2.ListToewijzingenRequest(page=common_pb2.PageRequest(page_size=100, page_token=token)), metadata=self.metadata, timeout=10
            )
            result.extend(page.toewijzingen)
            token = page.next_page_token
            if not token:
                return result

    async def leveringen(self, bsn: str) -> list[toewijzing_pb2.Levering]:
        try:
            response = await self.toewijzing.ListLeveringen(toewijzing_pb2.ListLeveringenRequest(bsn=common_pb2.Bsn(value=bsn)), metadata=self.metadata, timeout=10)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return []
            raise
        return [lv for lv in response.leveringen if not lv.verwijderd]

    async def verzoeken(self, status: str = "") -> list[toewijzing_pb2.Verzoek]:
        result: list[toewijzing_pb2.Verzoek] = []
        token = ""
        while True:
            page = await self.toewijzing.ListVerzoeken(
                toewijzing_pb2.ListVerzoekenRequest(status=status, page=common_pb2.PageRequest(page_size=100, page_token=token)), metadata=self.metadata, timeout=10
            )
            result.extend(page.verzoeken)
            token = page.next_page_token
            if not token:
                return result

    async def declaraties(self) -> list[declaratie_pb2.DeclaratieOverzicht]:
        """This aanbieder's judged declaraties (323), newest first."""
        result: list[declaratie_pb2.DeclaratieOverzicht] = []
        token = ""
        while True:
            page = await self.declaratie.ListDeclaraties(
                declaratie_pb2.ListDeclaratiesRequest(page=common_pb2.PageRequest(page_size=100, page_token=token)), metadata=self.metadata, timeout=10
            )
            result.extend(page.declaraties)
            token = page.next_page_token
            if not token:
                return result

    async def declaratie_detail(self, bericht_id: str) -> declaratie_pb2.DeclaratieDetail:
        return await self.declaratie.GetDeclaratie(declaratie_pb2.GetDeclaratieRequest(bericht_id=bericht_id), metadata=self.metadata, timeout=10)

    async def ontvang(self, data: bytes) -> berichten_pb2.Bericht:
        return await self.berichten.Ontvang(berichten_pb2.OntvangRequest(xml=data), metadata=self.metadata, timeout=15)

    async def bericht(self, bericht_id: str) -> berichten_pb2.Bericht:
        return await self.berichten.GetBericht(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=self.metadata, timeout=10)

    async def bevestig(self, bericht_id: str) -> None:
        await self.berichten.BevestigOntvangst(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=self.metadata, timeout=10)


_WET_VAN = {standaard: wet for wet, standaard in _STANDAARD.items()}
Sleutel = tuple[str, int, int]  # gemeente, wet, ToewijzingNummer: a number is unique per gemeente per wet only (TR332)


def _sleutel(t: toewijzing_pb2.ToewijzingVersie) -> Sleutel:
    return (t.gemeente.value, t.wet, t.toewijzing_nummer)


def _sleutels(o: _Ontvangen301) -> list[Sleutel]:
    """The toewijzingen a 301 carries, as keys of the gemeente that sent it."""
    assert o.bericht.client is not None
    wet = _WET_VAN[aanbieder.standaard_van(o.bericht)]
    return [(o.bericht.header.afzender, wet, p.toewijzing_nummer) for p in o.bericht.client.toegewezen_producten]


def _is_actief(toewijzingen: Iterable[toewijzing_pb2.ToewijzingVersie], bsn: str, product: str) -> toewijzing_pb2.ToewijzingVersie | None:
    return next((t for t in toewijzingen if t.bsn.value == bsn and t.product.code == product and t.status == "actief" and not t.verwijderd), None)


def _laatste_301(ontvangen: list[_Ontvangen301], t: toewijzing_pb2.ToewijzingVersie) -> _Ontvangen301 | None:
    """The latest 301 in the postbus that carries toewijzing `t`."""
    for o in reversed(ontvangen):
        if _sleutel(t) in _sleutels(o):
            return o
    return None


def _van(leveringen: Iterable[toewijzing_pb2.Levering], t: toewijzing_pb2.ToewijzingVersie) -> list[toewijzing_pb2.Levering]:
    """The starts and stops of toewijzing `t` (a ToewijzingNummer is unique per gemeente only)."""
    return [lv for lv in leveringen if lv.gemeente.value == t.gemeente.value and lv.toewijzing_nummer == t.toewijzing_nummer]


# ---------------------------------------------------------------- the declaraties of last month (pure parts)

PER_DAG, PER_WEEK = "1", "2"  # WMO757 / JZ757 Frequentie; per maand (4) and totaal (6) declare the volume
TOTAAL_BINNEN_GELDIGHEIDSDUUR = "6"
FOUT_BEDRAG = "9346"  # TR346: IngediendBedrag is not GeleverdVolume × ProductTarief
FOUT_TOEWIJZING = "9338"  # TR338: no toewijzing with this ToewijzingNummer
NIET_BESTAANDE_TOEWIJZING = 999_999_999  # LDT_Nummer's highest: counted down, never a demo toewijzing


def vorige_maand(vandaag: date) -> tuple[date, date]:
    """The first and last day of the calendar month before `vandaag`'s."""
    eind = vandaag.replace(day=1) - timedelta(days=1)
    return eind.replace(day=1), eind


def _kalenderweken(begin: date, eind: date) -> int:
    """The week numbers the days begin..eind touch (IV077's count for per week, inspanningsgericht)."""
    return ((eind - timedelta(days=eind.weekday())) - (begin - timedelta(days=begin.weekday()))).days // 7 + 1


def _zondagen(begin: date, eind: date) -> int:
    eerste = begin + timedelta(days=(6 - begin.weekday()) % 7)
    return 0 if eerste > eind else (eind - eerste).days // 7 + 1


def geleverd_volume(t: toewijzing_pb2.ToewijzingVersie, begin: date, eind: date, weken_per_maand: int) -> int:
    """What the demo declares for toewijzing `t` in begin..eind, in its eenheid, within its Omvang (TR321):
    per week `weken_per_maand` weeks, at most the calendar weeks of the period (the Sundays, outputgericht);
    per dag the days; otherwise (per maand, totaal binnen geldigheidsduur) the volume."""
    omvang = t.omvang
    if omvang.frequentie == PER_DAG:
        return omvang.volume * ((eind - begin).days + 1)
    if omvang.frequentie == PER_WEEK:
        weken = _zondagen(begin, eind) if t.uitvoeringsvariant == "outputgericht" else _kalenderweken(begin, eind)
        return omvang.volume * min(weken_per_maand, weken)
    return omvang.volume


def productperiode(t: toewijzing_pb2.ToewijzingVersie, begin: date, eind: date) -> tuple[date, date] | None:
    """The month begin..eind clipped to the toewijzing's period (TR307/308, TR387/388); None outside it."""
    van = max(begin, date.fromisoformat(t.ingangsdatum.value))
    tot = min(eind, date.fromisoformat(t.einddatum.value)) if t.einddatum.value else eind
    return (van, tot) if van <= tot else None


def zorg_loopt(leveringen: Iterable[toewijzing_pb2.Levering], begin: date, eind: date) -> bool:
    """A start on or before `eind` that was not stopped before `begin` (the leveringen of one toewijzing)."""
    leveringen = list(leveringen)
    for start in (lv for lv in leveringen if lv.soort == "start"):
        if date.fromisoformat(start.begindatum.value) > eind:
            continue
        einden = [date.fromisoformat(lv.einddatum.value) for lv in leveringen if lv.soort == "stop" and lv.begindatum.value == start.begindatum.value and lv.einddatum.value]
        if not einden or max(einden) >= begin:
            return True
    return False


@dataclass(frozen=True)
class DeclaratieOpdracht:
    """One 323 of aanbieder `agb` to `gemeente` in `wet` for a month: its cliënten's prestaties, and the
    ReferentieNummers made wrong on purpose with the retourcode the 325 must give them."""

    agb: str
    gemeente: str
    wet: int
    periode: tuple[date, date]
    clienten: tuple[tuple[str, tuple[aanbieder.Prestatieregel, ...]], ...]
    fout: tuple[tuple[str, str], ...] = ()

    @property
    def nummer(self) -> str:
        """The DeclaratieNummer (LDT_IdentificatieDeclaratie: 12 alphanumerics), the same on every run."""
        return aanbieder.afgeleide_identificatie(self.agb, self.gemeente, self.wet, "323", f"{self.periode[0]:%Y-%m}")

    @property
    def prestaties(self) -> list[aanbieder.Prestatieregel]:
        return [p for _, regels in self.clienten for p in regels]


def referentie_nummer(t: toewijzing_pb2.ToewijzingVersie, maand: date) -> str:
    """Unique per aanbieder per wet (TR314): gemeente, month and ToewijzingNummer (at most 19 characters)."""
    return f"{t.gemeente.value}{maand:%Y%m}{t.toewijzing_nummer}"


def maak_fouten(opdrachten: list[DeclaratieOpdracht], aandeel: float, seed: int) -> list[DeclaratieOpdracht]:
    """Makes a seeded share of the prestaties wrong, preferably in 323s with other prestaties (so that the
    323 is partly rejected), by turns the IngediendBedrag (9346) and the ToewijzingNummer (9338)."""
    if not opdrachten:
        return opdrachten
    rng = random.Random(f"{seed}/323/{opdrachten[0].periode[0]:%Y-%m}")
    alle = [(i, p.referentie_nummer) for i, op in enumerate(opdrachten) for p in op.prestaties]
    n = _aantal(aandeel, len(alle))
    volgorde = rng.sample(alle, len(alle))
    # first one per 323 that keeps a good prestatie, then any
    gekozen: list[tuple[int, str]] = []
    for x in volgorde:
        if len(gekozen) < n and len(opdrachten[x[0]].prestaties) > 1 and all(i != x[0] for i, _ in gekozen):
            gekozen.append(x)
    gekozen += [x for x in volgorde if x not in gekozen][: n - len(gekozen)]
    fout = {x: (FOUT_BEDRAG if k % 2 == 0 else FOUT_TOEWIJZING) for k, x in enumerate(sorted(gekozen))}
    result = []
    for i, op in enumerate(opdrachten):
        clienten = []
        for bsn, regels in op.clienten:
            nieuw = []
            for p in regels:
                code = fout.get((i, p.referentie_nummer))
                if code == FOUT_BEDRAG:
                    p = replace(p, bedrag=p.bedrag + (p.product_tarief or 1))  # one eenheid too many charged
                elif code == FOUT_TOEWIJZING:
                    p = replace(p, toewijzing_nummer=NIET_BESTAANDE_TOEWIJZING - sorted(fout).index((i, p.referentie_nummer)))
                nieuw.append(p)
            clienten.append((bsn, tuple(nieuw)))
        codes = tuple((ref, code) for (j, ref), code in sorted(fout.items()) if j == i)
        result.append(replace(op, clienten=tuple(clienten), fout=codes))
    return result


# ---------------------------------------------------------------- the run


class _Regie:
    def __init__(self, region: dict[str, Any], plan: Plan, systemen: dict[str, _Systeem], vandaag: date, report: RegieReport):
        self.region = region
        self.plan = plan
        self.systemen = systemen
        self.vandaag = vandaag
        self.report = report
        self.clienten = {c.bsn.value: c for c in demo.demo_clienten(region)}

    def _geteld(self, soort: str) -> None:
        self.report.verstuurd[soort] = self.report.verstuurd.get(soort, 0) + 1

    async def _stuur(self, systeem: _Systeem, soort: str, data: bytes) -> berichten_pb2.Bericht:
        bericht = await systeem.ontvang(data)
        self._geteld(soort)
        if bericht.status in ("afgekeurd", "retour_verzonden") and (bericht.bevindingen or bericht.fout_reden):
            self.report.afgewezen += 1
            log.warning("demo regie: %s of %s refused: %s %s", soort, systeem.agb, bericht.fout_melding, [(b.regel, b.retourcode) for b in bericht.bevindingen])
            if bericht.retour_id:
                await systeem.bevestig(bericht.retour_id)
        return bericht

    async def _wacht_op_oordelen(self, verstuurd: list[tuple[_Systeem, berichten_pb2.Bericht]]) -> None:
        """Waits for the toewijzing service's verdict on each 305/307/315 sent, and acknowledges the retour."""
        open_ = [(s, b) for s, b in verstuurd if b.status == "geaccepteerd"]
        deadline = asyncio.get_running_loop().time() + WACHT_OP_OORDEEL_SECONDS
        while open_ and asyncio.get_running_loop().time() < deadline:
            nog: list[tuple[_Systeem, berichten_pb2.Bericht]] = []
            for systeem, b in open_:
                actueel = await systeem.bericht(b.id)
                if actueel.status != "retour_verzonden":
                    nog.append((systeem, b))
                    continue
                if actueel.bevindingen:
                    self.report.afgewezen += 1
                    log.warning("demo regie: %s %s of %s refused: %s", actueel.berichtsoort, actueel.id, systeem.agb, [(x.regel, x.retourcode) for x in actueel.bevindingen])
                if actueel.retour_id:
                    await systeem.bevestig(actueel.retour_id)
            open_ = nog
            if open_:
                await asyncio.sleep(POLL_SECONDS)
        for systeem, b in open_:
            log.warning("demo regie: no verdict on %s %s of %s after %ss", b.berichtsoort, b.id, systeem.agb, WACHT_OP_OORDEEL_SECONDS)

    async def _staat(self) -> tuple[dict[str, list[toewijzing_pb2.ToewijzingVersie]], dict[str, list[_Ontvangen301]]]:
        toewijzingen = {agb: await s.toewijzingen() for agb, s in self.systemen.items()}
        ontvangen = {agb: await s.toewijzingen_301() for agb, s in self.systemen.items()}
        return toewijzingen, ontvangen

    async def beantwoord_301s(self, wacht: float) -> tuple[dict[str, list[toewijzing_pb2.ToewijzingVersie]], dict[str, list[_Ontvangen301]]]:
        """302s on every 301 in the postbussen whose toewijzingen are not actief yet, until the planned
        toewijzingen are all actief (or `wacht` seconds have passed)."""
        beantwoord: set[str] = set()
        deadline = asyncio.get_running_loop().time() + wacht
        while True:
            toewijzingen, ontvangen = await self._staat()
            for agb, lijst in ontvangen.items():
                status = {_sleutel(t): t.status for t in toewijzingen[agb]}
                for o in lijst:
                    if o.bericht_id in beantwoord or all(status.get(k) in ("actief", "afgewezen") for k in _sleutels(o)):
                        continue
                    heen = o.bericht.header
                    identificatie = aanbieder.afgeleide_identificatie(heen.afzender, heen.bericht_identificatie.identificatie, "302")
                    await self._stuur(self.systemen[agb], "302", aanbieder.retour_302(o.bericht, identificatie, self.vandaag))
                    beantwoord.add(o.bericht_id)
            wachtend = [op for op in self.plan.opdrachten if op.agb in toewijzingen and not _is_actief(toewijzingen[op.agb], op.bsn, op.product)]
            if not wachtend or asyncio.get_running_loop().time() >= deadline:
                self.report.ontbrekend = len(wachtend)
                if wachtend:
                    log.warning("demo regie: %d planned toewijzingen not actief after %ss: %s", len(wachtend), wacht, [(op.agb, op.bsn) for op in wachtend])
                return toewijzingen, ontvangen
            await asyncio.sleep(POLL_SECONDS)

    async def starts_en_stops(self, toewijzingen: dict[str, list[toewijzing_pb2.ToewijzingVersie]], ontvangen: dict[str, list[_Ontvangen301]]) -> None:
        # the starts first: a stop needs its start (TR382)
        for fase in ("305", "307"):
            verstuurd: list[tuple[_Systeem, berichten_pb2.Bericht]] = []
            for op in self.plan.opdrachten:
                if not op.start or op.agb not in self.systemen:
                    continue
                t = _is_actief(toewijzingen.get(op.agb, ()), op.bsn, op.product)
                if t is None:
                    continue
                systeem = self.systemen[op.agb]
                leveringen = _van(await systeem.leveringen(op.bsn), t)
                starts = sorted((lv for lv in leveringen if lv.soort == "start"), key=lambda lv: lv.begindatum.value)
                stops = [lv for lv in leveringen if lv.soort == "stop"]
                o = _laatste_301(ontvangen.get(op.agb, []), t)
                heen = o.bericht.header if o else None
                if fase == "305":
                    begin = date.fromisoformat(t.ingangsdatum.value)
                    if starts or o is None or heen is None or begin > self.vandaag:  # TR134: not after the Dagtekening
                        continue
                    identificatie = aanbieder.afgeleide_identificatie(heen.afzender, heen.bericht_identificatie.identificatie, "305", t.toewijzing_nummer, begin)
                    data = aanbieder.start_305(o.bericht, begin, t.toewijzing_nummer, identificatie=identificatie, dagtekening=self.vandaag)
                    verstuurd.append((systeem, await self._stuur(systeem, "305", data)))
                    continue
                if op.stop is None or not starts or stops or o is None or heen is None:
                    continue
                begin = date.fromisoformat(starts[0].begindatum.value)
                einde = min(begin + timedelta(days=op.stop_na_dagen), self.vandaag - timedelta(days=1))
                if t.einddatum.value:
                    einde = min(einde, date.fromisoformat(t.einddatum.value))
                if einde < begin:
                    continue
                standaard = _STANDAARD[t.wet]
                reden = aanbieder.REDEN_TIJDELIJK if op.stop == TIJDELIJK else aanbieder.reden_volgens_plan(standaard)
                identificatie = aanbieder.afgeleide_identificatie(heen.afzender, heen.bericht_identificatie.identificatie, "307", t.toewijzing_nummer, begin, reden)
                data = aanbieder.stop_307(o.bericht, begin, einde, reden, t.toewijzing_nummer, identificatie=identificatie, dagtekening=self.vandaag)
                verstuurd.append((systeem, await self._stuur(systeem, "307", data)))
            await self._wacht_op_oordelen(verstuurd)

    async def verzoeken(self) -> None:
        verstuurd: list[tuple[_Systeem, berichten_pb2.Bericht]] = []
        bekend: dict[str, set[str]] = {}
        for v in self.plan.verzoeken:
            systeem = self.systemen.get(v.agb)
            if systeem is None:
                continue
            if v.agb not in bekend:
                bekend[v.agb] = {x.referentie_aanbieder for x in await systeem.verzoeken()}
            if v.referentie in bekend[v.agb]:
                continue
            b = v.beschikking
            (bp,) = b.producten
            client = self.clienten.get(b.bsn.value)
            ingang, einde = date.fromisoformat(bp.ingangsdatum.value), date.fromisoformat(bp.einddatum.value)
            gewenst = max(ingang, self.vandaag)
            if client is None or gewenst > einde:
                continue
            standaard = _STANDAARD[b.wet]
            product = aanbieder.aangevraagd_product(
                v.referentie,
                model.Product(categorie=bp.product.categorie, code=bp.product.code),
                toewijzing_ingangsdatum=gewenst,
                toewijzing_einddatum=einde,
                omvang=model.Omvang(volume=bp.omvang.volume, eenheid=bp.omvang.eenheid, frequentie=bp.omvang.frequentie),
                beschikking_nummer=b.beschikkingnummer,
                beschikking_ingangsdatum=ingang,
            )
            data = aanbieder.verzoek_315(
                standaard,
                v.agb,
                b.gemeente.value,
                bsn=b.bsn.value,
                geboortedatum=date.fromisoformat(client.geboortedatum.value),
                geslacht=client.geslacht,
                naam=model.VerkorteNaam(
                    geslachtsnaam=model.Achternaam(achternaam=client.geslachtsnaam, voorvoegsel=client.voorvoegsel or None),
                    voorletters="".join(c for c in client.voorletters if c.isalpha())[:6] or None,
                ),
                producten=[product],
                gezagsdrager_bekend="1" if standaard is Standaard.IJW else None,  # LDT_JaNee 1: the aanbieder knows the gezagsdrager
                identificatie=aanbieder.afgeleide_identificatie(v.agb, "315", v.referentie),
                dagtekening=self.vandaag,
            )
            verstuurd.append((systeem, await self._stuur(systeem, "315", data)))
        await self._wacht_op_oordelen(verstuurd)

    # ------------------------------------------------------------ the declaraties and afrekeningen of last month

    async def _eenmalig_gedeclareerd(self, systeem: _Systeem, begin: date) -> set[Sleutel]:
        """Toewijzingen with a granted, not credited debet in a declaratie of an earlier month (a volume
        'totaal binnen geldigheidsduur' is declared once)."""
        result: set[Sleutel] = set()
        for d in await systeem.declaraties():
            if d.periode.begindatum.value >= begin.isoformat():
                continue
            for p in (await systeem.declaratie_detail(d.bericht_id)).prestaties:
                if p.toegekend and p.debet_credit == "D" and not p.gecrediteerd:
                    result.add((d.gemeente.value, d.wet, p.toewijzing_nummer))
        return result

    async def declaratie_opdrachten(self, begin: date, eind: date) -> list[DeclaratieOpdracht]:
        """Per aanbieder, gemeente and wet the prestaties of the month: one per toewijzing whose care runs in it."""
        spec = self.region["regie"]
        tarief = {p["code"]: p["tarief_eurocent"] for p in self.region["producten"]}
        per: dict[tuple[str, str, int], dict[str, list[aanbieder.Prestatieregel]]] = {}
        for agb, systeem in sorted(self.systemen.items()):
            actueel: dict[Sleutel, toewijzing_pb2.ToewijzingVersie] = {}
            for t in await systeem.toewijzingen():
                if t.aanbieder.value == agb and (_sleutel(t) not in actueel or t.versie > actueel[_sleutel(t)].versie):
                    actueel[_sleutel(t)] = t
            leveringen: dict[str, list[toewijzing_pb2.Levering]] = {}
            eenmalig: set[Sleutel] | None = None
            for sleutel, t in sorted(actueel.items()):
                periode = productperiode(t, begin, eind) if t.status == "actief" and not t.verwijderd else None
                if periode is None or t.product.code not in tarief or not t.omvang.eenheid:
                    continue
                if t.bsn.value not in leveringen:
                    leveringen[t.bsn.value] = await systeem.leveringen(t.bsn.value)
                if not zorg_loopt(_van(leveringen[t.bsn.value], t), *periode):
                    continue  # not started, or stopped before the month: no care delivered
                if t.omvang.frequentie == TOTAAL_BINNEN_GELDIGHEIDSDUUR:
                    if eenmalig is None:
                        eenmalig = await self._eenmalig_gedeclareerd(systeem, begin)
                    if sleutel in eenmalig:
                        continue
                volume = geleverd_volume(t, *periode, spec["weken_per_maand"])
                if volume <= 0:
                    continue
                prijs = tarief[t.product.code]
                regel = aanbieder.Prestatieregel(
                    referentie_nummer(t, begin),
                    t.toewijzing_nummer,
                    periode[0],
                    periode[1],
                    volume,
                    volume * prijs,
                    product_tarief=prijs,
                    product=model.Product(categorie=t.product.categorie, code=t.product.code),
                    eenheid=t.omvang.eenheid,
                )
                per.setdefault((agb, t.gemeente.value, t.wet), {}).setdefault(t.bsn.value, []).append(regel)
        opdrachten = [
            DeclaratieOpdracht(agb, gemeente, wet, (begin, eind), tuple((bsn, tuple(regels)) for bsn, regels in sorted(clienten.items())))
            for (agb, gemeente, wet), clienten in sorted(per.items())
        ]
        return maak_fouten(opdrachten, spec["aandeel_foutieve_prestaties"], spec["seed"])

    async def declaraties(self) -> list[DeclaratieOpdracht]:
        """Sends the 323s of last month that are not there yet, waits for their 325s and acknowledges them."""
        begin, eind = vorige_maand(self.vandaag)
        opdrachten = await self.declaratie_opdrachten(begin, eind)
        bekend = {agb: {d.declaratie_nummer for d in await s.declaraties()} for agb, s in self.systemen.items()}
        verstuurd: list[tuple[DeclaratieOpdracht, berichten_pb2.Bericht]] = []
        for op in opdrachten:
            if op.nummer in bekend[op.agb]:
                continue
            data = aanbieder.declaratie_323_clienten(
                _STANDAARD[op.wet],
                op.agb,
                op.gemeente,
                op.nummer,
                op.periode,
                op.clienten,
                identificatie=aanbieder.afgeleide_identificatie(op.agb, "323", op.nummer),
                dagtekening=self.vandaag,
            )
            verstuurd.append((op, await self._stuur(self.systemen[op.agb], "323", data)))
        await self._wacht_op_325s(verstuurd)
        await self._bevestig_325s(opdrachten)
        return opdrachten

    async def _wacht_op_325s(self, verstuurd: list[tuple[DeclaratieOpdracht, berichten_pb2.Bericht]]) -> None:
        """Waits for the 325 on each 323 sent, checks that exactly the prestaties made wrong were rejected
        (with their code), and acknowledges the 325."""
        open_ = [(op, b) for op, b in verstuurd if b.status not in ("afgekeurd", "retour_verzonden")]
        deadline = asyncio.get_running_loop().time() + WACHT_OP_325_SECONDS
        while open_ and asyncio.get_running_loop().time() < deadline:
            nog: list[tuple[DeclaratieOpdracht, berichten_pb2.Bericht]] = []
            for op, b in open_:
                systeem = self.systemen[op.agb]
                actueel = await systeem.bericht(b.id)
                if actueel.status != "retour_verzonden":
                    nog.append((op, b))
                    continue
                detail = await systeem.declaratie_detail(b.id)
                afgewezen = {p.referentie_nummer: set(p.retour_codes) for p in detail.prestaties if not p.toegekend}
                verwacht = dict(op.fout)
                if afgewezen.keys() != verwacht.keys() or any(verwacht[r] not in codes for r, codes in afgewezen.items()):
                    self.report.afgewezen += 1
                    log.warning("demo regie: 323 %s of %s to %s: rejected %s, planned %s", op.nummer, op.agb, op.gemeente, afgewezen, verwacht)
                if actueel.retour_id:
                    await systeem.bevestig(actueel.retour_id)
            open_ = nog
            if open_:
                await asyncio.sleep(POLL_SECONDS)
        self.report.zonder_325 = len(open_)
        for op, b in open_:
            log.warning("demo regie: no 325 on 323 %s (%s) of %s after %ss", op.nummer, b.id, op.agb, WACHT_OP_325_SECONDS)

    async def _bevestig_325s(self, opdrachten: list[DeclaratieOpdracht]) -> None:
        """Acknowledges 325s on the demo's 323s still in the postbus (of an earlier, interrupted run)."""
        for agb, systeem in self.systemen.items():
            nummers = {op.nummer for op in opdrachten if op.agb == agb}
            if not nummers:
                continue
            ids = {d.bericht_id for d in await systeem.declaraties() if d.declaratie_nummer in nummers}
            for b in await systeem.postbus():
                if b.berichtsoort == "325" and b.heen_id in ids:
                    await systeem.bevestig(b.id)

    async def afrekeningen(self, opdrachten: list[DeclaratieOpdracht], declaratie: declaratie_pb2_grpc.DeclaratieStub, token: str) -> None:
        """As each gemeente's financieel medewerker: the voorlopige afrekening of last month for every
        aanbieder whose 323s of that month to the gemeente are all judged; counts the declaraties."""
        begin, _ = vorige_maand(self.vandaag)
        r = self.report
        r.declaraties = r.deels_afgewezen = r.voorlopige_afrekeningen = 0
        gepland: dict[tuple[str, str], set[str]] = {}
        for op in opdrachten:
            gepland.setdefault((op.gemeente, op.agb), set()).add(op.nummer)
        beoordeeld: set[str] = set()
        for agb, systeem in self.systemen.items():
            nummers = {op.nummer for op in opdrachten if op.agb == agb}
            for d in await systeem.declaraties():
                if d.declaratie_nummer in nummers and d.periode.begindatum.value == begin.isoformat():
                    beoordeeld.add(d.declaratie_nummer)
                    r.declaraties += 1
                    r.deels_afgewezen += d.aantal_afgewezen > 0
        per_gemeente: dict[str, list[str]] = {}
        for (gemeente, agb), nummers in sorted(gepland.items()):
            if nummers <= beoordeeld:
                per_gemeente.setdefault(gemeente, []).append(agb)
            else:
                log.warning("demo regie: no voorlopige afrekening of %s in %s: declaraties %s not judged", agb, gemeente, sorted(nummers - beoordeeld))
        for gemeente, agbs in per_gemeente.items():
            financieel = call_metadata(token, Tenant.gemeente(Role.FINANCIEEL_MEDEWERKER, f"demo-financieel-{gemeente}", [gemeente]))
            lijst = await declaratie.ListAfrekeningen(declaratie_pb2.ListAfrekeningenRequest(page=common_pb2.PageRequest(page_size=500)), metadata=financieel, timeout=10)
            gemaakt = {
                a.aanbieder.value for a in lijst.afrekeningen if a.soort == "voorlopig" and a.gemeente.value == gemeente and a.periode.begindatum.value == begin.isoformat()
            }
            definitief = {
                a.aanbieder.value for a in lijst.afrekeningen if a.soort == "definitief" and a.gemeente.value == gemeente and a.periode.begindatum.value == begin.isoformat()
            }
            for agb in agbs:
                if agb not in gemaakt:
                    await declaratie.MaakAfrekening(
                        declaratie_pb2.MaakAfrekeningRequest(
                            gemeente=common_pb2.Gemeentecode(value=gemeente), aanbieder=common_pb2.AgbCode(value=agb), jaar=begin.year, maand=begin.month, definitief=False
                        ),
                        metadata=financieel,
                        timeout=15,
                    )
                    r.afrekeningen_gemaakt += 1
                r.voorlopige_afrekeningen += 1
                if gemeente in self.region["regie"].get("definitief", ()):
                    if agb not in definitief:
                        await declaratie.MaakAfrekening(
                            declaratie_pb2.MaakAfrekeningRequest(
                                gemeente=common_pb2.Gemeentecode(value=gemeente), aanbieder=common_pb2.AgbCode(value=agb), jaar=begin.year, maand=begin.month, definitief=True
                            ),
                            metadata=financieel,
                            timeout=15,
                        )
                        r.definitief_gemaakt += 1
                    r.definitieve_afrekeningen += 1

    async def bevestig_301s(self) -> None:
        """Acknowledges the 301s whose toewijzingen are actief and whose planned regie is done."""
        toewijzingen, ontvangen = await self._staat()
        plan = {(op.agb, op.bsn, op.product): op for op in self.plan.opdrachten}
        for agb, lijst in ontvangen.items():
            systeem = self.systemen[agb]
            status = {_sleutel(t): t for t in toewijzingen[agb]}
            for o in lijst:
                klaar = True
                for sleutel in _sleutels(o):
                    t = status.get(sleutel)
                    if t is None or t.status not in ("actief", "afgewezen"):
                        klaar = False
                        break
                    op = plan.get((agb, t.bsn.value, t.product.code))
                    if op is not None and op.start and t.status == "actief":
                        leveringen = _van(await systeem.leveringen(t.bsn.value), t)
                        heeft_start = any(lv.soort == "start" for lv in leveringen)
                        heeft_stop = any(lv.soort == "stop" for lv in leveringen)
                        if not heeft_start or (op.stop is not None and not heeft_stop):
                            klaar = False
                            break
                if klaar:
                    await systeem.bevestig(o.bericht_id)

    async def tel(self, toewijzing: toewijzing_pb2_grpc.ToewijzingStub, token: str) -> None:
        """The state as the services show it: toewijzingen, leveringen, verzoeken, the toewijslijst."""
        r = self.report
        r.toewijzingen_actief = r.gestart = r.tijdelijk_gestopt = r.gestopt = r.verzoeken_open = 0
        for systeem in self.systemen.values():
            toewijzingen = await systeem.toewijzingen()
            r.toewijzingen_actief += sum(1 for t in toewijzingen if t.status == "actief" and not t.verwijderd)
            for bsn in sorted({t.bsn.value for t in toewijzingen}):
                per_nummer: dict[tuple[str, int], list[toewijzing_pb2.Levering]] = {}
                for lv in await systeem.leveringen(bsn):
                    per_nummer.setdefault((lv.gemeente.value, lv.toewijzing_nummer), []).append(lv)
                for leveringen in per_nummer.values():
                    # the latest levering: by Begindatum, a stop after the start it stops
                    laatste = max(leveringen, key=lambda lv: (lv.begindatum.value, lv.soort == "stop"))
                    if laatste.soort == "start":
                        r.gestart += 1
                    elif laatste.reden_beeindiging == aanbieder.REDEN_TIJDELIJK:
                        r.tijdelijk_gestopt += 1
                    else:
                        r.gestopt += 1
            r.verzoeken_open += len(await systeem.verzoeken("open"))
        gemeente = Tenant.gemeente(Role.SYSTEEM, "demo-regie", [g["code"] for g in self.region["gemeenten"]])
        lijst = await toewijzing.ListToewijslijst(
            toewijzing_pb2.ListToewijslijstRequest(status="open", page=common_pb2.PageRequest(page_size=1000)), metadata=call_metadata(token, gemeente), timeout=10
        )
        r.toewijslijst = len(lijst.inschrijvingen)


async def load(
    berichten_addr: str,
    toewijzing_addr: str,
    declaratie_addr: str,
    internal_token: str,
    region: dict[str, Any] | None = None,
    vandaag: date | None = None,
    wacht: float = WACHT_OP_301_SECONDS,
) -> RegieReport:
    """Plays the demo aanbieders' systems (see the module's docstring); call after demo.load."""
    region = region or demo.load_region()
    vandaag = vandaag or date.today()
    plan = maak_plan(region)
    report = RegieReport()
    async with (
        grpc.aio.insecure_channel(berichten_addr) as bch,
        grpc.aio.insecure_channel(toewijzing_addr) as tch,
        grpc.aio.insecure_channel(declaratie_addr) as dch,
    ):
        berichten, toewijzing = berichten_pb2_grpc.BerichtenStub(bch), toewijzing_pb2_grpc.ToewijzingStub(tch)
        declaratie = declaratie_pb2_grpc.DeclaratieStub(dch)
        systemen = {a["agb"]: _Systeem(a["agb"], berichten, toewijzing, declaratie, internal_token) for a in region["aanbieders"]}
        regie = _Regie(region, plan, systemen, vandaag, report)
        toewijzingen, ontvangen = await regie.beantwoord_301s(wacht)
        await regie.starts_en_stops(toewijzingen, ontvangen)
        await regie.verzoeken()
        await regie.bevestig_301s()
        opdrachten = await regie.declaraties()
        await regie.afrekeningen(opdrachten, declaratie, internal_token)
        await regie.tel(toewijzing, internal_token)
    return report
