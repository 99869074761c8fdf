"""A beschikking is afgegeven only for a cliënt with complete NAW, for contracted producten from the
lists in use, without overlapping identical producten; changes and the intrekking carry a reden."""

from datetime import date

import pytest

from indicatie.domain.beschikking import (
    BeschikkingStatus,
    Omvang,
    Reden,
    Uitvoeringsvariant,
    cd076,
    cs338,
    controleer_afgifte,
    controleer_reden,
    is_gecontracteerd,
)
from indicatie.domain.client import Adres, ClientStatus
from indicatie.tests.voorbeelden import INSPANNING, beschikking, client, codelijsten, contract, product
from runtime.errors import DomainError

WET = beschikking().wet


def afgifte(b=None, c=None, contracten=None, andere=()):  # type: ignore[no-untyped-def]
    controleer_afgifte(b or beschikking(), c or client(), codelijsten(), [contract()] if contracten is None else contracten, andere)


def test_complete_cliënt_and_contracted_product_may_be_afgegeven():
    afgifte()


def test_refused_for_an_uncontracted_product():
    with pytest.raises(DomainError, match="45/45A48 .* is not contracted in gemeente 0356"):
        afgifte(contracten=[contract(gemeentecode="0321")])


def test_refused_when_the_contract_covers_only_part_of_the_period():
    with pytest.raises(DomainError, match="not contracted"):
        afgifte(contracten=[contract(einddatum=date(2026, 6, 30))])


def test_consecutive_contract_versions_cover_the_period_together():
    afgifte(contracten=[contract(einddatum=date(2026, 6, 30)), contract(begindatum=date(2026, 7, 1))])


def test_refused_for_another_uitvoeringsvariant_than_contracted():
    b = beschikking(product(uitvoeringsvariant=Uitvoeringsvariant.OUTPUTGERICHT))
    with pytest.raises(DomainError, match="outputgericht.*not contracted"):
        afgifte(b)


def test_refused_for_incomplete_naw():
    zonder_straat = client(adressen=(Adres("01", postcode="3431AB", huisnummer=12, plaatsnaam="Nieuwegein"),))
    with pytest.raises(DomainError, match="NAW is not complete.*lacks straatnaam"):
        afgifte(c=zonder_straat)
    with pytest.raises(DomainError, match="no BRP-, verblijf- or correspondentieadres"):
        afgifte(c=client(adressen=()))


def test_refused_for_a_cliënt_who_died():
    with pytest.raises(DomainError, match="overleden"):
        afgifte(c=client(status=ClientStatus.OVERLEDEN))


def test_refused_for_overlap_with_another_beschikking():
    with pytest.raises(DomainError, match="overlaps an identical product"):
        afgifte(andere=[product(ingangsdatum=date(2026, 1, 1), einddatum=date(2026, 2, 1))])
    afgifte(andere=[product(ingangsdatum=date(2026, 1, 1), einddatum=date(2026, 1, 31))])  # ends the day before
    afgifte(andere=[product(code="45A01", omvang=Omvang(1, "82", "6"))])  # another product


def test_refused_for_overlap_within_the_beschikking():
    with pytest.raises(DomainError, match="occurs twice in overlapping periods"):
        beschikking(product(), product(ingangsdatum=date(2026, 6, 1), einddatum=None))


def test_refused_for_a_code_not_in_the_productcode_list_or_another_categorie():
    with pytest.raises(DomainError, match="productcode '45Z99' is not in JZ21"):
        afgifte(beschikking(product(code="45Z99")), contracten=[contract(productcode="45Z99")])
    with pytest.raises(DomainError, match="belongs to categorie 45"):
        afgifte(beschikking(product(categorie="43")), contracten=[contract(productcategorie="43")])


def test_refused_for_codes_of_eenheid_and_frequentie_not_in_their_lists():
    with pytest.raises(DomainError, match="eenheid '99' is not in WJ756.*frequentie '3' is not in WMO757"):
        afgifte(beschikking(product(omvang=Omvang(3, "99", "3"))))


def test_taakgericht_needs_no_beschikking():
    with pytest.raises(DomainError, match="taakgericht"):
        afgifte(beschikking(product(uitvoeringsvariant=Uitvoeringsvariant.TAAKGERICHT)), contracten=[contract(uitvoeringsvariant="taakgericht")])


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"budget_eurocent": 10000}, "exclude each other"),
        ({"omvang": None}, "needs an omvang"),
        ({"code": "", "omvang": None, "einddatum": None, "budget_eurocent": 5000}, "needs an einddatum"),
        ({"einddatum": date(2026, 1, 1)}, "lies before ingangsdatum"),
        ({"categorie": "4"}, "not 2 digits"),
    ],
)
def test_product_shape_is_refused_with_its_reason(changes, words):
    with pytest.raises(DomainError, match=words):
        product(**changes)


def test_aspecifiek_product_with_budget_is_contracted_by_any_contract_in_its_categorie():
    aspecifiek = product(code="", omvang=None, budget_eurocent=250000)
    assert is_gecontracteerd(aspecifiek, WET, "0356", [contract(productcode="45A01")])


def test_wijziging_records_its_reden_and_a_new_versie():
    b = beschikking()
    gewijzigd = b.wijzig([product(einddatum=date(2026, 6, 30))], Reden("05", "verkort na evaluatie"), versie=1)
    assert (gewijzigd.status, gewijzigd.versie, gewijzigd.reden) == (BeschikkingStatus.GEWIJZIGD, 2, Reden("05", "verkort na evaluatie"))
    with pytest.raises(DomainError, match="based on versie 1"):
        gewijzigd.wijzig([product()], Reden("04"), versie=1)  # the same request again


def test_intrekking_is_final_and_ends_the_producten_the_day_before():
    ingetrokken = beschikking().trek_in(Reden("13", "op verzoek"), per=date(2026, 5, 1), versie=1)
    assert ingetrokken.status is BeschikkingStatus.INGETROKKEN and ingetrokken.versie == 2
    assert [p.einddatum for p in ingetrokken.geldende_producten()] == [date(2026, 4, 30)]
    with pytest.raises(DomainError, match="is ingetrokken and cannot become ingetrokken"):
        ingetrokken.trek_in(Reden("13"), per=date(2026, 5, 1), versie=2)
    with pytest.raises(DomainError, match="cannot become gewijzigd"):
        ingetrokken.wijzig([product()], Reden("04"), versie=2)


def test_reden_must_be_a_reden_wijziging():
    controleer_reden(Reden("05"), codelijsten(), date(2026, 3, 1))
    with pytest.raises(DomainError, match="not a RedenWijziging"):
        controleer_reden(Reden("99"), codelijsten(), date(2026, 3, 1))
    with pytest.raises(DomainError, match="needs its reden"):
        Reden("")


def test_beschikkingnummer_is_a_number_of_at_most_9_digits():
    with pytest.raises(DomainError, match="beschikkingnummer"):
        beschikking(beschikkingnummer="1234567890")
    with pytest.raises(DomainError, match="beschikkingnummer"):
        beschikking(beschikkingnummer="AB12")


def test_refused_for_a_zorgvorm_other_than_the_productcode_list_says():
    # JZ21 lists 43A16 (Jeugdhulp verblijf, middel) as outputgericht
    b = beschikking(product(categorie="43", code="43A16", uitvoeringsvariant=INSPANNING, omvang=Omvang(7, "14", "2")))
    with pytest.raises(DomainError, match="productcode '43A16' is outputgericht in JZ21, not inspanningsgericht"):
        afgifte(b, contracten=[contract(productcategorie="43", productcode="43A16")])
    goed = product(categorie="43", code="43A16", uitvoeringsvariant=Uitvoeringsvariant.OUTPUTGERICHT, omvang=Omvang(1, "82", "6"))
    afgifte(beschikking(goed), contracten=[contract(productcategorie="43", productcode="43A16", uitvoeringsvariant="outputgericht")])


def test_cd076_an_omvang_per_week_needs_an_einddatum():
    assert cd076(product(einddatum=None, omvang=Omvang(120, "01", "2"))) == (
        "product 45/45A48: an omvang per week (frequentie 2) needs an einddatum (CD076)"
    )
    assert cd076(product(einddatum=date(2026, 12, 31), omvang=Omvang(120, "01", "2"))) is None
    assert cd076(product(einddatum=None, omvang=Omvang(120, "01", "4"))) is None  # per maand: open end allowed
    with pytest.raises(DomainError, match=r"\(CD076\)"):
        afgifte(beschikking(product(einddatum=None)))


@pytest.mark.parametrize("eenheid", ["14", "16", "83", "84"])
def test_cs338_eenheid_etmaal_dagdeel_euro_or_stuks_needs_frequentie_2_4_or_6(eenheid):
    fout = cs338(product(omvang=Omvang(3, eenheid, "1")))  # per dag
    assert fout == f"product 45/45A48: eenheid {eenheid} needs frequentie 2, 4 or 6, not 1 (CS338)"
    for frequentie in ("2", "4", "6"):
        assert cs338(product(omvang=Omvang(3, eenheid, frequentie))) is None
    # before 2021 the rule did not apply
    oud = product(ingangsdatum=date(2020, 1, 1), einddatum=date(2020, 12, 31), omvang=Omvang(3, eenheid, "1"))
    assert cs338(oud) is None


def test_cs338_holds_for_an_open_end_and_not_for_other_eenheden():
    assert cs338(product(einddatum=None, omvang=Omvang(3, "14", "5"))) is not None
    assert cs338(product(omvang=Omvang(3, "01", "1"))) is None  # minuten per dag
    with pytest.raises(DomainError, match=r"eenheid 14 needs frequentie 2, 4 or 6, not 1 \(CS338\)"):
        afgifte(beschikking(product(omvang=Omvang(3, "14", "1"))))
