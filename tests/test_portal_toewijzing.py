"""The toewijzing pages of the portal in a real browser (Debian's Chromium driven by Playwright)
against the real services, the toewijzing service included: an aanbieder claims a cliënt from the
toewijslijst (a second aanbieder is told it was too late), the gemeente confirms the claim, the
aanbieder finds the 301 in its postbus, reports the start and the stop by form and sees the 306 and
308, and the gemeente sees the toewijzing and its start and stop in the dossier; a gemeente user
refuses a verzoek om toewijzing with a reden from the code list; each role's start page shows its
deadlines.

Screenshots of each step are kept in build/test-artifacts/portal/.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect
from zorgketen.common.v1 import common_pb2
from zorgketen.toewijzing.v1 import toewijzing_pb2

from devstack.portal_testing import (
    CONSULENT_0356,
    PortalStack,
    client_met_beschikking,
    inschrijving_van,
    nieuwe_bsn,
    portal_stack_fixture,
    toewijzing_call,
    verzoek_om_toewijzing,
)
from devstack.testing import wait_for
from devstack.browser import assert_accessible, browser, log_in, playwright, screenshot  # noqa: F401  (fixtures)
from devstack.users import demo_password

pytestmark = pytest.mark.integration


WINNAAR, TE_LAAT = "98100003", "98100004"  # both contracted in Nieuwegein for 45A48
INGANG = date.today() - timedelta(days=70)  # care that began in the past: a start may carry it (TR134)
EINDE = INGANG + timedelta(days=364)
# a toewijzing made from a confirmed claim begins on the day of the confirmation (today), and so does the care here
BEGIN = date.today()


stack = portal_stack_fixture("portal-toewijzing")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/portal/inloggen"))


def http_login(stack: PortalStack, gebruikersnaam: str) -> httpx.Client:
    client = httpx.Client(base_url=stack.base_url, follow_redirects=False, timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/portal/inloggen").text).group(1)  # type: ignore[union-attr]
    client.post("/portal/inloggen", data={"csrf": token, "terug": "/portal/", "gebruikersnaam": gebruikersnaam, "wachtwoord": demo_password(gebruikersnaam)})
    return client


def wacht_op_status(page: Page, tekst: str, timeout: float = 45) -> None:
    """Reloads a message page until its status reads `tekst` (the toewijzing service judges in the background)."""

    def klaar() -> bool:
        if page.locator("#bericht-status").inner_text() == tekst:
            return True
        page.reload()
        return False

    wait_for(klaar, timeout, 0.5, what=f"the message status '{tekst}'")


def test_aanbieder_claimt_gemeente_bevestigt_aanbieder_meldt_start_en_stop(stack: PortalStack, browser: BrowserContext):
    bsn = nieuwe_bsn(stack)
    client_met_beschikking(stack, bsn, INGANG.isoformat(), EINDE.isoformat())
    inschrijving = inschrijving_van(stack, bsn)
    rij = f'tr[data-inschrijving="{inschrijving.id}"]'

    # the aanbieder sees the open entry without BSN or name and claims it
    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/")
    log_in(page, f"aanbieder-{WINNAAR}")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Toewijslijst").click()
    expect(page.locator(rij)).to_contain_text("45/45A48")
    expect(page.locator(rij)).to_contain_text("Open")
    assert bsn not in page.content() and "Verbeek" not in page.content()
    assert_accessible(page)
    screenshot(page, "20-aanbieder-toewijslijst")
    te_laat = http_login(stack, f"aanbieder-{TE_LAAT}")
    assert inschrijving.id in te_laat.get("/portal/toewijslijst").text  # the other aanbieder sees it open too
    page.locator(rij).get_by_role("button", name=re.compile("Claimen")).click()
    expect(page.get_by_role("status").filter(has_text="U heeft de cliënt geclaimd")).to_be_visible()
    expect(page.locator(rij)).to_have_count(0)  # no longer open for anybody
    screenshot(page, "21-aanbieder-geclaimd")

    # the other aanbieder, a moment too late, is told so
    token = re.search(r'data-csrf="([^"]+)"', te_laat.get("/portal/").text).group(1)  # type: ignore[union-attr]
    late = te_laat.post(f"/portal/toewijslijst/{inschrijving.id}/claim", data={"csrf": token})
    assert late.status_code == 409 and "Een andere aanbieder was u voor" in late.text

    # the gemeente sees the claim in full and confirms it
    log_out(page)
    log_in(page, "consulent-0356")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Toewijslijst").click()
    expect(page.locator(rij)).to_contain_text(bsn)
    expect(page.locator(rij)).to_contain_text(f"Geclaimd, wacht op bevestiging door {WINNAAR}")
    assert_accessible(page)
    screenshot(page, "22-gemeente-toewijslijst-claim")
    page.locator(rij).get_by_role("button", name=re.compile("Claim bevestigen")).click()
    expect(page.get_by_role("status").filter(has_text="De claim is bevestigd")).to_be_visible()
    expect(page.locator(rij)).to_contain_text("Bevestigd")
    bevestigd = toewijzing_call(stack, "ListToewijslijst", toewijzing_pb2.ListToewijslijstRequest(page=common_pb2.PageRequest(page_size=500)), CONSULENT_0356)
    nummer = next(i.toewijzing_nummer for i in bevestigd.inschrijvingen if i.id == inschrijving.id)
    assert nummer > 0

    # the 301 reaches the aanbieder's postbus
    def verzonden_301() -> str:
        page_ = toewijzing_call(stack, "ListToewijzingberichten", toewijzing_pb2.ListToewijzingberichtenRequest(page=common_pb2.PageRequest(page_size=100)), CONSULENT_0356)
        return next((b.bericht_id for b in page_.berichten if b.bsn.value == bsn and b.berichtsoort == "301" and b.bericht_id), "")

    bericht_301 = wait_for(verzonden_301, 30, 0.3, what="the 301 sent")
    log_out(page)
    log_in(page, f"aanbieder-{WINNAAR}")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten").click()
    link = page.locator(f'a[href="/portal/berichten/{bericht_301}"]')
    expect(link).to_have_count(1)
    expect(page.get_by_role("row").filter(has=link)).to_contain_text("IJW 301")
    link.click()
    expect(page.locator("dl")).to_contain_text("IJW 301")
    screenshot(page, "23-aanbieder-301-in-postbus")

    # the start by form: the toewijzing, then "Start zorg melden"
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Toewijzingen").click()
    assert_accessible(page)
    page.locator("#toewijzingen").get_by_role("link", name=str(nummer), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Toewijzing {nummer}")
    page.get_by_role("link", name="Start zorg melden").click()
    page.get_by_label("Begindatum").fill(BEGIN.isoformat())
    assert_accessible(page)
    screenshot(page, "24-aanbieder-start-formulier")
    page.get_by_role("button", name="Start versturen").click()
    expect(page.get_by_role("status").filter(has_text="Uw bericht is verstuurd")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("IJW 305")
    wacht_op_status(page, "Beantwoord met retourbericht")
    expect(page.get_by_text("Geen bevindingen: het bericht is goedgekeurd.")).to_be_visible()
    screenshot(page, "25-aanbieder-start-beoordeeld")
    page.get_by_role("link", name="Retourbericht bekijken").click()
    expect(page.locator("dl")).to_contain_text("IJW 306")
    screenshot(page, "26-aanbieder-306")

    # the stop by form, with a RedenBeeindiging of the Jeugdwet list (JZ588) in words
    page.goto(f"{stack.base_url}/portal/toewijzingen/0356/jeugdwet/{nummer}")
    expect(page.locator("#leveringen")).to_contain_text("Start (305)")
    page.get_by_role("link", name="Stop zorg melden").click()
    expect(page.get_by_label("Begindatum (van de start die stopt)")).to_have_value(BEGIN.isoformat())
    page.get_by_label("Einddatum").fill(BEGIN.isoformat())
    page.get_by_label("Reden beëindiging").select_option("31")
    expect(page.get_by_label("Reden beëindiging")).to_contain_text("31 — Levering is volgens plan beeindigd.")
    assert_accessible(page)
    page.get_by_role("button", name="Stop versturen").click()
    wacht_op_status(page, "Beantwoord met retourbericht")
    expect(page.get_by_text("Geen bevindingen: het bericht is goedgekeurd.")).to_be_visible()
    page.get_by_role("link", name="Retourbericht bekijken").click()
    expect(page.locator("dl")).to_contain_text("IJW 308")

    # a form without its dates comes back with what is missing, nothing is sent
    page.goto(f"{stack.base_url}/portal/toewijzingen/0356/jeugdwet/{nummer}/stop")
    expect(page.get_by_label("Reden beëindiging")).to_have_value("")  # the draft of the stop sent above was cleared
    page.get_by_label("Begindatum (van de start die stopt)").fill("")
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
    page.get_by_role("button", name="Stop versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul de begindatum in.")
    expect(page.get_by_role("alert")).to_contain_text("Kies de reden van beëindiging.")

    # the aanbieder's start page shows its deadlines
    page.goto(f"{stack.base_url}/portal/")
    expect(page.get_by_role("heading", name="Termijnen van toewijzingen, start en stop en verzoeken")).to_be_visible()
    termijnen = page.locator("#termijnen tbody tr")
    assert termijnen.count() >= 1
    assert set(termijnen.locator("th").all_inner_texts()) <= {"Op tijd", "Bijna verlopen", "Verlopen"}
    assert_accessible(page)
    screenshot(page, "27-aanbieder-start-termijnen")

    # the gemeente sees the toewijzing with its start and stop in the cliënt's dossier
    log_out(page)
    log_in(page, "consulent-0356")
    page.goto(f"{stack.base_url}/portal/clienten/0356/{bsn}")
    toewijzing = page.locator("#toewijzingen tbody tr").filter(has=page.get_by_role("rowheader", name=str(nummer), exact=True))
    expect(toewijzing).to_contain_text("45/45A48")
    expect(toewijzing).to_contain_text(f"{BEGIN:%d-%m-%Y} t/m {EINDE:%d-%m-%Y}")
    expect(toewijzing).to_contain_text("120 × eenheid 01 per 2")
    expect(toewijzing).to_contain_text(WINNAAR)
    leveringen = page.locator("#leveringen tbody tr")
    expect(leveringen).to_have_count(2)
    expect(leveringen.filter(has_text="Stop (307)")).to_contain_text("31: Levering is volgens plan beeindigd.")
    expect(leveringen.filter(has_text="Start (305)")).to_contain_text(f"{BEGIN:%d-%m-%Y}")
    assert_accessible(page)
    screenshot(page, "28-gemeente-dossier-toewijzing-start-stop")


def test_gemeente_wijst_een_verzoek_af_met_een_reden(stack: PortalStack, browser: BrowserContext):
    bsn = nieuwe_bsn(stack)
    client_met_beschikking(stack, bsn, INGANG.isoformat(), EINDE.isoformat(), aanbieder=WINNAAR)
    verzoek = verzoek_om_toewijzing(stack, TE_LAAT, "0356", bsn)
    assert verzoek.status == "open"
    sectie = f'section[data-verzoek="{verzoek.id}"]'

    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/")
    log_in(page, "consulent-0356")
    # the deadline of the answer is on the start page …
    termijn = page.locator("#termijnen tbody tr").filter(has_text="Verzoek beantwoorden (gemeente)").filter(has_text=verzoek.id)
    expect(termijn).to_have_count(1)  # the verzoek of the first aangevraagd product (kenmerk: id/ReferentieAanbieder)
    expect(termijn.first).to_contain_text("Op tijd")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verzoeken").click()
    # … and with the verzoek
    expect(page.locator(sectie).locator(".verzoek-deadline")).to_have_text(re.compile(r"\d{2}-\d{2}-\d{4}"))
    expect(page.locator(sectie).locator(".verzoek-status")).to_have_text("Open")
    expect(page.locator(sectie)).to_contain_text("Verzoek om toewijzing (315)")
    assert_accessible(page)
    screenshot(page, "29-gemeente-verzoeken")
    keuzes = page.locator(sectie).get_by_label("Reden afwijzing").locator("option").all_inner_texts()
    assert keuzes[1:] == [
        "1 — Geen wijziging, maar nieuwe aanvraag",
        "2 — Past niet binnen budget",
        "3 — Geen contract",
        "4 — Past niet binnen contract",
        "5 — Andere gemeente",
        "6 — Stapeling",
        "7 — Zorginhoudelijke afkeur",
        "8 — Woonplaatsbeginsel",
        "9 — Leeftijdsgrens is bereikt",
    ]
    page.locator(sectie).get_by_label("Reden afwijzing").select_option("7")
    page.locator(sectie).get_by_role("button", name=re.compile("^Afwijzen")).click()
    expect(page.get_by_role("status").filter(has_text="Het verzoek is beantwoord: afgewezen")).to_be_visible()
    expect(page.locator(sectie).locator(".verzoek-status")).to_have_text("Afgewezen (reden 7: Zorginhoudelijke afkeur)")
    expect(page.locator(sectie).get_by_role("button")).to_have_count(0)  # answered: nothing left to decide
    screenshot(page, "30-gemeente-verzoek-afgewezen")

    # the 319 goes to the aanbieder
    def antwoord_319() -> bool:
        page_ = toewijzing_call(stack, "ListToewijzingberichten", toewijzing_pb2.ListToewijzingberichtenRequest(page=common_pb2.PageRequest(page_size=100)), CONSULENT_0356)
        return any(b.berichtsoort == "319" and b.bsn.value == bsn and b.aanbieder.value == TE_LAAT for b in page_.berichten)

    wait_for(antwoord_319, 30, 0.3, what="the 319 to the aanbieder")


def _toewijslijst_paginas(stack: PortalStack, tenant, page_size: int) -> list[list[toewijzing_pb2.Inschrijving]]:  # type: ignore[no-untyped-def]
    pages, token = [], ""
    while True:
        page = toewijzing_call(stack, "ListToewijslijst", toewijzing_pb2.ListToewijslijstRequest(page=common_pb2.PageRequest(page_size=page_size, page_token=token)), tenant)
        pages.append(list(page.inschrijvingen))
        token = page.next_page_token
        if not token:
            return pages


def test_toewijslijst_in_keyset_pages(stack: PortalStack):
    from runtime.tenancy import Role, Tenant

    bsns = [nieuwe_bsn(stack) for _ in range(3)]
    for bsn in bsns:
        client_met_beschikking(stack, bsn, INGANG.isoformat(), EINDE.isoformat())
    nieuw = [inschrijving_van(stack, bsn) for bsn in bsns]

    # the gemeente, two at a time: every entry once, longest waiting first, full pages until the last
    pages = _toewijslijst_paginas(stack, CONSULENT_0356, 2)
    alle = [i for page in pages for i in page]
    assert len(pages) >= 3 and all(len(page) == 2 for page in pages[:-1])
    assert len({i.id for i in alle}) == len(alle) and {i.id for i in nieuw} <= {i.id for i in alle}
    in_een = toewijzing_call(stack, "ListToewijslijst", toewijzing_pb2.ListToewijslijstRequest(page=common_pb2.PageRequest(page_size=500)), CONSULENT_0356)
    assert [i.id for i in alle] == [i.id for i in in_een.inschrijvingen]  # the same order as one page

    # an aanbieder (contracted for 45A48), one at a time: only open entries, each once, the new ones among them
    aanbieder = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, f"portal:aanbieder-{WINNAAR}", WINNAAR)
    gezien = [i for page in _toewijslijst_paginas(stack, aanbieder, 1) for i in page]
    assert len({i.id for i in gezien}) == len(gezien) and {i.id for i in nieuw} <= {i.id for i in gezien}
    assert all(not i.bsn.value for i in gezien)  # without BSN, as before

    with pytest.raises(Exception) as slecht:
        toewijzing_call(stack, "ListToewijslijst", toewijzing_pb2.ListToewijslijstRequest(page=common_pb2.PageRequest(page_size=2, page_token="kapot")), CONSULENT_0356)
    assert "page_token" in str(slecht.value)

    # the portal page continues after a key: what came before it is not shown again
    client = httpx.Client(base_url=stack.base_url, follow_redirects=False, timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/portal/inloggen").text).group(1)  # type: ignore[union-attr]
    client.post("/portal/inloggen", data={"csrf": token, "terug": "/portal/", "gebruikersnaam": "consulent-0356", "wachtwoord": demo_password("consulent-0356")})
    eerste_twee = toewijzing_call(stack, "ListToewijslijst", toewijzing_pb2.ListToewijslijstRequest(page=common_pb2.PageRequest(page_size=2)), CONSULENT_0356)
    vervolg = client.get("/portal/toewijslijst", params={"na": eerste_twee.next_page_token})
    assert vervolg.status_code == 200
    assert not any(i.bsn.value in vervolg.text for i in eerste_twee.inschrijvingen)
    assert alle[2].bsn.value in vervolg.text
    assert client.get("/portal/toewijslijst", params={"na": "kapot"}).status_code == 400
