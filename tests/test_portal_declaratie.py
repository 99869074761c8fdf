"""The declaratie pages of the portal in a real browser (Debian's Chromium driven by Playwright)
against the real services: an aanbieder with a started toewijzing sends a declaratie by form (the
edge builds the 323 with the contract tarief) and sees the 325 with the prestatie toegekend; the
declaratie is in the lists of the aanbieder and the gemeente; a financieel medewerker makes the
voorlopige afrekening of that month and sees voorschot, gedeclareerd, toegekend and saldo.

Hand-checked amounts: the toewijzing is 45A48, 120 minuten (eenheid 01) per week; the contract tarief
is 175 eurocent per minuut. 480 minuten in last month: 480 × 175 = 84000 eurocent = € 840,00.

Screenshots of each step are kept in build/test-artifacts/portal/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import grpc
import pytest
from playwright.sync_api import BrowserContext, Page, expect
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2

from devstack import aanbieder
from devstack.browser import assert_accessible, browser, log_in, playwright, screenshot  # noqa: F401  (fixtures)
from devstack.portal_testing import PortalStack, client_met_beschikking, nieuwe_bsn, partner, start_portal_stack, stop_portal_stack, toewijzing_call
from devstack.testing import metadata, wait_for
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

AANBIEDER = "98100003"  # contracted in Nieuwegein for 45A48 at 175 eurocent per minuut
INGANG = date.today() - timedelta(days=70)  # so last month lies within the toewijzing
EINDE = INGANG + timedelta(days=364)
VORIGE_MAAND_EINDE = date.today().replace(day=1) - timedelta(days=1)
VORIGE_MAAND = VORIGE_MAAND_EINDE.replace(day=1)
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")
FINANCIEEL_0356 = Tenant.gemeente(Role.FINANCIEEL_MEDEWERKER, "portal:financieel-0356", ["0356"])


@pytest.fixture(scope="module")
def stack(infra, tmp_path_factory) -> Iterator[PortalStack]:  # type: ignore[no-untyped-def]
    started, nats = start_portal_stack(infra, tmp_path_factory.mktemp("portal-declaratie"))
    yield started
    stop_portal_stack(started, nats)


def ontvang(stack: PortalStack, agb: str, xml: bytes) -> berichten_pb2.Bericht:
    with grpc.insecure_channel(stack.addresses["berichten"]) as channel:
        return berichten_pb2_grpc.BerichtenStub(channel).Ontvang(berichten_pb2.OntvangRequest(xml=xml), metadata=metadata(partner(agb)), timeout=30)


def gestarte_toewijzing(stack: PortalStack, agb: str = AANBIEDER, gemeente: str = "0356") -> tuple[str, int]:
    """A new cliënt with a toewijzing to `agb`, its 301 answered with a 302 and the care started (305,
    answered with a 306 without findings) by the aanbieder's partner system; returns (bsn, nummer)."""
    from berichten.domain import model

    bsn = nieuwe_bsn(stack)
    client_met_beschikking(stack, bsn, INGANG.isoformat(), EINDE.isoformat(), aanbieder=agb, gemeente=gemeente)
    tenant = Tenant.gemeente(Role.GEMEENTE_CONSULENT, f"portal:consulent-{gemeente}", [gemeente])

    def verzonden_301() -> str:
        page = toewijzing_call(stack, "ListToewijzingberichten", toewijzing_pb2.ListToewijzingberichtenRequest(page=common_pb2.PageRequest(page_size=100)), tenant)
        return next((b.bericht_id for b in page.berichten if b.bsn.value == bsn and b.berichtsoort == "301" and b.bericht_id), "")

    bericht_id = wait_for(verzonden_301, 30, 0.3, what="the 301 sent")
    with grpc.insecure_channel(stack.addresses["berichten"]) as channel:
        xml = berichten_pb2_grpc.BerichtenStub(channel).GetBerichtXml(berichten_pb2.GetBerichtRequest(id=bericht_id), metadata=metadata(partner(agb)), timeout=30).xml
    bericht301 = aanbieder.codec().decode(xml).bericht
    assert isinstance(bericht301, model.ToewijzingBericht) and bericht301.client is not None
    nummer = bericht301.client.toegewezen_producten[0].toewijzing_nummer
    antwoord = ontvang(stack, agb, aanbieder.retour_302(bericht301))
    assert antwoord.status in ("geaccepteerd", "verwerkt"), (antwoord.status, list(antwoord.bevindingen))
    start = ontvang(stack, agb, aanbieder.start_305(bericht301, INGANG))
    assert start.status == "geaccepteerd", (start.status, list(start.bevindingen))

    def actief_en_gestart() -> bool:
        medewerker = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, f"portal:aanbieder-{agb}", agb)
        toewijzingen = toewijzing_call(stack, "ListToewijzingen", toewijzing_pb2.ListToewijzingenRequest(bsn=common_pb2.Bsn(value=bsn), page=common_pb2.PageRequest(page_size=10)), medewerker)
        leveringen = toewijzing_call(stack, "ListLeveringen", toewijzing_pb2.ListLeveringenRequest(bsn=common_pb2.Bsn(value=bsn)), medewerker)
        return [t.status for t in toewijzingen.toewijzingen] == ["actief"] and [lv.soort for lv in leveringen.leveringen] == ["start"]

    wait_for(actief_en_gestart, 30, 0.3, what="the toewijzing actief with its start")
    return bsn, nummer


def wacht_op_beoordeling(page: Page, timeout: float = 45) -> None:
    """Reloads the declaratie page until the declaratie service has judged it and the hub has its 325."""

    def klaar() -> bool:
        if page.locator("#declaratie-status").count() and page.get_by_role("link", name="Antwoordbericht (325) bekijken").count():
            return True
        page.reload()
        return False

    try:
        wait_for(klaar, timeout, 0.5, what="the declaratie judged")
    except AssertionError as fout:
        raise AssertionError(f"{fout}; the page shows:\n{page.locator('main').inner_text()}") from None


def euro_naar_cent(tekst: str) -> int:
    """'€ 1.234,56' (or '-€ 1.234,56') as eurocent."""
    found = re.search(r"(-?)€ ([\d.]+),(\d{2})", tekst)
    assert found, tekst
    return (-1 if found.group(1) else 1) * (int(found.group(2).replace(".", "")) * 100 + int(found.group(3)))


def test_aanbieder_dient_een_declaratie_in_per_formulier_en_de_financieel_medewerker_maakt_de_voorlopige_afrekening(stack: PortalStack, browser: BrowserContext):
    bsn, nummer = gestarte_toewijzing(stack)
    maand = VORIGE_MAAND.strftime("%Y-%m")
    maandnaam = f"{MAANDEN[VORIGE_MAAND.month - 1]} {VORIGE_MAAND.year}"

    # the aanbieder fills in the form: toewijzing, month, volume — no XML, no tarief, no bedrag
    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/")
    log_in(page, f"aanbieder-{AANBIEDER}")
    expect(page.locator(".tegels")).to_contain_text("Declaratie indienen")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Declaraties").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Declaraties")
    assert_accessible(page)
    page.get_by_role("link", name="Declaratie indienen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Declaratie indienen")
    keuze = page.get_by_label("Toewijzing").locator("option").filter(has_text=f"cliënt {bsn}")
    expect(keuze).to_have_count(1)
    expect(keuze).to_contain_text(f"{nummer} — cliënt {bsn}, Jeugdwet gemeente 0356, product 45/45A48, eenheid 01")
    page.get_by_label("Toewijzing").select_option(f"0356/jeugdwet/{nummer}")
    expect(page.get_by_label("Declaratieperiode (maand)")).to_have_value(maand)  # last month by default
    page.get_by_label("Geleverd volume").fill("480")
    assert_accessible(page)
    screenshot(page, "40-aanbieder-declaratie-formulier")
    page.get_by_role("button", name="Declaratie versturen").click()

    # the declaratie page: sent, then judged — the 325 with the prestatie toegekend
    expect(page.get_by_role("status").filter(has_text="Uw declaratie is verstuurd")).to_be_visible()
    wacht_op_beoordeling(page)
    expect(page.locator("#declaratie-status")).to_have_text("Beoordeeld: alle prestaties toegekend")
    expect(page.locator("#declaratie")).to_contain_text(maandnaam)
    expect(page.locator("#declaratie-ingediend")).to_have_text("€ 840,00")
    expect(page.locator("#declaratie-toegekend")).to_have_text("€ 840,00")
    prestatie = page.locator("#prestaties tbody tr")
    expect(prestatie).to_have_count(1)
    expect(prestatie).to_contain_text(bsn)
    expect(prestatie).to_contain_text("45/45A48")
    expect(prestatie).to_contain_text(f"{VORIGE_MAAND:%d-%m-%Y} t/m {VORIGE_MAAND_EINDE:%d-%m-%Y}")
    expect(prestatie).to_contain_text("480 × eenheid 01")
    expect(prestatie).to_contain_text("€ 1,75")  # the contract tarief per minuut
    expect(prestatie).to_contain_text("€ 840,00 debet")
    expect(prestatie.locator(".uitkomst")).to_have_text("Toegekend")
    expect(prestatie.get_by_role("link", name=str(nummer))).to_have_attribute("href", f"/portal/toewijzingen/0356/jeugdwet/{nummer}")
    assert_accessible(page)
    screenshot(page, "41-aanbieder-declaratie-325-toegekend")
    declaratie_url = page.url.split("?")[0]
    bericht_id = declaratie_url.rsplit("/", 1)[1]
    page.get_by_role("link", name="Antwoordbericht (325) bekijken").click()
    expect(page.locator("dl")).to_contain_text("IJW 325")
    screenshot(page, "42-aanbieder-325")

    # the declaratie in the aanbieder's list, with its totals
    page.goto(f"{stack.base_url}/portal/declaraties")
    rij = page.locator(f'tr[data-declaratie="{bericht_id}"]')
    expect(rij).to_contain_text(maandnaam)
    expect(rij).to_contain_text("€ 840,00")
    expect(page.locator("#declaraties-totaal")).to_contain_text("Totaal van deze 1 declaraties")
    screenshot(page, "43-aanbieder-declaraties")

    # the financieel medewerker of the gemeente: the same declaratie, then the voorlopige afrekening
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, "financieel-0356")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Declaraties").click()
    page.locator(f'tr[data-declaratie="{bericht_id}"]').get_by_role("link").click()
    expect(page.locator("#prestaties tbody tr")).to_contain_text(bsn)
    expect(page.locator("#prestaties .uitkomst")).to_have_text("Toegekend")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Afrekeningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afrekeningen")
    assert_accessible(page)
    expect(page.get_by_label("Gemeente")).to_have_value("0356")
    page.get_by_label("Aanbieder (AGB-code)").fill(AANBIEDER)
    expect(page.get_by_label("Maand", exact=True)).to_have_value(maand)
    expect(page.get_by_label("Voorlopig", exact=True)).to_be_checked()
    screenshot(page, "44-financieel-afrekening-formulier")
    page.get_by_role("button", name="Afrekening maken").click()

    gemaakt = page.locator("#gemaakt")
    expect(gemaakt.get_by_role("heading")).to_have_text("De voorlopige afrekening is gemaakt")
    expect(gemaakt).to_contain_text(maandnaam)
    expect(page.locator("#gemaakt-toegekend")).to_have_text("€ 840,00")
    expect(page.locator("#gemaakt-gedeclareerd")).to_have_text("€ 840,00")
    voorschot = euro_naar_cent(page.locator("#gemaakt-voorschot").inner_text())
    saldo = 84000 - voorschot
    assert voorschot > 0  # the toewijzingen of this aanbieder in this gemeente in that month
    saldo_tekst = page.locator("#gemaakt-saldo").inner_text()
    assert euro_naar_cent(saldo_tekst) == abs(saldo), (saldo_tekst, voorschot)
    assert ("te betalen aan de aanbieder" if saldo > 0 else "terug te vorderen van de aanbieder") in saldo_tekst, saldo_tekst
    rij = page.locator("#afrekeningen tbody tr").first
    expect(rij).to_contain_text("Voorlopig")
    expect(rij).to_contain_text(AANBIEDER)
    assert_accessible(page)
    screenshot(page, "45-financieel-voorlopige-afrekening")

    # the service has it as shown
    with grpc.insecure_channel(stack.addresses["declaratie"]) as channel:
        lijst = declaratie_pb2_grpc.DeclaratieStub(channel).ListAfrekeningen(declaratie_pb2.ListAfrekeningenRequest(), metadata=metadata(FINANCIEEL_0356), timeout=10)
    (afrekening,) = [a for a in lijst.afrekeningen if a.aanbieder.value == AANBIEDER]
    assert (afrekening.soort, afrekening.periode.begindatum.value) == ("voorlopig", VORIGE_MAAND.isoformat())
    assert (afrekening.voorschot_eurocent, afrekening.toegekend_eurocent, afrekening.saldo_eurocent) == (voorschot, 84000, saldo)


def test_a_form_without_its_fields_comes_back_with_what_is_missing_and_nothing_is_sent(stack: PortalStack, browser: BrowserContext):
    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/declaraties/indienen")
    log_in(page, f"aanbieder-{AANBIEDER}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Declaratie indienen")
    page.get_by_label("Declaratieperiode (maand)").fill(date.today().strftime("%Y-%m"))
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
    page.get_by_role("button", name="Declaratie versturen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Kies de toewijzing.")
    expect(alert).to_contain_text("De declaratieperiode is een kalendermaand in het verleden.")
    expect(alert).to_contain_text("Vul het geleverde volume in als heel getal")
    assert_accessible(page)
    # the gemeente has no form to declare with, and no aanbieder makes an afrekening
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, "consulent-0356")
    assert page.goto(f"{stack.base_url}/portal/declaraties/indienen").status == 403  # type: ignore[union-attr]
    page.goto(f"{stack.base_url}/portal/")
    # a consulent sees declaraties but has no afrekeningen in the menu
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Afrekeningen")).to_have_count(0)
