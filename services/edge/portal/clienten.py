"""Cliënten: the list, the dossier (NAW, beschikkingen, samenwerkingstrajecten), the beschikking
letter, and the form by which a consulent gives a beschikking with its producten.

The form only collects what the indicatie service's GeefBeschikkingAf takes; every check
(contract, NAW, overlap, productcodes, the caller's right) is the service's, and its refusal is
shown above the form with what the user typed kept.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc, trajecten_pb2, trajecten_pb2_grpc

from edge.portal.context import Onbereikbaar, Portaal, PortaalPost, PortalContext, PortalFout, of_onbereikbaar
from edge.portal.declaratie import euro, prestaties_van_client
from edge.portal.toewijzing import WET_PAD, toewijzingen_van_client
from edge.portal.sessions import PATH

router = APIRouter(prefix=PATH, include_in_schema=False)
PAGE_SIZE = 50
MAX_PRODUCTEN = 10

Gemeentecode = Annotated[str, Path(pattern=r"^\d{4}$")]
Bsn = Annotated[str, Path(pattern=r"^\d{9}$")]

VARIANTEN = {
    "inspanningsgericht": indicatie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
    "outputgericht": indicatie_pb2.UITVOERINGSVARIANT_OUTPUTGERICHT,
    "taakgericht": indicatie_pb2.UITVOERINGSVARIANT_TAAKGERICHT,
}
WETTEN = {"wmo": common_pb2.WET_WMO, "jeugdwet": common_pb2.WET_JEUGDWET}
PRODUCT_VELDEN = ("categorie", "code", "volume", "eenheid", "frequentie", "ingangsdatum", "einddatum", "variant")


def _indicatie(context: PortalContext) -> indicatie_pb2_grpc.IndicatieStub:
    return indicatie_pb2_grpc.IndicatieStub(context.channel("indicatie"))


@router.get("/clienten", response_class=HTMLResponse)
async def clienten(context: Portaal, na: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    page = await context.call(
        _indicatie(context).ListClienten, indicatie_pb2.ListClientenRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na))
    )
    return context.render("clienten.html", clienten=page.clienten, volgende=page.next_page_token, eerste=not na)


async def _client(context: PortalContext, gemeente: str, bsn: str) -> indicatie_pb2.Client:
    return await context.call(
        _indicatie(context).GetClient, indicatie_pb2.GetClientRequest(bsn=common_pb2.Bsn(value=bsn), gemeente=common_pb2.Gemeentecode(value=gemeente))
    )


# the dossier's lists, each paged on its own by `<lijst>_na` (its next-page token) and shown under `#<lijst>-kop`
DOSSIER_LIJSTEN = ("beschikkingen", "trajecten", "toewijzingen", "declaraties")
Na = Annotated[str, Query(max_length=500)]


def dossier_links(gemeente: str, bsn: str, posities: dict[str, str], volgende: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Per list of the dossier: the link to its next page ("" when none follows) and to its first
    page; both keep the other lists where they are."""

    def pad(lijst: str, token: str) -> str:
        query = {f"{naam}_na": t for naam, t in {**posities, lijst: token}.items() if t}
        return f"{PATH}/clienten/{gemeente}/{bsn}" + (f"?{urlencode(query)}" if query else "") + f"#{lijst}-kop"

    return {lijst: pad(lijst, volgende[lijst]) if volgende.get(lijst) else "" for lijst in DOSSIER_LIJSTEN}, {lijst: pad(lijst, "") for lijst in DOSSIER_LIJSTEN}


@router.get("/clienten/{gemeente}/{bsn}", response_class=HTMLResponse)
async def dossier(
    gemeente: Gemeentecode,
    bsn: Bsn,
    context: Portaal,
    beschikkingen_na: Na = "",
    trajecten_na: Na = "",
    toewijzingen_na: Na = "",
    declaraties_na: Na = "",
) -> HTMLResponse:
    """The cliënt and what each service holds of it, each list a page at a time. The cliënt itself
    must be there (else the page is an error); a service that does not answer leaves its sections
    out, named in a notice."""
    gemeentecode, burger = common_pb2.Gemeentecode(value=gemeente), common_pb2.Bsn(value=bsn)
    # the calls do not depend on each other: made at the same time, the page waits for the slowest only
    client, beschikkingen, trajecten, regie, prestaties = await asyncio.gather(
        _client(context, gemeente, bsn),
        of_onbereikbaar(
            "indicatie",
            context.call(
                _indicatie(context).ListBeschikkingen,
                indicatie_pb2.ListBeschikkingenRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=beschikkingen_na), gemeente=gemeentecode, bsn=burger),
            ),
        ),
        of_onbereikbaar(
            "indicatie",
            context.call(
                trajecten_pb2_grpc.TrajectenStub(context.channel("indicatie")).ListTrajecten,
                trajecten_pb2.ListTrajectenRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=trajecten_na), gemeente=gemeentecode, bsn=burger),
            ),
        ),
        of_onbereikbaar("toewijzing", toewijzingen_van_client(context, gemeente, bsn, toewijzingen_na)),
        of_onbereikbaar("declaratie", prestaties_van_client(context, gemeente, bsn, declaraties_na)),
    )
    delen = {"beschikkingen": beschikkingen, "trajecten": trajecten, "toewijzingen": regie, "prestaties": prestaties}
    ontbreekt = {deel for deel, antwoord in delen.items() if isinstance(antwoord, Onbereikbaar)}  # the sections left out
    onbereikbaar = list({a.dienst: a for a in delen.values() if isinstance(a, Onbereikbaar)}.values())
    toewijzingen, leveringen, toewijzingen_volgende = regie if regie is not None and "toewijzingen" not in ontbreekt else (None, [], "")
    posities = {"beschikkingen": beschikkingen_na, "trajecten": trajecten_na, "toewijzingen": toewijzingen_na, "declaraties": declaraties_na}
    volgende = {
        "beschikkingen": "" if "beschikkingen" in ontbreekt else beschikkingen.next_page_token,
        "trajecten": "" if "trajecten" in ontbreekt else trajecten.next_page_token,
        "toewijzingen": toewijzingen_volgende,
        "declaraties": "" if "prestaties" in ontbreekt else prestaties[1],
    }
    verder, begin = dossier_links(gemeente, bsn, posities, volgende)
    return context.render(
        "dossier.html",
        client=client,
        onbereikbaar=onbereikbaar,
        ontbreekt=ontbreekt,
        beschikkingen=[] if "beschikkingen" in ontbreekt else beschikkingen.beschikkingen,
        trajecten=[] if "trajecten" in ontbreekt else trajecten.trajecten,
        toewijzingen=toewijzingen,
        leveringen=leveringen,
        prestaties=[] if "prestaties" in ontbreekt else prestaties[0],
        eerste={lijst: not na for lijst, na in posities.items()},
        volgende=volgende,
        verder=verder,
        begin=begin,
        euro=euro,
        wet_pad=WET_PAD,
        wet_van={t.toewijzing_nummer: WET_PAD.get(t.wet) for t in toewijzingen or ()},
        afgegeven=context.request.query_params.get("afgegeven", ""),
    )


@router.get("/clienten/{gemeente}/{bsn}/beschikkingen/{nummer}/brief")
async def brief(gemeente: Gemeentecode, bsn: Bsn, nummer: Annotated[str, Path(pattern=r"^\d{1,9}$")], context: Portaal) -> Response:
    get = indicatie_pb2.GetBeschikkingRequest(gemeente=common_pb2.Gemeentecode(value=gemeente), beschikkingnummer=nummer)
    beschikking = await context.call(_indicatie(context).GetBeschikking, get)
    if beschikking.bsn.value != bsn:  # the letter is reached through its own cliënt's dossier only
        raise PortalFout(404, "Niet gevonden", "Dit bestaat niet, of u heeft er geen toegang toe.")
    pdf = await context.call(_indicatie(context).GetBeschikkingBrief, get, timeout=30)
    return Response(pdf.pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{pdf.bestandsnaam}"'})


@dataclass
class BeschikkingFormulier:
    """What the user typed, kept as text so a refused form comes back exactly as it was."""

    wet: str = ""
    beschikkingsdatum: str = ""
    beschikkingnummer: str = ""
    producten: list[dict[str, str]] = field(default_factory=lambda: [dict.fromkeys(PRODUCT_VELDEN, "")])

    @classmethod
    def uit(cls, form: dict[str, str]) -> BeschikkingFormulier:
        raw = form.get("aantal", "1")
        aantal = min(max(int(raw) if raw.isdigit() else 1, 1), MAX_PRODUCTEN)
        producten = [{veld: form.get(f"product-{i}-{veld}", "").strip() for veld in PRODUCT_VELDEN} for i in range(aantal)]
        return cls(form.get("wet", ""), form.get("beschikkingsdatum", "").strip(), form.get("beschikkingnummer", "").strip(), producten)

    def fouten(self) -> list[str]:
        """What is missing or malformed before the service is asked (the form's own shape, no rules)."""
        fouten = []
        if self.wet not in WETTEN:
            fouten.append("Kies de wet: Wmo 2015 of Jeugdwet.")
        if self.beschikkingnummer and not re.fullmatch(r"\d{1,9}", self.beschikkingnummer):
            fouten.append("Het beschikkingnummer bestaat uit hoogstens 9 cijfers (of laat het leeg).")
        ingevuld = self.ingevulde_producten()
        if not ingevuld:
            fouten.append("Vul ten minste één product in.")
        for n, p in ingevuld:
            if not re.fullmatch(r"\d{2}", p["categorie"]):
                fouten.append(f"Product {n}: de productcategorie is 2 cijfers.")
            if p["volume"] and not p["volume"].isdigit():
                fouten.append(f"Product {n}: het volume is een geheel getal.")
            if not p["ingangsdatum"]:
                fouten.append(f"Product {n}: vul de ingangsdatum in.")
            if p["variant"] not in VARIANTEN:
                fouten.append(f"Product {n}: kies de uitvoeringsvariant.")
        return fouten

    def ingevulde_producten(self) -> list[tuple[int, dict[str, str]]]:
        return [(i + 1, p) for i, p in enumerate(self.producten) if any(p[v] for v in ("categorie", "code", "volume", "ingangsdatum"))]

    def request(self, gemeente: str, bsn: str) -> indicatie_pb2.GeefBeschikkingAfRequest:
        producten = []
        for _, p in self.ingevulde_producten():
            product = indicatie_pb2.BeschiktProduct(
                product=common_pb2.Product(categorie=p["categorie"], code=p["code"]),
                ingangsdatum=common_pb2.Datum(value=p["ingangsdatum"]),
                uitvoeringsvariant=VARIANTEN[p["variant"]],
            )
            if p["volume"]:
                product.omvang.CopyFrom(common_pb2.Omvang(volume=int(p["volume"]), eenheid=p["eenheid"], frequentie=p["frequentie"]))
            if p["einddatum"]:
                product.einddatum.CopyFrom(common_pb2.Datum(value=p["einddatum"]))
            producten.append(product)
        beschikking = indicatie_pb2.Beschikking(
            beschikkingnummer=self.beschikkingnummer,
            bsn=common_pb2.Bsn(value=bsn),
            gemeente=common_pb2.Gemeentecode(value=gemeente),
            wet=WETTEN[self.wet],
            producten=producten,
        )
        if self.beschikkingsdatum:
            beschikking.beschikkingsdatum.CopyFrom(common_pb2.Datum(value=self.beschikkingsdatum))
        return indicatie_pb2.GeefBeschikkingAfRequest(beschikking=beschikking)


def _formulier_pagina(context: PortalContext, client: indicatie_pb2.Client, formulier: BeschikkingFormulier, fouten: list[str], status_code: int = 200) -> HTMLResponse:
    return context.render("beschikking_formulier.html", status_code=status_code, client=client, formulier=formulier, fouten=fouten, max_producten=MAX_PRODUCTEN)


@router.get("/clienten/{gemeente}/{bsn}/beschikking", response_class=HTMLResponse)
async def beschikking_formulier(gemeente: Gemeentecode, bsn: Bsn, context: Portaal, aantal: int = 1) -> HTMLResponse:
    client = await _client(context, gemeente, bsn)
    rijen = min(max(aantal, 1), MAX_PRODUCTEN)
    formulier = BeschikkingFormulier(producten=[dict.fromkeys(PRODUCT_VELDEN, "") for _ in range(rijen)])
    return _formulier_pagina(context, client, formulier, [])


@router.post("/clienten/{gemeente}/{bsn}/beschikking", response_class=HTMLResponse)
async def geef_beschikking_af(gemeente: Gemeentecode, bsn: Bsn, request: Request, context: PortaalPost) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    formulier = BeschikkingFormulier.uit(form)
    if form.get("actie") == "product_toevoegen":  # no script needed: the form comes back with one more row
        formulier.producten = formulier.producten[:MAX_PRODUCTEN] + ([dict.fromkeys(PRODUCT_VELDEN, "")] if len(formulier.producten) < MAX_PRODUCTEN else [])
        return _formulier_pagina(context, await _client(context, gemeente, bsn), formulier, [])
    fouten = formulier.fouten()
    if not fouten:
        try:
            beschikking = await context.call(_indicatie(context).GeefBeschikkingAf, formulier.request(gemeente, bsn))
        except PortalFout as fout:
            if fout.status in (403, 404):
                raise
            fouten = [fout.uitleg]
        else:
            return context.redirect(f"{PATH}/clienten/{gemeente}/{bsn}?afgegeven={beschikking.beschikkingnummer}")
    return _formulier_pagina(context, await _client(context, gemeente, bsn), formulier, fouten, status_code=400)
