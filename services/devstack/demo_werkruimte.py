"""The demo region's secure workspace and beschikkingen in every state (the "werkruimte" section of
demo_region.json), loaded through the indicatie service's gRPC API after the cliënten and the
beschikkingen (demo.load calls it).

Idempotent: a traject is found again by its cliënt and onderwerp (ListTrajecten), a taak by its naam
(ListTaken), each POP step is taken only from the status before it (GetPop), an evaluatie only when
the traject has none; an extra beschikking that exists (ALREADY_EXISTS) is changed only while it is
still at versie 1. So loading again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc
from zorgketen.indicatie.v1 import trajecten_pb2 as tpb
from zorgketen.indicatie.v1 import trajecten_pb2_grpc

from runtime.interceptors import call_metadata
from runtime.tenancy import Role, Tenant

# the POP's steps in order; "teruggegeven" branches off after bij_aanbieder
STAPPEN = ("concept", "bij_aanbieder", "aangevuld", "ondertekend", "toegekend")
_PRIORITEIT = {"laag": tpb.PRIORITEIT_LAAG, "gemiddeld": tpb.PRIORITEIT_GEMIDDELD, "hoog": tpb.PRIORITEIT_HOOG}
ZRM = [tpb.ZrmScore(domein="huisvesting", score=3), tpb.ZrmScore(domein="sociaal_netwerk", score=2), tpb.ZrmScore(domein="tijdsbesteding", score=2)]
DOELEN = [tpb.Doel(omschrijving="Zelfstandig blijven wonen", domein="huisvesting"), tpb.Doel(omschrijving="Een vaste dagstructuur", domein="tijdsbesteding")]
REDEN_VERKORTING = "05"  # JZ002/WMO002: Herbeoordeling: verkorting toewijzing
REDEN_INTREKKING = "13"


@dataclass
class WerkruimteReport:
    trajecten_nieuw: int = 0
    trajecten_bestaand: int = 0
    taken_nieuw: int = 0
    pops: int = 0  # trajecten with a POP
    evaluaties: int = 0
    beschikkingen_nieuw: int = 0
    gewijzigd: int = 0  # extra beschikkingen in that state (also when they were so already)
    ingetrokken: int = 0


def _stappen_tot(stap: str) -> list[str]:
    if stap == "teruggegeven":
        return ["concept", "bij_aanbieder", "teruggegeven"]
    return list(STAPPEN[: STAPPEN.index(stap) + 1])


def _datum(d: date) -> common_pb2.Datum:
    return common_pb2.Datum(value=d.isoformat())


class _Loader:
    def __init__(self, channel: grpc.aio.Channel, internal_token: str, gemeenten: list[str], vandaag: date):
        self.trajecten = trajecten_pb2_grpc.TrajectenStub(channel)
        self.indicatie = indicatie_pb2_grpc.IndicatieStub(channel)
        self.token = internal_token
        self.gemeente_md = call_metadata(internal_token, Tenant.gemeente(Role.SYSTEEM, "demo-loader", gemeenten))
        self.vandaag = vandaag

    def aanbieder_md(self, agb: str) -> list[tuple[str, str]]:
        return call_metadata(self.token, Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, f"aanbieder-{agb}", agb))

    async def traject(self, spec: dict[str, Any], beschikking: indicatie_pb2.Beschikking, adviseur: str, report: WerkruimteReport) -> None:
        gemeente = beschikking.gemeente.value
        agb = beschikking.producten[0].aanbieder.value
        md = self.gemeente_md
        bestaand = await self.trajecten.ListTrajecten(
            tpb.ListTrajectenRequest(page=common_pb2.PageRequest(page_size=100), bsn=beschikking.bsn, gemeente=beschikking.gemeente), metadata=md, timeout=10
        )
        traject = next((t for t in bestaand.trajecten if t.onderwerp == spec["onderwerp"]), None)
        if traject is None:
            meldingsdatum = self.vandaag - timedelta(weeks=spec["weken_geleden"])
            traject = await self.trajecten.RegistreerMelding(
                tpb.RegistreerMeldingRequest(
                    bsn=beschikking.bsn,
                    gemeente=beschikking.gemeente,
                    onderwerp=spec["onderwerp"],
                    meldingsdatum=_datum(meldingsdatum),
                    participatieadviseur=adviseur.format(gemeente=gemeente),
                ),
                metadata=md,
                timeout=10,
            )
            await self.trajecten.WijzigTraject(tpb.WijzigTrajectRequest(id=traject.id, vervang_doelen=True, doelen=DOELEN), metadata=md, timeout=10)
            report.trajecten_nieuw += 1
        else:
            report.trajecten_bestaand += 1
        await self.pop(traject.id, spec["stap"], agb, md)
        report.pops += 1
        await self.taken(traject.id, spec["taken"], gemeente, agb, md, report)
        if spec["stap"] == "toegekend":
            await self.evaluatie(traject.id, beschikking, agb, md)
            report.evaluaties += 1

    async def pop(self, traject_id: str, stap: str, agb: str, md: list[tuple[str, str]]) -> None:
        try:
            status = (await self.trajecten.GetPop(tpb.GetPopRequest(traject_id=traject_id), metadata=md, timeout=10)).status
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
            status = tpb.POP_STATUS_UNSPECIFIED
        aanbieder = self.aanbieder_md(agb)
        for naar in _stappen_tot(stap):
            if naar == "concept" and status == tpb.POP_STATUS_UNSPECIFIED:
                request = tpb.StelPopOpRequest(traject_id=traject_id, zrm=ZRM, profiel="Begeleiding thuis", pakket="Pakket licht", aanbieder=common_pb2.AgbCode(value=agb))
                status = (await self.trajecten.StelPopOp(request, metadata=md, timeout=10)).status
            elif naar == "bij_aanbieder" and status == tpb.POP_STATUS_CONCEPT:
                status = (await self.trajecten.DraagPopOver(tpb.DraagPopOverRequest(traject_id=traject_id), metadata=md, timeout=10)).status
            elif naar == "teruggegeven" and status == tpb.POP_STATUS_BIJ_AANBIEDER:
                request = tpb.GeefPopTerugRequest(traject_id=traject_id, reden="Het pakket past niet bij de ondersteuningsvraag; graag het profiel heroverwegen.")
                status = (await self.trajecten.GeefPopTerug(request, metadata=aanbieder, timeout=10)).status
            elif naar == "aangevuld" and status == tpb.POP_STATUS_BIJ_AANBIEDER:
                request = tpb.VulPopAanRequest(traject_id=traject_id, inzet="Twee uur begeleiding per week", activiteiten=["Wekelijks gesprek", "Administratie ordenen"])
                status = (await self.trajecten.VulPopAan(request, metadata=aanbieder, timeout=10)).status
            elif naar == "ondertekend" and status == tpb.POP_STATUS_AANGEVULD:
                request = tpb.OndertekenPopRequest(traject_id=traject_id, ondertekend_door="de cliënt")
                status = (await self.trajecten.OndertekenPop(request, metadata=aanbieder, timeout=10)).status
            elif naar == "toegekend" and status == tpb.POP_STATUS_ONDERTEKEND:
                request = tpb.NeemBesluitRequest(traject_id=traject_id, toegekend=True, toelichting="Passend bij de ondersteuningsvraag")
                status = (await self.trajecten.NeemBesluit(request, metadata=md, timeout=10)).status

    async def taken(
        self, traject_id: str, specs: list[dict[str, Any]], gemeente: str, agb: str, md: list[tuple[str, str]], report: WerkruimteReport
    ) -> None:
        bestaand = {t.naam for t in (await self.trajecten.ListTaken(tpb.ListTakenRequest(traject_id=traject_id), metadata=md, timeout=10)).taken}
        for spec in specs:
            if spec["naam"] in bestaand:
                continue
            voor_aanbieder = spec["voor"] == "aanbieder"
            bestemd = tpb.Partij(soort=tpb.PARTIJ_SOORT_AANBIEDER, code=agb) if voor_aanbieder else tpb.Partij(soort=tpb.PARTIJ_SOORT_GEMEENTE, code=gemeente)
            request = tpb.MaakTaakRequest(
                traject_id=traject_id,
                naam=spec["naam"],
                soort=spec["soort"],
                bestemd_voor=bestemd,
                einddatum=_datum(self.vandaag + timedelta(days=spec["over_dagen"])),
                prioriteit=_PRIORITEIT[spec["prioriteit"]],
            )
            await self.trajecten.MaakTaak(request, metadata=md, timeout=10)
            report.taken_nieuw += 1

    async def evaluatie(self, traject_id: str, beschikking: indicatie_pb2.Beschikking, agb: str, md: list[tuple[str, str]]) -> None:
        if (await self.trajecten.ListEvaluaties(tpb.ListEvaluatiesRequest(traject_id=traject_id), metadata=md, timeout=10)).evaluaties:
            return
        aanbieder = self.aanbieder_md(agb)
        gepland = await self.trajecten.PlanEvaluatie(
            tpb.PlanEvaluatieRequest(traject_id=traject_id, soort=tpb.EVALUATIE_SOORT_REGULIER, beschikking_einddatum=beschikking.producten[0].einddatum),
            metadata=aanbieder,
            timeout=10,
        )
        await self.trajecten.LegEvaluatieVast(
            tpb.LegEvaluatieVastRequest(
                traject_id=traject_id,
                evaluatie_id=gepland.id,
                doelrealisatie=[
                    tpb.Doelrealisatie(doel=DOELEN[0].omschrijving, mate=tpb.MATE_BEHAALD),
                    tpb.Doelrealisatie(doel=DOELEN[1].omschrijving, mate=tpb.MATE_DEELS_BEHAALD, toelichting="nog twee dagen zonder invulling"),
                ],
                advies=tpb.ADVIES_VOORTZETTEN,
                toelichting="Herindicatie aanbevolen met hetzelfde pakket",
            ),
            metadata=aanbieder,
            timeout=10,
        )

    async def beschikking(self, beschikking: indicatie_pb2.Beschikking, staat: str, verkort_tot: str, report: WerkruimteReport) -> None:
        md = self.gemeente_md
        try:
            await self.indicatie.GeefBeschikkingAf(indicatie_pb2.GeefBeschikkingAfRequest(beschikking=beschikking), metadata=md, timeout=10)
            report.beschikkingen_nieuw += 1
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise
        huidig = await self.indicatie.GetBeschikking(
            indicatie_pb2.GetBeschikkingRequest(gemeente=beschikking.gemeente, beschikkingnummer=beschikking.beschikkingnummer), metadata=md, timeout=10
        )
        if huidig.versie == 1:
            if staat == "gewijzigd":
                verkort = indicatie_pb2.BeschiktProduct()
                verkort.CopyFrom(huidig.producten[0])
                verkort.einddatum.value = verkort_tot
                await self.indicatie.WijzigBeschikking(
                    indicatie_pb2.WijzigBeschikkingRequest(
                        gemeente=beschikking.gemeente,
                        beschikkingnummer=beschikking.beschikkingnummer,
                        producten=[verkort],
                        reden=indicatie_pb2.Reden(code=REDEN_VERKORTING, toelichting="Herbeoordeling: het doel is eerder bereikt"),
                        versie=1,
                    ),
                    metadata=md,
                    timeout=10,
                )
            else:
                await self.indicatie.TrekBeschikkingIn(
                    indicatie_pb2.TrekBeschikkingInRequest(
                        gemeente=beschikking.gemeente,
                        beschikkingnummer=beschikking.beschikkingnummer,
                        reden=indicatie_pb2.Reden(code=REDEN_INTREKKING, toelichting="De cliënt ziet af van de ondersteuning"),
                        per=beschikking.producten[0].ingangsdatum,
                        versie=1,
                    ),
                    metadata=md,
                    timeout=10,
                )
        if staat == "gewijzigd":
            report.gewijzigd += 1
        else:
            report.ingetrokken += 1


def extra_beschikkingen(
    region: dict[str, Any], clienten: list[indicatie_pb2.Client], beschikkingen: list[indicatie_pb2.Beschikking], maak: Any
) -> list[tuple[indicatie_pb2.Beschikking, str]]:
    """(beschikking, "gewijzigd" or "ingetrokken") for the first actieve cliënten without a demo beschikking;
    `maak(client, nummer)` builds the beschikking as the demo builds its own (no aanbieder chosen)."""
    spec = region["werkruimte"]["beschikkingen"]
    met = {(b.gemeente.value, b.bsn.value) for b in beschikkingen}
    vrij = [c for c in clienten if c.status == indicatie_pb2.CLIENT_STATUS_ACTIEF and (c.gemeente.value, c.bsn.value) not in met]
    staten = ["gewijzigd"] * spec["gewijzigd"] + ["ingetrokken"] * spec["ingetrokken"]
    return [(maak(c, str(spec["eerste_nummer"] + i)), staat) for i, (c, staat) in enumerate(zip(vrij, staten))]


async def load(
    channel: grpc.aio.Channel,
    internal_token: str,
    region: dict[str, Any],
    beschikkingen: list[indicatie_pb2.Beschikking],
    extra: list[tuple[indicatie_pb2.Beschikking, str]],
    vandaag: date | None = None,
) -> WerkruimteReport:
    """Loads the section (see the module docstring); `beschikkingen` are the demo's, `extra` from extra_beschikkingen."""
    spec = region["werkruimte"]
    report = WerkruimteReport()
    loader = _Loader(channel, internal_token, [g["code"] for g in region["gemeenten"]], vandaag or date.today())
    met_aanbieder = [b for b in beschikkingen if b.producten[0].aanbieder.value]
    for traject_spec, beschikking in zip(spec["trajecten"], met_aanbieder):
        await loader.traject(traject_spec, beschikking, spec["participatieadviseur"], report)
    for beschikking, staat in extra:
        await loader.beschikking(beschikking, staat, spec["beschikkingen"]["verkort_tot"], report)
    return report
