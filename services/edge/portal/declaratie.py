"""Declaraties and afrekeningen: the form by which an aanbieder sends a declaratie (323) without writing
XML, the declaraties of the user's party with the outcome per prestatie (from the 325), and the
voorlopige and definitieve afrekeningen a financieel medewerker makes per aanbieder and month.

Everything is asked of the declaratie service as the user's party; it decides who sees and does what.
The form builds the 323 with the berichten package's model and codec (as a library) and sends it
through Berichten.Ontvang as the aanbieder: the hub and the declaratie service judge it like any
uploaded message. What the form fills in itself: the cliënt, toewijzing and product of the chosen
toewijzing (as the toewijzing service shows it to the aanbieder), the ProductPeriode (the month,
within the toewijzing), the contract's tarief of that product valid on the ProductPeriode's
begindatum (ListContracten as the aanbieder) and the bedrag (volume × tarief; for Eenheid 83 the
volume is the bedrag in eurocent and there is no tarief). Whether the declaratie is right is the
declaratie service's judgement, shown in the 325.
"""

from __future__ import annotations

import calendar
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2, toewijzing_pb2_grpc

from edge.portal.context import Portaal, PortaalPost, PortalContext, PortalFout
from edge.portal.sessions import PATH
from edge.portal.toewijzing import WET_PAD, WETTEN, codec, is_aanbieder
from runtime.domein import Wet
from runtime.tenancy import Role

router = APIRouter(prefix=PATH, include_in_schema=False)
PAGE_SIZE = 50
MAX_TOEWIJZINGEN = 1000  # how many of the aanbieder's toewijzingen the form offers
DECLARABEL = ("verzonden", "actief")  # the toewijzing service's states of a toewijzing the aanbieder received
MAX_CONTRACTEN = 2000

BerichtKenmerk = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]

# the roles that make afrekeningen (the declaratie service checks the same)
FINANCIELE_ROLLEN = (Role.FINANCIEEL_MEDEWERKER, Role.REGIONAAL_BACKOFFICE)
# i-Standaard Eenheid (WJ756 / WMO756) codes the form treats specially
MINUUT, UUR, EURO = "01", "04", "83"
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")
CONCEPT = "declaratie"  # the key of the form's draft in the tab's sessionStorage


def _stub(context: PortalContext) -> declaratie_pb2_grpc.DeclaratieStub:
    return declaratie_pb2_grpc.DeclaratieStub(context.channel("declaratie"))


def _berichten(context: PortalContext) -> berichten_pb2_grpc.BerichtenStub:
    return berichten_pb2_grpc.BerichtenStub(context.channel("berichten"))


def _toewijzing(context: PortalContext) -> toewijzing_pb2_grpc.ToewijzingStub:
    return toewijzing_pb2_grpc.ToewijzingStub(context.channel("toewijzing"))


def _alleen(toegestaan: bool) -> None:
    if not toegestaan:
        raise PortalFout(403, "Geen toegang", "Uw rol of organisatie geeft geen toegang tot deze handeling.")


def rekent_af(context: PortalContext) -> bool:
    return not context.user.agb and context.user.rol in FINANCIELE_ROLLEN


# ---------------------------------------------------------------- presentation


def euro(eurocent: int) -> str:
    """An amount in eurocent as '€ 1.234,56' (also € 0,00; negative with a minus sign)."""
    euros, cent = divmod(abs(int(eurocent)), 100)
    return f"{'-' if eurocent < 0 else ''}€ {euros:,}".replace(",", ".") + f",{cent:02d}"


def maandnaam(periode: Any) -> str:
    """A Periode as 'oktober 2026' when it is one calendar month, else 'd-m-jjjj t/m d-m-jjjj'."""
    try:
        begin = date.fromisoformat(periode.begindatum.value)
        einde = date.fromisoformat(periode.einddatum.value)
    except ValueError:
        return periode.begindatum.value
    if begin.day == 1 and einde == _maand_einde(begin):
        return maand_tekst(begin.strftime("%Y-%m"))
    return f"{begin:%d-%m-%Y} t/m {einde:%d-%m-%Y}"


def maand_tekst(maand: str) -> str:
    """'2026-10' as 'oktober 2026'."""
    begin = _maand(maand)
    return f"{MAANDEN[begin.month - 1]} {begin.year}" if begin else maand


def saldo_tekst(saldo: int) -> str:
    if saldo > 0:
        return f"{euro(saldo)} te betalen aan de aanbieder"
    if saldo < 0:
        return f"{euro(-saldo)} terug te vorderen van de aanbieder"
    return f"{euro(0)}: niets te betalen of terug te vorderen"


def _maand_einde(begin: date) -> date:
    return begin.replace(day=calendar.monthrange(begin.year, begin.month)[1])


def _vorige_maand(vandaag: date) -> str:
    return (vandaag.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def _maand(text: str) -> date | None:
    """'2026-10' as the first day of that month; None when it is not a month."""
    if not re.fullmatch(r"\d{4}-\d{2}", text):
        return None
    try:
        return date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        return None


def _render(context: PortalContext, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    return context.render(template, status_code=status_code, euro=euro, maandnaam=maandnaam, saldo_tekst=saldo_tekst, wet_pad=WET_PAD, **values)


# ---------------------------------------------------------------- the list and one declaratie


@router.get("/declaraties", response_class=HTMLResponse)
async def declaraties(context: Portaal, na: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    page = await context.call(_stub(context).ListDeclaraties, declaratie_pb2.ListDeclaratiesRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na)))
    lijst = list(page.declaraties)
    totaal = {
        "ingediend": sum(d.ingediend_eurocent for d in lijst),
        "toegekend": sum(d.toegekend_eurocent for d in lijst),
        "prestaties": sum(d.aantal_prestaties for d in lijst),
        "afgewezen": sum(d.aantal_afgewezen for d in lijst),
    }
    return _render(context, "declaraties.html", declaraties=lijst, totaal=totaal, volgende=page.next_page_token, eerste=not na, aanbieder=is_aanbieder(context))


async def prestaties_van_client(context: PortalContext, gemeente: str, bsn: str, na: str = "") -> tuple[list[Any], str]:
    """One page of the cliënt's declared prestaties (latest period first) for the dossier — what the
    caller may see of them — and the token of the next page ("" when none follows)."""
    request = declaratie_pb2.ListPrestatiesVanClientRequest(
        gemeente=common_pb2.Gemeentecode(value=gemeente), bsn=common_pb2.Bsn(value=bsn), page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na)
    )
    page = await _of_niet(context, _stub(context).ListPrestatiesVanClient, request)
    return (list(page.prestaties), page.next_page_token) if page is not None else ([], "")


async def _of_niet(context: PortalContext, method: Any, request: Any) -> Any:
    """The answer, or None when the service does not know it for the caller (404 / 403)."""
    try:
        return await context.call(method, request)
    except PortalFout as fout:
        if fout.status in (403, 404):
            return None
        raise


# ---------------------------------------------------------------- the form


@dataclass
class DeclaratieFormulier:
    """What the aanbieder typed, kept as text so that a refused form comes back as it was."""

    toewijzing: str = ""  # "<gemeente>/<wet>/<nummer>"
    maand: str = ""  # "jjjj-mm"
    volume: str = ""
    fouten: list[str] = field(default_factory=list)

    @classmethod
    def uit(cls, form: dict[str, str]) -> DeclaratieFormulier:
        return cls(form.get("toewijzing", "").strip(), form.get("maand", "").strip(), form.get("volume", "").strip())

    def sleutel(self) -> tuple[str, str, int] | None:
        found = re.fullmatch(r"(\d{4})/(wmo|jeugdwet)/(\d{1,12})", self.toewijzing)
        return (found.group(1), found.group(2), int(found.group(3))) if found else None

    def controleer(self, vandaag: date) -> list[str]:
        """The form's own shape (a toewijzing, a month in the past, a whole volume) — no rules of the standard."""
        fouten = []
        if self.sleutel() is None:
            fouten.append("Kies de toewijzing.")
        maand = _maand(self.maand)
        if maand is None:
            fouten.append("Vul de maand in (jjjj-mm).")
        elif maand >= vandaag.replace(day=1):
            fouten.append("De declaratieperiode is een kalendermaand in het verleden.")
        elif maand.year < 2015:
            fouten.append("De maand ligt voor 2015.")
        if not re.fullmatch(r"\d{1,8}", self.volume) or int(self.volume) < 1:
            fouten.append("Vul het geleverde volume in als heel getal (1 of meer).")
        return fouten


async def _toewijzingen(context: PortalContext) -> list[Any]:
    """The aanbieder's toewijzingen that reached it (sent, or actief after its 302), to declare on."""
    stub, token, gevonden = _toewijzing(context), "", []
    while len(gevonden) < MAX_TOEWIJZINGEN:
        page = await context.call(stub.ListToewijzingen, toewijzing_pb2.ListToewijzingenRequest(page=common_pb2.PageRequest(page_size=200, page_token=token)))
        gevonden += [t for t in page.toewijzingen if t.status in DECLARABEL and not t.verwijderd and t.aanbieder.value == context.user.agb]
        token = page.next_page_token
        if not token:
            break
    return gevonden


async def _huidige_toewijzing(context: PortalContext, gemeente: str, wet: str, nummer: int) -> Any:
    historie = await context.call(
        _toewijzing(context).GetToewijzing,
        toewijzing_pb2.GetToewijzingRequest(gemeente=common_pb2.Gemeentecode(value=gemeente), wet=WETTEN[wet], toewijzing_nummer=nummer),
    )
    if not historie.versies or historie.versies[-1].aanbieder.value != context.user.agb:
        raise PortalFout(404, "Niet gevonden", "Dit bestaat niet, of u heeft er geen toegang toe.")
    return historie.versies[-1]


async def _contract(context: PortalContext, t: Any, op: date) -> Any | None:
    """The aanbieder's contract version for the toewijzing's gemeente, wet and product valid on `op`."""
    stub, token, gezien = _stub(context), "", 0
    passend = []
    while gezien < MAX_CONTRACTEN:
        page = await context.call(stub.ListContracten, declaratie_pb2.ListContractenRequest(page=common_pb2.PageRequest(page_size=500, page_token=token)))
        gezien += len(page.contracten)
        for c in page.contracten:
            if (
                c.gemeente.value == t.gemeente.value
                and c.aanbieder.value == t.aanbieder.value
                and c.wet == t.wet
                and c.product.categorie == t.product.categorie
                and c.product.code == t.product.code
                and c.geldigheid.begindatum.value <= op.isoformat()
                and (not c.geldigheid.einddatum.value or c.geldigheid.einddatum.value >= op.isoformat())
            ):
                passend.append(c)
        token = page.next_page_token
        if not token:
            break
    return max(passend, key=lambda c: c.geldigheid.begindatum.value, default=None)  # the latest version that applies


def _half_omhoog(teller: int, noemer: int) -> int:
    return (2 * teller + noemer) // (2 * noemer)


@dataclass(frozen=True)
class Berekening:
    eenheid: str
    tarief: int | None  # eurocent per eenheid; None for Eenheid 83
    bedrag: int  # eurocent


def bereken(volume: int, eenheid: str, contract: Any) -> Berekening:
    """ProductTarief and IngediendBedrag as the standard asks them to be filled in: volume × the
    contract's tarief; Eenheid 83 (euro's): the volume is the bedrag, without tarief; minutes against an
    uurtarief (IV081): tarief uurtarief / 60 and bedrag uurtarief × minuten / 60, rounded half up."""
    if eenheid == EURO:
        return Berekening(eenheid, None, volume)
    tarief = contract.tarief.eurocent
    if eenheid == MINUUT and contract.eenheid == UUR:
        return Berekening(eenheid, _half_omhoog(tarief, 60), _half_omhoog(tarief * volume, 60))
    return Berekening(eenheid, tarief, volume * tarief)


def _bericht_323(t: Any, wet: str, periode: tuple[date, date], product_periode: tuple[date, date], volume: int, berekening: Berekening) -> Any:
    """The 323 for one prestatie on this toewijzing, from the aanbieder to the gemeente."""
    from berichten.domain import model
    from berichten.domain.berichtsoorten import STANDAARD_VAN_WET

    bericht_type = codec().schemas.type_for(STANDAARD_VAN_WET[Wet(wet)], "323")
    vandaag = date.today()
    header = model.Header(
        bericht_code=bericht_type.berichtcode,
        bericht_versie=3,
        bericht_subversie=2,
        afzender=t.aanbieder.value,
        ontvanger=t.gemeente.value,
        bericht_identificatie=model.BerichtIdentificatie(identificatie=uuid.uuid4().hex[:12], dagtekening=vandaag),
        xsd_versie=model.XsdVersie(basisschema_xsd_versie=bericht_type.basisschema_xsd_versie, bericht_xsd_versie=bericht_type.bericht_xsd_versie),
    )
    prestatie = model.Prestatie(
        product_referentie=model.Referentie(referentie_nummer=uuid.uuid4().hex[:20]),
        toewijzing_nummer=t.toewijzing_nummer,
        product_categorie=t.product.categorie,
        product_code=t.product.code,
        product_periode=model.GeslotenPeriode(begindatum=product_periode[0], einddatum=product_periode[1]),
        geleverd_volume=volume,
        eenheid=berekening.eenheid,
        product_tarief=berekening.tarief,
        ingediend_bedrag=model.BedragMetDC(bedrag=berekening.bedrag, debet_credit="D"),
    )
    return model.DeclaratieBericht(
        header=header,
        declaratie=model.Declaratie(
            declaratie_nummer=uuid.uuid4().hex[:12],
            declaratie_periode=model.GeslotenPeriode(begindatum=periode[0], einddatum=periode[1]),
            declaratie_dagtekening=vandaag,
            totaal_ingediend_bedrag=model.TotaalBedragMetDC(totaal_bedrag=berekening.bedrag, debet_credit="D"),
            clienten=[model.DeclaratieClient(bsn=t.bsn.value, prestaties=[prestatie])],
        ),
    )


def _product_periode(t: Any, begin: date, einde: date) -> tuple[date, date]:
    """The month within the toewijzing; the whole month when they do not overlap (the service then says so)."""
    ingang = date.fromisoformat(t.ingangsdatum.value) if t.ingangsdatum.value else begin
    eind = date.fromisoformat(t.einddatum.value) if t.einddatum.value else einde
    van, tot = max(begin, ingang), min(einde, eind)
    return (van, tot) if van <= tot else (begin, einde)


async def _formulier_pagina(context: PortalContext, formulier: DeclaratieFormulier, status_code: int = 200) -> HTMLResponse:
    toewijzingen = await _toewijzingen(context)
    return _render(context, "declaratie_formulier.html", status_code=status_code, toewijzingen=toewijzingen, formulier=formulier, concept=CONCEPT)


@router.get("/declaraties/indienen", response_class=HTMLResponse)
async def declaratie_formulier(context: Portaal, toewijzing: Annotated[str, Query(max_length=40)] = "") -> HTMLResponse:
    _alleen(is_aanbieder(context))
    return await _formulier_pagina(context, DeclaratieFormulier(toewijzing=toewijzing, maand=_vorige_maand(date.today())))


@router.post("/declaraties/indienen")
async def dien_in(request: Request, context: PortaalPost) -> Response:
    _alleen(is_aanbieder(context))
    formulier = DeclaratieFormulier.uit({k: str(v) for k, v in (await request.form()).items()})
    formulier.fouten = formulier.controleer(date.today())
    sleutel = formulier.sleutel()
    if not formulier.fouten and sleutel is not None:
        gemeente, wet, nummer = sleutel
        t = await _huidige_toewijzing(context, gemeente, wet, nummer)
        begin = _maand(formulier.maand)
        assert begin is not None
        periode = (begin, _maand_einde(begin))
        product_periode = _product_periode(t, *periode)
        contract = await _contract(context, t, product_periode[0]) if t.product.code else None
        eenheid = t.omvang.eenheid or (contract.eenheid if contract is not None else "")
        if not t.product.code:
            formulier.fouten = ["Deze toewijzing is aspecifiek (zonder productcode). Het formulier kan daarvoor nog geen declaratie opstellen; upload de declaratie (323) als XML."]
        elif eenheid != EURO and contract is None:
            formulier.fouten = [f"Er is geen contract met een tarief voor product {t.product.categorie}/{t.product.code} bij gemeente {t.gemeente.value} in {maand_tekst(formulier.maand)}."]
        else:
            from berichten.codec.codec import EncodeError

            try:
                data = codec().encode(_bericht_323(t, wet, periode, product_periode, int(formulier.volume), bereken(int(formulier.volume), eenheid, contract)))
            except EncodeError as fout:
                formulier.fouten = [f"Het bericht kon niet worden opgesteld: {'; '.join(str(f) for f in fout.fouten[:3])}"]
            else:
                bericht = await context.call(_berichten(context).Ontvang, berichten_pb2.OntvangRequest(xml=data), timeout=60)
                return context.redirect(f"{PATH}/declaraties/{bericht.id}?verzonden=1")
    return await _formulier_pagina(context, formulier, status_code=400)


# registered after the form's routes: "indienen" is no bericht id
@router.get("/declaraties/{bericht_id}", response_class=HTMLResponse)
async def declaratie(bericht_id: BerichtKenmerk, context: Portaal) -> HTMLResponse:
    """One declaratie: as the declaratie service judged it (each prestatie toegekend or with its
    retourcodes), or — not judged yet, or refused by the hub — the 323 at the hub with its status."""
    detail = await _of_niet(context, _stub(context).GetDeclaratie, declaratie_pb2.GetDeclaratieRequest(bericht_id=bericht_id))
    bericht = await _of_niet(context, _berichten(context).GetBericht, berichten_pb2.GetBerichtRequest(id=bericht_id))
    if detail is None and (bericht is None or bericht.berichtsoort != "323"):
        raise PortalFout(404, "Niet gevonden", "Dit bestaat niet, of u heeft er geen toegang toe.")
    verzonden = context.request.query_params.get("verzonden") == "1"
    return _render(context, "declaratie.html", d=detail.declaratie if detail else None, prestaties=list(detail.prestaties) if detail else [], bericht=bericht, bericht_id=bericht_id, verzonden=verzonden, concept=CONCEPT)


# ---------------------------------------------------------------- afrekeningen


@dataclass
class AfrekeningFormulier:
    gemeente: str = ""
    aanbieder: str = ""
    maand: str = ""
    soort: str = "voorlopig"
    fouten: list[str] = field(default_factory=list)

    @classmethod
    def uit(cls, form: dict[str, str]) -> AfrekeningFormulier:
        return cls(form.get("gemeente", "").strip(), form.get("aanbieder", "").strip(), form.get("maand", "").strip(), form.get("soort", "").strip())

    def controleer(self, vandaag: date) -> list[str]:
        """The form's shape; whether the user may settle for this gemeente is the declaratie service's to say."""
        fouten = []
        if not re.fullmatch(r"\d{4}", self.gemeente):
            fouten.append("Kies de gemeente.")
        if not re.fullmatch(r"\d{8}", self.aanbieder):
            fouten.append("Vul de AGB-code van de aanbieder in (8 cijfers).")
        maand = _maand(self.maand)
        if maand is None:
            fouten.append("Vul de maand in (jjjj-mm).")
        elif maand > vandaag.replace(day=1):
            fouten.append("De maand ligt in de toekomst.")
        if self.soort not in ("voorlopig", "definitief"):
            fouten.append("Kies voorlopige of definitieve afrekening.")
        return fouten


async def _aanbieders(context: PortalContext) -> list[str]:
    """The AGB codes the user's gemeenten have contracts with, to choose from."""
    stub, token, gezien, agbs = _stub(context), "", 0, set()
    while gezien < MAX_CONTRACTEN:
        page = await context.call(stub.ListContracten, declaratie_pb2.ListContractenRequest(page=common_pb2.PageRequest(page_size=500, page_token=token)))
        gezien += len(page.contracten)
        agbs |= {c.aanbieder.value for c in page.contracten}
        token = page.next_page_token
        if not token:
            break
    return sorted(agbs)


def _gemaakt(query: Any, afrekeningen: list[Any]) -> Any | None:
    """The afrekening just made (named in the query after the redirect), the newest that matches."""
    soort, gemeente, aanbieder, maand = (query.get(k, "") for k in ("gemaakt", "gemeente", "aanbieder", "maand"))
    if soort not in ("voorlopig", "definitief") or _maand(maand) is None:
        return None
    return next(
        (a for a in afrekeningen if a.soort == soort and a.gemeente.value == gemeente and a.aanbieder.value == aanbieder and a.periode.begindatum.value == f"{maand}-01"),
        None,
    )


async def _afrekeningen_pagina(context: PortalContext, formulier: AfrekeningFormulier, status_code: int = 200, na: str = "") -> HTMLResponse:
    page = await context.call(_stub(context).ListAfrekeningen, declaratie_pb2.ListAfrekeningenRequest(page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na)))
    afrekeningen = list(page.afrekeningen)
    mag = rekent_af(context)
    return _render(
        context,
        "afrekeningen.html",
        status_code=status_code,
        afrekeningen=afrekeningen,
        gemaakt=_gemaakt(context.request.query_params, afrekeningen) if status_code == 200 else None,
        rekent_af=mag,
        aanbieders=await _aanbieders(context) if mag else [],
        formulier=formulier,
        volgende=page.next_page_token,
        eerste=not na,
    )


@router.get("/afrekeningen", response_class=HTMLResponse)
async def afrekeningen(context: Portaal, na: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    gemeenten = context.user.gemeentecodes
    formulier = AfrekeningFormulier(gemeente=gemeenten[0] if len(gemeenten) == 1 else "", maand=_vorige_maand(date.today()))
    return await _afrekeningen_pagina(context, formulier, na=na)


@router.post("/afrekeningen")
async def maak_afrekening(request: Request, context: PortaalPost) -> Response:
    _alleen(rekent_af(context))
    formulier = AfrekeningFormulier.uit({k: str(v) for k, v in (await request.form()).items()})
    formulier.fouten = formulier.controleer(date.today())
    if formulier.fouten:
        return await _afrekeningen_pagina(context, formulier, status_code=400)
    maand = _maand(formulier.maand)
    assert maand is not None
    try:
        await context.call(
            _stub(context).MaakAfrekening,
            declaratie_pb2.MaakAfrekeningRequest(
                gemeente=common_pb2.Gemeentecode(value=formulier.gemeente),
                aanbieder=common_pb2.AgbCode(value=formulier.aanbieder),
                jaar=maand.year,
                maand=maand.month,
                definitief=formulier.soort == "definitief",
            ),
        )
    except PortalFout as fout:
        if fout.status in (403, 404):
            raise
        if fout.status == 409:
            formulier.fouten = [f"De definitieve afrekening van {formulier.aanbieder} voor {maand_tekst(formulier.maand)} is al gemaakt; die kan maar één keer worden gemaakt."]
        else:
            formulier.fouten = [f"De afrekening is niet gemaakt: {fout.uitleg}"]
        return await _afrekeningen_pagina(context, formulier, status_code=fout.status)
    return context.redirect(f"{PATH}/afrekeningen?gemaakt={formulier.soort}&gemeente={formulier.gemeente}&aanbieder={formulier.aanbieder}&maand={formulier.maand}")


# ---------------------------------------------------------------- benutting, onderbenutting, voorschotten, betaalbestand

# the gemeente roles that see benutting (the declaratie service checks the same; an aanbieder sees its own)
BENUTTING_ROLLEN = (Role.CONTRACTMANAGER, Role.FINANCIEEL_MEDEWERKER, Role.REGIONAAL_BACKOFFICE)
VOORSCHOT_ROLLEN = (Role.CONTRACTMANAGER, Role.FINANCIEEL_MEDEWERKER, Role.REGIONAAL_BACKOFFICE)
FORMATEN = {"csv": declaratie_pb2.BETAALFORMAAT_CSV, "pain001": declaratie_pb2.BETAALFORMAAT_PAIN001}
Agb = Annotated[str, Query(max_length=8, pattern=r"^(\d{8})?$")]
Bsn = Annotated[str, Query(max_length=9, pattern=r"^(\d{9})?$")]
Token = Annotated[str, Query(max_length=500)]


def ziet_benutting(context: PortalContext) -> bool:
    return bool(context.user.agb) or context.user.rol in BENUTTING_ROLLEN


def ziet_voorschotten(context: PortalContext) -> bool:
    return bool(context.user.agb) or context.user.rol in VOORSCHOT_ROLLEN


def _datum_pb(dag: date) -> common_pb2.Datum:
    return common_pb2.Datum(value=dag.isoformat())


@router.get("/benutting", response_class=HTMLResponse)
async def benutting(context: Portaal, maand: Annotated[str, Query(max_length=7)] = "", aanbieder: Agb = "", bsn: Bsn = "", na: Token = "") -> HTMLResponse:
    """Per toewijzing and per period (the gemeente's rhythm) in the chosen month: toegewezen against
    gedeclareerd and toegekend, volume and amount."""
    _alleen(ziet_benutting(context))
    maand = maand or _vorige_maand(date.today())
    begin = _maand(maand)
    if begin is None:
        raise PortalFout(400, "Niet uitgevoerd", "Vul de maand in als jjjj-mm.")
    request = declaratie_pb2.ListBenuttingRequest(
        periode=common_pb2.Periode(begindatum=_datum_pb(begin), einddatum=_datum_pb(_maand_einde(begin))),
        aanbieder=common_pb2.AgbCode(value=aanbieder) if aanbieder else None,
        bsn=common_pb2.Bsn(value=bsn) if bsn else None,
        page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na),
    )
    page = await context.call(_stub(context).ListBenutting, request)
    rijen = list(page.benutting)
    totaal = {
        "toegewezen": sum(r.toegewezen_eurocent for r in rijen if r.HasField("toegewezen_eurocent")),
        "gedeclareerd": sum(r.gedeclareerd_eurocent for r in rijen),
        "toegekend": sum(r.toegekend_eurocent for r in rijen),
        "zonder_tarief": sum(1 for r in rijen if not r.HasField("toegewezen_eurocent")),
    }
    return _render(context, "benutting.html", rijen=rijen, totaal=totaal, maand=maand, maand_tekst=maand_tekst(maand), aanbieder=aanbieder, bsn=bsn, volgende=page.next_page_token, eerste=not na)


@router.get("/onderbenutting", response_class=HTMLResponse)
async def onderbenutting(context: Portaal, na: Token = "") -> HTMLResponse:
    """Cliënten with a toewijzing but no start or no declaratie for longer than the gemeente's threshold."""
    _alleen(not context.user.agb)
    page = await context.call(
        _stub(context).ListOnderbenuttingSignalen, declaratie_pb2.ListOnderbenuttingSignalenRequest(page=common_pb2.PageRequest(page_size=200, page_token=na))
    )
    return _render(context, "onderbenutting.html", signalen=list(page.signalen), volgende=page.next_page_token, eerste=not na)


@router.get("/voorschotten", response_class=HTMLResponse)
async def voorschotten(context: Portaal, aanbieder: Agb = "", na: Token = "") -> HTMLResponse:
    """The voorschotten fixed per aanbieder and period, with how each was made up."""
    _alleen(ziet_voorschotten(context))
    request = declaratie_pb2.ListVoorschottenRequest(aanbieder=common_pb2.AgbCode(value=aanbieder) if aanbieder else None, page=common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=na))
    page = await context.call(_stub(context).ListVoorschotten, request)
    return _render(context, "voorschotten.html", voorschotten=list(page.voorschotten), aanbieder=aanbieder, volgende=page.next_page_token, eerste=not na)


@router.get("/betaalbestand", response_class=HTMLResponse)
async def betaalbestand(
    context: Portaal,
    gemeente: Annotated[str, Query(max_length=4, pattern=r"^(\d{4})?$")] = "",
    datum: Annotated[str, Query(max_length=10)] = "",
    formaat: Annotated[str, Query(max_length=8)] = "",
) -> Response:
    """The payment file of the definitieve afrekeningen of a period: the form, or (with its fields) the
    download; what the declaratie service refuses (an aanbieder without IBAN, …) is said above the form."""
    _alleen(rekent_af(context))
    gemeenten = context.user.gemeentecodes
    keuze = {"gemeente": gemeente or (gemeenten[0] if len(gemeenten) == 1 else ""), "datum": datum or _vorige_maand(date.today()) + "-01", "formaat": formaat or "csv"}
    if not (gemeente and datum and formaat):
        return _render(context, "betaalbestand.html", keuze=keuze, fouten=[])
    fouten = []
    try:
        dag = date.fromisoformat(datum)
    except ValueError:
        fouten.append("Vul een dag van de periode in (jjjj-mm-dd).")
    if formaat not in FORMATEN:
        fouten.append("Kies CSV of SEPA (pain.001).")
    if not fouten:
        request = declaratie_pb2.MaakBetaalbestandRequest(gemeente=common_pb2.Gemeentecode(value=gemeente), datum=_datum_pb(dag), formaat=FORMATEN[formaat])
        try:
            bestand = await context.call(_stub(context).MaakBetaalbestand, request, timeout=60)
        except PortalFout as fout:
            if fout.status in (403, 404):
                raise
            fouten.append(f"Het betaalbestand is niet gemaakt: {fout.uitleg}")
        else:
            return Response(bestand.inhoud, media_type=bestand.media_type, headers={"Content-Disposition": f'attachment; filename="{bestand.bestandsnaam}"'})
    return _render(context, "betaalbestand.html", status_code=400, keuze=keuze, fouten=fouten)
