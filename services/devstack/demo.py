"""Loads the demo region (demo_region.json) through the services' own gRPC APIs.

Loading is idempotent: what exists already (ALREADY_EXISTS) is left as it is, so `make run` may
load it on every start.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

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
_WET = {"wmo": common_pb2.WET_WMO, "jeugdwet": common_pb2.WET_JEUGDWET}


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
    return result


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
                    )
                )
    return result


@dataclass
class LoadReport:
    clienten_nieuw: int = 0
    clienten_bestaand: int = 0
    contracten_nieuw: int = 0
    contracten_bestaand: int = 0


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
    return report
