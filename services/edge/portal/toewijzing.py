"""Toewijzingen: the list and one toewijzing with its starts and stops, the toewijslijst (claims by
aanbieders, confirmed or refused by the gemeente), the verzoeken (315 / 317) a gemeente answers, and
the forms by which an aanbieder reports a start (305) or a stop (307) without writing XML.

Everything is asked of the toewijzing service as the user's party; it decides who sees and does
what. The start and stop forms build the message with the berichten package's model and codec (as a
library) and send it through Berichten.Ontvang as the aanbieder: the hub and the toewijzing service
judge it like any uploaded message. The cliënt data a 305 / 307 carries (Bsn, Geboortedatum,
Geslacht, Naam) are read from the latest 301 about that cliënt that reached the aanbieder: the
aanbieder has no access to the cliënt record of the indicatie service.
"""

from __future__ import annotations

import asyncio

import functools
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.toewijzing.v1 import toewijzing_pb2, toewijzing_pb2_grpc

from edge.portal.context import Portaal, PortaalPost, PortalContext, PortalFout
from edge.portal.sessions import PATH
from runtime.tenancy import Role

router = APIRouter(prefix=PATH, include_in_schema=False)
PAGE_SIZE = 50
MAX_301_ZOEKEN = 500  # how many of the aanbieder's 301s (newest first) are searched for the cliënt's latest

Gemeentecode = Annotated[str, Path(pattern=r"^\d{4}$")]
WetPad = Annotated[str, Path(pattern=r"^(wmo|jeugdwet)$")]
Nummer = Annotated[int, Path(ge=1, le=999_999_999_999)]
Kenmerk = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
# a verzoek is kept per aangevraagd product: its id is "<uuid>/<ReferentieAanbieder>"
VerzoekKenmerk = Annotated[str, Path(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9-]{1,64}(/[^/]{1,40})?$")]

WETTEN = {"wmo": common_pb2.WET_WMO, "jeugdwet": common_pb2.WET_JEUGDWET}
WET_PAD = {v: k for k, v in WETTEN.items()}
# the roles that decide for a gemeente (the toewijzing service checks the same)
BESLISSERS = (Role.GEMEENTE_CONSULENT, Role.REGIONAAL_BACKOFFICE)
NIET_GEVONDEN = ("Niet gevonden", "Dit bestaat niet, of u heeft er geen toegang toe.")


def _stub(context: PortalContext) -> toewijzing_pb2_grpc.ToewijzingStub:
    return toewijzing_pb2_grpc.ToewijzingStub(context.channel("toewijzing"))


def _berichten(context: PortalContext) -> berichten_pb2_grpc.BerichtenStub:
    return berichten_pb2_grpc.BerichtenStub(context.channel("berichten"))


def is_aanbieder(context: PortalContext) -> bool:
    return bool(context.user.agb)


def beslist(context: PortalContext) -> bool:
    return not context.user.agb and context.user.rol in BESLISSERS


def _alleen(context: PortalContext, toegestaan: bool) -> None:
    if not toegestaan:
        raise PortalFout(403, "Geen toegang", "Uw rol of organisatie geeft geen toegang tot deze handeling.")


# ---------------------------------------------------------------- reading, shared with other pages


async def toewijzingen_van_client(context: PortalContext, gemeente: str, bsn: str, na: str = "") -> tuple[list[Any], list[Any], str] | None:
    """One page of the cliënt's toewijzingen (current versions) in this gemeente, its starts and
    stops there, and the token of the next page of toewijzingen ("" when none follows), for the
    dossier; None when the user's role may not read them."""
    stub = _stub(context)
    try:
        page, leveringen = await asyncio.gather(
            context.call(
                stub.ListToewijzingen,
                toewijzing_pb2.ListToewijzingenRequest(
                    bsn=common_pb2.Bsn(value=bsn), gemeente=common_pb2.Gemeentecode(value=gemeente), page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na)
                ),
            ),
            context.call(stub.ListLeveringen, toewijzing_pb2.ListLeveringenRequest(bsn=common_pb2.Bsn(value=bsn))),
        )
    except PortalFout as fout:
        if fout.status == 403:
            return None
        if fout.status == 404:  # the service knows nothing of this cliënt for the caller
            return [], [], ""
        raise
    return (
        list(page.toewijzingen),
        sorted((lv for lv in leveringen.leveringen if lv.gemeente.value == gemeente), key=lambda lv: (lv.begindatum.value, lv.soort)),
        page.next_page_token,
    )


async def termijnen(context: PortalContext) -> list[Any]:
    """The toewijzing service's deadlines for the user's party, the most urgent first; none for a
    role that has no deadlines there."""
    try:
        page = await context.call(_stub(context).ListSignalen, toewijzing_pb2.ListSignalenRequest())
    except PortalFout as fout:
        if fout.status == 403:
            return []
        raise
    volgorde = {"verlopen": 0, "bijna": 1, "op_tijd": 2}
    return sorted(page.signalen, key=lambda s: (volgorde.get(s.status, 3), s.uiterlijk.value))


# ---------------------------------------------------------------- toewijzingen


@router.get("/toewijzingen", response_class=HTMLResponse)
async def toewijzingen(context: Portaal, na: Annotated[str, Query(max_length=500)] = "", status: Annotated[str, Query(max_length=20)] = "") -> HTMLResponse:
    page = await context.call(
        _stub(context).ListToewijzingen,
        toewijzing_pb2.ListToewijzingenRequest(status=status, page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na)),
    )
    return context.render(
        "toewijzingen.html", toewijzingen=page.toewijzingen, volgende=page.next_page_token, eerste=not na, status=status, wet_pad=WET_PAD, aanbieder=is_aanbieder(context)
    )


async def _historie(context: PortalContext, gemeente: str, wet: str, nummer: int) -> list[Any]:
    historie = await context.call(
        _stub(context).GetToewijzing,
        toewijzing_pb2.GetToewijzingRequest(gemeente=common_pb2.Gemeentecode(value=gemeente), wet=WETTEN[wet], toewijzing_nummer=nummer),
    )
    if not historie.versies:
        raise PortalFout(404, *NIET_GEVONDEN)
    return list(historie.versies)


async def _leveringen_van(context: PortalContext, huidig: Any) -> list[Any]:
    page = await context.call(_stub(context).ListLeveringen, toewijzing_pb2.ListLeveringenRequest(bsn=huidig.bsn))
    return sorted(
        (lv for lv in page.leveringen if lv.gemeente.value == huidig.gemeente.value and lv.toewijzing_nummer == huidig.toewijzing_nummer and lv.aanbieder.value == huidig.aanbieder.value),
        key=lambda lv: (lv.begindatum.value, lv.soort),
    )


@router.get("/toewijzingen/{gemeente}/{wet}/{nummer}", response_class=HTMLResponse)
async def toewijzing(gemeente: Gemeentecode, wet: WetPad, nummer: Nummer, context: Portaal) -> HTMLResponse:
    versies = await _historie(context, gemeente, wet, nummer)
    huidig = versies[-1]
    leveringen = await _leveringen_van(context, huidig)
    return context.render(
        "toewijzing.html",
        versies=list(reversed(versies)),
        t=huidig,
        wet=wet,
        leveringen=leveringen,
        aanbieder=is_aanbieder(context) and context.user.agb == huidig.aanbieder.value,
    )


# ---------------------------------------------------------------- start and stop by form


@dataclass
class LeveringFormulier:
    """What the aanbieder typed, kept as text so that a refused form comes back as it was."""

    begindatum: str = ""
    einddatum: str = ""
    reden: str = ""
    fouten: list[str] = field(default_factory=list)

    @classmethod
    def uit(cls, form: dict[str, str]) -> LeveringFormulier:
        return cls(form.get("begindatum", "").strip(), form.get("einddatum", "").strip(), form.get("reden", "").strip())

    def controleer(self, stop: bool, redenen: tuple[tuple[str, str], ...]) -> list[str]:
        """The form's own shape (dates that are dates, a reden from the list) — no rules of the standard."""
        fouten = []
        velden = [("begindatum", "Begindatum")] + ([("einddatum", "Einddatum")] if stop else [])
        for veld, naam in velden:
            waarde = getattr(self, veld)
            if not waarde:
                fouten.append(f"Vul de {naam.lower()} in.")
                continue
            try:
                date.fromisoformat(waarde)
            except ValueError:
                fouten.append(f"De {naam.lower()} is geen datum (jjjj-mm-dd).")
        if stop and self.reden not in dict(redenen):
            fouten.append("Kies de reden van beëindiging.")
        return fouten


def concept_sleutel(stop: bool, t: Any) -> str:
    """The key under which the page's script keeps what the user typed in this form."""
    return f"{'stop' if stop else 'start'}-{t.gemeente.value}-{t.toewijzing_nummer}"


@functools.cache
@functools.cache
def codec() -> Any:
    """The berichten codec, as a library: the portal builds the messages a form describes (made once)."""
    from berichten.codec.codec import Codec

    return Codec()


async def _laatste_301(context: PortalContext, huidig: Any) -> Any:
    """The latest 301 about this cliënt from this gemeente that reached the aanbieder, decoded."""
    stub = _stub(context)
    token = ""
    gezien = 0
    while gezien < MAX_301_ZOEKEN:
        page = await context.call(
            stub.ListToewijzingberichten,
            toewijzing_pb2.ListToewijzingberichtenRequest(bsn=common_pb2.Bsn(value=huidig.bsn.value), page=common_pb2.PageRequest(page_size=100, page_token=token)),
        )
        gezien += len(page.berichten)
        for b in page.berichten:  # newest first
            if (
                b.berichtsoort == "301"
                and b.bericht_id
                and b.bsn.value == huidig.bsn.value
                and b.gemeente.value == huidig.gemeente.value
                and b.aanbieder.value == huidig.aanbieder.value
            ):
                xml = await context.call(_berichten(context).GetBerichtXml, berichten_pb2.GetBerichtRequest(id=b.bericht_id), timeout=30)
                decoded = codec().decode(xml.xml)
                if decoded.bericht is not None and decoded.bericht.client is not None:
                    return decoded
        token = page.next_page_token
        if not token:
            break
    raise PortalFout(
        409,
        "Geen toewijzingsbericht gevonden",
        "Er is nog geen toewijzingsbericht (301) over deze cliënt bij u aangekomen. Een start of stop kan pas worden gemeld als de 301 is verzonden.",
    )


def _bericht(decoded: Any, huidig: Any, soort: str, formulier: LeveringFormulier) -> Any:
    """The 305 or 307 for this toewijzing, with the cliënt data of the 301 and the product of the toewijzing."""
    from berichten.domain import model

    toewijzing301 = decoded.bericht
    client = toewijzing301.client
    standaard = decoded.bericht_type.standaard
    bericht_type = codec().schemas.type_for(standaard, soort)
    header = model.Header(
        bericht_code=bericht_type.berichtcode,
        bericht_versie=3,
        bericht_subversie=2,
        afzender=huidig.aanbieder.value,
        ontvanger=huidig.gemeente.value,
        bericht_identificatie=model.BerichtIdentificatie(identificatie=uuid.uuid4().hex[:12], dagtekening=date.today()),
        xsd_versie=model.XsdVersie(basisschema_xsd_versie=bericht_type.basisschema_xsd_versie, bericht_xsd_versie=bericht_type.bericht_xsd_versie),
    )
    naam = model.VerkorteNaam(geslachtsnaam=client.naam.geslachtsnaam, voorletters=client.naam.voorletters)
    product = model.Product(categorie=huidig.product.categorie, code=huidig.product.code or None) if huidig.product.categorie else None
    gemeenschappelijk = {
        "toewijzing_nummer": huidig.toewijzing_nummer,
        "product": product,
        "toewijzing_ingangsdatum": date.fromisoformat(huidig.ingangsdatum.value),
        "begindatum": date.fromisoformat(formulier.begindatum),
        "status_aanlevering": "1",
    }
    persoon = {"bsn": client.bsn, "geboortedatum": client.geboortedatum, "geslacht": client.geslacht, "naam": naam}
    if soort == "305":
        return model.StartBericht(header=header, client=model.StartClient(**persoon, start_producten=[model.StartProduct(**gemeenschappelijk)]))
    stop = model.StopProduct(**gemeenschappelijk, reden_beeindiging=formulier.reden, einddatum=date.fromisoformat(formulier.einddatum))
    return model.StopBericht(header=header, client=model.StopClient(**persoon, stop_producten=[stop]))


async def _levering_pagina(context: PortalContext, gemeente: str, wet: str, nummer: int, stop: bool, formulier: LeveringFormulier | None, status_code: int = 200) -> HTMLResponse:
    versies = await _historie(context, gemeente, wet, nummer)
    huidig = versies[-1]
    _alleen(context, is_aanbieder(context) and context.user.agb == huidig.aanbieder.value)
    leveringen = await _leveringen_van(context, huidig)
    starts = [lv for lv in leveringen if lv.soort == "start"]
    if formulier is None:
        formulier = LeveringFormulier(begindatum=starts[-1].begindatum.value if stop and starts else "")
    return context.render(
        "levering_formulier.html",
        status_code=status_code,
        t=huidig,
        wet=wet,
        stop=stop,
        formulier=formulier,
        starts=starts,
        redenen=context.state.codes.reden_beeindiging[wet],
        concept=concept_sleutel(stop, huidig),
    )


async def _meld(gemeente: str, wet: str, nummer: int, request: Request, context: PortalContext, stop: bool) -> Response:
    formulier = LeveringFormulier.uit({k: str(v) for k, v in (await request.form()).items()})
    versies = await _historie(context, gemeente, wet, nummer)
    huidig = versies[-1]
    _alleen(context, is_aanbieder(context) and context.user.agb == huidig.aanbieder.value)
    formulier.fouten = formulier.controleer(stop, context.state.codes.reden_beeindiging[wet])
    if not formulier.fouten:
        from berichten.codec.codec import EncodeError

        decoded = await _laatste_301(context, huidig)
        try:
            data = codec().encode(_bericht(decoded, huidig, "307" if stop else "305", formulier))
        except EncodeError as fout:
            formulier.fouten = [f"Het bericht kon niet worden opgesteld: {'; '.join(str(f) for f in fout.fouten[:3])}"]
        else:
            bericht = await context.call(_berichten(context).Ontvang, berichten_pb2.OntvangRequest(xml=data), timeout=60)
            # the message page clears the form's draft (kept in the tab while typing) by this key
            return context.redirect(f"{PATH}/berichten/{bericht.id}?verzonden={concept_sleutel(stop, huidig)}")
    return await _levering_pagina(context, gemeente, wet, nummer, stop, formulier, status_code=400)


@router.get("/toewijzingen/{gemeente}/{wet}/{nummer}/start", response_class=HTMLResponse)
async def start_formulier(gemeente: Gemeentecode, wet: WetPad, nummer: Nummer, context: Portaal) -> HTMLResponse:
    return await _levering_pagina(context, gemeente, wet, nummer, False, None)


@router.post("/toewijzingen/{gemeente}/{wet}/{nummer}/start")
async def meld_start(gemeente: Gemeentecode, wet: WetPad, nummer: Nummer, request: Request, context: PortaalPost) -> Response:
    return await _meld(gemeente, wet, nummer, request, context, stop=False)


@router.get("/toewijzingen/{gemeente}/{wet}/{nummer}/stop", response_class=HTMLResponse)
async def stop_formulier(gemeente: Gemeentecode, wet: WetPad, nummer: Nummer, context: Portaal) -> HTMLResponse:
    return await _levering_pagina(context, gemeente, wet, nummer, True, None)


@router.post("/toewijzingen/{gemeente}/{wet}/{nummer}/stop")
async def meld_stop(gemeente: Gemeentecode, wet: WetPad, nummer: Nummer, request: Request, context: PortaalPost) -> Response:
    return await _meld(gemeente, wet, nummer, request, context, stop=True)


# ---------------------------------------------------------------- the toewijslijst


@router.get("/toewijslijst", response_class=HTMLResponse)
async def toewijslijst(context: Portaal, status: Annotated[str, Query(max_length=20)] = "", na: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    page = await context.call(
        _stub(context).ListToewijslijst,
        toewijzing_pb2.ListToewijslijstRequest(status=status, page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na)),
    )
    melding = context.request.query_params.get("melding", "")
    return context.render(
        "toewijslijst.html",
        inschrijvingen=page.inschrijvingen,
        volgende=page.next_page_token,
        eerste=not na,
        status=status,
        aanbieder=is_aanbieder(context),
        beslist=beslist(context),
        melding=MELDINGEN.get(melding, ""),
    )


MELDINGEN = {
    "geclaimd": "U heeft de cliënt geclaimd. De gemeente bevestigt de claim; daarna ontvangt u de toewijzing (301).",
    "bevestigd": "De claim is bevestigd. De toewijzing is gemaakt en de 301 gaat naar de aanbieder.",
    "afgewezen": "De claim is afgewezen. De cliënt staat weer open op de toewijslijst.",
}


async def _inschrijving_actie(context: PortalContext, inschrijving_id: str, methode: str) -> Any:
    try:
        return await context.call(getattr(_stub(context), methode), toewijzing_pb2.InschrijvingRequest(id=inschrijving_id))
    except PortalFout as fout:
        if fout.status == 409 and methode == "ClaimInschrijving":
            raise PortalFout(409, "Niet geclaimd", "Een andere aanbieder was u voor: deze cliënt is al geclaimd.") from None
        raise


@router.post("/toewijslijst/{inschrijving_id}/claim")
async def claim(inschrijving_id: Kenmerk, context: PortaalPost) -> Response:
    _alleen(context, is_aanbieder(context))
    await _inschrijving_actie(context, inschrijving_id, "ClaimInschrijving")
    return context.redirect(f"{PATH}/toewijslijst?melding=geclaimd")


@router.post("/toewijslijst/{inschrijving_id}/bevestigen")
async def bevestig_claim(inschrijving_id: Kenmerk, context: PortaalPost) -> Response:
    _alleen(context, not is_aanbieder(context))
    await _inschrijving_actie(context, inschrijving_id, "BevestigClaim")
    return context.redirect(f"{PATH}/toewijslijst?melding=bevestigd")


@router.post("/toewijslijst/{inschrijving_id}/afwijzen")
async def wijs_claim_af(inschrijving_id: Kenmerk, context: PortaalPost) -> Response:
    _alleen(context, not is_aanbieder(context))
    await _inschrijving_actie(context, inschrijving_id, "WijsClaimAf")
    return context.redirect(f"{PATH}/toewijslijst?melding=afgewezen")


# ---------------------------------------------------------------- verzoeken


@router.get("/verzoeken", response_class=HTMLResponse)
async def verzoeken(context: Portaal, na: Annotated[str, Query(max_length=500)] = "", status: Annotated[str, Query(max_length=20)] = "") -> HTMLResponse:
    page = await context.call(
        _stub(context).ListVerzoeken, toewijzing_pb2.ListVerzoekenRequest(status=status, page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na))
    )
    beantwoord = context.request.query_params.get("beantwoord", "")
    return context.render(
        "verzoeken.html",
        verzoeken=page.verzoeken,
        volgende=page.next_page_token,
        eerste=not na,
        status=status,
        beslist=beslist(context),
        redenen=context.state.codes.reden_afwijzing_verzoek,
        beantwoord=beantwoord if re.fullmatch(r"[a-z_]{1,20}", beantwoord) else "",
    )


@router.post("/verzoeken/{verzoek_id:path}/honoreren")
async def honoreer(verzoek_id: VerzoekKenmerk, context: PortaalPost) -> Response:
    _alleen(context, beslist(context))
    verzoek = await context.call(_stub(context).HonoreerVerzoek, toewijzing_pb2.VerzoekRequest(id=verzoek_id))
    return context.redirect(f"{PATH}/verzoeken?beantwoord={verzoek.status}")


@router.post("/verzoeken/{verzoek_id:path}/afwijzen")
async def wijs_verzoek_af(verzoek_id: VerzoekKenmerk, request: Request, context: PortaalPost) -> Response:
    _alleen(context, beslist(context))
    form = await request.form()
    reden = str(form.get("reden", ""))
    woonplaatsbeginsel = str(form.get("woonplaatsbeginsel", "")).strip()
    if reden not in dict(context.state.codes.reden_afwijzing_verzoek):
        raise PortalFout(400, "Niet uitgevoerd", "Kies de reden van afwijzing.")
    if woonplaatsbeginsel and not re.fullmatch(r"\d{4}", woonplaatsbeginsel):
        raise PortalFout(400, "Niet uitgevoerd", "De gemeente van het woonplaatsbeginsel is een gemeentecode van 4 cijfers.")
    request_pb = toewijzing_pb2.WijsVerzoekAfRequest(id=verzoek_id, reden_afwijzing=reden)
    if woonplaatsbeginsel and reden == "8":
        request_pb.woonplaatsbeginsel.value = woonplaatsbeginsel
    verzoek = await context.call(_stub(context).WijsVerzoekAf, request_pb)
    return context.redirect(f"{PATH}/verzoeken?beantwoord={verzoek.status}")


@router.post("/verzoeken/{verzoek_id:path}/onderzoek")
async def zet_in_onderzoek(verzoek_id: VerzoekKenmerk, context: PortaalPost) -> Response:
    _alleen(context, beslist(context))
    verzoek = await context.call(_stub(context).ZetVerzoekInOnderzoek, toewijzing_pb2.VerzoekRequest(id=verzoek_id))
    return context.redirect(f"{PATH}/verzoeken?beantwoord={verzoek.status}")
