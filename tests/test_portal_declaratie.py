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
from datetime import date, timedelta
from typing import Any

import grpc
import pytest
from playwright.sync_api import BrowserContext, Page, expect
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2

from devstack import aanbieder
from devstack.browser import assert_accessible, browser, log_in, playwright, screenshot  # noqa: F401  (fixtures)
from devstack.portal_testing import PortalStack, client_met_beschikking, nieuwe_bsn, partner, portal_stack_fixture, toewijzing_call
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


stack = portal_stack_fixture("portal-declaratie")


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


# ---- benutting, onderbenutting, the period rhythm, voorschotten and the payment file over gRPC ----------

CONTRACTMANAGER_0356 = Tenant.gemeente(Role.CONTRACTMANAGER, "portal:contractmanager-0356", ["0356"])
CONSULENT_0356 = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "portal:consulent-0356", ["0356"])
VIER_WEKEN_GEMEENTE = "0353"  # IJsselstein: four-week periods from Monday 5 January 2026 in these tests
EERSTE_MAANDAG = date(2026, 1, 5)
NIEUWE_AANBIEDER = "98100007"  # no demo data: contracted here in IJsselstein only, with an agreed voorschot
AFGESPROKEN_VOORSCHOT = 1000  # eurocent per period for 45A48 (contract field)


def declaratie_call(stack: PortalStack, method: str, request, tenant: Tenant):  # type: ignore[no-untyped-def]
    with grpc.insecure_channel(stack.addresses["declaratie"]) as channel:
        return getattr(declaratie_pb2_grpc.DeclaratieStub(channel), method)(request, metadata=metadata(tenant), timeout=30)


def geweigerd(stack: PortalStack, method: str, request, tenant: Tenant) -> grpc.RpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as refused:
        declaratie_call(stack, method, request, tenant)
    return refused.value


def declareer(stack: PortalStack, agb: str, gemeente: str, bsn: str, nummer: int, minuten: int) -> str:
    """A 323 of `agb` for last month on the toewijzing (45A48, 175 eurocent per minuut), judged; its id."""
    import uuid

    from berichten.domain import model
    from berichten.domain.berichtsoorten import Standaard

    maand = (VORIGE_MAAND, VORIGE_MAAND_EINDE)
    medewerker = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, f"portal:aanbieder-{agb}", agb)
    # the declaratie service learns of a toewijzing from its event: a 323 judged before that would get 9338
    wait_for(
        lambda: any(b.toewijzing_nummer == nummer for b in benutting(stack, medewerker, *maand, bsn=common_pb2.Bsn(value=bsn))),
        45, 0.3, what=f"toewijzing {nummer} known to the declaratie service",
    )  # fmt: skip
    regel = aanbieder.Prestatieregel(uuid.uuid4().hex[:20], nummer, *maand, minuten, minuten * 175, product_tarief=175, product=model.Product(categorie="45", code="45A48"), eenheid="01")
    sent = ontvang(stack, agb, aanbieder.declaratie_323_clienten(Standaard.IJW, agb, gemeente, uuid.uuid4().hex[:12], maand, [(bsn, [regel])]))
    assert sent.status == "geaccepteerd", (sent.status, list(sent.bevindingen))

    def beoordeeld() -> declaratie_pb2.DeclaratieDetail | None:
        try:
            return declaratie_call(stack, "GetDeclaratie", declaratie_pb2.GetDeclaratieRequest(bericht_id=sent.id), medewerker)
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise

    detail = wait_for(beoordeeld, 45, 0.3, what=f"the declaratie {sent.id} judged")
    assert [(p.toegekend, list(p.retour_codes)) for p in detail.prestaties] == [(True, [])]
    return sent.id


def benutting(stack: PortalStack, tenant: Tenant, van: date, tot: date, **filters: Any) -> list[declaratie_pb2.Benutting]:
    request = declaratie_pb2.ListBenuttingRequest(periode=common_pb2.Periode(begindatum=common_pb2.Datum(value=van.isoformat()), einddatum=common_pb2.Datum(value=tot.isoformat())), **filters)
    return list(declaratie_call(stack, "ListBenutting", request, tenant).benutting)


def half_omhoog(teller: int, noemer: int) -> int:
    return (2 * teller + noemer) // (2 * noemer)


def test_benutting_per_toewijzing_and_month_with_hand_checked_amounts_and_only_for_the_own_party(stack: PortalStack):
    """120 minuten per week at 175 eurocent per minuut: toegewezen is 120/7 × 175 = 3000 eurocent a day,
    so 3000 × the days of last month; 480 minuten declared and toegekend: 84000."""
    bsn, nummer = gestarte_toewijzing(stack, agb="98100004")
    declareer(stack, "98100004", "0356", bsn, nummer, 480)
    dagen = (VORIGE_MAAND_EINDE - VORIGE_MAAND).days + 1
    for tenant in (CONTRACTMANAGER_0356, FINANCIEEL_0356, Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "portal:aanbieder-98100004", "98100004")):
        (rij,) = benutting(stack, tenant, VORIGE_MAAND, VORIGE_MAAND_EINDE, bsn=common_pb2.Bsn(value=bsn))
        assert (rij.toewijzing_nummer, rij.aanbieder.value, rij.product.code, rij.periode_kenmerk) == (nummer, "98100004", "45A48", VORIGE_MAAND.strftime("%Y-%m"))
        assert rij.eenheid == "01" and rij.toegewezen_volume == f"{half_omhoog(12000 * dagen, 7) / 100:.2f}"
        assert rij.HasField("toegewezen_eurocent") and rij.toegewezen_eurocent == 3000 * dagen
        assert (rij.gedeclareerd_volume, rij.gedeclareerd_eurocent, rij.toegekend_volume, rij.toegekend_eurocent) == ("480.00", 84000, "480.00", 84000)
        assert rij.benuttingspercentage == f"{half_omhoog(84000 * 1000, 3000 * dagen) / 10:.1f}"  # 93.3 in a month of 30 days
    # another aanbieder and another gemeente see nothing of it; a consulent has no benutting at all
    assert benutting(stack, Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "portal:aanbieder-98100003", "98100003"), VORIGE_MAAND, VORIGE_MAAND_EINDE, bsn=common_pb2.Bsn(value=bsn)) == []
    houten = Tenant.gemeente(Role.CONTRACTMANAGER, "portal:contractmanager-0321", ["0321"])
    assert benutting(stack, houten, VORIGE_MAAND, VORIGE_MAAND_EINDE, bsn=common_pb2.Bsn(value=bsn)) == []
    periode = common_pb2.Periode(begindatum=common_pb2.Datum(value=VORIGE_MAAND.isoformat()))
    assert geweigerd(stack, "ListBenutting", declaratie_pb2.ListBenuttingRequest(periode=periode), CONSULENT_0356).code() == grpc.StatusCode.PERMISSION_DENIED
    # keyset pages by toewijzing: the demo region's toewijzingen of 98100004 in Nieuwegein, one per page
    eerste = declaratie_call(stack, "ListBenutting", declaratie_pb2.ListBenuttingRequest(periode=periode, aanbieder=common_pb2.AgbCode(value="98100004"), page=common_pb2.PageRequest(page_size=1)), FINANCIEEL_0356)
    assert eerste.next_page_token and len({b.toewijzing_nummer for b in eerste.benutting}) == 1
    tweede = declaratie_call(
        stack, "ListBenutting", declaratie_pb2.ListBenuttingRequest(periode=periode, aanbieder=common_pb2.AgbCode(value="98100004"), page=common_pb2.PageRequest(page_size=1, page_token=eerste.next_page_token)), FINANCIEEL_0356
    )
    assert tweede.benutting and tweede.benutting[0].toewijzing_nummer > eerste.benutting[0].toewijzing_nummer
    te_lang = declaratie_pb2.ListBenuttingRequest(periode=common_pb2.Periode(begindatum=common_pb2.Datum(value="2026-01-01"), einddatum=common_pb2.Datum(value="2027-12-31")))
    fout = geweigerd(stack, "ListBenutting", te_lang, FINANCIEEL_0356)
    assert fout.code() == grpc.StatusCode.INVALID_ARGUMENT and "at most 400 days" in fout.details()


def test_onderbenutting_signals_a_toewijzing_without_start_after_the_gemeentes_threshold(stack: PortalStack):
    """A toewijzing from 70 days ago that never started: 71 days without care ≥ the default 60 → geen_start.
    A started and last month declared one has at most 31 days since: not signalled. Threshold 80: gone."""
    zonder_start = nieuwe_bsn(stack)
    client_met_beschikking(stack, zonder_start, INGANG.isoformat(), EINDE.isoformat(), aanbieder="98100004")
    gestart, nummer = gestarte_toewijzing(stack, agb="98100004")
    declareer(stack, "98100004", "0356", gestart, nummer, 60)

    def signalen(tenant: Tenant = CONSULENT_0356) -> dict[str, declaratie_pb2.OnderbenuttingSignaal]:
        gevonden, token = {}, ""
        while True:
            page = declaratie_call(stack, "ListOnderbenuttingSignalen", declaratie_pb2.ListOnderbenuttingSignalenRequest(page=common_pb2.PageRequest(page_size=20, page_token=token)), tenant)
            gevonden |= {s.bsn.value: s for s in page.signalen}
            token = page.next_page_token
            if not token:
                return gevonden

    signaal = wait_for(lambda: signalen().get(zonder_start), 30, 0.3, what="the signal of the toewijzing without start")
    assert (signaal.soort, signaal.sinds.value, signaal.dagen, signaal.drempel_dagen, signaal.aanbieder.value) == ("geen_start", INGANG.isoformat(), 71, 60, "98100004")
    assert gestart not in signalen()
    assert geweigerd(stack, "ListOnderbenuttingSignalen", declaratie_pb2.ListOnderbenuttingSignalenRequest(), partner("98100004")).code() == grpc.StatusCode.PERMISSION_DENIED
    assert zonder_start not in signalen(Tenant.gemeente(Role.GEMEENTE_CONSULENT, "portal:consulent-0321", ["0321"]))

    instellingen = declaratie_pb2.GemeenteInstellingen(gemeente=common_pb2.Gemeentecode(value="0356"), onderbenutting_drempel_dagen=80)
    assert geweigerd(stack, "ZetGemeenteInstellingen", declaratie_pb2.ZetGemeenteInstellingenRequest(instellingen=instellingen), FINANCIEEL_0356).code() == grpc.StatusCode.PERMISSION_DENIED
    try:
        gezet = declaratie_call(stack, "ZetGemeenteInstellingen", declaratie_pb2.ZetGemeenteInstellingenRequest(instellingen=instellingen), CONTRACTMANAGER_0356)
        assert (gezet.ritme, gezet.onderbenutting_drempel_dagen) == (declaratie_pb2.RITME_KALENDERMAAND, 80)
        assert zonder_start not in signalen()
    finally:
        instellingen.onderbenutting_drempel_dagen = 60
        declaratie_call(stack, "ZetGemeenteInstellingen", declaratie_pb2.ZetGemeenteInstellingenRequest(instellingen=instellingen), CONTRACTMANAGER_0356)


def _vier_weken_met_nieuwe_aanbieder(stack: PortalStack) -> tuple[str, int]:
    """IJsselstein settles in four weeks; aanbieder 98100007 gets a contract there (175 per minuut, with an
    agreed voorschot of AFGESPROKEN_VOORSCHOT per period) and one started toewijzing; returns (bsn, nummer)."""
    contractmanager = Tenant.gemeente(Role.CONTRACTMANAGER, "portal:contractmanager-0353", [VIER_WEKEN_GEMEENTE])
    instellingen = declaratie_pb2.GemeenteInstellingen(
        gemeente=common_pb2.Gemeentecode(value=VIER_WEKEN_GEMEENTE), ritme=declaratie_pb2.RITME_VIER_WEKEN, eerste_maandag=common_pb2.Datum(value="2026-01-06")
    )
    fout = geweigerd(stack, "ZetGemeenteInstellingen", declaratie_pb2.ZetGemeenteInstellingenRequest(instellingen=instellingen), contractmanager)
    assert fout.code() == grpc.StatusCode.INVALID_ARGUMENT and "not a Monday" in fout.details()
    instellingen.eerste_maandag.value = EERSTE_MAANDAG.isoformat()
    declaratie_call(stack, "ZetGemeenteInstellingen", declaratie_pb2.ZetGemeenteInstellingenRequest(instellingen=instellingen), contractmanager)
    gelezen = declaratie_call(stack, "GetGemeenteInstellingen", declaratie_pb2.GetGemeenteInstellingenRequest(gemeente=common_pb2.Gemeentecode(value=VIER_WEKEN_GEMEENTE)), contractmanager)
    assert (gelezen.ritme, gelezen.eerste_maandag.value, gelezen.onderbenutting_drempel_dagen) == (declaratie_pb2.RITME_VIER_WEKEN, "2026-01-05", 60)
    contract = declaratie_pb2.Contract(
        gemeente=common_pb2.Gemeentecode(value=VIER_WEKEN_GEMEENTE),
        aanbieder=common_pb2.AgbCode(value=NIEUWE_AANBIEDER),
        wet=common_pb2.WET_JEUGDWET,
        product=common_pb2.Product(categorie="45", code="45A48"),
        uitvoeringsvariant=declaratie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
        tarief=common_pb2.Bedrag(eurocent=175),
        eenheid="01",
        geldigheid=common_pb2.Periode(begindatum=common_pb2.Datum(value="2025-01-01")),
        voorschot_per_periode_eurocent=AFGESPROKEN_VOORSCHOT,
    )
    declaratie_call(stack, "RegistreerContract", declaratie_pb2.RegistreerContractRequest(contract=contract), contractmanager)

    import time

    deadline = time.monotonic() + 30
    while True:  # the indicatie service learns of the new contract by its event
        try:
            return gestarte_toewijzing(stack, agb=NIEUWE_AANBIEDER, gemeente=VIER_WEKEN_GEMEENTE)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.INVALID_ARGUMENT or "contract" not in (error.details() or "") or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_four_week_rhythm_agreed_voorschot_and_the_payment_file_that_reconciles(stack: PortalStack):
    """IJsselstein settles per four weeks from Monday 5 January 2026. Last month's prestatie (480 minuten,
    84000) counts in the four-week period P that holds the month's first day for the days of the month
    in P: round(84000 × k / days of the month), half up. The voorschot is the agreed 1000 per period, so
    the saldo is positive; the payment file pays exactly it (CSV and pain.001), once 98100007 has an IBAN."""
    from lxml import etree

    from declaratie.domain.periode import PeriodeRitme, Ritme

    bsn, nummer = _vier_weken_met_nieuwe_aanbieder(stack)
    declareer(stack, NIEUWE_AANBIEDER, VIER_WEKEN_GEMEENTE, bsn, nummer, 480)
    ritme = PeriodeRitme(Ritme.VIER_WEKEN, EERSTE_MAANDAG)
    p = ritme.periode_van(VORIGE_MAAND)
    k = (min(p.einddatum, VORIGE_MAAND_EINDE) - VORIGE_MAAND).days + 1
    toegekend = half_omhoog(84000 * k, (VORIGE_MAAND_EINDE - VORIGE_MAAND).days + 1)
    financieel = Tenant.gemeente(Role.FINANCIEEL_MEDEWERKER, "portal:financieel-0353", [VIER_WEKEN_GEMEENTE])
    gemeente, agb = common_pb2.Gemeentecode(value=VIER_WEKEN_GEMEENTE), common_pb2.AgbCode(value=NIEUWE_AANBIEDER)
    maand = declaratie_pb2.MaakAfrekeningRequest(gemeente=gemeente, aanbieder=agb, jaar=VORIGE_MAAND.year, maand=VORIGE_MAAND.month)
    fout = geweigerd(stack, "MaakAfrekening", maand, financieel)
    assert fout.code() == grpc.StatusCode.INVALID_ARGUMENT and "four weeks" in fout.details()
    datum_ = common_pb2.Datum(value=VORIGE_MAAND.isoformat())
    definitief = declaratie_call(stack, "MaakAfrekening", declaratie_pb2.MaakAfrekeningRequest(gemeente=gemeente, aanbieder=agb, datum=datum_, definitief=True), financieel)
    assert definitief.id > 0 and definitief.soort == "definitief" and definitief.periode_kenmerk == ritme.kenmerk(p)
    assert (definitief.periode.begindatum.value, definitief.periode.einddatum.value) == (p.begindatum.isoformat(), p.einddatum.isoformat())
    assert (definitief.voorschot_eurocent, definitief.toegekend_eurocent, definitief.saldo_eurocent) == (AFGESPROKEN_VOORSCHOT, toegekend, toegekend - AFGESPROKEN_VOORSCHOT)

    # benutting in the same rhythm: the periods that hold a day of last month share its 84000 exactly
    rijen = benutting(stack, financieel, VORIGE_MAAND, VORIGE_MAAND_EINDE, bsn=common_pb2.Bsn(value=bsn))
    assert [r.periode_kenmerk for r in rijen] == [ritme.kenmerk(q) for q in ritme.perioden(VORIGE_MAAND, VORIGE_MAAND_EINDE)]
    assert sum(r.toegekend_eurocent for r in rijen) == 84000 and rijen[0].toegekend_eurocent == toegekend

    # the voorschot as fixed, for the gemeente and the aanbieder itself; not for another aanbieder
    medewerker = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "portal:aanbieder-98100007", NIEUWE_AANBIEDER)
    for tenant in (financieel, medewerker):
        (v,) = declaratie_call(stack, "ListVoorschotten", declaratie_pb2.ListVoorschottenRequest(aanbieder=agb), tenant).voorschotten
        assert (v.periode_kenmerk, v.bedrag_eurocent, [(r.omschrijving, r.eurocent) for r in v.regels]) == (ritme.kenmerk(p), 1000, [("afspraak 45/45A48", 1000)])
    anders = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "portal:aanbieder-98100003", "98100003")
    assert declaratie_call(stack, "ListVoorschotten", declaratie_pb2.ListVoorschottenRequest(aanbieder=agb), anders).voorschotten == []

    # no payment file while 98100007 has no IBAN: the error names it
    csv_request = declaratie_pb2.MaakBetaalbestandRequest(gemeente=gemeente, datum=datum_, formaat=declaratie_pb2.BETAALFORMAAT_CSV)
    fout = geweigerd(stack, "MaakBetaalbestand", csv_request, financieel)
    assert fout.code() == grpc.StatusCode.INVALID_ARGUMENT and "no IBAN registered for aanbieder 98100007" in fout.details()
    contractmanager = Tenant.gemeente(Role.CONTRACTMANAGER, "portal:contractmanager-0353", [VIER_WEKEN_GEMEENTE])
    gegevens = declaratie_pb2.Betaalgegevens(gemeente=gemeente, aanbieder=agb, rekening=declaratie_pb2.Rekening(naam="Jeugdhulp Nieuw (test)", iban="NL91 ABNA 0417 1643 01"))
    fout = geweigerd(stack, "RegistreerBetaalgegevens", declaratie_pb2.RegistreerBetaalgegevensRequest(betaalgegevens=gegevens), contractmanager)
    assert fout.code() == grpc.StatusCode.INVALID_ARGUMENT and "mod-97" in fout.details()
    gegevens.rekening.iban = "NL91 ABNA 0417 1643 00"
    assert geweigerd(stack, "RegistreerBetaalgegevens", declaratie_pb2.RegistreerBetaalgegevensRequest(betaalgegevens=gegevens), financieel).code() == grpc.StatusCode.PERMISSION_DENIED
    assert declaratie_call(stack, "RegistreerBetaalgegevens", declaratie_pb2.RegistreerBetaalgegevensRequest(betaalgegevens=gegevens), contractmanager).rekening.iban == "NL91ABNA0417164300"

    saldo = toegekend - AFGESPROKEN_VOORSCHOT
    bestand = declaratie_call(stack, "MaakBetaalbestand", csv_request, financieel)
    regels = bestand.inhoud.decode().splitlines()
    assert regels[1:] == [
        f"{NIEUWE_AANBIEDER},Jeugdhulp Nieuw (test),NL91ABNA0417164300,{ritme.kenmerk(p)},{saldo // 100}.{saldo % 100:02d},AFR-0353-{NIEUWE_AANBIEDER}-{ritme.kenmerk(p)}",
        f"TOTAAL,,,,{saldo // 100}.{saldo % 100:02d},1",
    ]
    assert (bestand.totaal_eurocent, bestand.aantal_opdrachten, bestand.aantal_afrekeningen, bestand.bestandsnaam) == (saldo, 1, 1, f"betaalbestand-0353-{ritme.kenmerk(p)}.csv")
    pain_request = declaratie_pb2.MaakBetaalbestandRequest(gemeente=gemeente, datum=datum_, formaat=declaratie_pb2.BETAALFORMAAT_PAIN001)
    fout = geweigerd(stack, "MaakBetaalbestand", pain_request, financieel)
    assert fout.code() == grpc.StatusCode.INVALID_ARGUMENT and "no debtor account" in fout.details()
    instellingen = declaratie_call(stack, "GetGemeenteInstellingen", declaratie_pb2.GetGemeenteInstellingenRequest(gemeente=gemeente), contractmanager)
    instellingen.debiteur.CopyFrom(declaratie_pb2.Rekening(naam="Gemeente IJsselstein", iban="NL20INGB0001234567"))
    declaratie_call(stack, "ZetGemeenteInstellingen", declaratie_pb2.ZetGemeenteInstellingenRequest(instellingen=instellingen), contractmanager)
    pain = declaratie_call(stack, "MaakBetaalbestand", pain_request, financieel)
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
    document = etree.fromstring(pain.inhoud)
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=ns) == f"{saldo // 100}.{saldo % 100:02d}"
    assert document.findtext("p:CstmrCdtTrfInitn/p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", namespaces=ns) == "NL20INGB0001234567"
    assert [t.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=ns) for t in document.iterfind("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", namespaces=ns)] == ["NL91ABNA0417164300"]
    # another gemeente's financieel medewerker and an aanbieder get no payment file of IJsselstein
    for tenant in (FINANCIEEL_0356, medewerker):
        assert geweigerd(stack, "MaakBetaalbestand", csv_request, tenant).code() == grpc.StatusCode.PERMISSION_DENIED


def test_the_back_office_downloads_the_payment_file_in_the_portal_and_sees_benutting_and_voorschotten(stack: PortalStack, browser: BrowserContext):
    """After the four-week test: IJsselstein's payment file of the period that holds the first day of last
    month, as the portal hands it out, is the one the service makes; a period without definitieve
    afrekeningen is refused above the form."""
    from declaratie.domain.periode import PeriodeRitme, Ritme

    ritme = PeriodeRitme(Ritme.VIER_WEKEN, EERSTE_MAANDAG)
    kenmerk = ritme.kenmerk(ritme.periode_van(VORIGE_MAAND))
    backoffice = Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "portal:backoffice", ["0356", "0321", "0353", "0331", "1961"])
    verwacht = declaratie_call(
        stack,
        "MaakBetaalbestand",
        declaratie_pb2.MaakBetaalbestandRequest(gemeente=common_pb2.Gemeentecode(value=VIER_WEKEN_GEMEENTE), datum=common_pb2.Datum(value=VORIGE_MAAND.isoformat()), formaat=declaratie_pb2.BETAALFORMAAT_CSV),
        backoffice,
    )
    page = browser.new_page()
    page.goto(f"{stack.base_url}/portal/")
    log_in(page, "backoffice")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Betaalbestand").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Betaalbestand")
    assert_accessible(page)
    page.get_by_label("Gemeente").select_option(VIER_WEKEN_GEMEENTE)
    page.get_by_label("Een dag van de periode").fill(VORIGE_MAAND.isoformat())
    with page.expect_download() as download:
        page.get_by_role("button", name="Betaalbestand downloaden").click()
    assert download.value.suggested_filename == f"betaalbestand-0353-{kenmerk}.csv"
    assert open(download.value.path(), "rb").read() == verwacht.inhoud
    # a period long ago has no definitieve afrekeningen: said above the form
    page.get_by_label("Een dag van de periode").fill("2025-03-10")
    page.get_by_role("button", name="Betaalbestand downloaden").click()
    expect(page.get_by_role("alert")).to_contain_text("has no definitieve afrekeningen")
    assert_accessible(page)
    screenshot(page, "46-backoffice-betaalbestand-geweigerd")
    for naam, kop in (("Benutting", "Benutting"), ("Voorschotten", "Voorschotten"), ("Onderbenutting", "Onderbenutting")):
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=naam, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(kop)
        assert_accessible(page)
        screenshot(page, f"47-backoffice-{naam.lower()}")
    page.goto(f"{stack.base_url}/portal/voorschotten?aanbieder={NIEUWE_AANBIEDER}")
    expect(page.locator(f'tr[data-voorschot="0353-{NIEUWE_AANBIEDER}-{kenmerk}"]')).to_contain_text("afspraak 45/45A48: € 10,00")


def test_list_afrekeningen_is_keyset_paged_newest_first(stack: PortalStack):
    backoffice = Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "portal-test", ["0331"])
    gemeente = common_pb2.Gemeentecode(value="0331")
    gemaakt = [
        declaratie_call(stack, "MaakAfrekening", declaratie_pb2.MaakAfrekeningRequest(gemeente=gemeente, aanbieder=common_pb2.AgbCode(value=agb), jaar=VORIGE_MAAND.year, maand=VORIGE_MAAND.month), backoffice).id
        for agb in ("98100001", "98100002", "98100003")
    ]
    assert all(i > 0 for i in gemaakt)
    ids, token = [], ""
    while True:
        page = declaratie_call(stack, "ListAfrekeningen", declaratie_pb2.ListAfrekeningenRequest(page=common_pb2.PageRequest(page_size=2, page_token=token)), backoffice)
        assert len(page.afrekeningen) <= 2
        ids += [a.id for a in page.afrekeningen]
        token = page.next_page_token
        if not token:
            break
    assert ids == sorted(gemaakt, reverse=True)
    fout = geweigerd(stack, "ListAfrekeningen", declaratie_pb2.ListAfrekeningenRequest(page=common_pb2.PageRequest(page_token="bm9n")), backoffice)
    assert fout.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_the_dossier_shows_the_clients_declaraties_to_its_gemeente_and_each_aanbieder_its_own_audited(stack: PortalStack):
    """The declaraties in the cliënt's dossier: the gemeente sees every prestatie with its outcome and its
    declaratie; an aanbieder sees its own only; another gemeente nothing; each read leaves an audit row."""
    from devstack.portal_testing import login
    from devstack.testing import sql

    bsn, nummer = gestarte_toewijzing(stack, agb="98100004")
    bericht_id = declareer(stack, "98100004", "0356", bsn, nummer, 120)
    request = declaratie_pb2.ListPrestatiesVanClientRequest(gemeente=common_pb2.Gemeentecode(value="0356"), bsn=common_pb2.Bsn(value=bsn))
    (eigen,) = declaratie_call(stack, "ListPrestatiesVanClient", request, CONSULENT_0356).prestaties
    assert (eigen.bericht_id, eigen.aanbieder.value, eigen.prestatie.toewijzing_nummer, eigen.prestatie.bedrag, eigen.prestatie.toegekend) == (bericht_id, "98100004", nummer, 120 * 175, True)
    anders = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "portal:aanbieder-98100003", "98100003")
    assert list(declaratie_call(stack, "ListPrestatiesVanClient", request, anders).prestaties) == []
    houten = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "portal:consulent-0321", ["0321"])
    assert list(declaratie_call(stack, "ListPrestatiesVanClient", request, houten).prestaties) == []
    fout = geweigerd(stack, "ListPrestatiesVanClient", declaratie_pb2.ListPrestatiesVanClientRequest(bsn=common_pb2.Bsn(value=bsn)), CONSULENT_0356)
    assert fout.code() == grpc.StatusCode.INVALID_ARGUMENT
    rows = sql(stack.database_url, f"SELECT subject, wat FROM declaratie.inzage WHERE bsn = '{bsn}' AND wat = 'ListPrestatiesVanClient'")
    assert rows == [("portal:consulent-0356", "ListPrestatiesVanClient")]  # the reads that returned nothing read nothing

    page = login(stack, "consulent-0356").get(f"/portal/clienten/0356/{bsn}")
    rij = re.search(r'<table id="dossier-prestaties">.*?</table>', page.text, re.S)
    assert rij is not None and f'href="/portal/declaraties/{bericht_id}"' in rij.group(0) and "€ 210,00 debet" in rij.group(0) and "Toegekend" in rij.group(0)
    page = login(stack, "aanbieder-98100004").get(f"/portal/clienten/0356/{bsn}")
    assert page.status_code == 200 and f'href="/portal/declaraties/{bericht_id}"' in page.text


def test_the_dossier_pages_through_the_clients_declaraties_and_ends_on_the_last(stack: PortalStack):
    """More prestaties than one page of the dossier holds: "Oudere declaraties" leads on, every
    prestatie is shown once, and the last page has no link further."""
    import uuid

    from berichten.domain import model
    from berichten.domain.berichtsoorten import Standaard
    from edge.portal.declaratie import PAGE_SIZE

    bsn, nummer = gestarte_toewijzing(stack, agb="98100004")
    referenties = []
    for eerste in (VORIGE_MAAND, (VORIGE_MAAND - timedelta(days=1)).replace(day=1)):  # a prestatie per day of the last two months
        laatste = (eerste + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        dagen = [eerste + timedelta(days=n) for n in range((laatste - eerste).days + 1)]
        regels = [
            aanbieder.Prestatieregel(uuid.uuid4().hex[:20], nummer, dag, dag, 60, 60 * 175, product_tarief=175, product=model.Product(categorie="45", code="45A48"), eenheid="01")
            for dag in dagen
        ]
        sent = ontvang(stack, "98100004", aanbieder.declaratie_323_clienten(Standaard.IJW, "98100004", "0356", uuid.uuid4().hex[:12], (eerste, laatste), [(bsn, regels)]))
        assert sent.status == "geaccepteerd", (sent.status, list(sent.bevindingen))
        referenties += [r.referentie_nummer for r in regels]
    assert PAGE_SIZE < len(referenties) <= 2 * PAGE_SIZE
    request = declaratie_pb2.ListPrestatiesVanClientRequest(gemeente=common_pb2.Gemeentecode(value="0356"), bsn=common_pb2.Bsn(value=bsn), page=common_pb2.PageRequest(page_size=500))
    wait_for(lambda: len(declaratie_call(stack, "ListPrestatiesVanClient", request, CONSULENT_0356).prestaties) == len(referenties), 60, 0.5, what="both declaraties judged")

    from devstack.portal_testing import login

    portal, pad, gezien, paginas = login(stack, "consulent-0356"), f"/portal/clienten/0356/{bsn}", [], 0
    while pad:
        page = portal.get(pad)
        assert page.status_code == 200, page.text
        rijen = re.findall(r'<tr data-referentie="([^"]+)">', page.text)
        assert rijen, pad  # a link never leads to an empty page
        gezien += rijen
        paginas += 1
        verder = re.search(r'href="([^"]+)">Oudere declaraties</a>', page.text)
        pad = verder.group(1).replace("&amp;", "&").split("#")[0] if verder else ""
    assert paginas == 2 and sorted(gezien) == sorted(referenties) and len(set(gezien)) == len(referenties)


def test_the_afrekeningen_page_pages_through_all_newest_first_and_ends_on_the_last(stack: PortalStack):
    """More afrekeningen than one page holds: "Oudere afrekeningen" leads on, newest first, each once,
    and the last page has no link further — whatever the number."""
    from devstack.portal_testing import login
    from edge.portal.declaratie import PAGE_SIZE

    financieel = Tenant.gemeente(Role.FINANCIEEL_MEDEWERKER, "portal:financieel-0356", ["0356"])
    gemeente = common_pb2.Gemeentecode(value="0356")

    def alle() -> list[int]:
        request = declaratie_pb2.ListAfrekeningenRequest(page=common_pb2.PageRequest(page_size=500))
        return [a.id for a in declaratie_call(stack, "ListAfrekeningen", request, financieel).afrekeningen]

    def portaal_paginas() -> list[list[int]]:
        portal, pad, paginas = login(stack, "financieel-0356"), "/portal/afrekeningen", []
        while pad:
            page = portal.get(pad)
            assert page.status_code == 200, page.text
            paginas.append([int(i) for i in re.findall(r'<tr data-afrekening="(\d+)">', page.text)])
            verder = re.search(r'href="([^"]+)">Oudere afrekeningen</a>', page.text)
            pad = verder.group(1).replace("&amp;", "&") if verder else ""
        return paginas

    for totaal in (PAGE_SIZE, PAGE_SIZE + 1):  # exactly one full page, then one more
        for _ in range(totaal - len(alle())):
            maak = declaratie_pb2.MaakAfrekeningRequest(gemeente=gemeente, aanbieder=common_pb2.AgbCode(value="98100001"), jaar=VORIGE_MAAND.year, maand=VORIGE_MAAND.month)
            declaratie_call(stack, "MaakAfrekening", maak, financieel)
        ids = alle()
        assert len(ids) == totaal
        paginas = portaal_paginas()
        assert [len(p) for p in paginas] == [PAGE_SIZE] + ([1] if totaal > PAGE_SIZE else [])
        assert [i for p in paginas for i in p] == ids == sorted(ids, reverse=True)
