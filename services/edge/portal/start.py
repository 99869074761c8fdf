"""The start page: what the user's role works on, with the signalen that need attention first."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import trajecten_pb2, trajecten_pb2_grpc

from edge.portal.context import Portaal
from edge.portal.sessions import PATH
from edge.portal.toewijzing import termijnen
from runtime.tenancy import Role

router = APIRouter(prefix=PATH, include_in_schema=False)

# what each role finds on its start page: (title, link, explanation)
TAKEN = {
    Role.GEMEENTE_CONSULENT: [
        ("Cliënten", "/clienten", "Zoek een cliënt, bekijk het dossier en geef een beschikking af."),
        ("Indicaties importeren", "/indicaties/import", "Indicaties uit het eigen systeem (CSV of JSON) als beschikkingen inlezen; afgewezen regels corrigeren."),
        ("Verzoeken", "/verzoeken", "Verzoeken om toewijzing en om wijziging (315, 317) beantwoorden."),
        ("Toewijslijst", "/toewijslijst", "Cliënten zonder aanbieder; claims van aanbieders bevestigen of afwijzen."),
        ("Toewijzingen", "/toewijzingen", "Toewijzingen (301) met hun status."),
        ("Signalen", "/signalen", "Termijnen van meldingen, POP's, besluiten en evaluaties."),
        ("Berichten", "/berichten", "Berichten in uw postbus, met hun status en retourcodes."),
        ("Bericht uploaden", "/berichten/uploaden", "Een iWmo- of iJw-bericht (XML) insturen."),
    ],
    Role.REGIONAAL_BACKOFFICE: [
        ("Cliënten", "/clienten", "Cliënten van alle gemeenten waarvoor u werkt."),
        ("Indicaties importeren", "/indicaties/import", "Indicaties uit de systemen van de gemeenten inlezen; afgewezen regels corrigeren."),
        ("Verzoeken", "/verzoeken", "Verzoeken om toewijzing en om wijziging beantwoorden."),
        ("Toewijslijst", "/toewijslijst", "Claims van aanbieders bevestigen of afwijzen."),
        ("Signalen", "/signalen", "Termijnen die bijna of al verlopen zijn."),
        ("Berichten", "/berichten", "De postbus van uw gemeenten."),
        ("Bericht uploaden", "/berichten/uploaden", "Een iWmo- of iJw-bericht (XML) insturen."),
        ("Declaraties", "/declaraties", "Declaraties van aanbieders met de uitkomst per prestatie."),
        ("Afrekeningen", "/afrekeningen", "Voorlopige en definitieve afrekeningen per aanbieder en maand."),
    ],
    Role.CONTRACTMANAGER: [
        ("Berichten", "/berichten", "Berichten in de postbus van uw gemeente."),
        ("Cliënten", "/clienten", "Cliënten en hun beschikkingen (alleen lezen)."),
        ("Declaraties", "/declaraties", "Declaraties van aanbieders met de uitkomst per prestatie."),
    ],
    Role.FINANCIEEL_MEDEWERKER: [
        ("Afrekeningen", "/afrekeningen", "Voorschot, gedeclareerd, toegekend en saldo per aanbieder en maand; voorlopig of definitief afrekenen."),
        ("Declaraties", "/declaraties", "Declaraties van aanbieders met de uitkomst per prestatie."),
        ("Berichten", "/berichten", "Berichten in de postbus van uw gemeente."),
        ("Cliënten", "/clienten", "Cliënten en hun beschikkingen (alleen lezen)."),
    ],
    Role.AANBIEDER_MEDEWERKER: [
        ("Berichten", "/berichten", "Retourberichten en toewijzingen in uw postbus."),
        ("Toewijzingen", "/toewijzingen", "Uw toewijzingen; start en stop van de zorg melden zonder XML."),
        ("Toewijslijst", "/toewijslijst", "Cliënten zonder aanbieder die u kunt claimen."),
        ("Declaratie indienen", "/declaraties/indienen", "Een declaratie (323) insturen zonder XML."),
        ("Declaraties", "/declaraties", "Uw declaraties met de uitkomst per prestatie (325)."),
        ("Afrekeningen", "/afrekeningen", "De afrekeningen van de gemeenten met u."),
        ("Bericht uploaden", "/berichten/uploaden", "Een start, stop of declaratie (XML) insturen."),
        ("Samenwerkingstrajecten", "/trajecten", "Trajecten waarin u als aanbieder gekozen bent."),
        ("Signalen", "/signalen", "Termijnen die op u wachten."),
    ],
    Role.BEHEERDER: [
        ("Cliënten", "/clienten", "Cliënten van de gemeenten van de regio."),
        ("Berichten", "/berichten", "De postbus van de regio."),
    ],
}
# what the portal does not have yet, said on the start page instead of a dead link
NOG_NIET = {
    Role.CONTRACTMANAGER: "Contracten en tarieven volgen in het portaal.",
    Role.BEHEERDER: "Het doorzoeken van de audit-log volgt in het portaal.",
}


@router.get("/", response_class=HTMLResponse)
async def start(context: Portaal) -> HTMLResponse:
    signalen = []
    if context.user.rol in (Role.GEMEENTE_CONSULENT, Role.REGIONAAL_BACKOFFICE, Role.AANBIEDER_MEDEWERKER):
        stub = trajecten_pb2_grpc.TrajectenStub(context.channel("indicatie"))
        page = await context.call(
            stub.ListSignalen, trajecten_pb2.ListSignalenRequest(page=common_pb2.PageRequest(page_size=5), alleen_urgent=True)
        )
        signalen = list(page.signalen)
    return context.render(
        "start.html",
        taken=TAKEN.get(context.user.rol, []),
        nog_niet=NOG_NIET.get(context.user.rol, ""),
        signalen=signalen,
        termijnen=await termijnen(context),
    )
