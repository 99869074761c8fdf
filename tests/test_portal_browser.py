"""The portal in a real browser (Debian's Chromium driven by Playwright) against the real services:
a consulent finds a cliënt and gives a beschikking by form, which then shows in the dossier; an
aanbieder uploads messages and sees their status and each retourcode explained, and corrects a
rejected one beside its findings and sends it again; a session warns before it ends, can be extended, and what a user was typing survives logging in again.

Screenshots of each step are kept in build/test-artifacts/portal/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

from berichten.codec.schemas import STANDAARD_DIR
from devstack.portal_testing import PortalStack, portal_stack_fixture
from devstack.browser import assert_accessible, browser, log_in, playwright, screenshot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.integration


stack = portal_stack_fixture("portal-browser")


def test_consulent_geeft_beschikking_af_en_ziet_die_in_het_dossier(stack: PortalStack, browser: BrowserContext):
    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/clienten")
    expect(page).to_have_url(re.compile(r"/portal/inloggen\?terug=/portal/clienten$"))
    assert_accessible(page)
    log_in(page, "consulent-0356")
    expect(page).to_have_url(f"{stack.base_url}/portal/clienten")  # back where the user wanted to go
    assert_accessible(page)
    screenshot(page, "01-consulent-clienten")

    client = next(c for c in stack.clienten("0356") if c.status == 1 and c.bsn.value != stack.traject_bsn)
    rows = page.locator("tbody tr")
    assert rows.count() == len(stack.clienten("0356"))
    assert all(cell.endswith(("0356",)) for cell in page.locator("tbody td:nth-child(4)").all_inner_texts())
    page.get_by_role("row").filter(has_text=client.bsn.value).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(client.geslachtsnaam)
    assert_accessible(page)
    before = page.locator("#beschikkingen tbody tr").count() if page.locator("#beschikkingen").count() else 0
    screenshot(page, "02-consulent-dossier")

    page.get_by_role("link", name="Beschikking afgeven").click()
    page.get_by_label("Wet").select_option("jeugdwet")
    page.get_by_label("Productcategorie").fill("45")
    page.get_by_label("Productcode").fill("45A48")
    page.get_by_label("Volume").fill("90")
    page.get_by_label("Eenheid (code)").fill("01")
    page.get_by_label("Frequentie (code)").fill("2")
    page.get_by_label("Ingangsdatum").fill("2027-02-01")
    page.get_by_label("Einddatum").fill("2027-07-31")
    page.get_by_label("Uitvoeringsvariant").select_option("inspanningsgericht")
    assert_accessible(page)
    screenshot(page, "03-consulent-beschikking-formulier")
    page.get_by_role("button", name="Beschikking afgeven").click()

    melding = page.get_by_role("status").filter(has_text="is afgegeven")
    expect(melding).to_be_visible()
    nummer = re.search(r"Beschikking (\d+) is afgegeven", melding.inner_text()).group(1)  # type: ignore[union-attr]
    row = page.locator("#beschikkingen tbody tr").filter(has=page.get_by_role("rowheader", name=nummer, exact=True))
    expect(row).to_contain_text("Jeugdwet")
    expect(row).to_contain_text("45/45A48, 90 × eenheid 01 per 2, 01-02-2027 t/m 31-07-2027")
    expect(row).to_contain_text("Afgegeven")
    assert page.locator("#beschikkingen tbody tr").count() == before + 1
    screenshot(page, "04-consulent-dossier-met-beschikking")

    # the letter is the service's PDF
    href = row.get_by_role("link").get_attribute("href")
    response = page.request.get(f"{stack.base_url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf" and response.body().startswith(b"%PDF-")


def test_een_geweigerde_beschikking_houdt_het_formulier_zoals_het_was(stack: PortalStack, browser: BrowserContext):
    client = next(c for c in stack.clienten("0356") if c.status == 1)
    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/clienten/0356/{client.bsn.value}/beschikking")
    log_in(page, "consulent-0356")
    page.get_by_label("Wet").select_option("jeugdwet")
    page.get_by_label("Productcategorie").fill("43")
    page.get_by_label("Productcode").fill("43A99")  # no such contracted product
    page.get_by_label("Ingangsdatum").fill("2027-03-01")
    page.get_by_label("Uitvoeringsvariant").select_option("inspanningsgericht")
    page.get_by_role("button", name="Nog een product").click()  # a second row, without losing the first
    expect(page.get_by_role("group", name="Product 2")).to_be_visible()
    expect(page.get_by_label("Productcode").first).to_have_value("43A99")
    page.get_by_role("button", name="Beschikking afgeven").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("De beschikking is niet afgegeven")
    expect(alert).to_contain_text("43A99")
    expect(page.get_by_label("Productcode").first).to_have_value("43A99")
    expect(page.get_by_label("Ingangsdatum").first).to_have_value("2027-03-01")
    assert_accessible(page)
    screenshot(page, "05-consulent-beschikking-geweigerd")


def _example(name: str) -> bytes:
    return next(STANDAARD_DIR.glob(f"*/3.2/examples/{name}.xml")).read_bytes()


def test_aanbieder_uploadt_berichten_en_ziet_status_en_retourcodes(stack: PortalStack, browser: BrowserContext):
    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/")
    log_in(page, "aanbieder-65656055")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uploaden").click()
    assert_accessible(page)

    # a start zorg passes the hub's checks and waits for the toewijzing service's judgement (not running here)
    page.get_by_label(re.compile("XML-bestand")).set_input_files({"name": "JW305.xml", "mimeType": "application/xml", "buffer": _example("JW305")})
    page.get_by_role("button", name="Uploaden").click()
    expect(page.locator("#upload-status")).to_have_text("Geaccepteerd, wacht op verwerking")
    expect(page.get_by_text("Geen bevindingen tot nu toe")).to_be_visible()
    screenshot(page, "06-aanbieder-upload-geaccepteerd")

    rejected = _example("JW305").replace(b"<jw305:Ontvanger>0363</jw305:Ontvanger>", b"<jw305:Ontvanger>0001</jw305:Ontvanger>")
    page.goto(f"{stack.base_url}/portal/berichten/uploaden")
    page.get_by_label(re.compile("XML-bestand")).set_input_files({"name": "fout.xml", "mimeType": "application/xml", "buffer": rejected})
    page.get_by_role("button", name="Uploaden").click()
    expect(page.locator("#upload-status")).to_have_text("Beantwoord met retourbericht")
    # the same identificatie was sent a moment ago: that is a finding too (TR056); here the S300 counts
    row = page.locator("table.bevindingen tbody tr").filter(has=page.get_by_role("rowheader", name="S300", exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("TR378")
    expect(row).to_contain_text("Gemeentecode komt niet voor in de lijst van CBS.")  # the retourcode in words
    screenshot(page, "07-aanbieder-upload-met-retourcode")
    page.get_by_role("link", name="het retourbericht bekijken").click()
    expect(page.locator("dl")).to_contain_text("IJW 306")
    expect(page.get_by_text("de retourcodes en hun betekenis staan bij dat bericht")).to_be_visible()
    page.get_by_role("link", name="Het bericht waarop dit antwoordt").click()
    expect(page.locator("#bericht-status")).to_have_text("Beantwoord met retourbericht")
    expect(page.get_by_role("rowheader", name="S300", exact=True)).to_be_visible()
    assert_accessible(page)

    page.goto(f"{stack.base_url}/portal/berichten/uploaden")
    page.get_by_label(re.compile("XML-bestand")).set_input_files({"name": "kapot.xml", "mimeType": "application/xml", "buffer": _example("JW305")[:400]})
    page.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_role("alert")).to_contain_text("Het XML-bestand is onvolledig.")

    # the answers wait in the postbus; acknowledging one takes it out
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten").click()
    assert_accessible(page)
    waiting = page.locator("tbody tr")
    count = waiting.count()
    assert count >= 1
    screenshot(page, "08-aanbieder-postbus")
    waiting.first.get_by_role("link").first.click()
    page.get_by_role("button", name="Ontvangst bevestigen").click()
    expect(page.get_by_role("status").filter(has_text="ontvangst is bevestigd")).to_be_visible()
    page.goto(f"{stack.base_url}/portal/berichten")
    expect(page.locator("tbody tr")).to_have_count(count - 1)


def test_sessie_waarschuwt_laat_verlengen_en_bewaart_wat_je_typte(stack: PortalStack, browser: BrowserContext):
    short = stack.start_edge(stack.workdir, ZK_PORTAL_SESSION_TTL_SECONDS="12", ZK_PORTAL_SESSION_WARN_SECONDS="8")
    client = next(c for c in stack.clienten("0356") if c.status == 1)
    form = f"/portal/clienten/0356/{client.bsn.value}/beschikking"
    page = browser.new_page()
    page.goto(short + form)
    log_in(page, "consulent-0356")
    page.get_by_label("Wet").select_option("wmo")
    page.get_by_label("Productcategorie").fill("02")
    page.get_by_label("Productcode").fill("02A01")

    warning = page.get_by_role("alertdialog", name="Uw sessie verloopt bijna")
    expect(warning).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Sessie verlengen")).to_be_focused()
    screenshot(page, "09-sessie-waarschuwing")
    page.get_by_role("button", name="Sessie verlengen").click()
    expect(warning).to_be_hidden()

    # typing on, then leaving the page alone until the session has ended
    page.get_by_label("Volume").fill("4")
    page.wait_for_url(re.compile(r"/portal/inloggen\?verlopen=1"), timeout=20_000)
    expect(page.get_by_role("status").filter(has_text="Uw sessie was verlopen")).to_be_visible()
    log_in(page, "consulent-0356")
    expect(page).to_have_url(short + form)
    expect(page.get_by_role("status").filter(has_text="is teruggezet")).to_be_visible()
    expect(page.get_by_label("Wet")).to_have_value("wmo")
    expect(page.get_by_label("Productcode")).to_have_value("02A01")
    expect(page.get_by_label("Volume")).to_have_value("4")
    screenshot(page, "10-sessie-concept-teruggezet")


def test_aanbieder_corrigeert_een_afgekeurd_bericht_en_verstuurt_het_opnieuw(stack: PortalStack, browser: BrowserContext):
    fout = (
        _example("JW305")
        .replace(b"<ijw:Identificatie>123456789012</ijw:Identificatie>", b"<ijw:Identificatie>CORR0001</ijw:Identificatie>")
        .replace(b"<jw305:Bsn>999900006</jw305:Bsn>", b"<jw305:Bsn>999900007</jw305:Bsn>")  # fails the 11-proef (CS002)
    )
    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/berichten/uploaden")
    log_in(page, "aanbieder-65656055")
    page.get_by_label(re.compile("XML-bestand")).set_input_files({"name": "bsn-fout.xml", "mimeType": "application/xml", "buffer": fout})
    page.get_by_role("button", name="Uploaden").click()
    expect(page.locator("#upload-status")).to_have_text("Beantwoord met retourbericht")

    # the list of berichten shows it waiting for correction
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten").click()
    wachtend = page.locator("#wacht-op-correctie tbody tr").filter(has=page.get_by_role("rowheader", name="CORR0001"))
    expect(wachtend).to_have_count(1)
    expect(wachtend).to_contain_text("0001")
    assert_accessible(page)
    screenshot(page, "11-berichten-wacht-op-correctie")
    wachtend.get_by_role("link", name="Corrigeren").click()

    # the findings beside the XML, which already has a new Identificatie
    expect(page.get_by_role("heading", level=1)).to_have_text("Bericht CORR0001 corrigeren")
    expect(page.get_by_role("rowheader", name="0001", exact=True)).to_be_visible()
    expect(page.locator("table.bevindingen")).to_contain_text("CS002")
    xml = page.get_by_label(re.compile("XML van het bericht")).input_value()
    assert "CORR0001" not in xml and "999900007" in xml
    assert_accessible(page)
    screenshot(page, "12-bericht-corrigeren")
    page.get_by_label(re.compile("XML van het bericht")).fill(xml.replace("999900007", "999900006"))
    page.get_by_role("button", name="Opnieuw versturen").click()

    expect(page.get_by_role("status").filter(has_text="gecorrigeerde bericht is verstuurd")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("Correctie van")
    expect(page.locator("main")).not_to_contain_text("CS002")
    screenshot(page, "13-bericht-gecorrigeerd-verstuurd")
    page.get_by_role("link", name="het afgekeurde bericht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bericht CORR0001")
    expect(page.locator("dl")).to_contain_text("Gecorrigeerd door")
    expect(page.get_by_role("link", name="Corrigeren en opnieuw versturen")).to_have_count(0)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten").click()
    expect(page.locator("#wacht-op-correctie tbody tr").filter(has=page.get_by_role("rowheader", name="CORR0001"))).to_have_count(0)
