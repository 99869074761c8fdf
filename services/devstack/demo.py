"""Loads the demo region (demo_region.json) through the services' own gRPC APIs.

Loading is idempotent: what exists already (ALREADY_EXISTS) is left as it is, so `make run` may
load it on every start.
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

from devstack import demo_werkruimte
from runtime.interceptors import call_metadata
from runtime.tenancy import Role, Tenant

DATA = Path(__file__).with_name("demo_region.json")
_STATUS = {
    "actief": indicatie_pb2.CLIENT_STATUS_ACTIEF,
    "verhuisd": indicatie_pb2.CLIENT_STATUS_VERHUISD,
    "overleden": indicatie_pb2.CLIENT_STATUS_OVERLEDEN,
}
_VARIANT = {
    "inspanningsgericht": declaratie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
    "outputgericht": declaratie_pb2.UITVOERINGSVARIANT_OUTPUTGERICHT,
    "taakgericht": declaratie_pb2.UITVOERINGSVARIANT_TAAKGERICHT,
}
_BESCHIKKING_VARIANT = {
    "inspanningsgericht": indicatie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
    "outputgericht": indicatie_pb2.UITVOERINGSVARIANT_OUTPUTGERICHT,
}
_WET = {"wmo": common_pb2.WET_WMO, "jeugdwet": common_pb2.WET_JEUGDWET}
# the indicatie service learns of the contracts through declaratie's events: wait this long for them
CONTRACT_COPY_WAIT_SECONDS = 30.0


def load_region(path: Path = DATA) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def demo_bsns() -> list[str]:
    """BSNs of the test range 9999xxxxx that pass the 11-proef, in order."""
    result = []
    for n in range(10000):
        head = f"9999{n:04d}"
        total = sum(w * int(d) for w, d in zip(range(9, 1, -1), head))
        check = total % 11
        if check < 10:
            result.append(head + str(check))
    return result


def demo_clienten(region: dict[str, Any]) -> list[indicatie_pb2.Client]:
    """The generated cliënten: deterministic for a given seed, spread over the gemeenten."""
    spec = region["clienten"]
    rng = random.Random(spec["seed"])
    bsns = demo_bsns()
    statuses = list(spec["status_verdeling"])
    weights = list(spec["status_verdeling"].values())
    adressen = random.Random(spec["seed"] + 1)  # its own stream: the fields above stay as they were
    today = date(2026, 11, 1)
    result = []
    for i in range(spec["aantal"]):
        gemeente = region["gemeenten"][i % len(region["gemeenten"])]
        voorvoegsel, naam = rng.choice(spec["geslachtsnamen"])
        jeugd = rng.random() < spec["aandeel_jeugd"]
        age_days = rng.randint(2 * 365, 17 * 365) if jeugd else rng.randint(18 * 365, 95 * 365)
        result.append(
            indicatie_pb2.Client(
                bsn=common_pb2.Bsn(value=bsns[i + 1]),  # bsns[0] is 999900006, the official examples' BSN
                gemeente=common_pb2.Gemeentecode(value=gemeente["code"]),
                geslachtsnaam=naam,
                voorvoegsel=voorvoegsel,
                voorletters=rng.choice(spec["voorletters"]),
                geboortedatum=common_pb2.Datum(value=(today - timedelta(days=age_days)).isoformat()),
                geslacht=rng.choice(["1", "2", "2", "1", "0"]),
                postcode=f"{gemeente['postcode']}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}",
                huisnummer=str(rng.randint(1, 250)),
                status=_STATUS[rng.choices(statuses, weights)[0]],
            )
        )
        client = result[-1]
        client.adressen.append(
            indicatie_pb2.Adres(
                soort="01",  # BRP-adres
                straatnaam=adressen.choice(spec["straatnamen"]),
                huisnummer=int(client.huisnummer),
                postcode=client.postcode,
                plaatsnaam=gemeente["plaatsnaam"],
            )
        )
    return result


def _per_wet(region: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The region's contracted producten per wet, in the order of the region."""
    gecontracteerd = {code for contract in region["contracten"] for code in contract["producten"]}
    per_wet: dict[str, list[dict[str, Any]]] = {}
    for product in region["producten"]:
        if product["code"] in gecontracteerd:
            per_wet.setdefault(product["wet"], []).append(product)
    return per_wet


def _wet_van(client: indicatie_pb2.Client, ingang: date) -> str:
    geboren = date.fromisoformat(client.geboortedatum.value)
    return "jeugdwet" if geboren > ingang.replace(year=ingang.year - 18) else "wmo"


def _beschikking(spec: dict[str, Any], client: indicatie_pb2.Client, wet: str, product: dict[str, Any], agb: str | None, nummer: str) -> indicatie_pb2.Beschikking:
    return indicatie_pb2.Beschikking(
        beschikkingnummer=nummer,
        bsn=client.bsn,
        gemeente=client.gemeente,
        wet=_WET[wet],
        beschikkingsdatum=common_pb2.Datum(value=spec["beschikkingsdatum"]),
        producten=[
            indicatie_pb2.BeschiktProduct(
                product=common_pb2.Product(categorie=product["categorie"], code=product["code"]),
                omvang=common_pb2.Omvang(volume=product["omvang"]["volume"], eenheid=product["eenheid"], frequentie=product["omvang"]["frequentie"]),
                ingangsdatum=common_pb2.Datum(value=spec["ingangsdatum"]),
                einddatum=common_pb2.Datum(value=spec["einddatum"]),
                uitvoeringsvariant=_BESCHIKKING_VARIANT[product["variant"]],
                aanbieder=common_pb2.AgbCode(value=agb) if agb else None,
            )
        ],
    )


def demo_beschikkingen(region: dict[str, Any], clienten: list[indicatie_pb2.Client] | None = None) -> list[indicatie_pb2.Beschikking]:
    """Beschikkingen for a share of the actieve cliënten: one contracted product of their wet each."""
    spec = region["beschikkingen"]
    rng = random.Random(spec["seed"])
    per_wet = _per_wet(region)
    aanbieders_van = {p["code"]: [c["agb"] for c in region["contracten"] if p["code"] in c["producten"]] for ps in per_wet.values() for p in ps}
    keuze = random.Random(spec["seed"] + 1)  # its own stream: the products chosen above stay as they were
    ingang = date.fromisoformat(spec["ingangsdatum"])
    result = []
    for client in clienten if clienten is not None else demo_clienten(region):
        if client.status != indicatie_pb2.CLIENT_STATUS_ACTIEF or rng.random() >= spec["aandeel"]:
            continue
        wet = _wet_van(client, ingang)
        product = rng.choice(per_wet[wet])
        agb = None if keuze.random() < spec["aandeel_toewijslijst"] else keuze.choice(aanbieders_van[product["code"]])
        result.append(_beschikking(spec, client, wet, product, agb, str(spec["eerste_nummer"] + len(result))))
    return result


def demo_extra_beschikkingen(
    region: dict[str, Any], clienten: list[indicatie_pb2.Client] | None = None, beschikkingen: list[indicatie_pb2.Beschikking] | None = None
) -> list[tuple[indicatie_pb2.Beschikking, str]]:
    """The werkruimte's beschikkingen that are gewijzigd or ingetrokken (demo_werkruimte.extra_beschikkingen):
    the first product of the cliënt's wet, no aanbieder chosen."""
    clienten = clienten if clienten is not None else demo_clienten(region)
    beschikkingen = beschikkingen if beschikkingen is not None else demo_beschikkingen(region, clienten)
    spec = region["beschikkingen"]
    ingang = date.fromisoformat(spec["ingangsdatum"])
    per_wet = _per_wet(region)

    def maak(client: indicatie_pb2.Client, nummer: str) -> indicatie_pb2.Beschikking:
        wet = _wet_van(client, ingang)
        return _beschikking(spec, client, wet, per_wet[wet][0], None, nummer)

    return demo_werkruimte.extra_beschikkingen(region, clienten, beschikkingen, maak)


def demo_contracten(region: dict[str, Any]) -> list[declaratie_pb2.Contract]:
    producten = {p["code"]: p for p in region["producten"]}
    result = []
    for spec in region["contracten"]:
        for gemeente in region["gemeenten"]:
            for code in spec["producten"]:
                product = producten[code]
                result.append(
                    declaratie_pb2.Contract(
                        gemeente=common_pb2.Gemeentecode(value=gemeente["code"]),
                        aanbieder=common_pb2.AgbCode(value=spec["agb"]),
                        wet=_WET[product["wet"]],
                        product=common_pb2.Product(categorie=product["categorie"], code=code),
                        uitvoeringsvariant=_VARIANT[product["variant"]],
                        tarief=common_pb2.Bedrag(eurocent=product["tarief_eurocent"]),
                        eenheid=product["eenheid"],
                        geldigheid=common_pb2.Periode(begindatum=common_pb2.Datum(value=spec["begindatum"])),
                        voorschot_per_periode_eurocent=spec.get("voorschot_per_periode_eurocent"),
                    )
                )
    return result


@dataclass
class LoadReport:
    clienten_nieuw: int = 0
    clienten_bestaand: int = 0
    contracten_nieuw: int = 0
    contracten_bestaand: int = 0
    beschikkingen_nieuw: int = 0
    beschikkingen_bestaand: int = 0
    # refused because the cliënt's NAW is incomplete: cliënten loaded by an older demo without adres
    beschikkingen_overgeslagen: int = 0
    betaalgegevens: int = 0  # aanbieder accounts registered per gemeente (the same again on every load)
    debiteuren_nieuw: int = 0  # gemeenten whose debtor account was set by this load
    werkruimte: demo_werkruimte.WerkruimteReport = field(default_factory=demo_werkruimte.WerkruimteReport)

    def werkruimte_samenvatting(self) -> str:
        w = self.werkruimte
        return (
            f"{w.trajecten_nieuw + w.trajecten_bestaand} meldingen with their samenwerkingstraject ({w.trajecten_nieuw} new), "
            f"{w.taken_nieuw} taken new, {w.pops} POP's, {w.evaluaties} evaluatie; "
            f"beschikkingen {self.beschikkingen_nieuw + self.beschikkingen_bestaand} afgegeven, {w.gewijzigd} gewijzigd and {w.ingetrokken} ingetrokken"
        )


async def betaalgegevens(declaratie: declaratie_pb2_grpc.DeclaratieStub, region: dict[str, Any], metadata: list[tuple[str, str]], report: LoadReport) -> None:
    """Each gemeente pays each demo aanbieder on its IBAN, and is the debtor of its payment files with its
    own; a gemeente whose debtor account is set already keeps its settings."""
    for gemeente in region["gemeenten"]:
        code = common_pb2.Gemeentecode(value=gemeente["code"])
        for a in region["aanbieders"]:
            rekening = declaratie_pb2.Rekening(naam=a["naam"], iban=a["iban"])
            gegevens = declaratie_pb2.Betaalgegevens(gemeente=code, aanbieder=common_pb2.AgbCode(value=a["agb"]), rekening=rekening)
            await declaratie.RegistreerBetaalgegevens(declaratie_pb2.RegistreerBetaalgegevensRequest(betaalgegevens=gegevens), metadata=metadata, timeout=10)
            report.betaalgegevens += 1
        instellingen = await declaratie.GetGemeenteInstellingen(declaratie_pb2.GetGemeenteInstellingenRequest(gemeente=code), metadata=metadata, timeout=10)
        if not instellingen.debiteur.iban:
            instellingen.debiteur.CopyFrom(declaratie_pb2.Rekening(naam=f"Gemeente {gemeente['naam']}", iban=gemeente["iban"]))
            await declaratie.ZetGemeenteInstellingen(declaratie_pb2.ZetGemeenteInstellingenRequest(instellingen=instellingen), metadata=metadata, timeout=10)
            report.debiteuren_nieuw += 1


async def _create(call: Any, request: Any, metadata: list[tuple[str, str]]) -> bool:
    """Calls a Registreer… RPC; False when the thing exists already."""
    try:
        await call(request, metadata=metadata, timeout=10)
        return True
    except grpc.aio.AioRpcError as exc:
        if exc.code() != grpc.StatusCode.ALREADY_EXISTS:
            raise
        return False


async def load(indicatie_addr: str, declaratie_addr: str, internal_token: str, region: dict[str, Any] | None = None) -> LoadReport:
    region = region or load_region()
    loader = Tenant.gemeente(Role.SYSTEEM, "demo-loader", [g["code"] for g in region["gemeenten"]])
    metadata = call_metadata(internal_token, loader)
    report = LoadReport()
    async with grpc.aio.insecure_channel(indicatie_addr) as ich, grpc.aio.insecure_channel(declaratie_addr) as dch:
        registreer_client = indicatie_pb2_grpc.IndicatieStub(ich).RegistreerClient
        registreer_contract = declaratie_pb2_grpc.DeclaratieStub(dch).RegistreerContract
        for client in demo_clienten(region):
            if await _create(registreer_client, indicatie_pb2.RegistreerClientRequest(client=client), metadata):
                report.clienten_nieuw += 1
            else:
                report.clienten_bestaand += 1
        for contract in demo_contracten(region):
            if await _create(registreer_contract, declaratie_pb2.RegistreerContractRequest(contract=contract), metadata):
                report.contracten_nieuw += 1
            else:
                report.contracten_bestaand += 1
        await betaalgegevens(declaratie_pb2_grpc.DeclaratieStub(dch), region, metadata, report)
        geef_af = indicatie_pb2_grpc.IndicatieStub(ich).GeefBeschikkingAf
        deadline = asyncio.get_running_loop().time() + CONTRACT_COPY_WAIT_SECONDS
        for beschikking in demo_beschikkingen(region):
            request = indicatie_pb2.GeefBeschikkingAfRequest(beschikking=beschikking)
            while True:
                try:
                    created = await _create(geef_af, request, metadata)
                except grpc.aio.AioRpcError as exc:
                    details = exc.details() or ""
                    if exc.code() == grpc.StatusCode.INVALID_ARGUMENT and "is not contracted" in details and asyncio.get_running_loop().time() < deadline:
                        await asyncio.sleep(0.2)  # the contract events are still on their way
                        continue
                    if exc.code() == grpc.StatusCode.INVALID_ARGUMENT and "NAW is not complete" in details:
                        report.beschikkingen_overgeslagen += 1
                        break
                    raise
                if created:
                    report.beschikkingen_nieuw += 1
                else:
                    report.beschikkingen_bestaand += 1
                break
        if "werkruimte" in region:
            clienten = demo_clienten(region)
            beschikkingen = demo_beschikkingen(region, clienten)
            extra = demo_extra_beschikkingen(region, clienten, beschikkingen)
            report.werkruimte = await demo_werkruimte.load(ich, internal_token, region, beschikkingen, extra)
    return report
