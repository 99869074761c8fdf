"""Samenwerkingstrajecten (with taken, POP and evaluaties) and signalen with their deadlines — and
the forms and actions by which the gemeente and the chosen aanbieder work on them together.

The indicatie service decides who sees a traject (the cliënt's gemeente, and the aanbieder chosen in
the POP once it was handed over; anything else is NOT_FOUND, shown as 404) and every rule of the
work: which step may follow which, whose step it is, the deadlines. The portal offers each step only
to the party whose step it is (a consulent or the regional back office for the gemeente, a
medewerker of the chosen aanbieder), sends it as the user's tenant, and shows a refusal in Dutch
(`weigeringen`) above the form, with what the user typed kept.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import trajecten_pb2, trajecten_pb2_grpc

from edge.portal.clienten import Bsn, Gemeentecode, _client
from edge.portal.context import Portaal, PortaalPost, PortalContext, PortalFout
from edge.portal.sessions import PATH
from edge.portal.toewijzing import beslist
from edge.portal.weigeringen import in_het_nederlands
from indicatie.domain.pop import ZRM_DOMEINEN

router = APIRouter(prefix=PATH, include_in_schema=False)
PAGE_SIZE = 50
SIGNALEN_PER_PAGINA = 500  # one traject's open signalen: one page in practice
EXTRA_RIJEN = 3  # empty rows for new doelen and acties in the traject form
TrajectId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
Kenmerk = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
GEEN_TOEGANG = ("Geen toegang", "Uw rol of organisatie geeft geen toegang tot deze handeling.")

TAAK_STATUS = {
    "open": trajecten_pb2.TAAK_STATUS_OPEN,
    "in_behandeling": trajecten_pb2.TAAK_STATUS_IN_BEHANDELING,
    "afgerond": trajecten_pb2.TAAK_STATUS_AFGEROND,
    "vervallen": trajecten_pb2.TAAK_STATUS_VERVALLEN,
}
PRIORITEIT = {"laag": trajecten_pb2.PRIORITEIT_LAAG, "gemiddeld": trajecten_pb2.PRIORITEIT_GEMIDDELD, "hoog": trajecten_pb2.PRIORITEIT_HOOG}
PARTIJ = {"gemeente": trajecten_pb2.PARTIJ_SOORT_GEMEENTE, "aanbieder": trajecten_pb2.PARTIJ_SOORT_AANBIEDER}
SLUITEN = {"afgesloten": trajecten_pb2.TRAJECT_STATUS_AFGESLOTEN, "gestopt": trajecten_pb2.TRAJECT_STATUS_GESTOPT}
EVALUATIE_SOORT = {"regulier": trajecten_pb2.EVALUATIE_SOORT_REGULIER, "tussentijds": trajecten_pb2.EVALUATIE_SOORT_TUSSENTIJDS}
MATE = {"niet_behaald": trajecten_pb2.MATE_NIET_BEHAALD, "deels_behaald": trajecten_pb2.MATE_DEELS_BEHAALD, "behaald": trajecten_pb2.MATE_BEHAALD}
ADVIES = {"voortzetten": trajecten_pb2.ADVIES_VOORTZETTEN, "aanpassen": trajecten_pb2.ADVIES_AANPASSEN, "beeindigen": trajecten_pb2.ADVIES_BEEINDIGEN}
TAAK_SOORTEN = ("POP opstellen", "POP aanvullen", "POP ondertekenen", "Besluit nemen", "Evaluatie plannen", "Overleg", "Informatie aanleveren")

# what the traject page says after an action (?gedaan=…), and the form draft it may forget
GEDAAN = {
    "melding": "De melding is geregistreerd: het samenwerkingstraject is geopend.",
    "gewijzigd": "Het traject is gewijzigd.",
    "gesloten": "Het traject is gesloten.",
    "taak": "De taak is aangemaakt.",
    "taak_gewijzigd": "De taak is gewijzigd.",
    "pop": "Het POP is opgeslagen als concept.",
    "overgedragen": "Het POP is overgedragen aan de aanbieder. De aanbieder heeft het traject nu open.",
    "aangevuld": "Het POP is aangevuld met inzet en activiteiten.",
    "teruggegeven": "Het POP is teruggegeven aan de participatieadviseur, met uw reden.",
    "ondertekend": "De ondertekening is vastgelegd: het POP is nu de aanvraag.",
    "besluit": "Het besluit op de aanvraag is vastgelegd.",
    "beeindigd": "Het POP is beëindigd.",
    "gepland": "De evaluatie is gepland.",
    "vastgelegd": "De evaluatie is vastgelegd.",
}


def _stub(context: PortalContext) -> trajecten_pb2_grpc.TrajectenStub:
    return trajecten_pb2_grpc.TrajectenStub(context.channel("indicatie"))


def voor_gemeente(context: PortalContext) -> bool:
    """The gemeente's side of the work: its consulenten (participatieadviseurs) and the back office."""
    return beslist(context)


def is_aanbieder_van(context: PortalContext, traject: Any) -> bool:
    return bool(context.user.agb) and context.user.agb == traject.aanbieder.value


def _alleen(toegestaan: bool) -> None:
    if not toegestaan:
        raise PortalFout(403, *GEEN_TOEGANG)


async def _probeer(context: PortalContext, method: Any, request: Any) -> tuple[Any, list[str]]:
    """The service's answer, or its refusal in Dutch (a refusal of access stays an error page)."""
    try:
        return await context.call(method, request), []
    except PortalFout as fout:
        if fout.status == 400:
            return None, [in_het_nederlands(fout.uitleg)]
        if fout.status == 409:
            return None, [fout.uitleg]
        raise


async def _form(request: Request) -> dict[str, str]:
    return {k: str(v).strip() for k, v in (await request.form()).items()}


def _datum(value: str) -> common_pb2.Datum | None:
    return common_pb2.Datum(value=value) if value else None


def _keuze(tabel: dict[str, int], value: str, wat: str, fouten: list[str], verplicht: bool = True) -> int:
    if value in tabel:
        return tabel[value]
    if value or verplicht:
        fouten.append(f"Kies {wat}.")
    return 0


def _partij(value: str, medewerker: str, fouten: list[str]) -> trajecten_pb2.Partij | None:
    soort, _, code = value.partition(":")
    if soort not in PARTIJ or not code:
        fouten.append("Kies voor wie de taak is.")
        return None
    return trajecten_pb2.Partij(soort=PARTIJ[soort], code=code, medewerker=medewerker)


# ---------------------------------------------------------------- lists


@router.get("/signalen", response_class=HTMLResponse)
async def signalen(context: Portaal, urgent: bool = False, voor_mij: bool = False, na: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    page = await context.call(
        _stub(context).ListSignalen,
        trajecten_pb2.ListSignalenRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na), alleen_urgent=urgent, alleen_voor_mij=voor_mij),
    )
    return context.render("signalen.html", signalen=page.signalen, volgende=page.next_page_token, urgent=urgent, voor_mij=voor_mij, eerste=not na)


@router.get("/trajecten", response_class=HTMLResponse)
async def trajecten(context: Portaal, na: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    page = await context.call(_stub(context).ListTrajecten, trajecten_pb2.ListTrajectenRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na)))
    return context.render("trajecten.html", trajecten=page.trajecten, volgende=page.next_page_token, eerste=not na)


# ---------------------------------------------------------------- the melding (from the dossier)


def _melding_pagina(context: PortalContext, client: Any, waarden: dict[str, str], fouten: list[str], status_code: int = 200) -> HTMLResponse:
    return context.render("melding_formulier.html", status_code=status_code, client=client, waarden=waarden, fouten=fouten)


@router.get("/clienten/{gemeente}/{bsn}/melding", response_class=HTMLResponse)
async def melding_formulier(gemeente: Gemeentecode, bsn: Bsn, context: Portaal) -> HTMLResponse:
    _alleen(voor_gemeente(context))
    return _melding_pagina(context, await _client(context, gemeente, bsn), {}, [])


@router.post("/clienten/{gemeente}/{bsn}/melding", response_class=HTMLResponse)
async def registreer_melding(gemeente: Gemeentecode, bsn: Bsn, request: Request, context: PortaalPost) -> Response:
    _alleen(voor_gemeente(context))
    waarden = await _form(request)
    melding = trajecten_pb2.RegistreerMeldingRequest(
        bsn=common_pb2.Bsn(value=bsn),
        gemeente=common_pb2.Gemeentecode(value=gemeente),
        onderwerp=waarden.get("onderwerp", ""),
        meldingsdatum=_datum(waarden.get("meldingsdatum", "")),
        participatieadviseur=waarden.get("participatieadviseur", ""),
    )
    traject, fouten = await _probeer(context, _stub(context).RegistreerMelding, melding)
    if traject is not None:
        return context.redirect(f"{PATH}/trajecten/{traject.id}?gedaan=melding")
    return _melding_pagina(context, await _client(context, gemeente, bsn), waarden, fouten, status_code=400)


# ---------------------------------------------------------------- the traject page


async def _termijnen(context: PortalContext, traject_id: str) -> list[Any]:
    """The open signalen of the user's party in this traject (its deadlines): the service filters them
    on the traject, so every page holds only this traject's (a handful: its phase, taken, evaluaties)."""
    gevonden, token = [], ""
    while True:
        page = await context.call(
            _stub(context).ListSignalen,
            trajecten_pb2.ListSignalenRequest(traject_id=traject_id, page=common_pb2.PageRequest(page_size=SIGNALEN_PER_PAGINA, page_token=token)),
        )
        gevonden += page.signalen
        token = page.next_page_token
        if not token:
            return gevonden


def _naam(enum: Any, value: int, prefix: str) -> str:
    """An enum value as the word the page works with ('bij_aanbieder')."""
    return str(enum.Name(value)).removeprefix(prefix).lower()


async def _traject_gegevens(context: PortalContext, traject_id: str) -> dict[str, Any]:
    stub = _stub(context)
    traject = await context.call(stub.GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    taken = await context.call(stub.ListTaken, trajecten_pb2.ListTakenRequest(traject_id=traject_id))
    evaluaties = await context.call(stub.ListEvaluaties, trajecten_pb2.ListEvaluatiesRequest(traject_id=traject_id))
    try:
        pop = await context.call(stub.GetPop, trajecten_pb2.GetPopRequest(traject_id=traject_id))
    except PortalFout as fout:
        if fout.status != 404:
            raise
        pop = None  # the traject exists (read above): it has no POP yet
    termijnen = await _termijnen(context, traject_id)
    return {
        "traject": traject,
        "taken": taken.taken,
        "evaluaties": evaluaties.evaluaties,
        "pop": pop,
        "pop_stap": _naam(trajecten_pb2.PopStatus, pop.status, "POP_STATUS_") if pop is not None else "",
        "fase_termijn": {_naam(trajecten_pb2.SignaalSoort, s.soort, "SIGNAAL_SOORT_"): s for s in termijnen if not s.bron_id},
        "bron_termijn": {s.bron_id: s for s in termijnen if s.bron_id},
        "gemeente": voor_gemeente(context),
        "aanbieder": is_aanbieder_van(context, traject),
        "lopend": traject.status == trajecten_pb2.TRAJECT_STATUS_LOPEND,
        "gepland": trajecten_pb2.EVALUATIE_STATUS_GEPLAND,
    }


async def _traject_pagina(context: PortalContext, traject_id: str, fouten: list[str] | None = None, actie: str = "", waarden: dict[str, str] | None = None) -> HTMLResponse:
    fouten = fouten or []
    gegevens = await _traject_gegevens(context, traject_id)
    gedaan = context.request.query_params.get("gedaan", "") if not fouten else ""
    concept = {
        "melding": f"melding-{gegevens['traject'].gemeente.value}-{gegevens['traject'].bsn.value}",
        "gewijzigd": f"traject-{traject_id}",
        "taak": f"taak-{traject_id}",
        "pop": f"pop-{traject_id}",
        "aangevuld": f"aanvullen-{traject_id}",
        "gepland": f"evaluatie-{traject_id}",
    }.get(gedaan, "")
    evaluatie = context.request.query_params.get("evaluatie", "")
    if gedaan == "vastgelegd" and re.fullmatch(r"[A-Za-z0-9-]{1,64}", evaluatie):
        concept = f"vastleggen-{evaluatie}"
    return context.render(
        "traject.html",
        status_code=400 if fouten else 200,
        fouten=fouten,
        actie=actie,
        waarden=waarden or {},
        gedaan=GEDAAN.get(gedaan, ""),
        concept_wis=concept,
        **gegevens,
    )


@router.get("/trajecten/{traject_id}", response_class=HTMLResponse)
async def traject(traject_id: TrajectId, context: Portaal) -> HTMLResponse:
    return await _traject_pagina(context, traject_id)


async def _actie(context: PortalContext, traject_id: str, method: Any, request: Any, gedaan: str, actie: str, waarden: dict[str, str] | None = None) -> Response:
    """A step taken from the traject page: back to it with what happened, or with the refusal above it."""
    antwoord, fouten = await _probeer(context, method, request)
    if antwoord is not None:
        return context.redirect(f"{PATH}/trajecten/{traject_id}?gedaan={gedaan}")
    return await _traject_pagina(context, traject_id, fouten, actie, waarden)


# ---------------------------------------------------------------- changing and closing the traject


def _traject_formulier(context: PortalContext, traject: Any, waarden: dict[str, str], fouten: list[str], status_code: int = 200) -> HTMLResponse:
    return context.render(
        "traject_formulier.html",
        status_code=status_code,
        traject=traject,
        waarden=waarden,
        fouten=fouten,
        gemeente=voor_gemeente(context),
        doelen=int(waarden.get("doelen", "0") or 0),
        acties=int(waarden.get("acties", "0") or 0),
        domeinen=ZRM_DOMEINEN,
    )


def _traject_waarden(traject: Any) -> dict[str, str]:
    """The form's fields filled with the traject as it is, and empty rows to add doelen and acties."""
    waarden = {"onderwerp": traject.onderwerp, "einddatum": traject.einddatum.value}
    for i, d in enumerate(traject.doelen):
        waarden |= {f"doel-{i}-omschrijving": d.omschrijving, f"doel-{i}-domein": d.domein}
    for i, a in enumerate(traject.acties):
        waarden |= {f"actie-{i}-omschrijving": a.omschrijving, f"actie-{i}-door": a.door, f"actie-{i}-gereed": "ja" if a.gereed else ""}
    return waarden | {"doelen": str(len(traject.doelen) + EXTRA_RIJEN), "acties": str(len(traject.acties) + EXTRA_RIJEN)}


@router.get("/trajecten/{traject_id}/wijzigen", response_class=HTMLResponse)
async def traject_wijzigen_formulier(traject_id: TrajectId, context: Portaal) -> HTMLResponse:
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    _alleen(voor_gemeente(context) or is_aanbieder_van(context, gevonden))
    return _traject_formulier(context, gevonden, _traject_waarden(gevonden), [])


def _rijen(waarden: dict[str, str], naam: str) -> range:
    aantal = waarden.get(naam, "0")
    return range(min(int(aantal), 50) if aantal.isdigit() else 0)


@router.post("/trajecten/{traject_id}/wijzigen", response_class=HTMLResponse)
async def wijzig_traject(traject_id: TrajectId, request: Request, context: PortaalPost) -> Response:
    gemeente = voor_gemeente(context)
    _alleen(gemeente or bool(context.user.agb))  # the service answers 404 to an aanbieder without the traject open
    waarden = await _form(request)
    wijziging = trajecten_pb2.WijzigTrajectRequest(id=traject_id, vervang_acties=True)
    for i in _rijen(waarden, "acties"):
        if waarden.get(f"actie-{i}-omschrijving"):
            wijziging.acties.add(omschrijving=waarden[f"actie-{i}-omschrijving"], door=waarden.get(f"actie-{i}-door", ""), gereed=bool(waarden.get(f"actie-{i}-gereed")))
    if gemeente:  # onderwerp, einddatum and doelen are the gemeente's
        wijziging.onderwerp = waarden.get("onderwerp", "")
        if waarden.get("einddatum"):
            wijziging.einddatum.value = waarden["einddatum"]
        wijziging.vervang_doelen = True
        for i in _rijen(waarden, "doelen"):
            if waarden.get(f"doel-{i}-omschrijving"):
                wijziging.doelen.add(omschrijving=waarden[f"doel-{i}-omschrijving"], domein=waarden.get(f"doel-{i}-domein", ""))
    gewijzigd, fouten = await _probeer(context, _stub(context).WijzigTraject, wijziging)
    if gewijzigd is not None:
        return context.redirect(f"{PATH}/trajecten/{traject_id}?gedaan=gewijzigd")
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    return _traject_formulier(context, gevonden, waarden, fouten, status_code=400)


@router.post("/trajecten/{traject_id}/sluiten", response_class=HTMLResponse)
async def sluit_traject(traject_id: TrajectId, request: Request, context: PortaalPost) -> Response:
    _alleen(voor_gemeente(context))
    waarden = await _form(request)
    fouten: list[str] = []
    status = _keuze(SLUITEN, waarden.get("status", ""), "of het traject wordt afgesloten of gestopt", fouten)
    if fouten:
        return await _traject_pagina(context, traject_id, fouten, "sluiten", waarden)
    return await _actie(context, traject_id, _stub(context).SluitTraject, trajecten_pb2.SluitTrajectRequest(id=traject_id, status=status), "gesloten", "sluiten", waarden)


# ---------------------------------------------------------------- taken


def _mag_werken(context: PortalContext, traject: Any) -> None:
    _alleen(voor_gemeente(context) or is_aanbieder_van(context, traject))


def _partijen(traject: Any) -> list[tuple[str, str]]:
    """Whom a taak in this traject can be for: its gemeente, and the aanbieder that has it open."""
    partijen = [(f"gemeente:{traject.gemeente.value}", f"gemeente {traject.gemeente.value}")]
    if traject.aanbieder.value:
        partijen.append((f"aanbieder:{traject.aanbieder.value}", f"aanbieder {traject.aanbieder.value}"))
    return partijen


def _taak_formulier(context: PortalContext, traject: Any, waarden: dict[str, str], fouten: list[str], status_code: int = 200) -> HTMLResponse:
    return context.render(
        "taak_formulier.html", status_code=status_code, traject=traject, waarden=waarden, fouten=fouten, partijen=_partijen(traject), soorten=TAAK_SOORTEN
    )


@router.get("/trajecten/{traject_id}/taken/nieuw", response_class=HTMLResponse)
async def taak_formulier(traject_id: TrajectId, context: Portaal) -> HTMLResponse:
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    _mag_werken(context, gevonden)
    return _taak_formulier(context, gevonden, {"prioriteit": "gemiddeld"}, [])


@router.post("/trajecten/{traject_id}/taken/nieuw", response_class=HTMLResponse)
async def maak_taak(traject_id: TrajectId, request: Request, context: PortaalPost) -> Response:
    _alleen(voor_gemeente(context) or bool(context.user.agb))
    waarden = await _form(request)
    fouten: list[str] = []
    voor = _partij(waarden.get("voor", ""), waarden.get("medewerker", ""), fouten)
    prioriteit = _keuze(PRIORITEIT, waarden.get("prioriteit", ""), "de prioriteit", fouten)
    if not waarden.get("einddatum"):
        fouten.append("Vul de einddatum van de taak in.")
    taak = None
    if not fouten:
        taak, fouten = await _probeer(
            context,
            _stub(context).MaakTaak,
            trajecten_pb2.MaakTaakRequest(
                traject_id=traject_id,
                naam=waarden.get("naam", ""),
                soort=waarden.get("soort", ""),
                bestemd_voor=voor,
                einddatum=_datum(waarden["einddatum"]),
                prioriteit=prioriteit,
                omschrijving=waarden.get("omschrijving", ""),
            ),
        )
    if taak is not None:
        return context.redirect(f"{PATH}/trajecten/{traject_id}?gedaan=taak")
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    _mag_werken(context, gevonden)
    return _taak_formulier(context, gevonden, waarden, fouten, status_code=400)


async def _taak_pagina(context: PortalContext, traject_id: str, taak_id: str, waarden: dict[str, str] | None, fouten: list[str], status_code: int = 200) -> HTMLResponse:
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    taken = await context.call(_stub(context).ListTaken, trajecten_pb2.ListTakenRequest(traject_id=traject_id))
    taak = next((t for t in taken.taken if t.id == taak_id), None)
    if taak is None:
        raise PortalFout(404, "Niet gevonden", "Dit bestaat niet, of u heeft er geen toegang toe.")
    if waarden is None:  # the form shows the taak as it is
        soort = {v: k for k, v in PARTIJ.items()}.get(taak.bestemd_voor.soort, "")
        waarden = {
            "status": {v: k for k, v in TAAK_STATUS.items()}.get(taak.status, ""),
            "prioriteit": {v: k for k, v in PRIORITEIT.items()}.get(taak.prioriteit, ""),
            "einddatum": taak.einddatum.value,
            "voor": f"{soort}:{taak.bestemd_voor.code}",
            "medewerker": taak.bestemd_voor.medewerker,
            "omschrijving": taak.omschrijving,
        }
    gedaan = context.request.query_params.get("gedaan", "") if not fouten else ""
    return context.render(
        "taak.html",
        status_code=status_code,
        traject=gevonden,
        taak=taak,
        waarden=waarden,
        fouten=fouten,
        partijen=_partijen(gevonden),
        werkt=voor_gemeente(context) or is_aanbieder_van(context, gevonden),
        lopend=gevonden.status == trajecten_pb2.TRAJECT_STATUS_LOPEND,
        vervallen=taak.status == trajecten_pb2.TAAK_STATUS_VERVALLEN,
        gedaan=GEDAAN.get(gedaan, ""),
    )


@router.get("/trajecten/{traject_id}/taken/{taak_id}", response_class=HTMLResponse)
async def taak(traject_id: TrajectId, taak_id: Kenmerk, context: Portaal) -> HTMLResponse:
    return await _taak_pagina(context, traject_id, taak_id, None, [])


@router.post("/trajecten/{traject_id}/taken/{taak_id}", response_class=HTMLResponse)
async def wijzig_taak(traject_id: TrajectId, taak_id: Kenmerk, request: Request, context: PortaalPost) -> Response:
    _alleen(voor_gemeente(context) or bool(context.user.agb))
    waarden = await _form(request)
    fouten: list[str] = []
    wijziging = trajecten_pb2.WijzigTaakRequest(
        traject_id=traject_id,
        taak_id=taak_id,
        status=_keuze(TAAK_STATUS, waarden.get("status", ""), "de status", fouten),
        prioriteit=_keuze(PRIORITEIT, waarden.get("prioriteit", ""), "de prioriteit", fouten),
        einddatum=_datum(waarden.get("einddatum", "")),
        omschrijving=waarden.get("omschrijving", ""),
    )
    voor = _partij(waarden.get("voor", ""), waarden.get("medewerker", ""), fouten)
    if voor is not None:
        wijziging.bestemd_voor.CopyFrom(voor)
    if not fouten:
        gewijzigd, fouten = await _probeer(context, _stub(context).WijzigTaak, wijziging)
        if gewijzigd is not None:
            return context.redirect(f"{PATH}/trajecten/{traject_id}/taken/{taak_id}?gedaan=taak_gewijzigd")
    return await _taak_pagina(context, traject_id, taak_id, waarden, fouten, status_code=400)


# ---------------------------------------------------------------- the POP


def _pop_waarden(pop: Any) -> dict[str, str]:
    waarden = {"profiel": pop.profiel, "pakket": pop.pakket, "aanbieder": pop.aanbieder.value}
    for z in pop.zrm:
        waarden |= {f"zrm-{z.domein}-score": str(z.score), f"zrm-{z.domein}-toelichting": z.toelichting}
    return waarden


async def _pop_formulier(context: PortalContext, traject_id: str, waarden: dict[str, str] | None, fouten: list[str], status_code: int = 200) -> HTMLResponse:
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    if waarden is None:
        try:
            pop = await context.call(_stub(context).GetPop, trajecten_pb2.GetPopRequest(traject_id=traject_id))
        except PortalFout as fout:
            if fout.status != 404:
                raise
            pop = None
        # the participatieadviseur's part can change in a concept and in a POP the aanbieder gave back
        bij_participatieadviseur = (trajecten_pb2.POP_STATUS_CONCEPT, trajecten_pb2.POP_STATUS_TERUGGEGEVEN)
        waarden = _pop_waarden(pop) if pop is not None and pop.status in bij_participatieadviseur else {}
    return context.render("pop_formulier.html", status_code=status_code, traject=gevonden, waarden=waarden, fouten=fouten, domeinen=ZRM_DOMEINEN)


@router.get("/trajecten/{traject_id}/pop", response_class=HTMLResponse)
async def pop_formulier(traject_id: TrajectId, context: Portaal) -> HTMLResponse:
    _alleen(voor_gemeente(context))
    return await _pop_formulier(context, traject_id, None, [])


@router.post("/trajecten/{traject_id}/pop", response_class=HTMLResponse)
async def stel_pop_op(traject_id: TrajectId, request: Request, context: PortaalPost) -> Response:
    _alleen(voor_gemeente(context))
    waarden = await _form(request)
    fouten: list[str] = []
    zrm = []
    for domein in ZRM_DOMEINEN:
        score, toelichting = waarden.get(f"zrm-{domein}-score", ""), waarden.get(f"zrm-{domein}-toelichting", "")
        if score.isdigit():
            zrm.append(trajecten_pb2.ZrmScore(domein=domein, score=int(score), toelichting=toelichting))
        elif score or toelichting:
            fouten.append(f"Zelfredzaamheidsmatrix, {domein.replace('_', ' ')}: kies een score van 1 tot en met 5, of laat ook de toelichting leeg.")
    pop = None
    if not fouten:
        opstellen = trajecten_pb2.StelPopOpRequest(
            traject_id=traject_id, zrm=zrm, profiel=waarden.get("profiel", ""), pakket=waarden.get("pakket", ""), aanbieder=common_pb2.AgbCode(value=waarden.get("aanbieder", ""))
        )
        pop, fouten = await _probeer(context, _stub(context).StelPopOp, opstellen)
    if pop is not None:
        return context.redirect(f"{PATH}/trajecten/{traject_id}?gedaan=pop")
    return await _pop_formulier(context, traject_id, waarden, fouten, status_code=400)


@router.post("/trajecten/{traject_id}/pop/overdragen", response_class=HTMLResponse)
async def draag_pop_over(traject_id: TrajectId, context: PortaalPost) -> Response:
    _alleen(voor_gemeente(context))
    return await _actie(context, traject_id, _stub(context).DraagPopOver, trajecten_pb2.DraagPopOverRequest(traject_id=traject_id), "overgedragen", "overdragen")


def _aanvullen_pagina(context: PortalContext, traject: Any, pop: Any, waarden: dict[str, str], fouten: list[str], status_code: int = 200) -> HTMLResponse:
    return context.render("pop_aanvullen.html", status_code=status_code, traject=traject, pop=pop, waarden=waarden, fouten=fouten)


async def _traject_en_pop(context: PortalContext, traject_id: str) -> tuple[Any, Any]:
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    pop = await context.call(_stub(context).GetPop, trajecten_pb2.GetPopRequest(traject_id=traject_id))
    return gevonden, pop


@router.get("/trajecten/{traject_id}/pop/aanvullen", response_class=HTMLResponse)
async def pop_aanvullen_formulier(traject_id: TrajectId, context: Portaal) -> HTMLResponse:
    gevonden, pop = await _traject_en_pop(context, traject_id)
    _alleen(is_aanbieder_van(context, gevonden))
    return _aanvullen_pagina(context, gevonden, pop, {"inzet": pop.inzet, "activiteiten": "\n".join(pop.activiteiten)}, [])


@router.post("/trajecten/{traject_id}/pop/aanvullen", response_class=HTMLResponse)
async def vul_pop_aan(traject_id: TrajectId, request: Request, context: PortaalPost) -> Response:
    _alleen(bool(context.user.agb))  # the service answers 404 to an aanbieder without the traject open
    waarden = await _form(request)
    activiteiten = [regel.strip() for regel in waarden.get("activiteiten", "").splitlines() if regel.strip()]
    aanvulling = trajecten_pb2.VulPopAanRequest(traject_id=traject_id, inzet=waarden.get("inzet", ""), activiteiten=activiteiten)
    pop, fouten = await _probeer(context, _stub(context).VulPopAan, aanvulling)
    if pop is not None:
        return context.redirect(f"{PATH}/trajecten/{traject_id}?gedaan=aangevuld")
    gevonden, huidig = await _traject_en_pop(context, traject_id)
    return _aanvullen_pagina(context, gevonden, huidig, waarden, fouten, status_code=400)


@router.post("/trajecten/{traject_id}/pop/teruggeven", response_class=HTMLResponse)
async def geef_pop_terug(traject_id: TrajectId, request: Request, context: PortaalPost) -> Response:
    _alleen(bool(context.user.agb))  # the service answers 404 to an aanbieder without the traject open
    waarden = await _form(request)
    teruggave = trajecten_pb2.GeefPopTerugRequest(traject_id=traject_id, reden=waarden.get("reden", ""))
    return await _actie(context, traject_id, _stub(context).GeefPopTerug, teruggave, "teruggegeven", "teruggeven", waarden)


@router.post("/trajecten/{traject_id}/pop/ondertekenen", response_class=HTMLResponse)
async def onderteken_pop(traject_id: TrajectId, request: Request, context: PortaalPost) -> Response:
    _alleen(voor_gemeente(context) or bool(context.user.agb))  # the service answers 404 to an aanbieder without the traject open
    waarden = await _form(request)
    ondertekening = trajecten_pb2.OndertekenPopRequest(
        traject_id=traject_id, ondertekend_door=waarden.get("ondertekend_door", ""), ondertekend_op=_datum(waarden.get("ondertekend_op", ""))
    )
    return await _actie(context, traject_id, _stub(context).OndertekenPop, ondertekening, "ondertekend", "ondertekenen", waarden)


@router.post("/trajecten/{traject_id}/pop/besluit", response_class=HTMLResponse)
async def neem_besluit(traject_id: TrajectId, request: Request, context: PortaalPost) -> Response:
    _alleen(voor_gemeente(context))
    waarden = await _form(request)
    if waarden.get("besluit") not in ("toekennen", "afwijzen"):
        return await _traject_pagina(context, traject_id, ["Kies het besluit: toekennen of afwijzen."], "besluit", waarden)
    besluit = trajecten_pb2.NeemBesluitRequest(traject_id=traject_id, toegekend=waarden["besluit"] == "toekennen", toelichting=waarden.get("toelichting", ""))
    return await _actie(context, traject_id, _stub(context).NeemBesluit, besluit, "besluit", "besluit", waarden)


@router.post("/trajecten/{traject_id}/pop/beeindigen", response_class=HTMLResponse)
async def beeindig_pop(traject_id: TrajectId, context: PortaalPost) -> Response:
    _alleen(voor_gemeente(context))
    return await _actie(context, traject_id, _stub(context).BeeindigPop, trajecten_pb2.BeeindigPopRequest(traject_id=traject_id), "beeindigd", "beeindigen")


# ---------------------------------------------------------------- evaluaties


def _plan_pagina(context: PortalContext, traject: Any, waarden: dict[str, str], fouten: list[str], status_code: int = 200) -> HTMLResponse:
    return context.render("evaluatie_plannen.html", status_code=status_code, traject=traject, waarden=waarden, fouten=fouten, gemeente=voor_gemeente(context))


@router.get("/trajecten/{traject_id}/evaluaties/nieuw", response_class=HTMLResponse)
async def evaluatie_plannen_formulier(traject_id: TrajectId, context: Portaal, soort: Annotated[str, Query(pattern=r"^(regulier|tussentijds)$")] = "regulier") -> HTMLResponse:
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    # the wijkteam (the gemeente) asks for an interim evaluatie; the regular one is planned by either side
    _alleen(voor_gemeente(context) if soort == "tussentijds" else voor_gemeente(context) or is_aanbieder_van(context, gevonden))
    return _plan_pagina(context, gevonden, {"soort": soort}, [])


@router.post("/trajecten/{traject_id}/evaluaties/nieuw", response_class=HTMLResponse)
async def plan_evaluatie(traject_id: TrajectId, request: Request, context: PortaalPost) -> Response:
    waarden = await _form(request)
    tussentijds = waarden.get("soort") == "tussentijds"
    _alleen(voor_gemeente(context) or (bool(context.user.agb) and not tussentijds))
    fouten: list[str] = []
    soort = _keuze(EVALUATIE_SOORT, waarden.get("soort", ""), "de soort evaluatie", fouten)
    evaluatie = None
    if not fouten:
        planning = trajecten_pb2.PlanEvaluatieRequest(traject_id=traject_id, soort=soort)
        if tussentijds:
            planning.reden = waarden.get("reden", "")
            if waarden.get("uiterlijk"):
                planning.uiterlijk.value = waarden["uiterlijk"]
        else:
            planning.eigen_verantwoordelijkheid = bool(waarden.get("eigen_verantwoordelijkheid"))
            if waarden.get("beschikking_einddatum"):
                planning.beschikking_einddatum.value = waarden["beschikking_einddatum"]
        evaluatie, fouten = await _probeer(context, _stub(context).PlanEvaluatie, planning)
    if evaluatie is not None:
        return context.redirect(f"{PATH}/trajecten/{traject_id}?gedaan=gepland")
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    return _plan_pagina(context, gevonden, waarden, fouten, status_code=400)


async def _evaluatie_pagina(context: PortalContext, traject_id: str, evaluatie_id: str, waarden: dict[str, str], fouten: list[str], status_code: int = 200) -> HTMLResponse:
    gevonden = await context.call(_stub(context).GetTraject, trajecten_pb2.GetTrajectRequest(id=traject_id))
    _alleen(is_aanbieder_van(context, gevonden))
    evaluaties = await context.call(_stub(context).ListEvaluaties, trajecten_pb2.ListEvaluatiesRequest(traject_id=traject_id))
    evaluatie = next((e for e in evaluaties.evaluaties if e.id == evaluatie_id), None)
    if evaluatie is None:
        raise PortalFout(404, "Niet gevonden", "Dit bestaat niet, of u heeft er geen toegang toe.")
    return context.render("evaluatie_formulier.html", status_code=status_code, traject=gevonden, evaluatie=evaluatie, waarden=waarden, fouten=fouten)


@router.get("/trajecten/{traject_id}/evaluaties/{evaluatie_id}", response_class=HTMLResponse)
async def evaluatie_formulier(traject_id: TrajectId, evaluatie_id: Kenmerk, context: Portaal) -> HTMLResponse:
    return await _evaluatie_pagina(context, traject_id, evaluatie_id, {}, [])


@router.post("/trajecten/{traject_id}/evaluaties/{evaluatie_id}", response_class=HTMLResponse)
async def leg_evaluatie_vast(traject_id: TrajectId, evaluatie_id: Kenmerk, request: Request, context: PortaalPost) -> Response:
    _alleen(bool(context.user.agb))  # the service answers 404 to an aanbieder without the traject open
    waarden = await _form(request)
    fouten: list[str] = []
    vastlegging = trajecten_pb2.LegEvaluatieVastRequest(
        traject_id=traject_id,
        evaluatie_id=evaluatie_id,
        uitgevoerd_op=_datum(waarden.get("uitgevoerd_op", "")),
        advies=_keuze(ADVIES, waarden.get("advies", ""), "het advies over het vervolg", fouten),
        toelichting=waarden.get("toelichting", ""),
    )
    for i in _rijen(waarden, "doelen"):
        doel = waarden.get(f"doel-{i}", "")
        mate = _keuze(MATE, waarden.get(f"doel-{i}-mate", ""), f"in hoeverre het doel '{doel}' is behaald", fouten)
        vastlegging.doelrealisatie.add(doel=doel, mate=mate, toelichting=waarden.get(f"doel-{i}-toelichting", ""))
    if not fouten:
        evaluatie, fouten = await _probeer(context, _stub(context).LegEvaluatieVast, vastlegging)
        if evaluatie is not None:
            return context.redirect(f"{PATH}/trajecten/{traject_id}?gedaan=vastgelegd&evaluatie={evaluatie_id}")
    return await _evaluatie_pagina(context, traject_id, evaluatie_id, waarden, fouten, status_code=400)
