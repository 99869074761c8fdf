"""Codelijsten: codes are valid only between their ingangsdatum and expiratiedatum, spelled as in the XSD.

The first tests use the pure domain type; the rest load the real data files under ``standaard/``.
"""

import csv
import xml.etree.ElementTree as ElementTree
from datetime import date

import pytest

from berichten.adapters.codelijsten import BASISSCHEMA, XSD_TYPEN, default_root, load_codelijsten
from berichten.domain.codelijsten import Code, Codelijst, Codelijsten, Productcode, Productcodelijst


# -- the domain type --------------------------------------------------------------------------------------


def test_code_geldig_vanaf_ingangsdatum_tot_expiratiedatum():
    lijst = Codelijst("test", [Code("10", "tien", date(2021, 1, 1), date(2022, 1, 1))])
    assert not lijst.geldig("10", date(2020, 12, 31))
    assert lijst.geldig("10", date(2021, 1, 1))
    assert lijst.geldig("10", date(2021, 12, 31))
    assert not lijst.geldig("10", date(2022, 1, 1))  # the expiratiedatum itself is no longer valid


def test_code_met_open_einden_altijd_geldig_en_onbekende_code_nooit():
    lijst = Codelijst("test", [Code("1", "een", None, None)])
    assert lijst.geldig("1", date(1900, 1, 1)) and lijst.geldig("1", date(2999, 1, 1))
    assert not lijst.geldig("2", date(2024, 1, 1))
    assert "1" in lijst and "2" not in lijst
    assert lijst.omschrijving("1") == "een" and lijst.omschrijving("2") is None


def test_code_met_twee_perioden_geldig_in_elk_van_beide():
    lijst = Codelijst(
        "test",
        [Code("7", "later", date(2002, 1, 1), date(2019, 1, 1)), Code("7", "eerst", date(1970, 1, 1), date(2002, 1, 1))],
    )
    assert lijst.geldig("7", date(2001, 6, 1)) and lijst.geldig("7", date(2010, 6, 1))
    assert not lijst.geldig("7", date(2019, 1, 1))
    assert lijst.omschrijving("7") == "later" and lijst.omschrijving("7", op=date(2001, 6, 1)) == "eerst"


def test_overlappende_perioden_en_omgekeerde_datums_worden_geweigerd():
    with pytest.raises(ValueError, match="overlap"):
        Codelijst("test", [Code("7", "a", date(2000, 1, 1), None), Code("7", "b", date(2010, 1, 1), None)])
    with pytest.raises(ValueError, match="does not lie after"):
        Code("7", "a", date(2010, 1, 1), date(2000, 1, 1))


def test_een_naam_kan_niet_naar_twee_codelijsten_wijzen():
    a, b = Codelijst("A", []), Codelijst("B", [])
    with pytest.raises(ValueError, match="'X'"):
        Codelijsten.with_aliases([(a, ("X",)), (b, ("X",))])


def test_productcodelijst_kent_de_categorie():
    lijst = Productcodelijst("test", [Productcode("45A48", "ambulant", "45", "inspanningsgericht")])
    assert lijst.categorie_van("45A48") == "45" and lijst.categorie_van("99X99") is None
    assert lijst.geldig("45A48", date(2024, 1, 1))


# -- the real lists -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def codelijsten():
    return load_codelijsten()


def test_onbekende_codelijst_geeft_een_foutmelding_met_de_naam(codelijsten):
    with pytest.raises(KeyError, match="codelijst 'WJ999' is not known; the known lists are: .*WJ001: Retourcode"):
        codelijsten.get("WJ999")


def test_codelijst_is_bekend_onder_id_naam_en_xsd_type(codelijsten):
    lijst = codelijsten.get("WJ001")
    assert lijst.naam == "WJ001: Retourcode"
    assert codelijsten.get("Retourcode") is lijst and codelijsten.get("LDT_RetourCode") is lijst


@pytest.mark.parametrize("retourcode", ["0001", "0200", "0233", "8001", "9056", "8848", "S300"])
def test_retourcodes_bestaan_in_de_spelling_van_het_xsd(codelijsten, retourcode):
    assert retourcode in codelijsten.get("Retourcode")


def test_eenheid_en_redenwijziging_gebruiken_de_twee_cijfers_van_het_xsd(codelijsten):
    eenheid = codelijsten.get("LDT_Eenheid")
    assert "04" in eenheid and eenheid.omschrijving("04") == "Uur"
    assert "4" not in eenheid  # the CSV's "4" is spelled "04" in the messages
    reden_wijziging = codelijsten.get("LDT_RedenWijziging")
    assert codelijsten.get("JZ002") is reden_wijziging
    assert "13" in reden_wijziging and reden_wijziging.omschrijving("13") == "Verwijderd"
    assert "01" in reden_wijziging and "1" not in reden_wijziging


def test_redenwijziging_13_geldig_vanaf_ingangsdatum_1_april_2022(codelijsten):
    reden_wijziging = codelijsten.get("JZ002")
    assert not reden_wijziging.geldig("13", date(2022, 3, 31))
    assert reden_wijziging.geldig("13", date(2022, 4, 1))


def test_retourcode_9413_geldig_vanaf_release_3_2(codelijsten):
    retourcodes = codelijsten.get("WJ001")
    assert not retourcodes.geldig("9413", date(2023, 3, 31))
    assert retourcodes.geldig("9413", date(2023, 4, 1))
    assert retourcodes.geldig("0001", date(2000, 1, 1))  # no dates: always valid


def test_elke_codelijst_met_xsd_type_heeft_precies_de_waarden_van_het_xsd(codelijsten):
    root = default_root()
    schema = ElementTree.parse(root / BASISSCHEMA).getroot()
    xs = "{http://www.w3.org/2001/XMLSchema}"
    enumeraties = {
        t.get("name"): {e.get("value") for e in t.iter(f"{xs}enumeration")} for t in schema.iter(f"{xs}simpleType")
    }
    with (root / XSD_TYPEN).open(encoding="utf-8", newline="") as f:
        typen = {rij["codelijst"]: rij["xsd_type"] for rij in csv.DictReader(f)}
    for lijst_id, xsd_type in typen.items():
        assert set(codelijsten.get(lijst_id)) == enumeraties[xsd_type], lijst_id


def test_jz21_45a48_valt_in_categorie_45(codelijsten):
    jz21 = codelijsten.get("JZ21")
    assert isinstance(jz21, Productcodelijst)
    assert jz21.categorie_van("45A48") == "45"
    assert jz21.productcode("45A48").uitvoeringsvariant == "inspanningsgericht"
    assert "45A00" not in jz21  # a heading without productcategorie, not a product
    assert len(jz21) == 441


@pytest.mark.parametrize("gemeentecode", ["0356", "0321", "0353", "0331", "1961", "0384", "0363"])
def test_gemeenten_van_de_demo_regio_en_de_voorbeelden_geldig_op_1_januari_2026(codelijsten, gemeentecode):
    assert codelijsten.get("LDT_Gemeente").geldig(gemeentecode, date(2026, 1, 1))


def test_gemeente_niet_meer_geldig_vanaf_de_herindeling(codelijsten):
    gemeenten = codelijsten.get("CBS gemeentecodes")
    assert gemeenten.geldig("0545", date(2018, 12, 31))  # Leerdam, opgegaan in Vijfheerenlanden
    assert not gemeenten.geldig("0545", date(2019, 1, 1))
    assert gemeenten.geldig("0457", date(2022, 3, 23))  # Weesp, bij Amsterdam gevoegd op 24 maart 2022
    assert not gemeenten.geldig("0457", date(2022, 3, 24))
    assert not gemeenten.geldig("1992", date(2022, 12, 31)) and gemeenten.geldig("1992", date(2023, 1, 1))


@pytest.mark.parametrize(
    "op, aantal",
    [(date(2018, 1, 1), 380), (date(2019, 1, 1), 355), (date(2021, 1, 1), 352), (date(2022, 1, 1), 345),
     (date(2023, 1, 1), 342), (date(2025, 1, 1), 342)],
)
def test_aantal_gemeenten_per_1_januari_zoals_het_cbs_telt(codelijsten, op, aantal):
    gemeenten = codelijsten.get("LDT_Gemeente")
    assert sum(gemeenten.geldig(code, op) for code in gemeenten) == aantal
