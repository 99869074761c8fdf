"""Samenwerkingstrajecten in the portal against the real services: a consulent registers a melding
from the dossier, the gemeente and the chosen aanbieder work on taken, the POP (drawn up, passed,
completed, signed, decided) and evaluaties, each step offered to and taken by its own party only,
and every refusal of the indicatie service shown in Dutch above the form with what was typed kept.

The browser walk (Debian's Chromium driven by Playwright) goes melding → taak → POP opgesteld →
overgedragen → aangevuld door de aanbieder → ondertekend → besluit → evaluatie, with screenshots in
build/test-artifacts/portal/.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import grpc
import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect
from zorgketen.indicatie.v1 import trajecten_pb2 as pb
from zorgketen.indicatie.v1 import trajecten_pb2_grpc

from devstack.browser import assert_accessible, browser, log_in, playwright, screenshot  # noqa: F401  (fixtures)
from devstack import portal_testing
from devstack.portal_testing import CONSULENT_0356, PortalStack, client_met_beschikking, nieuwe_bsn, portal_stack_fixture
from devstack.testing import metadata

pytestmark = pytest.mark.integration

AANBIEDER, ANDERE_AANBIEDER = "98100002", "98100003"
VANDAAG = date.today()
INGANG, EINDE = VANDAAG - timedelta(days=30), VANDAAG + timedelta(days=300)


stack = portal_stack_fixture("portal-trajecten")


def login(stack: PortalStack, gebruikersnaam: str) -> httpx.Client:
    """A logged-in client that carries the session's CSRF token for `post`."""
    client = portal_testing.login(stack, gebruikersnaam)
    client.headers["X-CSRF-Token"] = portal_testing.csrf(client)
    return client


def post(client: httpx.Client, path: str, data: dict[str, str] | None = None) -> httpx.Response:
    return client.post(path, data={"csrf": client.headers["X-CSRF-Token"], **(data or {})})


def traject_call(stack: PortalStack, method: str, request):  # type: ignore[no-untyped-def]
    with grpc.insecure_channel(stack.addresses["indicatie"]) as channel:
        return getattr(trajecten_pb2_grpc.TrajectenStub(channel), method)(request, metadata=metadata(CONSULENT_0356), timeout=10)


def fouten(response: httpx.Response) -> list[str]:
    """The items of the page's error summary."""
    samenvatting = re.search(r'<div class="foutsamenvatting".*?</div>', response.text, re.S)
    return [html.unescape(f) for f in re.findall(r"<li>(.*?)</li>", samenvatting.group(0))] if samenvatting else []


def gedaan(client: httpx.Client, response: httpx.Response, melding: str) -> str:
    """Follows an action's redirect to its page, which says what happened; returns that page."""
    assert response.status_code == 303, (response.status_code, fouten(response) or response.text[:2000])
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and melding in page.text, page.text[:3000]
    return page.text


def test_gemeente_en_aanbieder_werken_samen_en_elke_weigering_staat_er_in_het_nederlands(stack: PortalStack):
    bsn = nieuwe_bsn(stack)
    client_met_beschikking(stack, bsn, INGANG.isoformat(), EINDE.isoformat())
    consulent = login(stack, "consulent-0356")
    assert f"/portal/clienten/0356/{bsn}/melding" in consulent.get(f"/portal/clienten/0356/{bsn}").text

    # the melding: a refusal keeps what was typed; then the traject opens
    morgen = (VANDAAG + timedelta(days=1)).isoformat()
    refused = post(consulent, f"/portal/clienten/0356/{bsn}/melding", {"onderwerp": "Hulp bij structuur", "meldingsdatum": morgen})
    assert refused.status_code == 400 and fouten(refused) == [f"De meldingsdatum {(VANDAAG + timedelta(days=1)).strftime('%d-%m-%Y')} ligt in de toekomst."]
    assert 'value="Hulp bij structuur"' in refused.text
    refused = post(consulent, f"/portal/clienten/0356/{bsn}/melding", {"onderwerp": ""})
    assert fouten(refused) == ["Vul het onderwerp van het samenwerkingstraject in."]
    response = post(consulent, f"/portal/clienten/0356/{bsn}/melding", {"onderwerp": "Hulp bij structuur"})
    traject_id = response.headers["location"].split("/")[3].split("?")[0]
    page = gedaan(consulent, response, "De melding is geregistreerd")
    assert "portal:consulent-0356" in page and 'data-concept-wis="melding-0356-' in page
    t = f"/portal/trajecten/{traject_id}"

    # the traject's doelen and acties, by the gemeente
    form = {"onderwerp": "Hulp bij structuur en werk", "doelen": "2", "acties": "1", "doel-0-omschrijving": "Zelfstandig boodschappen doen", "doel-0-domein": "instrumentele_adl",
            "doel-1-omschrijving": "Vrijwilligerswerk vinden", "doel-1-domein": "tijdsbesteding", "actie-0-omschrijving": "Kennismaking plannen", "actie-0-door": "participatieadviseur"}
    page = gedaan(consulent, post(consulent, f"{t}/wijzigen", form), "Het traject is gewijzigd")
    assert "Hulp bij structuur en werk" in page and "Zelfstandig boodschappen doen (Instrumentele ADL)" in page and "Kennismaking plannen" in page

    # a taak for the gemeente, changed twice: the history keeps each change; a taak for an aanbieder
    # without the traject open is refused
    einde = (VANDAAG + timedelta(days=10)).isoformat()
    refused = post(consulent, f"{t}/taken/nieuw", {"naam": "Huisbezoek", "soort": "Overleg", "voor": f"aanbieder:{AANBIEDER}", "einddatum": einde, "prioriteit": "hoog"})
    assert refused.status_code == 400 and fouten(refused) == [f"Aanbieder {AANBIEDER} heeft dit traject niet open: een taak kan niet voor deze aanbieder zijn."]
    assert 'value="Huisbezoek"' in refused.text
    gedaan(consulent, post(consulent, f"{t}/taken/nieuw", {"naam": "Huisbezoek", "soort": "Overleg", "voor": "gemeente:0356", "einddatum": einde, "prioriteit": "gemiddeld"}), "De taak is aangemaakt")
    taak = traject_call(stack, "ListTaken", pb.ListTakenRequest(traject_id=traject_id)).taken[0]
    wijziging = {"status": "in_behandeling", "prioriteit": "hoog", "einddatum": einde, "voor": "gemeente:0356", "medewerker": "portal:consulent-0356", "omschrijving": ""}
    page = gedaan(consulent, post(consulent, f"{t}/taken/{taak.id}", wijziging), "De taak is gewijzigd")
    refused = post(consulent, f"{t}/taken/{taak.id}", wijziging)
    assert refused.status_code == 400 and fouten(refused) == ["Er is niets gewijzigd: de taak heeft deze waarden al."]
    geschiedenis = re.search(r'<table id="geschiedenis">.*?</table>', consulent.get(f"{t}/taken/{taak.id}").text, re.S).group(0)  # type: ignore[union-attr]
    for regel in ("Aangemaakt", "<td>Open</td><td>In behandeling</td>", "<td>Gemiddeld</td><td>Hoog</td>", "<td>gemeente 0356</td><td>gemeente 0356 (portal:consulent-0356)</td>"):
        assert regel in geschiedenis, regel

    # the POP: an incomplete concept cannot be passed on; the deadline of the participatieadviseur shows
    page = consulent.get(t).text
    assert "POP opstellen" in page and re.search(r"uiterlijk \d\d-\d\d-\d{4} \(nog \d+ werkdagen, op tijd\)", page)
    refused = post(consulent, f"{t}/pop", {"zrm-huisvesting-toelichting": "woont zelfstandig"})
    assert fouten(refused) == ["Zelfredzaamheidsmatrix, huisvesting: kies een score van 1 tot en met 5, of laat ook de toelichting leeg."]
    gedaan(consulent, post(consulent, f"{t}/pop", {"zrm-huisvesting-score": "3", "zrm-tijdsbesteding-score": "2", "profiel": "Begeleiding licht", "aanbieder": AANBIEDER}), "opgeslagen als concept")
    refused = post(consulent, f"{t}/pop/overdragen")
    assert refused.status_code == 400 and fouten(refused) == ["Het POP kan niet naar de aanbieder zonder: pakket."]
    assert "Het POP is niet overgedragen" in refused.text
    gedaan(consulent, post(consulent, f"{t}/pop", {"zrm-huisvesting-score": "3", "zrm-tijdsbesteding-score": "2", "profiel": "Begeleiding licht", "pakket": "Pakket 2", "aanbieder": AANBIEDER}), "opgeslagen")

    # only the gemeente draws up and passes on; the aanbieder sees nothing before the overdracht
    aanbieder = login(stack, f"aanbieder-{AANBIEDER}")
    assert aanbieder.get(t).status_code == 404
    assert post(aanbieder, f"{t}/pop", {"profiel": "x"}).status_code == 403
    assert post(aanbieder, f"{t}/pop/overdragen").status_code == 403
    page = gedaan(consulent, post(consulent, f"{t}/pop/overdragen"), "overgedragen aan de aanbieder")
    assert "Het POP ligt bij aanbieder" in page

    # the aanbieder gives it back with a reden (the gemeente cannot); the participatieadviseur finds the
    # POP as it was, adjusts it and passes it on again
    assert post(consulent, f"{t}/pop/teruggeven", {"reden": "x"}).status_code == 403
    refused = post(aanbieder, f"{t}/pop/teruggeven", {"reden": "  "})
    assert refused.status_code == 400 and "Het POP is niet teruggegeven" in refused.text
    assert fouten(refused) == ["Vul de reden in: wat de participatieadviseur moet aanpassen."]
    page = gedaan(aanbieder, post(aanbieder, f"{t}/pop/teruggeven", {"reden": "Pakket 2 past niet bij de vraag"}), "teruggegeven aan de participatieadviseur")
    assert "Het POP ligt weer bij de participatieadviseur" in page and "POP aanvullen" not in page
    page = consulent.get(t).text
    assert '<dd id="pop-status">Teruggegeven aan de participatieadviseur</dd>' in page and "Pakket 2 past niet bij de vraag" in page and "POP wijzigen" in page
    assert 'value="Begeleiding licht"' in consulent.get(f"{t}/pop").text
    gedaan(consulent, post(consulent, f"{t}/pop", {"zrm-huisvesting-score": "3", "zrm-tijdsbesteding-score": "2", "profiel": "Begeleiding licht", "pakket": "Pakket 3", "aanbieder": AANBIEDER}), "opgeslagen")
    gedaan(consulent, post(consulent, f"{t}/pop/overdragen"), "overgedragen aan de aanbieder")

    # the aanbieder completes it (the gemeente cannot), with its deadline shown
    page = aanbieder.get(t).text
    assert "POP aanvullen" in page and "werkdagen" in page
    assert post(consulent, f"{t}/pop/aanvullen", {"inzet": "x", "activiteiten": "y"}).status_code == 403
    refused = post(aanbieder, f"{t}/pop/aanvullen", {"inzet": "2 uur per week", "activiteiten": "\n \n"})
    assert refused.status_code == 400 and fouten(refused) == ["Vul ten minste één activiteit in."] and "2 uur per week" in refused.text
    gedaan(aanbieder, post(aanbieder, f"{t}/pop/aanvullen", {"inzet": "2 uur begeleiding per week", "activiteiten": "Weekplanning maken\nSamen boodschappen doen"}), "aangevuld")

    # signed on behalf of the cliënt (a date in the future is refused), then the gemeente decides
    refused = post(aanbieder, f"{t}/pop/ondertekenen", {"ondertekend_door": "J. Verbeek", "ondertekend_op": morgen})
    assert fouten(refused) == [f"De datum van ondertekening {(VANDAAG + timedelta(days=1)).strftime('%d-%m-%Y')} ligt in de toekomst."]
    gedaan(aanbieder, post(aanbieder, f"{t}/pop/ondertekenen", {"ondertekend_door": "J. Verbeek"}), "het POP is nu de aanvraag")
    assert post(aanbieder, f"{t}/pop/besluit", {"besluit": "toekennen"}).status_code == 403
    refused = post(consulent, f"{t}/pop/besluit", {"besluit": "afwijzen", "toelichting": ""})
    assert fouten(refused) == ["Een afwijzing wordt altijd gemotiveerd: vul de toelichting in."] and "Het besluit is niet vastgelegd" in refused.text
    page = gedaan(consulent, post(consulent, f"{t}/pop/besluit", {"besluit": "toekennen"}), "Het besluit op de aanvraag is vastgelegd")
    assert '<dd id="pop-status">Toegekend</dd>' in page

    # evaluaties: none for a product of the cliënt's own responsibility; the wijkteam asks an interim
    # one (not the aanbieder); the aanbieder records every doel
    refused = post(aanbieder, f"{t}/evaluaties/nieuw", {"soort": "regulier", "beschikking_einddatum": EINDE.isoformat(), "eigen_verantwoordelijkheid": "ja"})
    assert fouten(refused) == ["Het product valt onder de eigen verantwoordelijkheid van de cliënt voor de herindicatie: de aanbieder plant geen evaluatie."]
    gedaan(aanbieder, post(aanbieder, f"{t}/evaluaties/nieuw", {"soort": "regulier", "beschikking_einddatum": EINDE.isoformat()}), "De evaluatie is gepland")
    assert post(aanbieder, f"{t}/evaluaties/nieuw", {"soort": "tussentijds", "reden": "x", "uiterlijk": einde}).status_code == 403
    assert consulent.get(f"{t}/evaluaties/nieuw?soort=tussentijds").status_code == 200
    refused = post(consulent, f"{t}/evaluaties/nieuw", {"soort": "tussentijds", "reden": "", "uiterlijk": einde})
    assert fouten(refused) == ["Vul de reden van het wijkteam voor de tussentijdse evaluatie in."]
    gedaan(consulent, post(consulent, f"{t}/evaluaties/nieuw", {"soort": "tussentijds", "reden": "Zorgen over de voortgang", "uiterlijk": einde}), "De evaluatie is gepland")
    evaluaties = traject_call(stack, "ListEvaluaties", pb.ListEvaluatiesRequest(traject_id=traject_id)).evaluaties
    tussentijds = next(e for e in evaluaties if e.soort == pb.EVALUATIE_SOORT_TUSSENTIJDS)
    assert consulent.get(f"{t}/evaluaties/{tussentijds.id}").status_code == 403  # recording is the aanbieder's
    vastlegging = {"doelen": "2", "doel-0": "Zelfstandig boodschappen doen", "doel-0-mate": "deels_behaald", "doel-1": "Vrijwilligerswerk vinden", "doel-1-mate": "", "advies": "voortzetten"}
    refused = post(aanbieder, f"{t}/evaluaties/{tussentijds.id}", vastlegging)
    assert fouten(refused) == ["Kies in hoeverre het doel 'Vrijwilligerswerk vinden' is behaald."]
    refused = post(aanbieder, f"{t}/evaluaties/{tussentijds.id}", {**vastlegging, "doelen": "1"})
    assert fouten(refused) == ["De evaluatie beoordeelt elk doel van het traject; er ontbreekt: Vrijwilligerswerk vinden."]
    page = gedaan(aanbieder, post(aanbieder, f"{t}/evaluaties/{tussentijds.id}", {**vastlegging, "doel-1-mate": "behaald"}), "De evaluatie is vastgelegd")
    assert "Zelfstandig boodschappen doen: Deels behaald" in page and "Vrijwilligerswerk vinden: Behaald" in page

    # the aanbieder may update the acties, not the doelen; the gemeente closes the traject
    page = gedaan(aanbieder, post(aanbieder, f"{t}/wijzigen", {"acties": "1", "actie-0-omschrijving": "Kennismaking gehouden", "actie-0-gereed": "ja", "doelen": "1", "doel-0-omschrijving": "Ander doel"}), "Het traject is gewijzigd")
    assert "Kennismaking gehouden" in page and "Ander doel" not in page and "Zelfstandig boodschappen doen" in page
    assert post(aanbieder, f"{t}/sluiten", {"status": "afgesloten"}).status_code == 403
    page = gedaan(consulent, post(consulent, f"{t}/sluiten", {"status": "afgesloten"}), "Het traject is gesloten")
    assert '<dd id="traject-status">Afgesloten</dd>' in page and "Nieuwe taak" not in page
    refused = post(consulent, f"{t}/taken/nieuw", {"naam": "Nazorg", "soort": "Overleg", "voor": "gemeente:0356", "einddatum": einde, "prioriteit": "laag"})
    assert re.fullmatch(r"Samenwerkingstraject 0356-\d{4}-\d{5} is afgesloten: er kan geen taak meer worden aangemaakt\.", fouten(refused)[0])
    # the taak still in behandeling vervallen with the traject, saying why; it can no longer be changed
    rij = re.search(rf'<tr data-taak="{taak.id}".*?</tr>', page, re.S).group(0)  # type: ignore[union-attr]
    assert f"Vervallen op {VANDAAG.strftime('%d-%m-%Y')} (samenwerkingstraject afgesloten)" in rij
    refused = post(consulent, f"{t}/taken/{taak.id}", {**wijziging, "status": "afgerond"})
    assert refused.status_code == 400
    assert re.fullmatch(r"Samenwerkingstraject 0356-\d{4}-\d{5} is afgesloten: er kan geen taak meer worden gewijzigd\.", fouten(refused)[0])
    # the regular evaluatie, still gepland, vervallen with the traject, saying why; it can no longer be recorded
    regulier = next(e for e in evaluaties if e.soort == pb.EVALUATIE_SOORT_REGULIER)
    rij = re.search(rf'<tr data-evaluatie="{regulier.id}".*?</tr>', page, re.S).group(0)  # type: ignore[union-attr]
    assert f"Vervallen op {VANDAAG.strftime('%d-%m-%Y')} (samenwerkingstraject afgesloten)" in rij and "Vastleggen" not in rij
    refused = post(aanbieder, f"{t}/evaluaties/{regulier.id}", {**vastlegging, "doel-1-mate": "behaald"})
    assert refused.status_code == 400
    assert re.fullmatch(r"Samenwerkingstraject 0356-\d{4}-\d{5} is afgesloten: er kan geen evaluatie meer worden vastgelegd\.", fouten(refused)[0])


def test_roles_without_trajectwerk_see_the_traject_but_get_no_forms(stack: PortalStack):
    contractmanager = login(stack, "contractmanager-0356")
    page = contractmanager.get(f"/portal/trajecten/{stack.traject_id}")
    assert page.status_code == 200 and "POP opstellen" not in page.text and "Nieuwe taak" not in page.text and "Traject sluiten" not in page.text
    assert contractmanager.get(f"/portal/clienten/0356/{stack.traject_bsn}/melding").status_code == 403
    assert post(contractmanager, f"/portal/trajecten/{stack.traject_id}/sluiten", {"status": "gestopt"}).status_code == 403
    assert traject_call(stack, "GetTraject", pb.GetTrajectRequest(id=stack.traject_id)).status == pb.TRAJECT_STATUS_LOPEND


# ---- the browser walk --------------------------------------------------------------------------


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/portal/inloggen"))


def test_browser_melding_taak_pop_besluit_en_evaluatie(stack: PortalStack, browser: BrowserContext):
    bsn = nieuwe_bsn(stack)
    client_met_beschikking(stack, bsn, INGANG.isoformat(), EINDE.isoformat())
    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/clienten/0356/{bsn}")
    log_in(page, "consulent-0356")

    # melding from the dossier
    page.get_by_role("link", name="Melding registreren").click()
    page.get_by_label("Onderwerp").fill("Ondersteuning bij dagstructuur")
    assert_accessible(page)
    screenshot(page, "40-consulent-melding")
    page.get_by_role("button", name="Melding registreren").click()
    expect(page.get_by_role("status").filter(has_text="De melding is geregistreerd")).to_be_visible()
    traject_url = page.url.split("?")[0]
    assert_accessible(page)

    # doelen, then a taak with its history
    page.get_by_role("link", name="Traject wijzigen").click()
    page.get_by_label("Doel 1", exact=True).fill("Dagritme met vaste tijden")
    page.get_by_label("Domein van doel 1").select_option("tijdsbesteding")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#doelen")).to_contain_text("Dagritme met vaste tijden (Tijdsbesteding)")
    page.get_by_role("link", name="Nieuwe taak").click()
    page.get_by_label("Naam").fill("Huisbezoek plannen")
    page.get_by_label("Soort").fill("Overleg")
    page.get_by_label("Einddatum").fill((VANDAAG + timedelta(days=7)).isoformat())
    page.get_by_label("Prioriteit").select_option("hoog")
    assert_accessible(page)
    page.get_by_role("button", name="Taak aanmaken").click()
    expect(page.get_by_role("status").filter(has_text="De taak is aangemaakt")).to_be_visible()
    page.get_by_role("link", name="Huisbezoek plannen").click()
    page.get_by_label("Status").select_option("in_behandeling")
    page.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.locator("#taak-status")).to_have_text("In behandeling")
    expect(page.locator("#geschiedenis tbody tr")).to_have_count(2)
    assert_accessible(page)
    screenshot(page, "41-consulent-taak-met-geschiedenis")
    page.get_by_role("link", name="Terug naar het traject").click()

    # the POP drawn up, refused once (no aanbieder), then passed on
    page.get_by_role("link", name="POP opstellen").click()
    page.get_by_label("Score Tijdsbesteding").select_option("2")
    page.get_by_label("Toelichting Tijdsbesteding").fill("geen vaste dagindeling")
    page.get_by_label("Score Sociaal netwerk").select_option("3")
    page.get_by_label("Profiel").fill("Begeleiding dagstructuur")
    page.get_by_label("Pakket").fill("Pakket midden")
    assert_accessible(page)
    screenshot(page, "42-consulent-pop-opstellen")
    page.get_by_role("button", name="POP opslaan").click()
    page.get_by_role("button", name=re.compile("POP overdragen")).click()
    expect(page.get_by_role("alert")).to_contain_text("Het POP kan niet naar de aanbieder zonder: aanbieder.")
    assert_accessible(page)
    screenshot(page, "43-consulent-pop-weigering")
    page.get_by_role("link", name="POP wijzigen").click()
    expect(page.get_by_label("Profiel")).to_have_value("Begeleiding dagstructuur")
    page.get_by_label("Aanbieder (AGB-code)").fill(AANBIEDER)
    page.get_by_role("button", name="POP opslaan").click()
    page.get_by_role("button", name=f"POP overdragen aan aanbieder {AANBIEDER}").click()
    expect(page.get_by_role("status").filter(has_text="overgedragen aan de aanbieder")).to_be_visible()
    expect(page.locator("#pop-status")).to_have_text("Bij de aanbieder")
    screenshot(page, "44-consulent-pop-overgedragen")
    log_out(page)

    # the aanbieder completes the POP and records the cliënt's signature
    page.goto(traject_url)
    log_in(page, f"aanbieder-{AANBIEDER}")
    expect(page.locator("#pop")).to_contain_text("werkdagen")
    page.get_by_role("link", name="POP aanvullen").click()
    page.get_by_label("Inzet").fill("3 uur begeleiding per week")
    page.get_by_label("Activiteiten").fill("Weekplanning maken\nDagbesteding zoeken")
    assert_accessible(page)
    screenshot(page, "45-aanbieder-pop-aanvullen")
    page.get_by_role("button", name="POP aanvullen").click()
    expect(page.locator("#pop-status")).to_have_text("Aangevuld door de aanbieder")
    page.get_by_label("Ondertekend door").fill("J. Verbeek")
    assert_accessible(page)
    page.get_by_role("button", name="Ondertekening vastleggen").click()
    expect(page.locator("#pop-status")).to_have_text("Ondertekend (aanvraag)")
    expect(page.locator("#pop")).to_contain_text("De aanvraag wacht op het besluit van de gemeente.")
    screenshot(page, "46-aanbieder-pop-ondertekend")
    log_out(page)

    # the gemeente decides, with the besluit's deadline in view
    page.goto(traject_url)
    log_in(page, "consulent-0356")
    expect(page.get_by_role("group", name="Besluit op de aanvraag")).to_contain_text("werkdagen")
    page.get_by_label("Toekennen").check()
    assert_accessible(page)
    screenshot(page, "47-consulent-besluit")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator("#pop-status")).to_have_text("Toegekend")
    page.get_by_role("link", name="Tussentijdse evaluatie vragen").click()
    page.get_by_label("Reden").fill("Voortgang na zes weken bekijken")
    page.get_by_label("Uiterlijk klaar op").fill((VANDAAG + timedelta(days=14)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Tussentijdse evaluatie vragen").click()
    expect(page.get_by_role("status").filter(has_text="De evaluatie is gepland")).to_be_visible()
    log_out(page)

    # the aanbieder plans the regular evaluatie and records the interim one
    page.goto(traject_url)
    log_in(page, f"aanbieder-{AANBIEDER}")
    page.get_by_role("link", name="Evaluatie plannen").click()
    page.get_by_label("Einddatum van de beschikking").fill(EINDE.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Evaluatie plannen").click()
    expect(page.locator("#evaluaties tbody tr")).to_have_count(2)
    page.get_by_role("link", name=re.compile(r"Vastleggen \(tussentijds")).click()
    page.get_by_label("In hoeverre behaald").select_option("deels_behaald")
    page.get_by_label("Advies over het vervolg").select_option("voortzetten")
    page.get_by_label("Toelichting bij het advies").fill("Ritme komt op gang")
    assert_accessible(page)
    screenshot(page, "48-aanbieder-evaluatie-vastleggen")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.get_by_role("status").filter(has_text="De evaluatie is vastgelegd")).to_be_visible()
    expect(page.locator("#evaluaties")).to_contain_text("Dagritme met vaste tijden: Deels behaald")
    expect(page.locator("#evaluaties")).to_contain_text("Voortzetten — Ritme komt op gang")
    assert_accessible(page)
    screenshot(page, "49-aanbieder-traject-na-evaluatie")
