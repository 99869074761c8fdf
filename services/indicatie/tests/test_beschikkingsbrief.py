"""The beschikking letter is a real PDF naming the gemeente, the cliënt, the product, its period and
omvang, and the right of objection within 6 weeks."""

from datetime import date

from indicatie.adapters.brief import beschikking_pdf, pdf
from indicatie.domain.beschikking import Reden
from indicatie.tests.pdf_tekst import pdf_tekst
from indicatie.tests.voorbeelden import beschikking, client, codelijsten, product


def test_brief_names_gemeente_product_period_omvang_and_bezwaar():
    tekst = pdf_tekst(beschikking_pdf(beschikking(), client(), codelijsten()))
    assert "Gemeente Nieuwegein" in tekst
    assert "J. Jansen" in tekst and "Lekboulevard 12" in tekst and "3431 AB  Nieuwegein" in tekst
    assert "Jeugdhulp ambulant regulier: inspanningsgericht (individueel)" in tekst  # JZ21 omschrijving of 45A48
    assert "Product: 45 45A48" in tekst
    assert "van 1 februari 2026 tot en met 31 december 2026" in tekst
    assert "Omvang: 120 x minuut, per week" in tekst
    assert "binnen 6 weken" in tekst and "uiterlijk op 3 maart 2026" in tekst  # 20 januari + 6 weken


def test_intrekking_letter_gives_the_reden():
    ingetrokken = beschikking().trek_in(Reden("13", "Op verzoek van de cliënt."), per=date(2026, 5, 1), versie=1)
    tekst = pdf_tekst(beschikking_pdf(ingetrokken, client(), codelijsten()))
    assert "intrekking" in tekst and "1 mei 2026" in tekst and "Verwijderd. Op verzoek van de cliënt." in tekst


def test_budget_is_written_in_euros():
    b = beschikking(product(code="", omvang=None, budget_eurocent=123456))
    assert "Budget: € 1.234,56" in pdf_tekst(beschikking_pdf(b, client(), codelijsten()))


def test_long_letters_continue_on_a_new_page():
    data = pdf("lang", [f"regel {i}" for i in range(200)])
    assert data.count(b"/Type /Page ") == 4
    assert "regel 199" in pdf_tekst(data)
